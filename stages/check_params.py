"""Stage `check_params`: validate every section of params.yaml, and what the sections
must agree on, before any other stage runs.

Why a stage of its own: DVC deletes a stage's outputs just before it runs the stage, so
a stage that refuses a bad value itself has already lost its previous outputs. This
stage comes first in the graph (`sample` depends on its output), and that output is
`persist: true` (DVC never deletes it): a bad value stops `dvc repro` and `dvc exp run`
here, with every output of the last good run still in place.
"""

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run check_params` or `dvc repro check_params`")

from gan.infra import files, params

from stages import paths
from stages.cli import run

# Constant, so that a valid change of one section re-runs only the stages that read it.
CONTENT = b"params.yaml: every section valid (written by stages/check_params.py)\n"


def main() -> None:
    p = params.load(paths.PARAMS)
    if p["train"].batch_size > p["data"].n_samples:
        raise params.ParamsError(
            f"{paths.PARAMS}: train.batch_size ({p['train'].batch_size}) is larger than "
            f"data.n_samples ({p['data'].n_samples})"
        )
    files.write_bytes(paths.PARAMS_CHECKED, CONTENT)
    print(f"check_params: {paths.PARAMS} is valid")


if __name__ == "__main__":
    run(main)

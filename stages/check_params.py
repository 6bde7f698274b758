"""Stage `check_params`: validate every section of params.yaml, what the sections must
agree on, and the user's data file (`data.distribution: file`), before any other stage runs.

Why a stage of its own: DVC deletes a stage's outputs just before it runs the stage, so
a stage that refuses a bad value itself has already lost its previous outputs. This
stage comes first in the graph (`sample` depends on its output), and that output is
`persist: true` (DVC never deletes it): a bad value stops `dvc repro` and `dvc exp run`
here, with every output of the last good run still in place.
"""

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run check_params` or `dvc repro check_params`")

from gan.infra import data, files, params

from stages import paths
from stages.cli import run

# Constant, so that a valid change of one section re-runs only the stages that read it.
CONTENT = b"params.yaml: every section valid (written by stages/check_params.py)\n"


def main() -> None:
    p = params.load(paths.PARAMS)
    batch_size = p["train"].batch_size
    if p["data"].distribution == "file":  # the file read and checked as `sample` will
        training, _ = data.split_rows(p["data"])
        rows, what = len(training), f"the {len(training)} training rows of {p['data'].path}"
    else:
        rows, what = p["data"].n_samples, f"data.n_samples ({p['data'].n_samples})"
    if batch_size > rows:
        raise params.ParamsError(f"{paths.PARAMS}: train.batch_size ({batch_size}) is larger than {what}")
    files.write_bytes(paths.PARAMS_CHECKED, CONTENT)
    print(f"check_params: {paths.PARAMS} is valid")


if __name__ == "__main__":
    run(main)

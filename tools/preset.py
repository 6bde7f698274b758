"""Run a named params preset as a DVC experiment: `make preset NAME=mixture`, `make tutorial`
(ARGS="--queue" to queue it, ARGS="-S train.seed=3" for another seed, ARGS="-n NAME" for
another experiment name).

It is `dvc exp run -n PRESET` with the preset's params (gan.infra.params.PRESETS: the
tutorial's own setup, every option this project adds switched off; the mixture's), so
`dvc exp show` and `dvc metrics diff` compare it with the defaults. It runs in a temporary
copy (`--temp`): the workspace, its params.yaml and outputs, stay as they were. A rerun
replaces the experiment of the same name (`-f`). Afterwards it prints the experiment
against the workspace in `make show`'s columns, and the page that explains the preset.
"""

from __future__ import annotations

import subprocess
import sys

from gan.infra import params
from gan.report import experiments, tables

# What the post's bugs did, and what this project does instead (no param brings them back)
BUGS = "docs/tutorial.md#its-bugs-and-what-this-project-does-instead"
# Where each preset is explained, printed after its run
PAGES = {
    "tutorial": f"What the tutorial post's own bugs did, fixed here whatever the params: {BUGS}",
    "mixture": "Why these params, and what the defaults do on mixtures: docs/mixtures.md",
}


def experiment_name(extra: list[str]) -> str | None:
    """The name ARGS give (-n NAME, --name NAME, --name=NAME), or None."""
    for i, arg in enumerate(extra):
        if arg in ("-n", "--name") and i + 1 < len(extra):
            return extra[i + 1]
        if arg.startswith("--name="):
            return arg.partition("=")[2]
    return None


def command(preset: str, extra: list[str]) -> list[str]:
    name = [] if experiment_name(extra) else ["-n", preset]
    # --temp: not in the workspace (a queued run never is); -f: replace an experiment of this name
    temp = [] if {"--queue", "--temp"} & set(extra) else ["--temp"]
    overrides = [arg for s in params.preset_overrides(preset) for arg in ("-S", s)]
    return [sys.executable, "-m", "dvc", "exp", "run", *name, *temp, "-f", *overrides, *extra]


def comparison(name: str) -> str:
    """The experiment `name` against the workspace, as `make show` prints them."""
    import dvc.api

    shown = experiments.rows(dvc.api.exp_show(), workspace=True)
    table = [row for row in shown if row["name"] in ("workspace", name)]
    return tables.markdown(table, experiments.columns(table))


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in params.PRESETS:
        sys.exit(f"error: name a preset: one of {', '.join(params.PRESETS)} (make preset NAME=...)")
    preset, extra = sys.argv[1], sys.argv[2:]
    name = experiment_name(extra) or preset
    run = command(preset, extra)
    print(" ".join(["dvc", *run[3:]]), flush=True)
    done = subprocess.run(run)
    if done.returncode:
        sys.exit(done.returncode)
    if "--queue" in extra:
        print(f"queued as '{name}': run it with `dvc exp run --run-all` (or `dvc queue start`)")
    else:
        print(f"\nThe {preset} preset ('{name}') against the workspace, which it left as it was:")
        print(comparison(name), end="")
        print(f"(`dvc exp apply {name}` brings it into the workspace; running the preset again replaces it)")
    print(PAGES[preset])


if __name__ == "__main__":
    main()

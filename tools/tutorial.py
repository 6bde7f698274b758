"""Run the tutorial's own setup as a DVC experiment: `make tutorial` (ARGS="--queue" to
queue it, ARGS="-S train.seed=3" for another seed, ARGS="-n NAME" for another name).

It is `dvc exp run -n tutorial` with every option this project adds on top of the
tutorial switched off (gan.infra.params.TUTORIAL_SETUP), so `dvc exp show` and `dvc metrics
diff` compare it with the defaults. It runs in a temporary copy (`--temp`): the
workspace, its params.yaml and outputs, stay as they were. A rerun replaces the
experiment of the same name (`-f`). Afterwards it prints the experiment against the
workspace in `make show`'s columns, and where the tutorial post's own bugs are told.
"""

from __future__ import annotations

import subprocess
import sys

from gan.infra import params
from gan.report import experiments, tables

# What the post's bugs did, and what this project does instead (no param brings them back)
BUGS = "docs/tutorial.md#its-bugs-and-what-this-project-does-instead"


def experiment_name(extra: list[str]) -> str | None:
    """The name ARGS give (-n NAME, --name NAME, --name=NAME), or None."""
    for i, arg in enumerate(extra):
        if arg in ("-n", "--name") and i + 1 < len(extra):
            return extra[i + 1]
        if arg.startswith("--name="):
            return arg.partition("=")[2]
    return None


def command(extra: list[str]) -> list[str]:
    name = [] if experiment_name(extra) else ["-n", "tutorial"]
    # --temp: not in the workspace (a queued run never is); -f: replace an experiment of this name
    temp = [] if {"--queue", "--temp"} & set(extra) else ["--temp"]
    overrides = [arg for s in params.tutorial_overrides() for arg in ("-S", s)]
    return [sys.executable, "-m", "dvc", "exp", "run", *name, *temp, "-f", *overrides, *extra]


def comparison(name: str) -> str:
    """The experiment `name` against the workspace, as `make show` prints them."""
    import dvc.api

    shown = experiments.rows(dvc.api.exp_show(), workspace=True)
    table = [row for row in shown if row["name"] in ("workspace", name)]
    return tables.markdown(table, experiments.columns(table))


def main() -> None:
    extra = sys.argv[1:]
    name = experiment_name(extra) or "tutorial"
    run = command(extra)
    print(" ".join(["dvc", *run[3:]]), flush=True)
    done = subprocess.run(run)
    if done.returncode:
        sys.exit(done.returncode)
    if "--queue" in extra:
        print(f"queued as '{name}': run it with `dvc exp run --run-all` (or `dvc queue start`)")
    else:
        print(f"\nThe tutorial's setup ('{name}') against the workspace, which it left as it was:")
        print(comparison(name), end="")
        print(f"(`dvc exp apply {name}` brings it into the workspace; `make tutorial` again replaces it)")
    print(f"What the tutorial post's own bugs did, fixed here whatever the params: {BUGS}")


if __name__ == "__main__":
    main()

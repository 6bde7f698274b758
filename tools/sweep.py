"""A grid of configurations as DVC experiments, each carrying its own seed population (the
`population` stage), compared in one report built from `dvc exp show`.

    make sweep                                 # the default grid (learning rates) here
    make sweep GRID="train.lr=1.0e-4,5.0e-3 train.d_steps=1,5"   # any grid, DVC's syntax
    make sweep-report                          # the report alone (experiments of HEAD)

On one machine the grid is queued with `dvc exp run --queue -S ...` (DVC expands the
grid) and run one experiment at a time with `dvc exp run --run-all`: each population
already uses every core, or the Dask cluster of DASK_SCHEDULER_ADDRESS. On many machines
(.github/workflows/sweep.yml) each job runs one configuration, `--one`, and pushes it
with `dvc exp push`; a last job pulls them all, `--pull`, and writes the report.
The report, reports/sweep/: results.md (a table), results.json, pass_rates.png.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from gan.infra import files
from gan.report import experiments, tables

OUT = Path("reports/sweep")
# The learning rates the convergence issue asks about, and 0.05, which fails (flagged).
GRID = ["train.lr=1.0e-4,5.0e-4,2.0e-3,5.0e-3,5.0e-2"]
# DVC's queue workers start `dvc` by name: the venv's bin folder must be on PATH.
ENV = {
    **os.environ,
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    "DVC_NO_ANALYTICS": "1",
}


def dvc(*args: str, quiet: bool = True) -> str:
    """Run DVC; its output is shown (quiet=False) or returned, and a failure stops the
    sweep with DVC's own words."""
    done = subprocess.run([sys.executable, "-m", "dvc", *args], env=ENV, text=True, capture_output=quiet)
    if done.returncode:
        sys.exit(f"error: dvc {' '.join(args)} failed" + (f":\n{done.stdout}{done.stderr}" if quiet else ""))
    return done.stdout or ""


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def refuse_unfit_checkout(push: bool) -> None:
    """What makes experiments impossible to share, said before anything runs."""
    if git("rev-parse", "--is-shallow-repository") == "true":
        sys.exit(
            "error: this is a shallow clone: DVC experiments need the full history "
            "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
        )
    if not push:
        return
    default = subprocess.run(
        [sys.executable, "-m", "dvc", "remote", "default"], env=ENV, capture_output=True, text=True
    )
    name = default.stdout.strip()
    if default.returncode or not name:
        sys.exit(
            "error: no default DVC remote: the experiments' models would not reach the "
            "other machines (dvc remote add --local -d NAME URL)"
        )
    url = dvc("config", f"remote.{name}.url").strip()
    if "://" not in url and Path(url).resolve().is_relative_to(Path.cwd().resolve()):
        sys.exit(
            f"error: the default DVC remote '{name}' is inside this checkout ({url!r}): "
            "an unset secret? Nothing would leave this machine"
        )


def settings(grid: list[str]) -> list[str]:
    return [arg for item in grid for arg in ("-S", item)]


def run_grid(grid: list[str], jobs: int) -> None:
    refuse_unfit_checkout(push=False)
    dvc("exp", "run", "--queue", *settings(grid), quiet=False)
    dvc("exp", "run", "--run-all", "-j", str(jobs), quiet=False)


def run_one(grid: list[str], name: str | None) -> None:
    """One configuration (a single value per key), run and pushed to origin: a CI job."""
    refuse_unfit_checkout(push=True)
    dvc("exp", "run", *(["-n", name] if name else []), *settings(grid), quiet=False)
    dvc("exp", "push", "origin", *([name] if name else ["--rev", "HEAD"]), quiet=False)


def report() -> list[dict]:
    import dvc.api

    table = experiments.rows(dvc.api.exp_show())
    OUT.mkdir(parents=True, exist_ok=True)
    text = tables.markdown(table, experiments.columns(table))
    (OUT / "results.md").write_text(text)
    files.write_json(OUT / "results.json", {"experiments": table})
    fig = experiments.figure(table)
    fig.savefig(OUT / "pass_rates.png", dpi=110)
    print(text, end="")
    print(f"report: {OUT}/results.md, results.json, pass_rates.png")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "grid", nargs="*", help=f"KEY=V1,V2 as `dvc exp run -S` takes it (default: {' '.join(GRID)})"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="experiments at once (each population already uses every core)"
    )
    parser.add_argument("--one", action="store_true", help="run one configuration and push it")
    parser.add_argument("--name", help="the experiment's name (with --one)")
    parser.add_argument(
        "--pull", action="store_true", help="pull every pushed experiment of HEAD from origin, then report"
    )
    parser.add_argument("--report", action="store_true", help="only the report")
    args = parser.parse_args()
    if args.one:
        run_one(args.grid, args.name)
        return
    if args.pull:
        refuse_unfit_checkout(push=False)
        dvc("exp", "pull", "origin", "--no-cache", quiet=False)
    elif not args.report:
        run_grid(args.grid or GRID, args.jobs)
    report()


if __name__ == "__main__":
    main()

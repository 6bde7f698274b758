"""A grid of configurations as DVC experiments, each carrying its own seed population (the
`population` stage), compared in one report built from `dvc exp show`.

    make sweep                                 # the default grid (learning rates) here
    make sweep GRID="train.lr=1.0e-4,5.0e-3 train.d_steps=1,5"   # any grid, DVC's syntax
    make sweep-report                          # the report alone (experiments of HEAD)
    make sweep OUT=reports/sweep               # the report into the committed folder

On one machine the grid is queued with `dvc exp run --queue -S ...` (DVC expands the
grid) and run one experiment at a time with `dvc exp run --run-all`: each population
already uses every core, or the Dask cluster of DASK_SCHEDULER_ADDRESS. On many machines
(.github/workflows/sweep.yml) each job runs one configuration, `--one`, and pushes it
with `dvc exp push`; a last job pulls them all, `--pull`, and writes the report.

The report (results.md, a table; results.json; pass_rates.png) lists the experiments of
the grid just run (`--report` and `--pull`: every experiment of HEAD). It goes to
sweep-report/, which git ignores: an ad-hoc sweep leaves the committed reports/sweep/
(the default grid's, docs/sweeps.md) and `git status` alone; `--out reports/sweep`
replaces it on purpose. Its files depend only on the experiments listed.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from gan.infra import files
from gan.report import experiments, tables

OUT = Path("sweep-report")  # git ignores it; the committed report is reports/sweep/
# what `dvc exp run --queue` prints for each experiment it queues (DVC 3.67)
QUEUED = re.compile(r"^Queued experiment '([^']+)'", re.MULTILINE)
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


def run_grid(grid: list[str], jobs: int) -> list[str]:
    """Queue the grid and run the queue; the names of the grid's experiments."""
    refuse_unfit_checkout(push=False)
    queued = dvc("exp", "run", "--queue", *settings(grid))
    print(queued, end="", flush=True)
    names = QUEUED.findall(queued)
    if not names:
        sys.exit("error: `dvc exp run --queue` named no queued experiment (see its output above)")
    dvc("exp", "run", "--run-all", "-j", str(jobs), quiet=False)
    return names


def run_one(grid: list[str], name: str | None) -> None:
    """One configuration (a single value per key), run and pushed to origin: a CI job."""
    refuse_unfit_checkout(push=True)
    dvc("exp", "run", *(["-n", name] if name else []), *settings(grid), quiet=False)
    dvc("exp", "push", "origin", *([name] if name else ["--rev", "HEAD"]), quiet=False)


def report(names: list[str] | None = None, out: Path = OUT) -> list[dict]:
    """The report of the experiments `names` (of HEAD; all of them if None), in `out`."""
    import dvc.api
    import matplotlib.pyplot as plt

    # not `Created`: DVC spells it by the day the report is made ('07:59 AM', then 'Dec 03')
    table = [{k: v for k, v in row.items() if k != "Created"} for row in experiments.rows(dvc.api.exp_show())]
    if names is not None:
        table = [row for row in table if row["name"] in names]
        missing = [name for name in names if name not in {row["name"] for row in table}]
        if missing:
            print(f"not finished, not in the report: {', '.join(missing)}", file=sys.stderr)
        if not table:
            sys.exit("error: no experiment of the grid finished: no report")
    text = tables.markdown(table, experiments.columns(table))
    files.write_bytes(out / "results.md", text.encode())
    files.write_json(out / "results.json", {"experiments": table})
    fig = experiments.figure(table)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110, metadata={"Software": None})  # no version: the same bytes
    plt.close(fig)
    files.write_bytes(out / "pass_rates.png", png.getvalue())
    print(text, end="")
    print(f"report: {out}/results.md, results.json, pass_rates.png")
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
    parser.add_argument("--report", action="store_true", help="only the report, of every experiment of HEAD")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help=f"the report's folder (default: {OUT}/, ignored by git; the committed one is reports/sweep)",
    )
    args = parser.parse_args()
    if args.one:
        run_one(args.grid, args.name)
        return
    names = None
    if args.pull:
        refuse_unfit_checkout(push=False)
        dvc("exp", "pull", "origin", "--no-cache", quiet=False)
    elif not args.report:
        names = run_grid(args.grid or GRID, args.jobs)
    report(names, args.out)


if __name__ == "__main__":
    main()

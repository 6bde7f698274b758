"""Start a Dask scheduler or Dask workers that can run the `population` stage:

    make scheduler [PORT=8786]                          # on one host
    make worker SCHEDULER=tcp://HOST:8786 [NWORKERS=2]  # on every host

Both run from a checkout of the same commit, with this checkout on the import path: the
scheduler unpickles the tasks (which name this project's functions), the workers run
them. `import gan` puts the instruction-set pin into the environment first
(gan/infra/cpu_pin.py), so numpy and TensorFlow load pinned in every worker process; one
thread per worker. The stage refuses, in one line, a worker that runs other code,
another lock or another level (gan/population/cluster.py, `mismatch`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import gan  # noqa: F401  (the pin, before anything loads numpy)
from gan.infra import cpu_pin

ROOT = Path(__file__).resolve().parents[1]
USAGE = (
    "usage: python -m tools.dask_cluster scheduler [--port 8786]\n"
    "       python -m tools.dask_cluster worker tcp://HOST:8786 [--nworkers N|auto]"
)


def command(args: list[str]) -> list[str]:
    """The `dask` command line for `scheduler ...` or `worker ADDRESS [--nworkers N|auto] ...`."""
    import argparse

    dask = str(Path(sys.executable).with_name("dask"))
    if args[:1] == ["scheduler"]:
        return [dask, "scheduler", "--no-dashboard", *args[1:]]
    if args[:1] != ["worker"] or len(args) < 2 or args[1].startswith("-"):
        sys.exit(USAGE)
    parser = argparse.ArgumentParser(prog="tools.dask_cluster worker", usage=USAGE)
    parser.add_argument("--nworkers", default="auto")
    parser.add_argument("--nthreads", type=int, default=1)
    known, rest = parser.parse_known_args(args[2:])
    if known.nthreads != 1:
        sys.exit("error: a population's worker runs one thread (its tasks share one trainer)")
    nworkers = str(cpu_pin.usable_cores()) if known.nworkers == "auto" else known.nworkers
    return [dask, "worker", args[1], *rest, "--nworkers", nworkers, "--nthreads", "1"]


def main() -> None:
    cmd = command(sys.argv[1:])
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    print(" ".join(cmd), flush=True)
    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    main()

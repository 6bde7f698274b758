"""Start Dask workers that compute what the `population` stage computes here:

    make worker SCHEDULER=tcp://HOST:8786 [NWORKERS=2]

`import gan` pins the instruction set into this process's environment (gan/cpu_pin.py);
`dask worker` then starts with it, so numpy and TensorFlow load pinned in every worker
process. One thread per worker, the checkout on the workers' import path. The stage
refuses, in one line, a worker that runs other code, another lock or another level.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import gan  # noqa: F401  (the pin, before anything loads numpy)

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit("usage: make worker SCHEDULER=tcp://HOST:8786 [NWORKERS=2]")
    nworkers = "auto"
    if "--nworkers" in args:
        i = args.index("--nworkers")
        nworkers = args[i + 1]
        del args[i:i + 2]
    if nworkers == "auto":
        nworkers = str(len(os.sched_getaffinity(0)))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    dask = Path(sys.executable).with_name("dask")
    command = [str(dask), "worker", *args, "--nworkers", nworkers, "--nthreads", "1"]
    print(" ".join(command), flush=True)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()

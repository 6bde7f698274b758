"""Run the tutorial's own setup as a DVC experiment: `make tutorial` (ARGS="--queue" to
queue it, ARGS="-S train.seed=3" for another seed).

It is `dvc exp run -n tutorial` with every option this project adds on top of the
tutorial switched off (gan.infra.params.TUTORIAL_SETUP), so `dvc exp show` and `dvc metrics
diff` compare it with the defaults."""

from __future__ import annotations

import os
import sys

from gan.infra import params


def main() -> None:
    extra = sys.argv[1:]
    # named `tutorial` unless ARGS name it (a second run needs a new name, or
    # `dvc exp remove tutorial` first)
    name = [] if {"-n", "--name"} & set(extra) else ["-n", "tutorial"]
    command = [
        sys.executable,
        "-m",
        "dvc",
        "exp",
        "run",
        *name,
        *[arg for s in params.tutorial_overrides() for arg in ("-S", s)],
        *extra,
    ]
    print(" ".join(["dvc", *command[3:]]), flush=True)
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()

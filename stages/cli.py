"""What every stage does around its work: a first line saying which instruction set it
computes at (so a run whose bytes differ can be explained), bad input as one clear line
with exit code 2, and SIGTERM (a killed `dvc repro`, a CI timeout) handled as Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from gan.infra import cpu_pin
from gan.infra.data import DataError
from gan.infra.params import ParamsError


def run(
    main: Callable[[], None], skip_teardown: bool = False, errors: tuple[type[Exception], ...] = ()
) -> None:
    """Run a stage's main; bad input (and any of `errors`) becomes one line and exit code 2.
    With `skip_teardown`, leave at once after success: TensorFlow's
    interpreter teardown takes 1-2 s and does nothing for us (every output is already
    written, flushed and renamed into place)."""
    stage = Path(sys.argv[0]).stem
    print(f"{stage}: {cpu_pin.describe()}", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # raises KeyboardInterrupt
    try:
        main()
    except (ParamsError, DataError, FileNotFoundError, *errors) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print(f"\n{stage}: interrupted; nothing half-written is left; run `dvc repro` again", file=sys.stderr)
        sys.exit(130)
    if skip_teardown:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

"""What every stage does around its work: a first line saying which instruction set it
computes at (so a run whose bytes differ can be explained), and bad input as one clear
line with exit code 2."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    print(f"{Path(sys.argv[0]).stem}: {cpu_pin.describe()}", flush=True)
    try:
        main()
    except (ParamsError, DataError, FileNotFoundError, *errors) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    if skip_teardown:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM (a killed `dvc repro`, a CI timeout) raises KeyboardInterrupt inside, as
    Ctrl-C does, so a stage stops the way it stops on Ctrl-C."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

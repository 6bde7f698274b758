"""What every stage does around its work: bad input is one clear line and exit code 2."""

from __future__ import annotations

import os
import sys
from typing import Callable

from gan.data import DataError
from gan.params import ParamsError

PARAMS = "params.yaml"


def run(main: Callable[[], None], skip_teardown: bool = False) -> None:
    """Run a stage's main. With `skip_teardown`, leave at once after success: TensorFlow's
    interpreter teardown takes 1-2 s and does nothing for us (every output is already
    written, flushed and renamed into place)."""
    try:
        main()
    except (ParamsError, DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    if skip_teardown:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

"""What every stage does around its work: bad input is one clear line and exit code 2."""

from __future__ import annotations

import sys
from typing import Callable

from gan.data import DataError
from gan.params import ParamsError

PARAMS = "params.yaml"


def run(main: Callable[[], None]) -> None:
    try:
        main()
    except (ParamsError, DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)

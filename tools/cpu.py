"""This CPU, the instruction-set level the project computes at here, and the pin.

make cpu                                  # or: .venv/bin/python -m tools.cpu
.venv/bin/python -m tools.cpu --level     # just the level (.ci/run uses it)
"""

from __future__ import annotations

import argparse
import os

from gan.infra import cpu_pin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--level", action="store_true", help="print only the level")
    at = cpu_pin.apply()
    if parser.parse_args().level:
        print(at)
        return
    print(cpu_pin.describe())
    for name in sorted(cpu_pin.pinned(os.environ, at)):
        print(f"  {name}={os.environ[name]}")
    print(f"  numpy dispatch targets enabled: {' '.join(cpu_pin.numpy_targets()) or 'none'}")


if __name__ == "__main__":
    main()

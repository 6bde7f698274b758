"""Draw data/example.csv, the default `data.path`: SYNTHETIC, a stand-in for a user's own
data (no public-domain 1-D data set ships with the project's dependencies). 1000 draws of
Gamma(shape 4, scale 0.5), mean 2, std 1, skewness 1: a shape neither built-in
distribution has. One column with a header row, 4 decimals.

.venv/bin/python -m tools.example_data   # rewrites data/example.csv, the same bytes every time
"""

from __future__ import annotations

from pathlib import Path

from gan.infra import files

import numpy as np

PATH = Path("data/example.csv")
HEADER = "synthetic Gamma(shape 4; scale 0.5) drawn by tools/example_data.py"


def main() -> None:
    x = np.random.default_rng(2026).gamma(shape=4.0, scale=0.5, size=1000)
    files.write_bytes(PATH, "".join([f"{HEADER}\n", *(f"{v:.4f}\n" for v in x)]).encode())
    print(f"{PATH}: {len(x)} synthetic rows, mean {x.mean():.3f}, std {x.std():.3f}")


if __name__ == "__main__":
    main()

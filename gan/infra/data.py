"""The real samples: drawn once by the `sample` stage, read (and checked) by the others."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

import numpy as np


class DataError(ValueError):
    """A data file that is missing or not what the pipeline expects."""


def sample_real(data) -> np.ndarray:
    """What the `sample` stage writes for the `data` params: the same bytes wherever it
    is drawn (the stage, or a tool that trains without the pipeline)."""
    from gan.stats.distributions import Mixture

    return Mixture.from_params(data).sample(data.n_samples, np.random.default_rng(data.seed))


def load_real(path: str | Path) -> np.ndarray:
    """Read real samples, refusing anything a stage should not train or score on."""
    path = Path(path)
    try:
        array = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found (run the 'sample' stage first)") from None
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npy array ({exc})") from None
    if array.ndim != 2 or array.shape[1] != 1:
        raise DataError(f"{path}: expected shape (n, 1), got {array.shape}")
    if array.shape[0] < 2:
        raise DataError(f"{path}: expected at least 2 samples, got {array.shape[0]}")
    if not np.issubdtype(array.dtype, np.floating):
        raise DataError(f"{path}: expected floating-point samples, got {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise DataError(f"{path}: contains NaN or infinite values")
    return array.astype(np.float32, copy=False)


# The generator's input distributions: the tutorial's U(-1, 1), or N(0, 1).
Noise = Literal["uniform", "normal"]
NOISES: tuple[str, ...] = get_args(Noise)


def noise(n: int, dim: int, seed: int, kind: str) -> np.ndarray:
    """Generator input z, shape (n, dim), float32, from a seeded numpy RNG: U(-1, 1)^dim
    as the tutorial draws it, or N(0, 1)^dim."""
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        z = rng.uniform(-1.0, 1.0, size=(n, dim))
    elif kind == "normal":
        z = rng.standard_normal((n, dim))
    else:
        raise ValueError(f"unknown noise {kind!r}; expected one of {NOISES}")
    return z.astype(np.float32)

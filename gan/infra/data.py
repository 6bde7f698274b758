"""The real samples: drawn once by the `sample` stage (or split from the user's data
file), read (and checked) by the others."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

import numpy as np


class DataError(ValueError):
    """A data file that is missing or not what the pipeline expects."""


def real_and_scored(data) -> tuple[np.ndarray, np.ndarray]:
    """What the `sample` stage writes for the `data` params: the rows `train` learns from,
    and the rows the verdict scores against. For a built-in distribution they are the same
    draws (the same bytes wherever they are drawn); for `file`, split_rows of data.path."""
    if data.distribution == "file":
        return split_rows(data)
    from gan.stats.distributions import Mixture

    real = Mixture.from_params(data).sample(data.n_samples, np.random.default_rng(data.seed))
    return real, real


# Fewest training rows, and fewest held-out rows, a data file may leave: fewer held-out
# rows would give the verdict next to no power, and metrics on bins of them no meaning.
MIN_ROWS = 20


def split_rows(data) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows) of the file data.path, float32, shape (n, 1): its
    rows shuffled with data.seed, the first data.holdout of them held out for the verdict.
    A file the pipeline cannot learn from raises DataError naming it: the one check of
    `check_params` (before DVC deletes any output) and of `sample`."""
    rows = read_rows(data.path)
    held = round(data.holdout * len(rows))
    if min(held, len(rows) - held) < MIN_ROWS:
        raise DataError(
            f"{data.path}: too few rows: {len(rows)} leave {len(rows) - held} for training and "
            f"{held} held out (data.holdout {data.holdout}); each needs at least {MIN_ROWS}"
        )
    order = np.random.default_rng(data.seed).permutation(len(rows))
    return rows[order[held:]], rows[order[:held]]


def read_rows(path: str | Path) -> np.ndarray:
    """The numbers of a data file, float32, shape (n, 1): a CSV of one numeric column (a
    header row allowed), or a .npy of shape (n,) or (n, 1). Anything else raises DataError
    naming the file and what is wrong: missing, empty, not numbers, NaN or infinite, all
    one value."""
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise DataError(f"{path}: empty file")
        values = _csv_values(path) if path.suffix.lower() == ".csv" else _npy_values(path)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found (data.path names it)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    if not len(values):
        raise DataError(f"{path}: no rows of data")
    with np.errstate(over="ignore"):
        rows = values.astype(np.float32)[:, None]
    bad = np.flatnonzero(~np.isfinite(rows[:, 0]))
    if len(bad):
        raise DataError(
            f"{path}: row {bad[0] + 1} is {values[bad[0]]:g}; rows must be finite float32 numbers"
        )
    if rows.min() == rows.max():
        raise DataError(f"{path}: every row holds the same value ({rows[0, 0]:g}): no distribution to learn")
    return rows


def _csv_values(path: Path) -> np.ndarray:
    """A one-column CSV's numbers as float64 (its first row skipped if it is not a number:
    a header)."""
    import pandas as pd

    try:
        table = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: empty file") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a CSV of one column ({str(exc).strip()})") from None
    if table.shape[1] != 1:
        raise DataError(f"{path}: expected one column of numbers, found {table.shape[1]} columns")
    text = table[0]
    numbers = pd.to_numeric(text, errors="coerce")
    if len(text) and np.isnan(numbers.iloc[0]) and text.iloc[0].strip().lower() != "nan":
        text, numbers = text.iloc[1:], numbers.iloc[1:]  # a header
    not_numbers = np.flatnonzero(numbers.isna() & (text.str.strip().str.lower() != "nan"))
    if len(not_numbers):
        row = not_numbers[0]
        raise DataError(f"{path}: row {row + 1} is not a number ({text.iloc[row]!r})")
    return numbers.to_numpy(np.float64)


def _npy_values(path: Path) -> np.ndarray:
    """A .npy array's numbers as float64, if it is one column of integers or floats."""
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npy array ({exc})") from None
    if array.ndim not in (1, 2) or array.ndim == 2 and array.shape[1] != 1:
        raise DataError(f"{path}: expected shape (n,) or (n, 1), got {array.shape}")
    if array.dtype.kind not in "iuf":
        raise DataError(f"{path}: expected numbers, got an array of {array.dtype}")
    return array.reshape(-1).astype(np.float64)


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

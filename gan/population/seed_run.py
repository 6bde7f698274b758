"""One run of a population, in a worker's memory: seed `seed` trained and scored through
gan.training.runs, the functions the `train` and `evaluate` stages call, so a population's
row for seed s holds the numbers `dvc repro` reports at `train.seed: s`."""

from __future__ import annotations

from typing import Any

import numpy as np

_TRAINERS: dict[Any, Any] = {}  # this process's trainer, reused seed after seed


def _trainer(p: dict[str, Any], real: np.ndarray, seed: int):
    """A trainer for these params and data, reseeded if this process already has one
    (one trace and one XLA compilation per worker, not per seed)."""
    from gan.training import runs
    from gan.training.trainer import Config

    key = (Config.from_params(p["model"], p["train"]), real.tobytes())
    if key in _TRAINERS:
        _TRAINERS[key].reseed(seed)
        return _TRAINERS[key]
    _TRAINERS.clear()
    _TRAINERS[key] = runs.trainer(p, real, seed)
    return _TRAINERS[key]


def train_and_score(p: dict[str, Any], real: np.ndarray, seed: int, null: np.ndarray) -> dict[str, Any]:
    """One row of the population (gan.stats.evaluation.ROW) for training seed `seed`;
    `p`: the validated params sections."""
    from gan.stats import evaluation
    from gan.training import runs

    trainer = _trainer(p, real, seed)
    result = runs.train(p, real, trainer)
    scores, _, _ = runs.score(
        p,
        real,
        runs.Networks.of(trainer),
        null,
        diverged=result.diverged,
        epochs_done=result.epochs_done,
        critical_values=False,
    )
    return evaluation.row(scores, seed)


def null_for(p: dict[str, Any], real: np.ndarray) -> np.ndarray:
    """The verdict's null (gan.training.runs.null), computed on a worker: the stage's
    own process never imports TensorFlow."""
    from gan.training import runs

    return runs.null(p, real)

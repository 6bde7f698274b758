"""One block of a population's seeds, in a worker's memory: trained together in one
compiled program and scored one by one through gan.training.runs, the functions the
`train` and `evaluate` stages call, so a population's row for seed s holds the numbers
`dvc repro` reports at `train.seed: s` (a seed's bits do not depend on its block)."""

from __future__ import annotations

from typing import Any

import numpy as np

_TRAINERS: dict[Any, Any] = {}  # this process's trainers, by block size, reseeded block after block


def _trainer(p: dict[str, Any], real: np.ndarray, seeds: tuple[int, ...]):
    """A trainer for these params, data and block size, reseeded if this process already
    has one (one trace and one XLA compilation per worker and block size)."""
    from gan.training import runs
    from gan.training.trainer import Config

    config = (Config.from_params(p["model"], p["train"]), real.tobytes())
    if any(key[0] != config for key in _TRAINERS):
        _TRAINERS.clear()
    key = (config, len(seeds))
    if key in _TRAINERS:
        _TRAINERS[key].reseed(seeds)
    else:
        _TRAINERS[key] = runs.trainer(p, real, seeds)
    return _TRAINERS[key]


def train_and_score(
    p: dict[str, Any], real: np.ndarray, scored: np.ndarray, seeds: tuple[int, ...], null: np.ndarray
) -> list[dict[str, Any]]:
    """The population's rows (gan.stats.evaluation.ROW) of a block of training seeds, trained
    on `real` and scored against `scored`; `p`: the validated params sections."""
    from gan.stats import evaluation
    from gan.training import runs

    block = _trainer(p, real, seeds)
    result = runs.train(p, real, block)
    rows = []
    for i, seed in enumerate(seeds):
        scores, _, _ = runs.score(
            p,
            real,
            scored,
            runs.Networks.of(block, i),
            null,
            diverged=result.diverged[i],
            epochs_done=result.epochs_done[i],
            critical_values=False,
        )
        rows.append(evaluation.row(scores, seed))
    return rows


def null_for(p: dict[str, Any], real: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """The verdict's null (gan.training.runs.null), computed on a worker: the stage's
    own process never imports TensorFlow."""
    from gan.training import runs

    return runs.null(p, real, scored)

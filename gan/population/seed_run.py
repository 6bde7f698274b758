"""One block of a population's seeds: trained together in one compiled program, then
scored one by one (two tasks) through gan.training.runs, the functions the `train` and
`evaluate` stages call, so a population's row for seed s holds the numbers
`dvc repro` reports at `train.seed: s` (a seed's bits do not depend on its block)."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Trained:
    """A trained seed on its way to being scored, maybe on another worker: its weights
    (gan.training.runs.weights_of) and how its training ended."""

    seed: int
    weights: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]
    diverged: bool
    epochs_done: int


def train(p: dict[str, Any], real: np.ndarray, seeds: tuple[int, ...]) -> list[Trained]:
    """A block of training seeds trained together on `real`; `p`: the validated params
    sections. Needs no null, so a worker trains while another computes it."""
    from gan.training import runs

    block = _trainer(p, real, seeds)
    result = runs.train(p, real, block)
    return [
        Trained(seed, runs.weights_of(block, i), bool(result.diverged[i]), int(result.epochs_done[i]))
        for i, seed in enumerate(seeds)
    ]


def score(
    trained: list[Trained], p: dict[str, Any], real: np.ndarray, scored: np.ndarray, null: np.ndarray
) -> list[dict[str, Any]]:
    """The population's rows (gan.stats.evaluation.ROW) of trained seeds, scored against
    `scored` as the `evaluate` stage scores."""
    from gan.stats import evaluation
    from gan.training import runs

    rows = []
    for run in trained:
        scores, _, _ = runs.score(
            p,
            real,
            scored,
            runs.Networks.weighted(*run.weights),
            null,
            diverged=run.diverged,
            epochs_done=run.epochs_done,
            critical_values=False,
        )
        rows.append(evaluation.row(scores, run.seed))
    return rows


def null_for(p: dict[str, Any], real: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """The verdict's null (gan.training.runs.null), computed on a worker: the stage's
    own process never imports TensorFlow."""
    from gan.training import runs

    return runs.null(p, real, scored)

"""One run of a population, in a worker's memory: train seed `seed` as the `train` stage
does (Trainer, `fit` with the history's KL and the same stops) and score it as `evaluate`
does (`evaluation.assess` on the exported networks' own functions). So a population's
row for seed s holds the numbers `dvc repro` reports at `train.seed: s`."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

# What a population keeps of each run (reports/population/runs.csv): enough to rank it in
# the gate and to read the table. No timings: the file's bytes depend only on code,
# data and params.
ROW = (
    "seed",
    "p_value",
    "indistinguishable",
    "wasserstein_1",
    "ks_statistic",
    "kl_divergence",
    "mean_error",
    "std_error",
    "fake_std",
    "mode_collapse",
    "discriminator_blind",
    "diverged",
    "epochs_done",
    "raw_p_value",
    "raw_indistinguishable",
)

_TRAINERS: dict[Any, Any] = {}  # this process's trainer, reused seed after seed


def _trainer(real: np.ndarray, cfg):
    """A trainer for `cfg`, reseeded if this process already has one for the same
    configuration and data (one trace and one XLA compilation per worker, not per seed)."""
    from gan.training.trainer import Trainer

    key = (dataclasses.replace(cfg, seed=0), real.tobytes())
    if key in _TRAINERS:
        trainer = _TRAINERS[key]
        trainer.reseed(cfg.seed)
        return trainer
    _TRAINERS.clear()
    trainer = _TRAINERS[key] = Trainer(real, cfg)
    return trainer


_EXPORTED: dict[Any, Any] = {}


def _exported(trainer) -> tuple[Any, Any]:
    """The networks as `train` exports them (the same functions), built once per process
    and given each run's weights."""
    from gan.training import export

    key = tuple(w.shape for w in trainer.generator.get_weights() + trainer.discriminator.get_weights())
    if key not in _EXPORTED:
        _EXPORTED[key] = (
            export.generator_net(trainer.generator.get_weights()),
            export.discriminator_net(trainer.discriminator.get_weights()),
        )
    return _EXPORTED[key]


def train_and_score(
    raw_params: dict[str, Any], real: np.ndarray, seed: int, null: np.ndarray
) -> dict[str, Any]:
    """One row of the population (ROW's keys) for training seed `seed`."""
    from gan.infra import data, params
    from gan.stats import evaluation, metrics
    from gan.stats.distributions import Mixture
    from gan.training.trainer import Config, fit

    p = {
        name: params.parse_section(raw_params, name)
        for name in ("data", "model", "train", "metrics", "evaluate")
    }
    bins, ev, train = p["metrics"].model_dump(), p["evaluate"], p["train"]
    trainer = _trainer(real, Config.from_params(p["model"], train, seed=seed))
    result = fit(trainer, metrics.kl_from(real, **bins), checkpoint_every=train.checkpoint_every)

    z = data.noise(ev.n_samples, p["model"].g_input, ev.seed, p["model"].noise)
    generator, discriminator = _exported(trainer)

    def generate(weights):
        generator.set_weights(weights)
        return generator.serve(z=z)["x"].numpy()

    discriminator.set_weights(trainer.discriminator.get_weights())
    scores = evaluation.assess(
        real,
        generate(trainer.export_weights()),
        generate(trainer.generator.get_weights()),
        lambda x: discriminator.logit(x=x)["logit"].numpy(),
        dist=Mixture.from_params(p["data"]),
        null=null,
        critical_values=False,
        **ev.model_dump(include={"level", "collapse_ratio", "collapse_atom"}),
        **bins,
    )
    scores.update(
        seed=seed,
        diverged=result.diverged,
        epochs_done=result.epochs_done,
        raw_p_value=scores["raw"]["p_value"],
        raw_indistinguishable=scores["raw"]["indistinguishable"],
    )
    return {key: scores[key] for key in ROW}


def null_for(raw_params: dict[str, Any], real: np.ndarray) -> np.ndarray:
    """The verdict's null for this data and these params: computed once per population,
    shared by every run (as `evaluate` computes it for the pipeline's run)."""
    from gan.infra import params
    from gan.stats import evaluation
    from gan.stats.distributions import Mixture

    p = {name: params.parse_section(raw_params, name) for name in ("data", "metrics", "evaluate")}
    ev = p["evaluate"]
    return evaluation.null_scores(
        Mixture.from_params(p["data"]),
        real,
        ev.n_samples,
        repeats=ev.null_repeats,
        seed=ev.seed,
        **p["metrics"].model_dump(),
    )

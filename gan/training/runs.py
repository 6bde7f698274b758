"""One run, from validated params to its scores: what the `train` and `evaluate` stages do
for train.seed, and what a population's worker does for each seed, through the same
functions, so that the population's row of train.seed is the pipeline's own run.

`p` is always the validated sections (gan.infra.params.load), parsed once by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gan.infra import data
from gan.stats import evaluation, metrics, verdict
from gan.stats.distributions import Mixture
from gan.training import export
from gan.training.trainer import Config, FitResult, Trainer, fit

import numpy as np

Sections = dict[str, Any]


def trainer(p: Sections, real: np.ndarray, seed: int) -> Trainer:
    return Trainer(real, Config.from_params(p["model"], p["train"]), seed)


def train(p: Sections, real: np.ndarray, run: Trainer, **hooks: Any) -> FitResult:
    """Train `run` from its epoch to the last, the history's KL on the `metrics` bins
    (`hooks`: fit's save_checkpoint, on_row, on_epochs)."""
    kl = metrics.kl_from(real, **p["metrics"].model_dump())
    return fit(run, kl, checkpoint_every=p["train"].checkpoint_every, **hooks)


def null(p: Sections, real: np.ndarray) -> np.ndarray:
    """The verdict's null for this data: computed once, shared by every run scored on it."""
    ev = p["evaluate"]
    return verdict.null_scores(
        Mixture.from_params(p["data"]),
        real,
        ev.n_samples,
        repeats=ev.null_repeats,
        seed=ev.seed,
        **p["metrics"].model_dump(),
    )


@dataclass(frozen=True)
class Networks:
    """A trained run as functions of numpy arrays: the exported generator (the moving
    average), G itself, and D's logit."""

    generate: Callable[[np.ndarray], np.ndarray]
    generate_raw: Callable[[np.ndarray], np.ndarray]
    logit: Callable[[np.ndarray], np.ndarray]

    @classmethod
    def saved(cls, generator: str, raw_generator: str, discriminator: str) -> Networks:
        """From the SavedModels the `train` stage exported."""
        d = export.load_signature(discriminator, "logit")

        def generator_of(path: str) -> Callable[[np.ndarray], np.ndarray]:
            g = export.load_signature(path)
            return lambda z: g(z=z)["x"].numpy()

        return cls(generator_of(generator), generator_of(raw_generator), lambda x: d(x=x)["logit"].numpy())

    @classmethod
    def of(cls, run: Trainer) -> Networks:
        """From a trainer in memory, through the functions `train` exports (so the same
        numbers), built once per process and given this run's weights."""
        g, d = _exported(run)

        def generator_of(weights: list[np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
            def generate(z: np.ndarray) -> np.ndarray:
                g.set_weights(weights)
                return g.serve(z=z)["x"].numpy()

            return generate

        def logit(x: np.ndarray) -> np.ndarray:
            d.set_weights(d_weights)
            return d.logit(x=x)["logit"].numpy()

        d_weights = run.discriminator.get_weights()
        return cls(generator_of(run.export_weights()), generator_of(run.generator.get_weights()), logit)


_EXPORTED: dict[Any, Any] = {}


def _exported(run: Trainer) -> tuple[Any, Any]:
    key = tuple(w.shape for w in run.generator.get_weights() + run.discriminator.get_weights())
    if key not in _EXPORTED:
        _EXPORTED[key] = (
            export.generator_net(run.generator.get_weights()),
            export.discriminator_net(run.discriminator.get_weights()),
        )
    return _EXPORTED[key]


def score(
    p: Sections,
    real: np.ndarray,
    nets: Networks,
    null: np.ndarray,
    *,
    diverged: bool,
    epochs_done: int,
    critical_values: bool = True,
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """(scores, generated samples, G's own samples) of a trained run on the evaluation
    noise: evaluation.assess, plus how its training ended."""
    ev, model = p["evaluate"], p["model"]
    z = data.noise(ev.n_samples, model.g_input, ev.seed, model.noise)
    fake, raw_fake = nets.generate(z), nets.generate_raw(z)
    scores = evaluation.assess(
        real,
        fake,
        raw_fake,
        nets.logit,
        dist=Mixture.from_params(p["data"]),
        null=null,
        critical_values=critical_values,
        **ev.model_dump(include={"level", "collapse_ratio", "collapse_atom"}),
        **p["metrics"].model_dump(),
    )
    scores.update(diverged=bool(diverged), epochs_done=int(epochs_done))
    return scores, fake, raw_fake

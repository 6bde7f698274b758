"""One run, from validated params to its scores: what the `train` and `evaluate` stages do
for train.seed, and what a population's worker does for each seed, through the same
functions, so that the population's row of train.seed is the pipeline's own run.

`p` is always the validated sections (gan.infra.params.load), parsed once by the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gan.infra import data
from gan.stats import evaluation, metrics, verdict
from gan.stats.distributions import real_distribution
from gan.training import export
from gan.training.networks import stack
from gan.training.trainer import Config, FitResult, Trainer, fit

import numpy as np

Sections = dict[str, Any]


def trainer(p: Sections, real: np.ndarray, seeds: tuple[int, ...]) -> Trainer:
    """A trainer of these seeds, trained together (the `train` stage: a block of one)."""
    return Trainer(real, Config.from_params(p["model"], p["train"]), seeds)


def train(p: Sections, real: np.ndarray, block: Trainer, **hooks: Any) -> FitResult:
    """Train every seed of `block` from its epoch to the last, the history's KL on the
    `metrics` bins (`hooks`: fit's save_checkpoint, on_row, on_epochs)."""
    kl = metrics.kl_from(real, **p["metrics"].model_dump())
    return fit(block, kl, checkpoint_every=p["train"].checkpoint_every, **hooks)


def null(p: Sections, real: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """The verdict's null for this data: draws of the real distribution (for a data file,
    of its training rows `real`) scored against the rows `scored`; computed once, shared by
    every run scored on them."""
    ev = p["evaluate"]
    return verdict.null_scores(
        real_distribution(p["data"], real),
        scored,
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
    def weighted(
        cls, exported: list[np.ndarray], generator: list[np.ndarray], discriminator: list[np.ndarray]
    ) -> Networks:
        """A trained run from its weights (`weights_of`), through the functions `train`
        exports (so the same numbers), built once per process for these sizes."""
        g_input, g_hidden = generator[0].shape
        g, d = _exported(g_input, g_hidden, len(generator) // 2 - 1, discriminator[0].shape[1])

        def with_weights(net, weights, call):
            def run(x: np.ndarray) -> np.ndarray:
                net.set_weights(stack([weights]))
                return call(x).numpy()

            return run

        return cls(
            with_weights(g, exported, lambda z: g.serve(z=z)["x"]),
            with_weights(g, generator, lambda z: g.serve(z=z)["x"]),
            with_weights(d, discriminator, lambda x: d.logit(x=x)["logit"]),
        )


def weights_of(block: Trainer, i: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """The block's i-th seed as numpy weights: the exported generator, G, D."""
    return block.export_weights(i), block.generator.seed_weights(i), block.discriminator.seed_weights(i)


@functools.cache
def _exported(g_input: int, g_hidden: int, g_layers: int, d_hidden: int) -> tuple[Any, Any]:
    def zeros(n_in: int, n_hidden: int, layers: int = 1) -> list[np.ndarray]:
        deeper = [(n_hidden, n_hidden), (n_hidden,)] * (layers - 1)
        shapes = [(n_in, n_hidden), (n_hidden,), *deeper, (n_hidden, 1), (1,)]
        return [np.zeros(shape, np.float32) for shape in shapes]

    generator = export.generator_net(zeros(g_input, g_hidden, g_layers))
    return generator, export.discriminator_net(zeros(1, d_hidden))


def score(
    p: Sections,
    real: np.ndarray,
    scored: np.ndarray,
    nets: Networks,
    null: np.ndarray,
    *,
    diverged: bool,
    epochs_done: int,
    critical_values: bool = True,
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """(scores, generated samples, G's own samples) of a trained run on the evaluation
    noise: evaluation.assess against the rows `scored` (data/scored.npy), plus how its
    training ended; `real`, the training rows, is the real distribution of a data file."""
    ev, model = p["evaluate"], p["model"]
    z = data.noise(ev.n_samples, model.g_input, ev.seed, model.noise)
    fake, raw_fake = nets.generate(z), nets.generate_raw(z)
    scores = evaluation.assess(
        scored,
        fake,
        raw_fake,
        nets.logit,
        dist=real_distribution(p["data"], real),
        null=null,
        critical_values=critical_values,
        **ev.model_dump(include={"level", "collapse_ratio", "collapse_atom", "off_modes_share"}),
        **p["metrics"].model_dump(),
    )
    scores.update(diverged=bool(diverged), epochs_done=int(epochs_done))
    scores["failure"] = evaluation.failure(scores)
    return scores, fake, raw_fake

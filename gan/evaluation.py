"""Everything `evaluate` reports about one generator, from arrays (no TensorFlow): the
distances of gan.metrics, the moments, D's view of real and fake samples, and the noise
floor that says whether the generated samples can be told from real ones at all."""

from __future__ import annotations

import numpy as np

from gan import metrics
from gan.distributions import Mixture

# The metrics whose noise floor decides `indistinguishable`.
VERDICT = ("wasserstein_1", "ks_statistic", "kl_divergence", "mean_error", "std_error")


def sigmoid(logit: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(logit, dtype=np.float64)))


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def sample_scores(real: np.ndarray, fake: np.ndarray, **bins) -> dict[str, float]:
    """Distances and moment errors of `fake` against `real`."""
    out = metrics.distances(real, fake, **bins)
    real_m, fake_m = metrics.moments(real), metrics.moments(fake)
    out.update({
        "fake_mean": fake_m["mean"],
        "fake_std": fake_m["std"],
        "fake_skewness": fake_m["skewness"],
        "fake_excess_kurtosis": fake_m["excess_kurtosis"],
        "mean_error": abs(fake_m["mean"] - real_m["mean"]),
        "std_error": abs(fake_m["std"] - real_m["std"]),
    })
    return out


def noise_floor(dist: Mixture, n_real: int, n_fake: int, *, repeats: int, quantile: float,
                seed: int, **bins) -> dict[str, float]:
    """The `quantile` of each VERDICT metric over `repeats` comparisons of two exact
    samples of `dist` with the sizes of the real/fake comparison: what a perfect
    generator scores at this sample size."""
    rng = np.random.default_rng(seed)
    rows = [sample_scores(dist.sample(n_real, rng), dist.sample(n_fake, rng), **bins)
            for _ in range(repeats)]
    return {key: float(np.quantile([row[key] for row in rows], quantile)) for key in VERDICT}


def verdict(scores: dict[str, float], floor: dict[str, float]) -> dict[str, object]:
    """Per metric: is the generator within the floor? And overall."""
    within = {key: bool(np.isfinite(scores[key]) and scores[key] <= floor[key]) for key in VERDICT}
    return {"within_floor": within, "indistinguishable": all(within.values())}


def largest_atom(samples: np.ndarray) -> float:
    """The share of samples on the most common single value. A continuous distribution
    has none; a ReLU generator gets one when all its hidden units are off for part of
    the noise, which it then maps to one point (its output bias)."""
    samples = np.asarray(samples).ravel()
    if not samples.size:
        return 0.0
    return float(np.unique(samples, return_counts=True)[1].max() / samples.size)


def score(real: np.ndarray, fake: np.ndarray, logit_real: np.ndarray, logit_fake: np.ndarray,
          *, dist: Mixture, collapse_ratio: float, collapse_atom: float,
          **bins) -> dict[str, object]:
    """The metrics of one generator. Losses are the tutorial's minimax pair, from the
    logit (see gan.losses), on the full real set and all generated samples.
    `mode_collapse`: the generated std is below `collapse_ratio` of the real one, a mode
    is missed, or more than `collapse_atom` of the samples sit on one single value."""
    out: dict[str, object] = sample_scores(real, fake, **bins)
    out.update(dist.mode_coverage(fake))
    out.update({
        "d_real_mean": float(np.mean(sigmoid(logit_real))),
        "d_fake_mean": float(np.mean(sigmoid(logit_fake))),
        "loss_d": float(np.mean(softplus(-logit_real)) + np.mean(softplus(logit_fake))),
        "loss_g": float(-np.mean(softplus(logit_fake))),
    })
    fake_std, real_std = out["fake_std"], float(np.std(real))
    out["largest_atom"] = largest_atom(fake)
    out["mode_collapse"] = bool(not np.isfinite(fake_std) or fake_std < collapse_ratio * real_std
                                or out["modes_captured"] < 1.0
                                or out["largest_atom"] > collapse_atom)
    return out

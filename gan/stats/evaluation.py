"""Everything `evaluate` reports about one generator, from arrays (no TensorFlow): the
distances of gan.stats.metrics, the moments, D's view of real and fake samples, and the test
that says whether the generated samples can be told from real ones at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gan.stats import metrics
from gan.stats.distributions import Mixture

import numpy as np

# The metrics the test of `indistinguishable` combines.
VERDICT_METRICS = ("wasserstein_1", "ks_statistic", "kl_divergence", "mean_error", "std_error")


def sigmoid(logit: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(logit, dtype=np.float64)))


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def verdict_scores(real: np.ndarray, fake: np.ndarray, **bins) -> dict[str, float]:
    """The distances of gan.stats.metrics and the errors of the mean and std: each of
    VERDICT_METRICS (NaN for non-finite fakes). Cheap: the test scores hundreds of samples."""
    out = metrics.distances(real, fake, **bins)
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    out["mean_error"] = float(abs(fake.mean() - real.mean()))
    out["std_error"] = float(abs(fake.std() - real.std()))
    return out


def sample_scores(real: np.ndarray, fake: np.ndarray, **bins) -> dict[str, float]:
    """verdict_scores, plus the moments of `fake`."""
    out = verdict_scores(real, fake, **bins)
    out.update({f"fake_{k}": v for k, v in metrics.moments(fake).items()})
    return out


def null_scores(
    dist: Mixture, real: np.ndarray, n_fake: int, *, repeats: int, seed: int, **bins
) -> np.ndarray:
    """The scores (rows: repeats, columns: VERDICT_METRICS) of `repeats` exact samples of
    the real distribution, each of `n_fake` points, against this one real set: what a perfect
    generator scores against *this* data. Holding the real set fixed is what makes the
    test calibrated for every data set, not only on average over them (docs/verdict.md)."""
    rng = np.random.default_rng([seed, 1])  # a stream apart from the noise of the same seed
    rows = [verdict_scores(real, dist.sample(n_fake, rng), **bins) for _ in range(repeats)]
    return np.array([[row[key] for key in VERDICT_METRICS] for row in rows])


def _p_values(table: np.ndarray) -> np.ndarray:
    """Per column, each row's share of rows scoring at least as high (itself included):
    the Monte Carlo p-value of every row against all the others."""
    ranked = np.sort(table, axis=0)
    n = len(table)
    at_least = [n - np.searchsorted(ranked[:, k], table[:, k], side="left") for k in range(table.shape[1])]
    return np.stack(at_least, axis=1) / n


def _joint_p(observed: np.ndarray, null: np.ndarray) -> tuple[float, np.ndarray]:
    """The joint p-value of `observed` (five scores) against the null, and its own
    per-metric p-values."""
    p = _p_values(np.vstack([observed, null]))
    smallest = p.min(axis=1)
    return float(np.mean(smallest <= smallest[0])), p[0]


def _critical_value(null: np.ndarray, k: int, level: float) -> float:
    """The smallest value of metric k that the test rejects when the other four metrics
    sit at their null medians (found by bisection over the null's own values, where the
    decision can change; inf if no value is rejected)."""
    typical = np.median(null, axis=0)
    candidates = np.append(np.sort(null[:, k]), np.inf)

    def rejected(value: float) -> bool:
        observed = typical.copy()
        observed[k] = value
        return _joint_p(observed, null)[0] <= level

    lo, hi = 0, len(candidates) - 1  # the answer's index; rejection only grows with k
    if not rejected(candidates[hi]):
        return float("inf")
    while lo < hi:
        mid = (lo + hi) // 2
        if rejected(candidates[mid]):
            hi = mid
        else:
            lo = mid + 1
    return float(candidates[lo])


def two_sample_test(
    scores: dict[str, float], null: np.ndarray, level: float, with_critical_values: bool = True
) -> dict[str, object]:
    """Could `scores` come from a perfect generator? A Monte Carlo test at `level` for the
    five VERDICT_METRICS together (min-p, as Westfall and Young):

    - each metric's p-value: the share of the samples (the null ones and the generator)
      scoring at least as badly as the generator;
    - the joint p-value: the share of samples whose *smallest* per-metric p-value is at
      most the generator's, every sample ranked against all the others the same way. So
      the five metrics together reject a perfect generator at most `level` of the time,
      and no metric needs its own correction.

    `critical_value` is, per metric, the score from which a generator is rejected when
    the other four sit at their null medians (just below it, it is not). Non-finite scores
    count as the worst possible. `with_critical_values=False` skips them (a bisection
    each), for callers that test thousands of samples.
    """
    observed = np.array([scores[key] for key in VERDICT_METRICS], dtype=np.float64)
    observed = np.where(np.isfinite(observed), observed, np.inf)
    joint, p = _joint_p(observed, null)
    out: dict[str, object] = {
        "p_value": joint,
        "p_values": {key: float(v) for key, v in zip(VERDICT_METRICS, p, strict=True)},
    }
    if with_critical_values:
        out["critical_value"] = {
            key: _critical_value(null, k, level) for k, key in enumerate(VERDICT_METRICS)
        }
    out["indistinguishable"] = joint > level
    return out


def largest_atom(samples: np.ndarray) -> float:
    """The share of samples on the most common single value. A continuous distribution
    has none; a ReLU generator gets one when all its hidden units are off for part of
    the noise, which it then maps to one point (its output bias)."""
    samples = np.asarray(samples).ravel()
    if not samples.size:
        return 0.0
    return float(np.unique(samples, return_counts=True)[1].max() / samples.size)


# D's slope may change by less than this (logit per unit of x) over the real data's
# range for D to count as blind: far above float32 rounding, far below a live ReLU's kink.
BLIND_KINK = 0.01


# D is looked at on two grids: over the data, to judge it blind, and over a wider view
# (mean +- 4 std) to draw it, in the training animation and in evaluate's figure.
def data_grid(real: np.ndarray, points: int = 1001) -> np.ndarray:
    """Points spanning the real samples, shape (points, 1), for judging D there."""
    real = np.asarray(real, np.float64)
    return np.linspace(real.min(), real.max(), points, dtype=np.float32)[:, None]


def view_grid(real: np.ndarray, points: int) -> np.ndarray:
    """Points over the real mean +- 4 std, shape (points, 1), for drawing D."""
    centre, scale = float(np.mean(real)), float(np.std(real))
    return np.linspace(centre - 4 * scale, centre + 4 * scale, points, dtype=np.float32)[:, None]


def discriminator_blind(grid: np.ndarray, logit_grid: np.ndarray) -> bool:
    """Is D's logit affine over the real data (no hidden unit switching on or off inside
    it)? Then D can tell G's mean at most, never its shape; when all its units are off
    there, it tells nothing, and G drifts. Seen at lr 0.05: every ReLU of D dead on the
    data, or only always-on ones left, while G sits shifted by a whole std."""
    x = np.asarray(grid, np.float64).ravel()
    slope = np.diff(np.asarray(logit_grid, np.float64).ravel()) / np.diff(x)
    return bool(np.ptp(slope) < BLIND_KINK)


def measure(
    real: np.ndarray,
    fake: np.ndarray,
    logit_real: np.ndarray,
    logit_fake: np.ndarray,
    *,
    dist: Mixture,
    collapse_ratio: float,
    collapse_atom: float,
    logit_grid: np.ndarray | None = None,
    **bins,
) -> dict[str, object]:
    """The metrics of one generator. Losses are the tutorial's minimax pair, from the
    logit (see gan.training.losses), on the full real set and all generated samples.
    `mode_collapse`: the generated std is below `collapse_ratio` of the real one, a mode
    is missed, or more than `collapse_atom` of the samples sit on one single value.
    `discriminator_blind` (given D's logit on `data_grid(real)`): see discriminator_blind."""
    out: dict[str, object] = sample_scores(real, fake, **bins)
    out.update(dist.mode_coverage(fake))
    out.update(
        {
            "d_real_mean": float(np.mean(sigmoid(logit_real))),
            "d_fake_mean": float(np.mean(sigmoid(logit_fake))),
            "loss_d": float(np.mean(softplus(-logit_real)) + np.mean(softplus(logit_fake))),
            "loss_g": float(-np.mean(softplus(logit_fake))),
        }
    )
    fake_std, real_std = out["fake_std"], float(np.std(real))
    out["largest_atom"] = largest_atom(fake)
    out["mode_collapse"] = bool(
        not np.isfinite(fake_std)
        or fake_std < collapse_ratio * real_std
        or out["modes_captured"] < 1.0
        or out["largest_atom"] > collapse_atom
    )
    if logit_grid is not None:
        out["discriminator_blind"] = discriminator_blind(data_grid(real), logit_grid)
    return out


# What `dvc exp show` and `dvc metrics diff` compare (reports/metrics.json). The rest of an
# evaluation (per-metric p-values and critical values, the raw generator, moments, losses) is in
# reports/evaluation.json: not a metrics file, so not a column each in `dvc exp show`.
HEADLINE = (
    "p_value",
    "indistinguishable",
    "wasserstein_1",
    "ks_statistic",
    "kl_divergence",
    "mean_error",
    "std_error",
    "d_real_mean",
    "d_fake_mean",
    "mode_collapse",
    "discriminator_blind",
    "diverged",
)
RAW_KEYS = (
    "wasserstein_1",
    "ks_statistic",
    "kl_divergence",
    "mean_error",
    "std_error",
    "fake_mean",
    "fake_std",
)


def assess(
    real: np.ndarray,
    fake: np.ndarray,
    raw_fake: np.ndarray,
    logit: Callable[[np.ndarray], np.ndarray],
    *,
    dist: Mixture,
    null: np.ndarray,
    level: float,
    collapse_ratio: float,
    collapse_atom: float,
    critical_values: bool = True,
    **bins,
) -> dict[str, Any]:
    """Everything known about one trained run, from its generated samples (`fake` from the
    exported generator, `raw_fake` from G itself, both on the evaluation noise) and D's
    logit: the one scoring path of the `evaluate` stage, the population and the gate."""
    grid = data_grid(real)
    out = measure(
        real,
        fake,
        logit(real),
        logit(fake),
        dist=dist,
        collapse_ratio=collapse_ratio,
        collapse_atom=collapse_atom,
        logit_grid=logit(grid),
        **bins,
    )
    out.update(two_sample_test(out, null, level, with_critical_values=critical_values))
    raw = sample_scores(real, raw_fake, **bins)
    raw_test = two_sample_test(raw, null, level, with_critical_values=False)
    out["raw"] = {
        **{k: raw[k] for k in RAW_KEYS},
        "p_value": raw_test["p_value"],
        "indistinguishable": raw_test["indistinguishable"],
    }
    return out


def split(scores: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(headline metrics, the rest) of an evaluation."""
    return (
        {k: scores[k] for k in HEADLINE if k in scores},
        {k: v for k, v in scores.items() if k not in HEADLINE},
    )

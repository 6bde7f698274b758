"""The verdict: could a generator's samples be exact samples of the real distribution?
A calibrated Monte Carlo two-sample test of five metrics together, against a null of
exact samples scored against the same real set (docs/verdict.md). numpy only."""

from __future__ import annotations

from gan.stats import metrics
from gan.stats.distributions import Distribution

import numpy as np

# The metrics the test combines.
METRICS = ("wasserstein_1", "ks_statistic", "kl_divergence", "mean_error", "std_error")


def scores(real: np.ndarray, fake: np.ndarray, **bins) -> dict[str, float]:
    """Each of METRICS: the distances of gan.stats.metrics and the errors of the mean and
    std (NaN for non-finite fakes). Cheap: the null scores hundreds of samples."""
    out = metrics.distances(real, fake, **bins)
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    out["mean_error"] = float(abs(fake.mean() - real.mean()))
    out["std_error"] = float(abs(fake.std() - real.std()))
    return out


def null_scores(
    dist: Distribution, real: np.ndarray, n_fake: int, *, repeats: int, seed: int, **bins
) -> np.ndarray:
    """The scores (rows: repeats, columns: METRICS) of `repeats` exact samples of
    the real distribution, each of `n_fake` points, against this one real set: what a perfect
    generator scores against *this* data. Holding the real set fixed is what makes the
    test calibrated for every data set, not only on average over them (docs/verdict.md)."""
    rng = np.random.default_rng([seed, 1])  # a stream apart from the noise of the same seed
    rows = [scores(real, dist.sample(n_fake, rng), **bins) for _ in range(repeats)]
    return np.array([[row[key] for key in METRICS] for row in rows])


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
    five METRICS together (min-p, as Westfall and Young):

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
    observed = np.array([scores[key] for key in METRICS], dtype=np.float64)
    observed = np.where(np.isfinite(observed), observed, np.inf)
    joint, p = _joint_p(observed, null)
    out: dict[str, object] = {
        "p_value": joint,
        "p_values": {key: float(v) for key, v in zip(METRICS, p, strict=True)},
    }
    if with_critical_values:
        out["critical_value"] = {key: _critical_value(null, k, level) for k, key in enumerate(METRICS)}
    out["indistinguishable"] = joint > level
    return out

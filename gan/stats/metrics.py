"""Distances between real and generated samples (numpy and scipy only, no TensorFlow).

The KL and JS divergences compare histograms on *shared* bin edges: `bins` equal bins over
real mean +- range_std * real std, values beyond counted in the outermost bins, and
`pseudocount` added to every bin count before normalising, so an empty bin costs a finite
amount. W1 and KS need no bins: they compare the two empirical CDFs,
computed here with numpy (the same numbers as scipy's `wasserstein_distance` and
`ks_2samp`, tested) because the verdict's null distribution scores hundreds of samples.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def around(samples: np.ndarray, k: float, points: int) -> np.ndarray:
    """`points` values evenly spread over the samples' mean +- k std: the histograms' bin
    edges, and the x axis every figure draws on (gan.stats.evaluation.view_grid)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    centre, scale = x.mean(), x.std()
    return np.linspace(centre - k * scale, centre + k * scale, points)


def shared_edges(real: np.ndarray, bins: int, range_std: float) -> np.ndarray:
    return around(real, range_std, bins + 1)


def histogram(samples: np.ndarray, edges: np.ndarray, pseudocount: float) -> np.ndarray:
    """Smoothed probabilities of each bin; samples outside the edges go to the end bins."""
    x = np.clip(np.asarray(samples, dtype=np.float64).ravel(), edges[0], edges[-1])
    counts, _ = np.histogram(x, bins=edges)
    smoothed = counts + pseudocount
    return smoothed / smoothed.sum()


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p || q) in nats of two probability vectors over the same bins."""
    return float(np.sum(p * np.log(p / q)))


def kl_from(
    real: np.ndarray, *, bins: int, range_std: float, pseudocount: float
) -> Callable[[np.ndarray], float]:
    """KL(real || fake) on the shared bins, as a function of the fake samples: the KL the
    training history logs at every row (the real histogram computed once)."""
    edges = shared_edges(real, bins, range_std)
    p_real = histogram(real, edges, pseudocount)
    return lambda fake: kl_divergence(p_real, histogram(fake, edges, pseudocount))


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence in nats: symmetric, bounded by ln 2."""
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


def ecdf_distances(real: np.ndarray, fake: np.ndarray) -> tuple[float, float]:
    """(W1, KS) between two samples: the area between and the largest gap between their
    empirical CDFs, both read at every point of the pooled sample."""
    a, b = np.sort(np.asarray(real, np.float64).ravel()), np.sort(np.asarray(fake, np.float64).ravel())
    pooled = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(a, pooled, side="right") / a.size
    cdf_b = np.searchsorted(b, pooled, side="right") / b.size
    gap = np.abs(cdf_a - cdf_b)
    return float(np.sum(gap[:-1] * np.diff(pooled))), float(gap.max())


def distances(
    real: np.ndarray, fake: np.ndarray, *, bins: int, range_std: float, pseudocount: float
) -> dict[str, float]:
    """Every real-vs-fake distance the project reports. Non-finite fakes give NaN."""
    real = np.asarray(real, dtype=np.float64).ravel()
    fake = np.asarray(fake, dtype=np.float64).ravel()
    if not np.all(np.isfinite(fake)):
        return dict.fromkeys(
            ["kl_divergence", "js_divergence", "wasserstein_1", "ks_statistic"], float("nan")
        )
    edges = shared_edges(real, bins, range_std)
    p, q = histogram(real, edges, pseudocount), histogram(fake, edges, pseudocount)
    w1, ks = ecdf_distances(real, fake)
    return {
        "kl_divergence": kl_divergence(p, q),
        "js_divergence": js_divergence(p, q),
        "wasserstein_1": w1,
        "ks_statistic": ks,
    }


def moments(samples: np.ndarray) -> dict[str, float]:
    """Mean, standard deviation, skewness and excess kurtosis of one sample (the biased
    moment estimators, as scipy.stats.skew and kurtosis compute them; NaN for a sample
    with no spread, whose shape is undefined)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    if not np.all(np.isfinite(x)):
        return dict.fromkeys(["mean", "std", "skewness", "excess_kurtosis"], float("nan"))
    d = x - x.mean()
    m2, m3, m4 = (float(np.mean(d**k)) for k in (2, 3, 4))
    flat = m2 <= 1e-30 * max(float(np.mean(x**2)), 1e-300)  # all one value, up to rounding
    return {
        "mean": float(x.mean()),
        "std": float(x.std()),
        "skewness": float("nan") if flat else m3 / m2**1.5,
        "excess_kurtosis": float("nan") if flat else m4 / m2**2 - 3.0,
    }

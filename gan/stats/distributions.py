"""The real distribution: N(mean, std), a mixture of Gaussians to show mode collapse, or
the user's own data (its training rows). Sampling, density, quantiles and, for the
built-in ones, modes, from the `data` params (numpy and scipy only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mixture:
    """A weighted sum of normals; a plain normal is the one-component case."""

    means: tuple[float, ...]
    stds: tuple[float, ...]
    weights: tuple[float, ...]

    @classmethod
    def from_params(cls, data) -> Mixture:
        if data.distribution == "normal":
            return cls((data.mean,), (data.std,), (1.0,))
        total = sum(data.mixture_weights)
        return cls(
            tuple(data.mixture_means),
            tuple(data.mixture_stds),
            tuple(w / total for w in data.mixture_weights),
        )

    def label(self) -> str:
        if len(self.means) == 1:
            return f"N({self.means[0]:g}, {self.stds[0]:g})"
        return " + ".join(
            f"{w:.2g} N({m:g}, {s:g})" for m, s, w in zip(self.means, self.stds, self.weights, strict=True)
        )

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n draws, float32, shape (n, 1). One component draws exactly as rng.normal does."""
        if len(self.means) == 1:
            return rng.normal(self.means[0], self.stds[0], size=(n, 1)).astype(np.float32)
        component = rng.choice(len(self.means), size=n, p=self.weights)
        x = rng.normal(np.take(self.means, component), np.take(self.stds, component))
        return x[:, None].astype(np.float32)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        from scipy import stats

        return sum(
            w * stats.norm.pdf(x, m, s) for m, s, w in zip(self.means, self.stds, self.weights, strict=True)
        )

    def ppf(self, probs: np.ndarray) -> np.ndarray:
        """Quantiles (inverse CDF), by interpolation on a fine grid for mixtures."""
        from scipy import stats

        if len(self.means) == 1:
            return stats.norm.ppf(probs, self.means[0], self.stds[0])
        lo = min(m - 8 * s for m, s in zip(self.means, self.stds, strict=True))
        hi = max(m + 8 * s for m, s in zip(self.means, self.stds, strict=True))
        grid = np.linspace(lo, hi, 20001)
        cdf = sum(
            w * stats.norm.cdf(grid, m, s)
            for m, s, w in zip(self.means, self.stds, self.weights, strict=True)
        )
        return np.interp(probs, cdf, grid)

    def modes(self, samples: np.ndarray) -> dict[str, float]:
        """The toy-GAN literature's mode metrics (VEEGAN, PacGAN; docs/metrics.md): a sample
        is high quality within 3 std of its nearest mode (nearest in stds); a mode is
        captured when it is the nearest of at least one high-quality sample; `mode_kl` is
        KL(generated mode shares || weights) over the high-quality samples (PacGAN's
        reverse KL, finite when a mode is missed); `emptiest_mode` is the least-filled
        mode's share of all samples over its weight (1 for the distribution itself)."""
        x = np.asarray(samples, dtype=np.float64).ravel()
        k = len(self.means)
        if not x.size or not np.all(np.isfinite(x)):
            nan = float("nan")
            return {
                "modes": k,
                "modes_captured": nan,
                "high_quality": nan,
                "mode_kl": nan,
                "emptiest_mode": nan,
            }
        distance = np.abs(x[:, None] - np.asarray(self.means)) / np.asarray(self.stds)
        nearest, high = distance.argmin(axis=1), distance.min(axis=1) <= 3.0
        counts = np.bincount(nearest[high], minlength=k)
        weights = np.asarray(self.weights)
        shares = counts / max(counts.sum(), 1)
        held = shares > 0
        kl = (
            float(np.sum(shares[held] * np.log(shares[held] / weights[held]))) if held.any() else float("inf")
        )
        fill = (counts / x.size)[weights > 0] / weights[weights > 0]
        return {
            "modes": k,
            "modes_captured": int(np.count_nonzero(counts)),
            "high_quality": float(np.mean(high)),
            "mode_kl": kl,
            "emptiest_mode": float(fill.min()),
        }


@dataclass(frozen=True, eq=False)
class Empirical:
    """The user's data (`data.distribution: file`) as the real distribution, known only by
    its training rows: a draw resamples them (a bootstrap), so the verdict's perfect
    generator is one that outputs training rows (docs/verdict.md). Its density is their
    Gaussian KDE and its quantiles theirs, for the figures. It has no modes."""

    rows: np.ndarray  # the training rows, shape (n, 1)
    source: str  # the file they came from

    def label(self) -> str:
        return f"{self.source} ({len(self.rows)} training rows)"

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n training rows drawn with replacement, float32, shape (n, 1)."""
        return np.asarray(self.rows, np.float32).reshape(-1, 1)[rng.integers(len(self.rows), size=n)]

    def pdf(self, x: np.ndarray) -> np.ndarray:
        from scipy import stats

        x = np.asarray(x, np.float64)
        return stats.gaussian_kde(np.ravel(self.rows).astype(np.float64))(x.ravel()).reshape(x.shape)

    def ppf(self, probs: np.ndarray) -> np.ndarray:
        return np.quantile(np.ravel(self.rows).astype(np.float64), probs)


Distribution = Mixture | Empirical


def real_distribution(data, real: np.ndarray) -> Distribution:
    """The distribution the `data` params describe: a Mixture, or for `file` the Empirical
    one of `real`, the training rows the `sample` stage split from data.path."""
    if data.distribution == "file":
        return Empirical(real, data.path)
    return Mixture.from_params(data)

"""Everything `evaluate` reports about one generator, from arrays (no TensorFlow): the
distances of gan.metrics, the moments, and D's view of real and fake samples."""

from __future__ import annotations

import numpy as np

from gan import metrics


def sigmoid(logit: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(logit, dtype=np.float64)))


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def score(real: np.ndarray, fake: np.ndarray, logit_real: np.ndarray, logit_fake: np.ndarray,
          *, bins: int, range_std: float, pseudocount: float) -> dict[str, float]:
    """The metrics of reports/metrics.json; losses are the tutorial's minimax pair, from
    the logit (see gan.losses) on the full real set and all generated samples."""
    out = metrics.distances(real, fake, bins=bins, range_std=range_std, pseudocount=pseudocount)
    real_m, fake_m = metrics.moments(real), metrics.moments(fake)
    out.update({
        "fake_mean": fake_m["mean"],
        "fake_std": fake_m["std"],
        "fake_skewness": fake_m["skewness"],
        "fake_excess_kurtosis": fake_m["excess_kurtosis"],
        "mean_error": abs(fake_m["mean"] - real_m["mean"]),
        "std_error": abs(fake_m["std"] - real_m["std"]),
        "d_real_mean": float(np.mean(sigmoid(logit_real))),
        "d_fake_mean": float(np.mean(sigmoid(logit_fake))),
        "loss_d": float(np.mean(softplus(-logit_real)) + np.mean(softplus(logit_fake))),
        "loss_g": float(-np.mean(softplus(logit_fake))),
    })
    return out

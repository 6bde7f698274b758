"""Everything `evaluate` reports about one generator, from arrays (no TensorFlow): the
distances of gan.stats.metrics, the moments, D's view of real and fake samples, the flags,
and the verdict of gan.stats.verdict; and where each number is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gan.stats import metrics, verdict
from gan.stats.distributions import Distribution

import numpy as np


def sigmoid(logit: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(logit, dtype=np.float64)))


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def sample_scores(real: np.ndarray, fake: np.ndarray, **bins) -> dict[str, float]:
    """The verdict's scores, plus the moments of `fake`."""
    out = verdict.scores(real, fake, **bins)
    out.update({f"fake_{k}": v for k, v in metrics.moments(fake).items()})
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
# (mean +- 4 std) where every figure draws it and the densities.
def data_grid(real: np.ndarray, points: int = 1001) -> np.ndarray:
    """Points spanning the real samples, shape (points, 1), for judging D there."""
    real = np.asarray(real, np.float64)
    return np.linspace(real.min(), real.max(), points, dtype=np.float32)[:, None]


def view_grid(real: np.ndarray, points: int) -> np.ndarray:
    """Points over the real mean +- 4 std, shape (points, 1), float32 (D's input)."""
    return metrics.around(real, 4.0, points).astype(np.float32)[:, None]


def discriminator_blind(grid: np.ndarray, logit_grid: np.ndarray) -> bool:
    """Is D's logit affine over the real data (no hidden unit switching on or off inside
    it)? Then D can tell G's mean at most, never its shape; when all its units are off
    there, it tells nothing, and G drifts (typical at lr 0.05)."""
    x = np.asarray(grid, np.float64).ravel()
    slope = np.diff(np.asarray(logit_grid, np.float64).ravel()) / np.diff(x)
    return bool(np.ptp(slope) < BLIND_KINK)


def measure(
    real: np.ndarray,
    fake: np.ndarray,
    logit_real: np.ndarray,
    logit_fake: np.ndarray,
    *,
    dist: Distribution,
    collapse_ratio: float,
    collapse_atom: float,
    off_modes_share: float,
    logit_grid: np.ndarray | None = None,
    **bins,
) -> dict[str, object]:
    """The metrics of one generator. Losses are the tutorial's minimax pair, from the
    logit (see gan.training.losses), on the full real set and all generated samples.
    `mode_collapse`: the generated std is below `collapse_ratio` of the real one, a mode
    holds less than half its weight (`emptiest_mode`), or more than `collapse_atom` of the
    samples sit on one single value. `off_modes` (a mixture of several modes): more than
    `off_modes_share` of the samples lie over 3 stds from every mode (real ones: 0.27%),
    e.g. one hump spread over all the modes, which collapses none of them.
    `discriminator_blind` (given D's logit on `data_grid(real)`): see discriminator_blind."""
    out: dict[str, object] = sample_scores(real, fake, **bins)
    out.update(dist.modes(fake) if hasattr(dist, "modes") else {})  # a data file has no modes
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
        or out.get("emptiest_mode", 1.0) < 0.5
        or out["largest_atom"] > collapse_atom
    )
    out["off_modes"] = bool(out.get("modes", 1) > 1 and 1.0 - out["high_quality"] > off_modes_share)
    if logit_grid is not None:
        out["discriminator_blind"] = discriminator_blind(data_grid(real), logit_grid)
    return out


# Where an evaluation's numbers go. The failures a run reports about itself:
FLAGS = ("mode_collapse", "off_modes", "discriminator_blind", "diverged")
# ... and, for a run that fails the verdict without one of them, what the verdict saw:
# each metric's name for a failure, given by the metrics with the smallest p-value.
REASONS = {
    "mode_collapse": "collapse",
    "off_modes": "off the modes",
    "discriminator_blind": "blind D",
    "diverged": "diverged",
    "mean_error": "shifted mean",
    "std_error": "wrong spread",
    "wasserstein_1": "wrong shape",
    "ks_statistic": "wrong shape",
    "kl_divergence": "wrong shape",
}
# reports/metrics.json, what `dvc exp show` and `dvc metrics diff` compare. The rest (per-metric
# p-values and critical values, the raw generator, moments, losses) goes to
# reports/evaluation.json: not a metrics file, so not a column each in `dvc exp show`.
HEADLINE = (
    "p_value",
    "indistinguishable",
    *verdict.METRICS,
    "modes_captured",
    "high_quality",
    "d_real_mean",
    "d_fake_mean",
    *FLAGS,
)
# The raw generator's numbers (G itself, not its moving average), under "raw".
RAW = (*verdict.METRICS, "fake_mean", "fake_std")
# A population's row (reports/population/runs.csv): enough to rank a run in the gate and to
# read the table; no timings, so the file's bytes depend only on code, data and params.
ROW = (
    "seed",
    "p_value",
    "indistinguishable",
    *verdict.METRICS,
    "fake_std",
    "modes_captured",
    "high_quality",
    "mode_kl",
    *FLAGS,
    "failure",
    "epochs_done",
    "raw_p_value",
    "raw_indistinguishable",
)


def assess(
    real: np.ndarray,
    fake: np.ndarray,
    raw_fake: np.ndarray,
    logit: Callable[[np.ndarray], np.ndarray],
    *,
    dist: Distribution,
    null: np.ndarray,
    level: float,
    collapse_ratio: float,
    collapse_atom: float,
    off_modes_share: float,
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
        off_modes_share=off_modes_share,
        logit_grid=logit(grid),
        **bins,
    )
    out.update(verdict.two_sample_test(out, null, level, with_critical_values=critical_values))
    raw = sample_scores(real, raw_fake, **bins)
    raw_test = verdict.two_sample_test(raw, null, level, with_critical_values=False)
    out["raw"] = {
        **{k: raw[k] for k in RAW},
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


def failure(scores: dict[str, Any]) -> str:
    """Why a run fails the verdict, in words ('' if it passes): its own flags if it raised
    any, else what the metrics with the smallest p-value say (a shifted mean, a wrong
    spread, a wrong shape), so that no failure goes unnamed (docs/metrics.md)."""
    if scores["indistinguishable"]:
        return ""
    named = [REASONS[flag] for flag in FLAGS if scores.get(flag)]
    if not named:
        p = scores["p_values"]
        named = [REASONS[key] for key in verdict.METRICS if p[key] == min(p.values())]
    return ", ".join(dict.fromkeys(named))


def row(scores: dict[str, Any], seed: int) -> dict[str, Any]:
    """An evaluation as a population's row (ROW; a data file's runs leave the mode columns empty)."""
    raw = {
        "raw_p_value": scores["raw"]["p_value"],
        "raw_indistinguishable": scores["raw"]["indistinguishable"],
    }
    flat = {**scores, **raw, "seed": seed}
    return {key: flat.get(key) for key in ROW}

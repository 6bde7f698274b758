"""Seed populations: what share of a configuration's training seeds pass the verdict,
with what certainty, how the others fail, and how far the runs' p-values are from those
of a perfect sampler (pure: the `population` stage, the gate and the sweep report)."""

from __future__ import annotations

import math
import statistics
from typing import Any

from gan.stats.evaluation import FLAGS


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a pass rate k / n (sound at 0 and n, unlike the
    normal approximation)."""
    if n == 0:
        return (0.0, 1.0)
    from scipy import stats

    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return (float(ci.low), float(ci.high))


def uniformity(p_values: list[float]) -> tuple[float, float]:
    """How far the runs' p-values are from Uniform(0, 1), the distribution a population of
    perfect samplers gives: the Kolmogorov-Smirnov statistic and its p-value."""
    from scipy import stats

    test = stats.kstest(list(p_values), "uniform")
    return float(test.statistic), float(test.pvalue)


def ecdf(p_values: list[float]) -> list[dict[str, float]]:
    """The p-values' empirical CDF, one row per run (sorted), beside the uniform one."""
    ordered = sorted(p_values)
    return [
        {"p_value": p, "runs_at_or_below": (i + 1) / len(ordered), "perfect_sampler": p}
        for i, p in enumerate(ordered)
    ]


def flagged(row: dict[str, Any]) -> bool:
    """Does the run report its own failure (any of evaluation.FLAGS)?"""
    return any(row.get(flag) for flag in FLAGS)


def outcome(row: dict[str, Any]) -> str:
    """'pass' (indistinguishable), 'flagged' (a failure the run reports, see `flagged`),
    or 'silent' (neither: a failure only the verdict shows)."""
    if row.get("indistinguishable"):
        return "pass"
    return "flagged" if flagged(row) else "silent"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Pass rate with its interval, failures by kind, median distances."""
    kinds = [outcome(row) for row in rows]
    n, passed = len(rows), kinds.count("pass")
    lo, hi = wilson(passed, n)

    def median(key: str) -> float | None:
        values = [row[key] for row in rows if row.get(key) is not None]
        return statistics.median(values) if values else None

    return {
        "runs": n,
        "passed": passed,
        "pass_rate": passed / n if n else None,
        "interval": [lo, hi],
        "flagged": kinds.count("flagged"),
        "silent": kinds.count("silent"),
        **{
            f"median_{key}": median(key)
            for key in ("p_value", "wasserstein_1", "ks_statistic", "kl_divergence")
        },
    }


def headline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A population's DVC metrics (reports/population.json): flat, and few, because each is a
    column of `dvc exp show` (the run count is the seeds param; every run is in runs.csv)."""
    s = summarise(rows)
    ks, _ = uniformity([row["p_value"] for row in rows])
    return {
        "pass_rate": s["pass_rate"],
        "pass_rate_low": s["interval"][0],
        "pass_rate_high": s["interval"][1],
        "flagged": s["flagged"],
        "silent": s["silent"],
        "median_p_value": s["median_p_value"],
        "p_uniformity_ks": ks,
        **{f"mean_{key}": _mean(rows, key) for key in ("modes_captured", "high_quality")},
    }


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    """The mean of a column over the runs where it is a number (None if none is)."""
    values = [row[key] for row in rows if isinstance(row.get(key), int | float) and math.isfinite(row[key])]
    return statistics.fmean(values) if values else None

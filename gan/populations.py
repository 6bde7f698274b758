"""Seed populations: what share of a configuration's training seeds pass the verdict,
with what certainty, and how the others fail (pure; used by tools/sweep.py and
tools/population.py)."""

from __future__ import annotations

import math
import statistics
from typing import Any


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a pass rate k / n (sound at 0 and n, unlike the
    normal approximation)."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def outcome(row: dict[str, Any], prefix: str = "") -> str:
    """'pass' (indistinguishable), 'flagged' (mode collapse, a blind discriminator or
    divergence: a failure the run reports), or 'silent' (neither: a failure only the
    verdict shows)."""
    if row.get(prefix + "indistinguishable"):
        return "pass"
    if row.get(prefix + "mode_collapse") or row.get("discriminator_blind") or row.get("diverged"):
        return "flagged"
    return "silent"


def summarise(rows: list[dict[str, Any]], prefix: str = "") -> dict[str, Any]:
    """Pass rate with its interval, failures by kind, median distances."""
    kinds = [outcome(row, prefix) for row in rows]
    n, passed = len(rows), kinds.count("pass")
    lo, hi = wilson(passed, n)

    def median(key: str) -> float | None:
        values = [row[prefix + key] for row in rows if row.get(prefix + key) is not None]
        return statistics.median(values) if values else None

    return {"runs": n, "passed": passed, "pass_rate": passed / n if n else None,
            "interval": [lo, hi], "flagged": kinds.count("flagged"), "silent": kinds.count("silent"),
            **{f"median_{key}": median(key) for key in ("wasserstein_1", "ks_statistic", "kl_divergence")}}


def line(name: str, s: dict[str, Any]) -> str:
    """One summary as a markdown table row: name, passed, interval, flagged, silent, medians."""
    def num(value):
        return "-" if value is None else f"{value:.4f}"

    rate = "-" if s["pass_rate"] is None else f"{100 * s['pass_rate']:.0f}%"
    return (f"| {name} | {s['passed']} of {s['runs']} ({rate}) | {100 * s['interval'][0]:.0f}-"
            f"{100 * s['interval'][1]:.0f}% | {s['flagged']} | {s['silent']} | "
            f"{num(s['median_wasserstein_1'])} | {num(s['median_ks_statistic'])} | "
            f"{num(s['median_kl_divergence'])} |")


HEADER = ("| configuration | indistinguishable | 95% interval (Wilson) | flagged | silent failures "
          "| median W1 | median KS | median KL |\n|---|---|---|---|---|---|---|---|")

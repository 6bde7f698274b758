"""The metrics gate: is a change at least as good as its baseline? Judged on seed
populations, not on one run, so a change that only reshuffles the random numbers passes
(pure logic; tools/check_metrics.py reads the populations the `population` stage wrote).

Two rules, both in metrics_gate.yaml (gan.infra.params.GateRules):
- an absolute floor: at least `min_pass_rate` of the change's seeds pass the verdict, so
  no chain of changes can drift below it however small each step;
- a relative test: the change's runs are not worse than the baseline's, by an exact
  one-sided rank test at `level` (its false-alarm rate on an equal-quality change).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from gan.stats import pass_rates

FLAGGED_RANK = (-1.0, 0.0)


def rank_key(run: dict[str, Any]) -> tuple[float, float]:
    """How good one run is, as a sortable key: the verdict's joint p-value, ties (runs at
    the test's smallest or largest p) broken by the smaller Wasserstein-1 distance.
    A flagged run (evaluation.FLAGS: collapse, off the modes, blind D, divergence) ranks
    below every other."""
    if pass_rates.flagged(run) or run.get("p_value") is None:
        return FLAGGED_RANK
    w1 = run.get("wasserstein_1")
    return (float(run["p_value"]), -float(w1) if w1 is not None and math.isfinite(w1) else -math.inf)


def _midranks(keys: list[Any]) -> list[Fraction]:
    """Ranks 1..n of sortable keys, tied keys sharing the mean of their ranks."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks: list[Fraction] = [Fraction(0)] * len(keys)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and keys[order[end + 1]] == keys[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def rank_test(change: list[Any], base: list[Any]) -> float:
    """Exact one-sided p-value that `change`'s keys are stochastically smaller (worse)
    than `base`'s: the share of all ways to pick len(change) of the pooled runs whose rank
    sum is at most the change's (Wilcoxon-Mann-Whitney, midranks for ties, counted by
    dynamic programming rather than approximated). Under an equal-quality change every
    split is equally likely, so P(p <= level) <= level."""
    m, n = len(change), len(base)
    if m == 0 or n == 0:
        raise ValueError("rank_test needs at least one run on each side")
    ranks = _midranks(list(change) + list(base))
    doubled = [int(2 * r) for r in ranks]  # midranks are halves: work in integers
    observed = sum(doubled[:m])
    # ways[k][s]: subsets of size k of the pooled runs with doubled rank sum s
    ways: list[dict[int, int]] = [dict() for _ in range(m + 1)]
    ways[0][0] = 1
    for value in doubled:
        for k in range(m, 0, -1):
            for s, count in ways[k - 1].items():
                ways[k][s + value] = ways[k].get(s + value, 0) + count
    at_most = sum(count for s, count in ways[m].items() if s <= observed)
    return at_most / math.comb(m + n, m)


def judge(
    change: list[dict[str, Any]], base: list[dict[str, Any]] | None, rules: dict[str, Any]
) -> dict[str, Any]:
    """The gate's verdict on a change's population (and the baseline's, when it has one):
    pass counts, the floor, the rank test's p-value and every violated rule."""
    n = len(change)
    need = math.ceil(rules["min_pass_rate"] * n - 1e-9)
    mine = pass_rates.summarise(change)
    found = []
    if n < rules.get("min_runs", 1):
        found.append(
            f"the change's population has {n} runs, at least {rules['min_runs']} are "
            f"needed to judge it (population.seeds in params.yaml)"
        )
    elif mine["passed"] < need:
        found.append(
            f"floor: {mine['passed']} of {n} runs pass the verdict, at least {need} "
            f"({rules['min_pass_rate']:.0%}) must"
        )
    p_value = None
    if base and n:
        p_value = rank_test([rank_key(r) for r in change], [rank_key(r) for r in base])
        if p_value <= rules["level"]:
            found.append(
                f"worse than the baseline: rank test p = {p_value:.4g} <= level "
                f"{rules['level']} (the change's runs rank below the baseline's)"
            )
    return {
        "change": mine,
        "base": pass_rates.summarise(base) if base else None,
        "min_passes": need,
        "p_value": p_value,
        "violations": found,
    }

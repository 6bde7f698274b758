"""Markdown tables: the experiments `make show` lists, and the metrics gate's report (pure)."""

from __future__ import annotations

from typing import Any


def cell(value: Any) -> str:
    if value is None:  # missing, or null (a non-finite number)
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def markdown(table: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A markdown table; `columns` are (key, header) pairs."""
    lines = [
        "| " + " | ".join(header for _, header in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in table:
        lines.append("| " + " | ".join(cell(row.get(key)) for key, _ in columns) + " |")
    return "\n".join(lines) + "\n"


POPULATION_HEADER = (
    "| population | indistinguishable | 95% interval (Wilson) | flagged | silent failures "
    "| median W1 | median KS | median KL |\n|---|---|---|---|---|---|---|---|"
)


def population_line(name: str, s: dict[str, Any]) -> str:
    """One population's summary (gan.stats.pass_rates.summarise) as a table row."""

    def num(value):
        return "-" if value is None else f"{value:.4f}"

    rate = "-" if s["pass_rate"] is None else f"{100 * s['pass_rate']:.0f}%"
    return (
        f"| {name} | {s['passed']} of {s['runs']} ({rate}) | {100 * s['interval'][0]:.0f}-"
        f"{100 * s['interval'][1]:.0f}% | {s['flagged']} | {s['silent']} | "
        f"{num(s['median_wasserstein_1'])} | {num(s['median_ks_statistic'])} | "
        f"{num(s['median_kl_divergence'])} |"
    )


def gate_report(verdict: dict[str, Any], baseline: str) -> str:
    """The gate's verdict (gan.stats.gate.judge): both populations as a table, then the
    verdict with its reasons."""
    lines = [POPULATION_HEADER, population_line("workspace", verdict["change"])]
    if verdict["base"]:
        lines.append(population_line(baseline, verdict["base"]))
    text = "\n".join(lines) + "\n\n"
    text += f"Floor: at least {verdict['min_passes']} of {verdict['change']['runs']} pass.\n"
    if verdict["p_value"] is None:
        text += f"Rank test: skipped, {baseline} has no population to compare with.\n"
    else:
        text += f"Rank test (is the workspace worse than {baseline}?): p = {verdict['p_value']:.4g}.\n"
    problems = verdict["violations"]
    text += (
        "\n**Metrics gate: failed**\n\n" + "\n".join(f"- {p}" for p in problems)
        if problems
        else "\n**Metrics gate: passed**"
    )
    return text + "\n"

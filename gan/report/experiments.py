"""Experiments as `dvc.api.exp_show()` lists them, made into rows, the columns worth
reading and a figure (pure; `make show` and the sweep report use them; the table itself
is gan.report.tables.markdown)."""

from __future__ import annotations

from typing import Any

from gan.infra.params import SECTIONS

# What a comparison of configurations reads first: the population, then the single run.
METRICS = [
    ("pass_rate", "pass rate"),
    ("pass_rate_low", "low"),
    ("pass_rate_high", "high"),
    ("flagged", "flagged"),
    ("silent", "silent"),
    ("median_p_value", "median p"),
    ("p_uniformity_ks", "KS vs uniform"),
    ("p_value", "run p"),
    ("wasserstein_1", "run W1"),
    ("mean_error", "run mean err"),
]
_INFO = {"Experiment", "rev", "typ", "Created", "parent", "State", "Executor"}


def _value(value: Any) -> Any:
    """exp_show's cells as Python values: it spells booleans "True"/"False" and counts
    as floats."""
    if value in ("True", "False"):
        return value == "True"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def rows(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per experiment and per commit that has metrics (not the workspace), named
    by the experiment's name or the commit's short hash."""
    out = []
    for entry in shown:
        if entry.get("rev") == "workspace" or (
            entry.get("pass_rate") is None and entry.get("p_value") is None
        ):
            continue
        row = {key: _value(value) for key, value in entry.items() if "/" not in key}
        row["name"] = entry.get("Experiment") or entry.get("rev")
        out.append(row)
    return out


def varying_params(table: list[dict[str, Any]]) -> list[str]:
    """The params whose value differs between the rows: what the comparison is about."""
    keys = [key for key in (table[0] if table else {}) if key.split(".")[0] in SECTIONS and key not in _INFO]
    return [key for key in keys if len({repr(row.get(key)) for row in table}) > 1]


def columns(table: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(key, header): the experiment's name, the params that vary, then METRICS."""
    return [("name", "experiment"), *[(key, key) for key in varying_params(table)], *METRICS]


def figure(table: list[dict[str, Any]]):
    """Each experiment's pass rate with its 95% Wilson interval, failures split by kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.6), layout="constrained")
    for y, row in enumerate(table):
        rate = row.get("pass_rate")
        if rate is None:
            continue
        ax.plot([row["pass_rate_low"], row["pass_rate_high"]], [y, y], color="grey", lw=3)
        ax.plot(rate, y, "o", color="tab:green" if rate >= 0.9 else "tab:orange", ms=8)
        ax.annotate(
            f"{100 * rate:.0f}%, flagged {row.get('flagged')}, silent {row.get('silent')}",
            (1.02, y),
            va="center",
            fontsize=8,
            xycoords=("axes fraction", "data"),
        )
    keys = varying_params(table)
    ax.set_yticks(
        range(len(table)),
        [" ".join(f"{k.split('.')[-1]}={row.get(k)}" for k in keys) + f" ({row['name']})" for row in table],
    )
    ax.invert_yaxis()
    ax.axvline(0.9, color="black", lw=0.8, ls=":")
    ax.set(
        xlim=(0, 1),
        xlabel="share of training seeds whose generator passes the verdict (95% Wilson interval)",
        title="Pass rate per configuration (dotted: 90%)",
    )
    ax.grid(alpha=0.3, axis="x")
    return fig

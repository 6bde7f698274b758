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
    ("mean_modes_captured", "modes"),
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


def rows(shown: list[dict[str, Any]], workspace: bool = False) -> list[dict[str, Any]]:
    """One row per experiment and per commit that has metrics (the workspace too if asked,
    named `workspace`), named by the experiment's name or the commit's short hash."""
    out = []
    for entry in shown:
        if (entry.get("rev") == "workspace" and not workspace) or (
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


def _label(row: dict[str, Any], keys: list[str], width: int = 40) -> str:
    """An experiment's tick label: the params that vary and its name, wrapped."""
    import textwrap

    words = [f"{key.split('.')[-1]}={row.get(key)}" for key in keys] + [f"({row['name']})"]
    return textwrap.fill(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False)


def figure(table: list[dict[str, Any]]):
    """Each experiment's pass rate with its 95% Wilson interval, failures split by kind.
    The figure is sized from its labels (wrapped at 40 characters), so neither they nor
    the counts on the right are cut off, however many params vary."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = varying_params(table)
    labels = [_label(row, keys) for row in table]
    counts = [
        f"{100 * row['pass_rate']:.0f}%, flagged {row.get('flagged')}, silent {row.get('silent')}"
        if row.get("pass_rate") is not None
        else "no population"
        for row in table
    ]
    lines = sum(max(1, label.count("\n") + 1) for label in labels)
    widest = max((len(line) for label in labels for line in label.splitlines()), default=0)
    # 10-point tick labels are at most about 0.085 inch a character; 5 inches for the data
    width = 0.5 + 0.085 * widest + 5.0 + 0.075 * max((len(c) for c in counts), default=0)
    height = 1.9 + 0.2 * lines + 0.25 * len(table)
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    for y, row in enumerate(table):
        rate = row.get("pass_rate")
        if rate is None:
            continue
        ax.plot([row["pass_rate_low"], row["pass_rate_high"]], [y, y], color="grey", lw=3)
        ax.plot(rate, y, "o", color="tab:green" if rate >= 0.9 else "tab:orange", ms=8)
    ax.set_yticks(range(len(table)), labels)
    ax.set_ylim(len(table) - 0.5, -0.5)  # the first experiment on top
    right = ax.twinx()  # the counts as tick labels: inside the layout, unlike annotations
    right.set_ylim(ax.get_ylim())
    right.set_yticks(range(len(table)), counts, fontsize=8)
    right.tick_params(length=0)
    ax.axvline(0.9, color="black", lw=0.8, ls=":")
    ax.set(
        xlim=(0, 1),
        xlabel="share of training seeds whose generator passes the verdict\n(95% Wilson interval)",
        title="Pass rate per configuration (dotted: 90%)",
    )
    ax.grid(alpha=0.3, axis="x")
    return fig

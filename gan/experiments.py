"""Read `dvc exp show --json` into flat rows, and draw a comparison (table and figure).
Pure functions, used by tools/sweep.py."""

from __future__ import annotations

from typing import Any

METRICS_FILE = "reports/metrics.json"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def rows(exp_show: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per experiment (and per baseline commit): name, params and metrics."""
    out = []

    def add(entry: dict[str, Any], name: str) -> None:
        data = entry.get("data") or {}
        params = ((data.get("params") or {}).get("params.yaml") or {}).get("data") or {}
        metrics = ((data.get("metrics") or {}).get(METRICS_FILE) or {}).get("data") or {}
        if metrics:
            out.append({"name": name, **_flatten(params), **_flatten(metrics)})

    for commit in exp_show:
        if commit.get("rev") == "workspace":
            continue
        add(commit, commit.get("name") or commit["rev"][:7])
        for group in commit.get("experiments") or []:
            for rev in group.get("revs") or []:
                add(rev, rev.get("name") or rev["rev"][:7])
    return out


def _cell(value: Any) -> str:
    if value is None:  # missing, or null (a non-finite number)
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def markdown(table: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A markdown table; `columns` are (key, header) pairs."""
    lines = ["| " + " | ".join(header for _, header in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for row in table:
        lines.append("| " + " | ".join(_cell(row.get(key)) for key, _ in columns) + " |")
    return "\n".join(lines) + "\n"


def figure(table: list[dict[str, Any]]):
    """W1, KS and KL of every run against its floor, the test's critical value (log
    scale), flags marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 0.35 * len(table) + 1.8), sharey=True,
                             layout="constrained")
    names = [row["name"] for row in table]
    for ax, key, label in zip(axes, ("wasserstein_1", "ks_statistic", "kl_divergence"),
                              ("W1", "KS statistic", "KL (shared bins)")):
        for y, row in enumerate(table):
            value = row.get(key)
            if value is None:
                continue
            bad = row.get("mode_collapse") or row.get("discriminator_blind") or row.get("diverged")
            colour = "tab:red" if bad else ("tab:green" if row.get("indistinguishable") else "tab:orange")
            ax.plot(value, y, "o", color=colour)
            raw = row.get(f"raw.{key}")
            if raw is not None and raw != value:
                ax.plot(raw, y, "x", color="grey")
            floor = row.get(f"floor.{key}")
            if floor is not None:
                ax.plot([floor, floor], [y - 0.4, y + 0.4], color="black", lw=1)
        ax.set(xscale="log", xlabel=f"{label} (log scale)", title=f"{label}: run vs floor (|)")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # no crowded labels
        ax.grid(alpha=0.3, which="both")
    axes[0].set_yticks(range(len(names)), names)
    axes[0].invert_yaxis()
    fig.suptitle("Sweep: green = indistinguishable, orange = not, red = flagged (collapse, "
                 "blind D, divergence); "
                 "x = raw generator", fontsize=9)
    return fig

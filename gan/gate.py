"""The metrics gate: compare `dvc metrics diff --json` against tolerances (pure logic;
tools/check_metrics.py runs DVC and prints)."""

from __future__ import annotations

import math
from typing import Any


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def violations(diff: dict[str, Any], rules: dict[str, Any]) -> list[str]:
    """What got worse beyond tolerance. `diff` is `dvc metrics diff --all --json` output."""
    changes = diff.get(rules["file"], {})
    found = []
    for key, tolerance in rules.get("numbers", {}).items():
        if key not in changes:
            found.append(f"{key}: missing from {rules['file']}")
            continue
        old, new = _number(changes[key].get("old")), _number(changes[key].get("new"))
        if math.isnan(new) and not math.isnan(old):
            found.append(f"{key}: {old:.4g} -> not a number")
        elif new - old > tolerance:
            found.append(f"{key}: {old:.4g} -> {new:.4g} (worse by {new - old:.4g}, "
                         f"tolerance {tolerance})")
    for key, bad in rules.get("flags", {}).items():
        if key not in changes:
            found.append(f"{key}: missing from {rules['file']}")
        elif changes[key].get("new") == bad and changes[key].get("old") != bad:
            found.append(f"{key}: {changes[key].get('old')} -> {bad}")
    return found


def markdown(diff: dict[str, Any], rules: dict[str, Any], baseline: str) -> str:
    """The guarded metrics as a markdown table: baseline, workspace, change."""
    changes = diff.get(rules["file"], {})

    def cell(value: Any) -> str:
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    lines = [f"| metric | {baseline} | workspace | change | guard |", "|---|---|---|---|---|"]
    for key, tolerance in rules.get("numbers", {}).items():
        c = changes.get(key, {})
        change = c.get("diff")
        lines.append(f"| {key} | {cell(c.get('old'))} | {cell(c.get('new'))} | "
                     f"{cell(change) if change is not None else '-'} | worse by > {tolerance} fails |")
    for key, bad in rules.get("flags", {}).items():
        c = changes.get(key, {})
        lines.append(f"| {key} | {c.get('old')} | {c.get('new')} | | becoming {bad} fails |")
    return "\n".join(lines) + "\n"

"""The metrics gate: is the workspace's configuration at least as good as a baseline
revision's? Judged on the `population` stage's seed populations, so a change that only
reshuffles the random numbers passes and a real regression fails (gan/stats/gate.py,
metrics_gate.yaml). Nothing is trained here: both populations are files, the workspace's
from `dvc repro` (refused if stale) and the baseline's as committed.

    make check-metrics                 # baseline: main
    make check-metrics BASELINE=HEAD~1 # or: .venv/bin/python -m tools.check_metrics --baseline REV

Prints both populations as a markdown table (also appended to $GITHUB_STEP_SUMMARY when
set) and exits 1 if a rule fails, 2 if it cannot judge.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from gan.infra.params import GateRules, ParamsError
from gan.report import tables
from gan.stats import gate

import yaml


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def read_rules(path: Path) -> GateRules:
    """metrics_gate.yaml, checked: a typo here must not switch the gate off."""
    try:
        return GateRules.parse(yaml.safe_load(path.read_text()), str(path))
    except (OSError, yaml.YAMLError, ParamsError) as error:
        fail(f"{path}: {error}" if str(path) not in str(error) else str(error))


def parse_runs(text: str) -> list[dict]:
    """A population's runs, as the stage's CSV holds them."""
    import pandas as pd

    return pd.read_csv(io.StringIO(text)).to_dict("records")


def baseline_population(revision: str, first: bool = False) -> list[dict] | None:
    """The population committed at `revision`, found through that revision's own rules
    (so renaming `file:` in a change cannot skip the comparison); None with `first`, or
    for a revision from before the population gate."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], capture_output=True, text=True
    )
    if done.returncode:
        fail(f"baseline '{revision}' is not a git revision here")

    def show(name: str) -> str | None:
        shown = subprocess.run(["git", "show", f"{revision}:{name}"], capture_output=True, text=True)
        return shown.stdout if shown.returncode == 0 else None

    their_rules = yaml.safe_load(show("metrics_gate.yaml") or "{}") or {}
    if not isinstance(their_rules, dict) or "file" not in their_rules:
        return None
    path = str(their_rules["file"])
    text = show(path)
    if text is None:
        if first:
            return None
        fail(
            f"baseline {revision} has a population gate but no {path}: its population was "
            f"never committed (commit one there, or pass --first to judge this change by "
            f"the floor alone)"
        )
    runs = parse_runs(text)
    if not runs:
        fail(f"{revision}:{path} holds no runs")
    return runs


def workspace_population(path: str) -> list[dict]:
    """The workspace's population, refused unless `dvc status` says it is current."""
    stale = subprocess.run(
        [sys.executable, "-m", "dvc", "status", "population", "--json"], capture_output=True, text=True
    )
    if stale.returncode or json.loads(stale.stdout or "{}"):
        fail(
            f"{path} does not describe the workspace's code and params: run `dvc repro` "
            f"(or `make repro`) first"
        )
    try:
        return parse_runs(Path(path).read_text())
    except OSError as error:
        fail(f"{path}: {error.strerror}: run `dvc repro` first")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--rules", type=Path, default=Path("metrics_gate.yaml"))
    parser.add_argument(
        "--first",
        action="store_true",
        help="the baseline has no committed population yet: judge by the floor alone",
    )
    args = parser.parse_args()
    rules = read_rules(args.rules)
    base = baseline_population(args.baseline, args.first)
    change = workspace_population(rules.file)
    verdict = gate.judge(change, base, rules.model_dump())
    report = f"### Metrics gate: workspace vs {args.baseline}\n\n{tables.gate_report(verdict, args.baseline)}"
    print(report)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as handle:
            handle.write(report)
    sys.exit(1 if verdict["violations"] else 0)


if __name__ == "__main__":
    main()

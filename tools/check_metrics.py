"""The metrics gate: is the workspace's configuration at least as good as a baseline
revision's? Judged on a population of training seeds, so a change that only reshuffles
the random numbers passes and a real regression fails (gan/gate.py, metrics_gate.yaml).

    make check-metrics                 # baseline: main
    make check-metrics BASELINE=HEAD   # or: .venv/bin/python -m tools.check_metrics --baseline REV

Trains and scores the gate's seeds with the workspace's code and params.yaml (as
`evaluate` scores the pipeline's run), writes them to reports/population.json (commit it:
it is the baseline of the next change), reads the baseline's from git, prints both as a
markdown table (also appended to $GITHUB_STEP_SUMMARY when set), and exits 1 if a rule
fails. The single pipeline run is compared by `dvc metrics diff`, for information only:
one seed is luck.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from gan import files, gate, params
from tools import population

# What each run keeps: enough to rank it and to read the table (no timings: the file's
# bytes depend only on code, data and params).
KEEP = ("seed", "p_value", "indistinguishable", "mode_collapse", "discriminator_blind",
        "diverged", "epochs_done", "wasserstein_1", "ks_statistic", "kl_divergence",
        "mean_error", "std_error")


def read_rules(path: Path) -> dict:
    """metrics_gate.yaml, checked: a typo here must not switch the gate off."""
    try:
        rules = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        sys.exit(f"error: cannot read the gate's rules {path}: {error}")
    if not isinstance(rules, dict):
        sys.exit(f"error: {path}: expected a mapping of rules, got {type(rules).__name__}")
    expected = {"file": str, "seeds": str, "min_pass_rate": float, "level": float}
    for key, kind in expected.items():
        value = rules.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            sys.exit(f"error: {path}: '{key}' must be a {kind.__name__}, got {value!r}")
    unknown = sorted(set(rules) - set(expected))
    if unknown:
        sys.exit(f"error: {path}: unknown keys {unknown} (known: {sorted(expected)})")
    if not 0.0 <= rules["min_pass_rate"] <= 1.0 or not 0.0 < rules["level"] < 1.0:
        sys.exit(f"error: {path}: min_pass_rate must be in [0, 1] and level in (0, 1)")
    try:
        rules["seed_list"] = population.seeds(rules["seeds"])
    except ValueError:
        sys.exit(f"error: {path}: seeds must look like '100-109' or '1,5,9', got {rules['seeds']!r}")
    return rules


def baseline_population(revision: str, path: str, first: bool = False) -> list[dict] | None:
    """The population committed at `revision`; None only if that revision predates the
    population gate (its metrics_gate.yaml names no seeds). The path comes from the
    baseline's own rules, so renaming `file:` in a change cannot skip the comparison."""
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"error: baseline '{revision}' is not a git revision here")

    def show(name: str) -> str | None:
        shown = subprocess.run(["git", "show", f"{revision}:{name}"], capture_output=True, text=True)
        return shown.stdout if shown.returncode == 0 else None

    their_rules = yaml.safe_load(show("metrics_gate.yaml") or "{}") or {}
    if not isinstance(their_rules, dict) or "seeds" not in their_rules:
        return None
    path = their_rules.get("file", path)
    text = show(path)
    if text is None and first:
        return None
    if text is None:
        sys.exit(f"error: baseline {revision} has a population gate but no {path}: its "
                 f"population was never committed (commit one there, or pass --first to "
                 f"judge this change by the floor alone)")
    runs = json.loads(text).get("runs") or []
    if not runs:
        sys.exit(f"error: {revision}:{path} holds no runs")
    return runs


def measure(rules: dict, jobs: int) -> list[dict]:
    """Train the gate's seeds with params.yaml and write them to the population file."""
    raw = params.read_yaml("params.yaml")
    for name in params.SECTIONS:
        params.parse_section(raw, name)  # a bad params.yaml stops here, before any work
    seeds = rules["seed_list"]
    print(f"training the gate's population: {len(seeds)} seeds ({rules['seeds']}), "
          f"{jobs} at a time", file=sys.stderr, flush=True)
    rows = sorted(({k: row[k] for k in KEEP} for row in population.run(raw, seeds, jobs)),
                  key=lambda row: row["seed"])
    files.write_json(rules["file"], {"seeds": rules["seeds"], "runs": rows})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--rules", type=Path, default=Path("metrics_gate.yaml"))
    parser.add_argument("--jobs", type=int, default=2, help="runs trained at once")
    parser.add_argument("--first", action="store_true", help="the baseline has no committed "
                        "population yet: judge by the floor alone")
    args = parser.parse_args()
    rules = read_rules(args.rules)
    base = baseline_population(args.baseline, rules["file"], args.first)
    change = measure(rules, args.jobs)
    verdict = gate.judge(change, base, rules)
    report = f"### Metrics gate: workspace vs {args.baseline}\n\n{gate.markdown(verdict, args.baseline)}"
    print(report)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as handle:
            handle.write(report)
    sys.exit(1 if verdict["violations"] else 0)


if __name__ == "__main__":
    main()

"""The metrics gate: is the workspace's pipeline at least as good as a baseline revision?

    make check-metrics                 # baseline: main
    make check-metrics BASELINE=HEAD   # or: .venv/bin/python -m tools.check_metrics --baseline REV

Runs `dvc metrics diff BASELINE --all --json`, prints the guarded metrics as a markdown
table (also appended to $GITHUB_STEP_SUMMARY when set), and exits 1 if a quality metric
got worse beyond the tolerances in metrics_gate.yaml.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import yaml

from gan import gate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--rules", default="metrics_gate.yaml")
    args = parser.parse_args()
    with open(args.rules) as handle:
        rules = yaml.safe_load(handle)
    done = subprocess.run([sys.executable, "-m", "dvc", "metrics", "diff", args.baseline,
                           "--all", "--json"], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"dvc metrics diff {args.baseline} failed:\n{done.stderr}")
    diff = json.loads(done.stdout or "{}")
    table = gate.markdown(diff, rules, args.baseline)
    problems = gate.violations(diff, rules)
    verdict = ("**Metrics gate: failed**\n\n" + "\n".join(f"- {p}" for p in problems)
               if problems else "**Metrics gate: passed**")
    report = f"### Metrics vs {args.baseline}\n\n{table}\n{verdict}\n"
    print(report)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as handle:
            handle.write(report)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

"""Run seed populations through DVC's own queue and compare them.

    make sweep [SEEDS=10]   # or: .venv/bin/python -m tools.sweep [--seeds 10] [--jobs 2] [--collect-only]

Queues (`dvc exp run --queue -S ...`) SEEDS training seeds (2000, 2001, ...: seeds no
default was tuned on) of each configuration: the defaults, the tutorial's own setup, and
the defaults at each learning rate of the convergence issue (1e-4 to 5e-3, and 0.05,
which must be flagged when it fails); starts `dvc queue start -j JOBS`, waits, then reads
`dvc exp show --json` and writes reports/sweep/results.md (per configuration: the pass
rate with its 95% Wilson interval, flagged and silent failures, median W1/KS/KL; then
every run), results.json and sweep.png. With the default 10 seeds: 90 runs, about 20
minutes on 2 cores; SEEDS=40 for the full populations.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from gan import experiments, files, params, populations

OUT = Path("reports/sweep")
FIRST_SEED = 2000  # the defaults were chosen on seeds 1000-1019 (docs/convergence.md)
CONFIGS: dict[str, list[str]] = {
    "defaults": [],
    "tutorial": params.tutorial_overrides(),
    **{f"lr{lr}": [f"train.lr={lr}"] for lr in ("1.0e-4", "2.0e-4", "1.0e-3", "2.0e-3", "5.0e-3",
                                                 "5.0e-2")},
}


def run_list(n_seeds: int) -> dict[str, list[str]]:
    """Every run: name -> its -S overrides, the same list on every machine."""
    return {f"{config}-s{seed}": [*sets, f"train.seed={seed}"] for config, sets in CONFIGS.items()
            for seed in range(FIRST_SEED, FIRST_SEED + n_seeds)}


def config_of(name: str) -> str:
    return name.rsplit("-s", 1)[0]


COLUMNS = [
    ("name", "run"), ("train.seed", "seed"), ("model.noise", "noise"),
    ("train.d_steps", "D steps"), ("train.lr", "lr"), ("wasserstein_1", "W1"), ("ks_statistic", "KS"),
    ("kl_divergence", "KL"), ("mean_error", "|mean err|"), ("std_error", "|std err|"),
    ("fake_std", "fake std"), ("p_value", "p"), ("indistinguishable", "indisting."),
    ("raw.wasserstein_1", "raw W1"), ("raw.indistinguishable", "raw indisting."),
    ("largest_atom", "largest atom"), ("mode_collapse", "collapse"), ("discriminator_blind", "blind D"),
    ("diverged", "diverged"),
]


# DVC's queue workers start `dvc` by name: the venv's bin folder must be on PATH.
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
       "DVC_NO_ANALYTICS": "1"}


def dvc(*args: str, check: bool = True) -> str:
    done = subprocess.run([sys.executable, "-m", "dvc", *args], capture_output=True, text=True,
                          env=ENV)
    if check and done.returncode:
        sys.exit(f"dvc {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def run_queue(runs: dict[str, list[str]], jobs: int) -> None:
    dvc("exp", "remove", *runs, check=False)
    for name, sets in runs.items():
        dvc("exp", "run", "--queue", "-n", name, *[arg for s in sets for arg in ("-S", s)])
        print(f"queued {name}: {' '.join(sets)}", flush=True)
    # The workers outlive this call: give them no pipe of ours to hold open.
    subprocess.run([sys.executable, "-m", "dvc", "queue", "start", "-j", str(jobs)], env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    started = time.monotonic()
    while True:
        status = dvc("queue", "status")
        waiting = sum(line.split()[-2:].count(word) for line in status.splitlines()
                      for word in ("Queued", "Running"))
        print(f"  {time.monotonic() - started:5.0f} s: {waiting} queued or running", flush=True)
        if not waiting:
            break
        time.sleep(15)
    failed = [line for line in dvc("queue", "status").splitlines() if "Failed" in line]
    if failed:
        print("failed runs (see `dvc queue logs NAME`):\n" + "\n".join(failed), file=sys.stderr)


def collect(runs: dict[str, list[str]]) -> list[dict]:
    table = [row for row in experiments.rows(json.loads(dvc("exp", "show", "--json")))
             if row["name"] in runs]
    table.sort(key=lambda row: list(runs).index(row["name"]))
    return table


def summary(table: list[dict], runs: dict[str, list[str]]) -> str:
    """Per configuration, over the runs that finished: the pass rate with its interval,
    failures by kind, median distances; and which runs of the list are missing."""
    lines = [populations.HEADER]
    for config in CONFIGS:
        rows = [row for row in table if config_of(row["name"]) == config]
        if rows:
            lines.append(populations.line(config, populations.summarise(rows)))
    missing = sorted(set(runs) - {row["name"] for row in table})
    if missing:
        lines.append(f"\nmissing (failed or not run): {', '.join(missing)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=int(os.environ.get("SEEDS") or 10),
                        help="training seeds per configuration (default: $SEEDS or 10)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--collect-only", action="store_true",
                        help="only read the finished experiments and write the report")
    args = parser.parse_args()
    runs = run_list(args.seeds)
    if not args.collect_only:
        run_queue(runs, args.jobs)
    table = collect(runs)
    if not table:
        sys.exit("no finished sweep experiments found")
    text = "# Sweep\n\n" + summary(table, runs) + "\n" + experiments.markdown(table, COLUMNS)
    files.write_bytes(OUT / "results.md", text.encode())
    files.write_json(OUT / "results.json", {"summary": {
        config: populations.summarise([r for r in table if config_of(r["name"]) == config])
        for config in CONFIGS}, "runs": table})
    from gan import figures

    figures.save(experiments.figure(table), OUT / "sweep.png")
    print(text)
    print(f"wrote {OUT}/results.md, results.json, sweep.png")


if __name__ == "__main__":
    main()

"""Run a sweep of configurations through DVC's own queue and compare them.

    make sweep            # or: .venv/bin/python -m tools.sweep [--jobs 2] [--collect-only]

Queues (`dvc exp run --queue -S ...`) ten training seeds of the defaults (0-4 are the
target, 5-9 check that it was not luck), five of the tutorial's own setup (uniform
noise, one D update per batch, no EMA), the learning rates 0.005 and 0.05 (0.05 for five
seeds), the non-saturating loss, and each default option switched off alone; starts
`dvc queue start -j JOBS`, waits, then reads `dvc exp show --json` and writes
reports/sweep/results.md, results.json and sweep.png.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from gan import experiments, files

OUT = Path("reports/sweep")
TARGET_SEEDS = range(5)  # the seeds issue 4's target is about
TUTORIAL = ["model.noise=uniform", "train.d_steps=1", "train.ema_decay=0.0"]
RUNS: dict[str, list[str]] = {
    **{f"default-s{s}": [f"train.seed={s}"] for s in range(10)},
    **{f"tutorial-s{s}": [*TUTORIAL, f"train.seed={s}"] for s in TARGET_SEEDS},
    **{f"lr0.05-s{s}": ["train.lr=0.05", f"train.seed={s}"] for s in TARGET_SEEDS},
    "lr0.005-s0": ["train.lr=0.005", "train.seed=0"],
    "nonsat-s0": ["train.loss=non_saturating", "train.seed=0"],
    "uniform-s0": ["model.noise=uniform", "train.seed=0"],
    "d1-s0": ["train.d_steps=1", "train.seed=0"],
    "ema-off-s0": ["train.ema_decay=0.0", "train.seed=0"],
}
COLUMNS = [
    ("name", "run"), ("train.seed", "seed"), ("model.noise", "noise"),
    ("train.d_steps", "D steps"), ("train.lr", "lr"), ("train.loss", "loss"),
    ("train.ema_decay", "EMA"), ("wasserstein_1", "W1"), ("ks_statistic", "KS"),
    ("kl_divergence", "KL"), ("mean_error", "|mean err|"), ("std_error", "|std err|"),
    ("fake_std", "fake std"), ("indistinguishable", "indisting."),
    ("raw.wasserstein_1", "raw W1"), ("raw.indistinguishable", "raw indisting."),
    ("largest_atom", "largest atom"), ("mode_collapse", "collapse"), ("diverged", "diverged"),
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


def run_queue(jobs: int) -> None:
    dvc("exp", "remove", *RUNS, check=False)
    for name, sets in RUNS.items():
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


def collect() -> list[dict]:
    table = [row for row in experiments.rows(json.loads(dvc("exp", "show", "--json")))
             if row["name"] in RUNS]
    table.sort(key=lambda row: list(RUNS).index(row["name"]))
    return table


def summary(table: list[dict]) -> str:
    """The sweep's answers in four lines, counted over the runs that finished."""
    def runs(prefix: str, seeds) -> list[dict]:
        names = {f"{prefix}-s{s}" for s in seeds}
        return [row for row in table if row["name"] in names]

    def count(rows: list[dict], test) -> str:
        return f"{sum(bool(test(row)) for row in rows)} of {len(rows)}"

    def flag(key: str):
        return lambda row: row.get(key)

    target, more = runs("default", TARGET_SEEDS), runs("default", range(5, 10))
    fast = runs("lr0.05", TARGET_SEEDS)
    return "\n".join([
        "- defaults, exported generator indistinguishable on all five floors: "
        f"{count(target, flag('indistinguishable'))} seeds (the target, 0-4); "
        f"{count(more, flag('indistinguishable'))} more seeds (5-9)",
        f"- the same runs' raw generator (no EMA): {count(target, flag('raw.indistinguishable'))} "
        "seeds (0-4)",
        "- the tutorial's setup (uniform noise, 1 D update per batch, no EMA): "
        f"{count(runs('tutorial', TARGET_SEEDS), flag('indistinguishable'))} seeds",
        "- lr 0.05 flagged (mode collapse or divergence): "
        f"{count(fast, lambda row: row.get('mode_collapse') or row.get('diverged'))} seeds "
        f"(collapse {count(fast, flag('mode_collapse'))}, diverged {count(fast, flag('diverged'))})",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--collect-only", action="store_true",
                        help="only read the finished experiments and write the report")
    args = parser.parse_args()
    if not args.collect_only:
        run_queue(args.jobs)
    table = collect()
    if not table:
        sys.exit("no finished sweep experiments found")
    text = "# Sweep\n\n" + summary(table) + "\n" + experiments.markdown(table, COLUMNS)
    files.write_bytes(OUT / "results.md", text.encode())
    files.write_json(OUT / "results.json", {"runs": table})
    from gan import figures

    figures.save(experiments.figure(table), OUT / "sweep.png")
    print(text)
    print(f"wrote {OUT}/results.md, results.json, sweep.png")


if __name__ == "__main__":
    main()

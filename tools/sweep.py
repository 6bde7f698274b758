"""Run seed populations through DVC's own queue, on one machine or many, and compare them.

    make sweep [SEEDS=10]               # every run here; writes reports/sweep/
    make sweep SHARD=2/4 [SEEDS=10]     # this machine's quarter: run, push to origin
    make sweep-collect [SEEDS=10]       # pull every pushed run of HEAD; writes reports/sweep/

The run list is SEEDS training seeds (2000, 2001, ...: seeds no default was tuned on) of
each configuration: the defaults, the tutorial's own setup, and the defaults at each
learning rate of the convergence issue (1e-4 to 5e-3, and 0.05, which must be flagged when
it fails). Every machine builds the same list; shard i of N takes runs i, i+N, i+2N, ...
Each run is a DVC experiment named `<configuration>-s<seed>` under the commit it ran from
(HEAD): runs of HEAD already finished here are kept and skipped, and no other commit's
experiments are ever touched.

A shard runs on a pushed commit without committing, pushes its finished runs to the git
remote `origin` and their outputs to the default DVC remote, checks that origin holds
them, records its failed runs on origin, and exits 1 if anything failed. The collector
pulls the runs' refs (`dvc exp pull --no-cache`: the metrics are in git), and writes the
report: per configuration the pass rate with its 95% Wilson interval, flagged and silent
failures, median W1/KS/KL; the failed and the missing runs; then every run
(reports/sweep/results.md, results.json, sweep.png). README: "Sweeps on many machines".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import yaml

from gan import experiments, files, params, populations
from tools import sweep_remote as remote
from tools.sweep_remote import dvc

OUT = Path("reports/sweep")
FIRST_SEED = 2000  # the defaults were chosen on seeds 1000-1019 (docs/convergence.md)
CONFIGS: dict[str, list[str]] = {
    "defaults": [],
    "tutorial": params.tutorial_overrides(),
    **{f"lr{lr}": [f"train.lr={lr}"] for lr in ("1.0e-4", "2.0e-4", "1.0e-3", "2.0e-3", "5.0e-3",
                                                 "5.0e-2")},
}


def run_list(n_seeds: int, configs: dict[str, list[str]] = CONFIGS,
             first_seed: int = FIRST_SEED) -> dict[str, list[str]]:
    """Every run: name -> its -S overrides, the same list on every machine."""
    return {f"{config}-s{seed}": [*sets, f"train.seed={seed}"] for config, sets in configs.items()
            for seed in range(first_seed, first_seed + n_seeds)}


def config_of(name: str) -> str:
    return name.rsplit("-s", 1)[0]


def parse_shard(text: str) -> tuple[int, int]:
    """'i/N' -> (i, N), 1 <= i <= N."""
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"SHARD must look like 2/4 (this machine's slice / how many), got {text!r}")
    if not 1 <= i <= n:
        raise ValueError(f"SHARD {text}: the slice must be between 1 and {n}")
    return i, n


def shard(runs: dict[str, list[str]], i: int, n: int) -> dict[str, list[str]]:
    """Runs i, i+N, i+2N, ... of the list (1-based): disjoint slices that cover it, each
    with a share of every configuration."""
    return dict(list(runs.items())[i - 1::n])


COLUMNS = [
    ("name", "run"), ("train.seed", "seed"), ("model.noise", "noise"),
    ("train.d_steps", "D steps"), ("train.lr", "lr"), ("wasserstein_1", "W1"), ("ks_statistic", "KS"),
    ("kl_divergence", "KL"), ("mean_error", "|mean err|"), ("std_error", "|std err|"),
    ("fake_std", "fake std"), ("p_value", "p"), ("indistinguishable", "indisting."),
    ("raw.wasserstein_1", "raw W1"), ("raw.indistinguishable", "raw indisting."),
    ("largest_atom", "largest atom"), ("mode_collapse", "collapse"), ("discriminator_blind", "blind D"),
    ("diverged", "diverged"),
]


def _tasks() -> dict[str, tuple[str, str]]:
    """Every entry of `dvc queue status`: task id -> (run name, state). The queue keeps
    entries of earlier sweeps with the same names, so a sweep follows its own task ids."""
    tasks = {}
    for line in dvc("queue", "status").splitlines():
        words = line.split()
        if len(words) >= 3 and words[-1] in STATES:
            tasks[words[0]] = (words[1], words[-1])
    return tasks


STATES = ("Queued", "Running", "Success", "Failed")


GRACE_SECONDS = 60


def run_queue(runs: dict[str, list[str]], jobs: int, timeout: float | None,
              skip: frozenset[str] = frozenset(),
              on_finished: Callable[[list[str]], None] | None = None) -> dict[str, str]:
    """Run the runs of this list that HEAD has not finished here (and not in `skip`),
    `jobs` at a time, then call `on_finished` with the runs that finished, whatever
    stopped the wait. (Not while the queue runs: a `dvc exp push` beside the workers'
    collection of their refs lost a finished run's ref here once.) Returns the runs
    that failed this time: name -> its log (`dvc queue logs`)."""
    sha = remote.baseline()
    done = remote.local_runs(sha)
    todo = {name: sets for name, sets in runs.items() if name not in done and name not in skip}
    print(f"{len(runs) - len(todo)} of {len(runs)} runs already finished on {sha[:7]}; "
          f"running {len(todo)}", flush=True)
    if not todo:
        return {}
    before = set(_tasks())
    for name, sets in todo.items():
        dvc("exp", "run", "--queue", "-n", name, *[arg for s in sets for arg in ("-S", s)])
    ours = {task: name for task, (name, _) in _tasks().items() if task not in before and name in todo}
    # The workers outlive this call: give them no pipe of ours to hold open.
    subprocess.run([sys.executable, "-m", "dvc", "queue", "start", "-j", str(jobs)], env=remote.ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    limit = timeout if timeout is not None else 600 + 300 * math.ceil(len(todo) / jobs)
    started = time.monotonic()
    failed: dict[str, str] = {}
    absent: dict[str, int] = {}

    try:
        while True:
            tasks = _tasks()
            for task in ours:  # a task between queue states can be missing for a moment
                absent[task] = 0 if task in tasks else absent.get(task, 0) + 1
            waiting = [t for t in ours if (tasks[t][1] in ("Queued", "Running") if t in tasks
                                           else absent[t] < 3)]
            print(f"  {time.monotonic() - started:5.0f} s: {len(ours) - len(waiting)} of "
                  f"{len(ours)} finished", flush=True)
            if not waiting:
                break
            if time.monotonic() - started >= limit:
                for task in waiting:
                    log = remote.dvc_run("queue", "logs", task)
                    failed[ours[task]] = (f"{log.stdout}{log.stderr}\nerror: timed out after "
                                          f"{limit:.0f} s (--timeout): stopped")
                    remote.dvc_run("queue", "kill", "--force", task)
                    remote.dvc_run("queue", "remove", task)
                print(f"timed out after {limit:.0f} s (--timeout): stopped "
                      f"{', '.join(ours[t] for t in waiting)}", file=sys.stderr)
                break
            time.sleep(min(15.0, 1.0 + (time.monotonic() - started) / 10))  # quick at first
        # A task can leave the queue's list, or read Success, a moment before its
        # experiment ref lands here: give every run not marked Failed a grace period.
        grace = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < grace:
            done, tasks = remote.local_runs(sha), _tasks()
            if all(name in done or name in failed or tasks.get(task, ("", ""))[1] == "Failed"
                   for task, name in ours.items()):
                break
            time.sleep(2)
    finally:
        landed = remote.local_runs(sha)
        if on_finished and any(name in landed for name in todo):
            on_finished([name for name in todo if name in landed])
    done, tasks = remote.local_runs(sha), _tasks()
    for task, name in ours.items():
        if name not in done and name not in failed:
            if tasks.get(task, ("", ""))[1] == "Success":
                failed[name] = ("error: lost: DVC's queue says Success, but no experiment ref "
                                "landed here; run the sweep again")
                continue
            log = remote.dvc_run("queue", "logs", task)
            failed[name] = "\n".join((log.stdout + log.stderr).splitlines()[-200:]) or "no log"
    for name in todo:  # queued, yet no task of ours ever showed it
        if name not in done and name not in failed and name not in ours.values():
            failed[name] = "error: lost: DVC's queue showed no task for this run"
    return {name: log for name, log in failed.items() if name not in done}


def collect(runs: dict[str, list[str]]) -> list[dict]:
    table = [row for row in experiments.rows(json.loads(dvc("exp", "show", "--json")))
             if row["name"] in runs]
    table.sort(key=lambda row: list(runs).index(row["name"]))
    return table


def summary(table: list[dict], runs: dict[str, list[str]],
            failed: dict[str, str] | None = None) -> str:
    """Per configuration, over the runs that finished: the pass rate with its interval,
    failures by kind, median distances; then the failed runs, and the runs of the list
    that are missing (not run yet, or not pushed yet)."""
    configs = dict.fromkeys(config_of(name) for name in runs)
    lines = [populations.HEADER]
    for config in configs:
        rows = [row for row in table if config_of(row["name"]) == config]
        if rows:
            lines.append(populations.line(config, populations.summarise(rows)))
    finished = {row["name"] for row in table}
    failed = {name: log for name, log in (failed or {}).items() if name not in finished}
    if failed:
        lines.append("\nfailed (`dvc queue logs NAME` on the machine that ran it):\n" +
                     "\n".join(f"- {name}: {remote.reason(log)}" for name, log in sorted(failed.items())))
    missing = [name for name in runs if name not in finished and name not in failed]
    if missing:
        lines.append(f"\nmissing (not run or not pushed yet): {', '.join(missing)}")
    return "\n".join(lines) + "\n"


def report(table: list[dict], runs: dict[str, list[str]], failed: dict[str, str]) -> None:
    """reports/sweep/: results.md, results.json, sweep.png."""
    text = "# Sweep\n\n" + summary(table, runs, failed) + "\n" + experiments.markdown(table, COLUMNS)
    configs = dict.fromkeys(config_of(name) for name in runs)
    files.write_bytes(OUT / "results.md", text.encode())
    files.write_json(OUT / "results.json", {"summary": {
        config: populations.summarise([r for r in table if config_of(r["name"]) == config])
        for config in configs}, "runs": table})
    from gan import figures

    figures.save(experiments.figure(table), OUT / "sweep.png")
    print(text)
    print(f"wrote {OUT}/results.md, results.json, sweep.png")


def best(table: list[dict]) -> dict | None:
    """The run the verdict likes most (highest p-value, then smallest W1)."""
    scored = [row for row in table if row.get("p_value") is not None]
    return max(scored, key=lambda r: (r["p_value"], -(r.get("wasserstein_1") or math.inf)),
               default=None)


def run_shard(runs: dict[str, list[str]], jobs: int, timeout: float | None) -> int:
    """Run this machine's slice, pushing each run as it finishes; runs origin already
    holds (a retry of the same shard) are neither run nor pushed again."""
    remote.preflight(push=True)
    sha = remote.baseline()
    on_origin = remote.remote_refs(remote.exp_prefix(sha))
    landed = [name for name in runs if name in on_origin]
    problems: list[str] = []

    def push(names: list[str]) -> None:
        pushed, found = remote.push(sha, names)
        landed.extend(pushed)
        problems.extend(found)
        for problem in found:
            print(f"error: {problem}", file=sys.stderr, flush=True)

    if landed:
        print(f"{len(landed)} of this shard's {len(runs)} runs are on {remote.REMOTE} already")
    push([name for name in runs if name in remote.local_runs(sha) and name not in on_origin])
    failed = run_queue(runs, jobs, timeout, skip=frozenset(on_origin), on_finished=push)
    remote.clear_failures(sha, landed)
    remote.record_failures(sha, failed)
    print(summary(collect(runs), runs, failed))
    print(f"{len(set(landed))} of this shard's {len(runs)} runs are on {remote.REMOTE} "
          f"(baseline {sha[:7]})")
    if problems:
        print(f"error: {len(problems)} run(s) not pushed (see above)", file=sys.stderr)
    if failed:
        print(f"error: {len(failed)} run(s) failed (recorded on {remote.REMOTE}): "
              f"{', '.join(sorted(failed))}", file=sys.stderr)
    return 1 if problems or failed else 0


def run_collect(runs: dict[str, list[str]]) -> int:
    sha = remote.baseline()
    if not remote.git("remote", "get-url", remote.REMOTE, check=False).strip():
        sys.exit(f"error: no git remote '{remote.REMOTE}' to collect from")
    theirs = remote.remote_refs(remote.exp_prefix(sha))
    print(f"{remote.REMOTE} holds {len(theirs)} runs of {sha[:7]}; pulling their refs", flush=True)
    dvc("exp", "pull", remote.REMOTE, "--no-cache")
    mine = remote.local_runs(sha)
    clashes = sorted(n for n in theirs if n in mine and mine[n] != theirs[n])
    table = collect(runs)
    report(table, runs, remote.failures(sha))
    others = sorted(set(remote.local_runs(sha)) - set(runs))
    if others:
        print(f"note: {len(others)} runs of {sha[:7]} are not in this list (e.g. {others[0]}): "
              f"did the shards use another SEEDS?")
    top = best(table)
    if top:
        ref = remote.exp_prefix(sha) + top["name"]
        print(f"best run: {top['name']} (highest p-value, then smallest W1: p "
              f"{top['p_value']:.3f}). Its models, without touching this workspace:\n"
              f"  .venv/bin/dvc get . models --rev {ref} -o sweep-best/{top['name']}")
        if remote.dvc_run("remote", "default").returncode:
            print("  (this needs the DVC remote here too: .venv/bin/dvc remote add --local -d "
                  "store URL)")
    for name in clashes:
        print(f"warning: {name} here differs from {remote.REMOTE}'s: the table shows this "
              f"machine's (dvc exp pull --force {remote.REMOTE} {name} takes origin's)",
              file=sys.stderr)
    return 0


def read_plan(path: Path) -> tuple[dict[str, list[str]], int]:
    """A custom run list: `configs: {name: [section.key=value, ...]}` and `first_seed`."""
    plan = yaml.safe_load(path.read_text())
    configs = plan.get("configs") if isinstance(plan, dict) else None
    if not isinstance(configs, dict) or not all(isinstance(v, list) for v in configs.values()):
        sys.exit(f"error: {path}: expected `configs:` mapping names to lists of overrides")
    return {str(k): [str(s) for s in v] for k, v in configs.items()}, int(plan.get("first_seed", FIRST_SEED))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=int(os.environ.get("SEEDS") or 10),
                        help="training seeds per configuration (default: $SEEDS or 10)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shard", help="i/N: run slice i of N and push it to origin")
    parser.add_argument("--collect", action="store_true",
                        help="pull every pushed run of HEAD from origin and write the report")
    parser.add_argument("--collect-only", action="store_true",
                        help="only read this machine's finished runs and write the report")
    parser.add_argument("--timeout", type=float, help="seconds to wait for the queue "
                        "(default: 600 + 300 per wave of JOBS runs)")
    parser.add_argument("--plan", type=Path, help="a YAML run list instead of the built-in one")
    args = parser.parse_args()
    configs, first = read_plan(args.plan) if args.plan else (CONFIGS, FIRST_SEED)
    if args.seeds < 1 or args.jobs < 1:
        sys.exit("error: --seeds and --jobs must be at least 1")
    runs = run_list(args.seeds, configs, first)
    raw = params.read_yaml("params.yaml")
    for name, sets in runs.items():  # a typo in an override fails here, not in every run
        bad = [s for s in sets if s.partition("=")[0].partition(".")[2]
               not in raw.get(s.partition(".")[0], {})]
        if bad:
            sys.exit(f"error: run {name}: unknown params {bad}")
    if args.collect:
        sys.exit(run_collect(runs))
    if args.shard:
        try:
            i, n = parse_shard(args.shard)
        except ValueError as error:
            sys.exit(f"error: {error}")
        sys.exit(run_shard(shard(runs, i, n), args.jobs, args.timeout))
    failed = {}
    if not args.collect_only:
        remote.preflight(push=False)
        failed = run_queue(runs, args.jobs, args.timeout)
    table = collect(runs)
    if not table:
        sys.exit("error: no finished sweep experiments found")
    report(table, runs, failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

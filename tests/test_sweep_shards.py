"""Sweeps on many machines, simulated offline on one: a bare git repository as `origin`, a
local folder as the DVC remote, one clone per machine (two shards, a collector, a clash),
the tiny configuration, and the real `dvc exp run --queue`, `exp push` and `exp pull`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.pipeline import commit_all, dvc, make_copy, run

pytestmark = pytest.mark.slow

PLAN = {"first_seed": 0, "configs": {"tiny": [], "fast": ["train.lr=1.0e-2"],
                                     "broken": ["evaluate.n_samples=0"]}}  # broken fails in check_params
SWEEP = [sys.executable, "-m", "tools.sweep", "--plan", "plan.yaml", "--seeds", "2", "--jobs", "2"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """origin.git holding the baseline commit on main, and an empty DVC remote."""
    root = tmp_path_factory.mktemp("site")
    base = make_copy(root / "base")
    (base / "plan.yaml").write_text(yaml.safe_dump(PLAN, sort_keys=False))
    commit_all(base, "the sweep's plan")
    run(["git", "init", "-q", "--bare", "-b", "main", str(root / "origin.git")], root)
    run(["git", "remote", "add", "origin", str(root / "origin.git")], base)
    run(["git", "push", "-q", "origin", "main"], base)
    (root / "store").mkdir()
    return root


def machine(site: Path, name: str, remote: bool = True, depth: int | None = None) -> Path:
    """A fresh full clone of origin, with the DVC remote in its --local config."""
    url = f"file://{site / 'origin.git'}" if depth else str(site / "origin.git")
    run(["git", "clone", "-q", *(["--depth", str(depth)] if depth else []), url, name], site)
    if remote:
        dvc("remote", "add", "--local", "-d", "store", str(site / "store"), cwd=site / name)
    return site / name


def remote_runs(site: Path) -> list[str]:
    refs = run(["git", "ls-remote", str(site / "origin.git"), "refs/exps/*"], site).stdout
    return sorted(line.rsplit("/", 1)[1] for line in refs.splitlines())


def test_two_shards_push_their_slices_and_a_collector_reports_every_run_once(site):
    """The whole round trip, with the failures a pool of machines meets: a failing run,
    a collector that reads before every shard is done, a broken model upload, a shard
    retried on a fresh machine, a run's models fetched, and a name clash."""
    first = machine(site, "shard1")
    done = run(SWEEP + ["--shard", "1/2"], first, check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # its broken run failed
    assert "1 run(s) failed (recorded on origin): broken-s0" in done.stderr
    assert "2 of this shard's 3 runs are on origin" in done.stdout
    assert remote_runs(site) == ["fast-s0", "tiny-s0"]

    collector = machine(site, "collector")
    early = run(SWEEP + ["--collect"], collector)  # while the second shard has not run yet
    assert "missing (not run or not pushed yet): tiny-s1, fast-s1, broken-s1" in early.stdout
    assert "- broken-s0: error: params.yaml: evaluate.n_samples: Input should be" in early.stdout

    # The second machine's DVC remote is broken at first: `dvc exp push` sends the refs
    # before the models, so the shard must fail and take the refs back ...
    second = machine(site, "shard2", remote=False)
    (site / "not-a-folder").write_text("a file where the DVC remote should be")
    dvc("remote", "add", "--local", "-d", "store", str(site / "not-a-folder" / "x"), cwd=second)
    done = run(SWEEP + ["--shard", "2/2"], second, check=False)
    assert done.returncode == 1 and "tiny-s1: `dvc exp push` failed" in done.stderr, done.stderr
    assert remote_runs(site) == ["fast-s0", "tiny-s0"]
    # ... and once it is fixed, the next try pushes the finished runs without training them
    dvc("remote", "modify", "--local", "store", "url", str(site / "store"), cwd=second)
    done = run(SWEEP + ["--shard", "2/2"], second, check=False)
    assert done.returncode == 1 and "broken-s1" in done.stderr, done.stdout + done.stderr
    assert "running 1" in done.stdout  # only the broken run again
    assert remote_runs(site) == ["fast-s0", "fast-s1", "tiny-s0", "tiny-s1"]

    retry = run(SWEEP + ["--shard", "1/2"], machine(site, "shard1-retry"), check=False)
    assert "2 of this shard's 3 runs are on origin already" in retry.stdout  # not run again
    assert retry.returncode == 1 and "running 1" in retry.stdout and "already has" not in retry.stderr

    final = run(SWEEP + ["--collect"], collector)  # repeated: safe, and now complete
    assert "missing" not in final.stdout
    results = json.loads((collector / "reports/sweep/results.json").read_text())
    assert sorted(r["name"] for r in results["runs"]) == ["fast-s0", "fast-s1", "tiny-s0", "tiny-s1"]
    assert results["summary"]["tiny"]["runs"] == 2 and results["summary"]["broken"]["runs"] == 0
    failed = final.stdout.split("failed (")[1].split("\n\n")[0]
    assert "- broken-s0:" in failed and "- broken-s1:" in failed

    # The command the collector prints fetches the best run's models from the DVC remote,
    # leaving the workspace (and the report just written) alone.
    best = final.stdout.split("best run: ")[1].split(" ")[0]
    command = final.stdout.split("without touching this workspace:\n")[1].splitlines()[0].split()
    assert command[:3] == [".venv/bin/dvc", "get", "."], command
    before = run(["git", "status", "--porcelain"], collector).stdout
    dvc(*command[1:], cwd=collector)
    assert run(["git", "status", "--porcelain"], collector).stdout == before
    out = run([sys.executable, "-c", "import numpy as np; from gan import export; "
               f"f = export.load_signature('sweep-best/{best}/generator'); "
               "print(np.asarray(list(f(z=np.zeros((3, 8), np.float32)).values())[0]).shape)"],
              collector)
    assert out.stdout.strip() == "(3, 1)", out.stdout + out.stderr

    # Two machines that ran the same run at once: same name and baseline, another commit.
    # `dvc exp push` then prints "diverged", pushes nothing and exits 0: the push must say so.
    sha = run(["git", "rev-parse", "HEAD"], collector).stdout.strip()
    ref = f"refs/exps/{sha[:2]}/{sha[2:]}/tiny-s0"
    theirs = run(["git", "rev-parse", ref], collector).stdout.strip()
    tree = run(["git", "rev-parse", f"{theirs}^{{tree}}"], collector).stdout.strip()
    other = run(["git", "commit-tree", tree, "-p", sha, "-m", "the same run, trained elsewhere"],
                collector).stdout.strip()
    run(["git", "update-ref", ref, other], collector)
    pushed = run([sys.executable, "-c", "from tools import sweep_remote as r; "
                  "print(r.push(r.baseline(), ['tiny-s0']))"], collector)
    assert pushed.stdout.startswith("([], ['tiny-s0: origin already has another run"), pushed.stdout
    assert run(["git", "ls-remote", str(site / "origin.git"), ref], site).stdout.startswith(theirs)


def test_a_shard_refuses_a_checkout_whose_runs_could_not_land(site):
    """Each refusal comes before any run is queued."""
    cases = {"no-remote": (dict(remote=False), "no default DVC remote"),
             "shallow": (dict(depth=1), "shallow clone")}
    for name, (kwargs, message) in cases.items():
        clone = machine(site, name, **kwargs)
        done = run(SWEEP + ["--shard", "1/2"], clone, check=False)
        assert done.returncode != 0 and message in done.stderr, name + done.stderr
        assert "running" not in done.stdout
    inside = machine(site, "remote-inside", remote=False)
    dvc("remote", "add", "--local", "-d", "store", "", cwd=inside)  # e.g. an unset CI secret
    done = run(SWEEP + ["--shard", "1/2"], inside, check=False)
    assert done.returncode != 0 and "is inside this checkout" in done.stderr, done.stderr
    local = machine(site, "local-commit")
    (local / "notes.txt").write_text("a commit only this machine has")
    commit_all(local, "local work")
    done = run(SWEEP + ["--shard", "1/2"], local, check=False)
    assert done.returncode != 0 and "is on no branch of 'origin'" in done.stderr
    (local / "params.yaml").write_text((local / "params.yaml").read_text() + "\n")
    done = run(SWEEP + ["--shard", "1/2"], local, check=False)
    assert done.returncode != 0 and "uncommitted changes" in done.stderr
    done = run(SWEEP + ["--shard", "3/2"], local, check=False)
    assert done.returncode != 0 and "between 1 and 2" in done.stderr


def test_one_machine_resumes_its_runs_and_never_touches_another_commits(tmp_path):
    """`make sweep` here: finished runs of HEAD are skipped, the report lists this list's
    failures once, a new commit's sweep leaves the old commit's runs alone, and a queue
    that outlives --timeout is stopped and reported."""
    repo = make_copy(tmp_path / "repo")
    (repo / "plan.yaml").write_text(yaml.safe_dump(
        {"first_seed": 0, "configs": {"tiny": [], "broken": ["evaluate.n_samples=0"]}}, sort_keys=False))
    commit_all(repo, "plan")
    local = [*SWEEP[:4], "plan.yaml", "--seeds", "1", "--jobs", "2"]
    first = run(local, repo, check=False)
    assert first.returncode == 1 and "running 2" in first.stdout, first.stdout + first.stderr
    again = run(local, repo, check=False)
    assert "1 of 2 runs already finished" in again.stdout and "running 1" in again.stdout
    report = (repo / "reports/sweep/results.md").read_text()
    assert report.count("- broken-s0: error: params.yaml: evaluate.n_samples") == 1
    old = run(["git", "rev-parse", "HEAD"], repo).stdout.strip()
    old_runs = run(["git", "for-each-ref", f"refs/exps/{old[:2]}/{old[2:]}"], repo).stdout
    assert "/tiny-s0" in old_runs

    (repo / "notes.txt").write_text("a new commit: a new baseline")
    commit_all(repo, "new baseline")
    stopped = run(local + ["--timeout", "0"], repo, check=False)
    assert stopped.returncode == 1 and "timed out after 0 s" in stopped.stderr, stopped.stderr
    assert "running 2" in stopped.stdout  # the new commit has none of the old one's runs
    assert run(["git", "for-each-ref", f"refs/exps/{old[:2]}/{old[2:]}"], repo).stdout == old_runs

"""The sweep tool refuses, before running anything, a checkout whose experiments could not
be shared: a shallow clone, or no DVC remote for a configuration that must be pushed."""

import subprocess
import sys
from pathlib import Path

from tests.pipeline import env, make_copy, run


def sweep(repo, *args):
    return subprocess.run(
        [sys.executable, "-m", "tools.sweep", *args], cwd=repo, capture_output=True, text=True
    )


def test_a_shallow_clone_is_refused_before_any_run(tmp_path):
    origin = make_copy(tmp_path / "origin")
    run(["git", "commit", "-q", "--allow-empty", "-m", "second"], origin)
    shallow = tmp_path / "shallow"
    run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow)], tmp_path)
    done = sweep(shallow, "train.lr=1.0e-3")
    assert done.returncode == 1 and "shallow clone" in done.stderr, done.stderr
    assert "Running stage" not in done.stdout + done.stderr


def test_one_configuration_without_a_dvc_remote_is_refused(tmp_path):
    repo = make_copy(tmp_path / "repo")
    done = sweep(repo, "--one", "--name", "x", "train.lr=1.0e-3")
    assert done.returncode == 1 and "no default DVC remote" in done.stderr, done.stderr
    assert "Running stage" not in done.stdout + done.stderr


def test_a_dvc_remote_inside_the_checkout_is_refused(tmp_path):
    """What an unset CI secret gives: `dvc remote add -d store ""` points at the checkout."""
    repo = make_copy(tmp_path / "repo")
    run([sys.executable, "-m", "dvc", "remote", "add", "--local", "-d", "store", ".."], repo)
    run([sys.executable, "-m", "dvc", "remote", "modify", "--local", "store", "url", "."], repo)
    done = sweep(repo, "--one", "--name", "x", "train.lr=1.0e-3")
    assert done.returncode == 1 and "inside this checkout" in done.stderr, done.stderr


def test_the_names_of_a_queued_grid_are_read_from_dvcs_own_words(tmp_path, monkeypatch):
    """A real `dvc exp run --queue` of a grid (nothing runs): sweep.QUEUED finds every name
    `dvc queue status` lists, and no other."""
    from tools import sweep as tool

    repo = make_copy(tmp_path / "repo")
    monkeypatch.chdir(repo)
    monkeypatch.setattr(tool, "ENV", {**tool.ENV, **env()})
    queued = tool.dvc("exp", "run", "--queue", *tool.settings(["train.epochs=2,3,4"]))
    names = tool.QUEUED.findall(queued)
    status = tool.dvc("queue", "status")
    tool.dvc("queue", "remove", "--all")
    assert len(names) == 3 and len(set(names)) == 3
    assert sorted(names) == sorted(line.split()[1] for line in status.splitlines() if "Queued" in line)


SHOWN = [  # dvc.api.exp_show() of HEAD after two sweeps (see tests/report/test_experiments.py)
    {"Experiment": None, "rev": "workspace", "typ": "baseline", "train.lr": 5e-4, "pass_rate": 0.75},
    {
        "Experiment": None,
        "rev": "main",
        "Created": "Dec 03, 2026",
        "train.lr": 5e-4,
        "train.d_steps": 5.0,
        "pass_rate": 0.75,
        "pass_rate_low": 0.53,
        "pass_rate_high": 0.89,
        "flagged": 0.0,
        "silent": 5.0,
    },
    *(
        {
            "Experiment": name,
            "rev": f"{i:07x}",
            "Created": f"0{i}:00 AM",
            "train.lr": lr,
            "train.d_steps": 5.0,
            "pass_rate": rate,
            "pass_rate_low": rate / 2,
            "pass_rate_high": (1 + rate) / 2,
            "flagged": 0.0,
            "silent": 1.0,
            "p_value": 0.5,
        }
        for i, (name, lr, rate) in enumerate(
            [("old-a", 1e-4, 0.9), ("old-b", 5e-3, 0.65), ("new-a", 2e-3, 0.9), ("new-b", 5e-2, 0.05)]
        )
    ),
]


def test_the_report_of_a_grid_lists_its_experiments_and_rewrites_the_same_bytes(tmp_path, monkeypatch):
    import dvc.api

    from tools import sweep as tool

    monkeypatch.setattr(dvc.api, "exp_show", lambda *args, **kwargs: SHOWN)
    table = tool.report(["new-a", "new-b"], tmp_path / "out")
    assert [row["name"] for row in table] == ["new-a", "new-b"]
    text = (tmp_path / "out/results.md").read_text()
    assert "new-a" in text and "new-b" in text and "old-a" not in text and "main" not in text
    written = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert sorted(written) == ["pass_rates.png", "results.json", "results.md"]
    assert b"Created" not in written["results.json"]  # its wording changes with the day
    tool.report(["new-a", "new-b"], tmp_path / "out")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == written
    everything = tool.report(None, tmp_path / "all")  # --report, --pull: every experiment of HEAD
    assert [row["name"] for row in everything] == ["main", "old-a", "old-b", "new-a", "new-b"]


def test_an_ad_hoc_report_goes_where_git_does_not_look():
    from tests.pipeline import ROOT
    from tools import sweep as tool

    ignored = run(["git", "check-ignore", "-q", str(tool.OUT / "results.md")], ROOT, check=False)
    assert ignored.returncode == 0, f"{tool.OUT}/ is not ignored by git"
    committed = run(["git", "ls-files", "reports/sweep"], ROOT).stdout.split()
    assert not any(Path(name).is_relative_to(tool.OUT) for name in committed)

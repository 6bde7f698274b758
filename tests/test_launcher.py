"""stages/run, the launcher DVC calls: it finds the project's venv, and refuses one that
was installed from another requirements.lock (another project's, or a stale one)."""

import os
import shutil
import subprocess

from tests.pipeline import ROOT


def checkout(tmp_path, venv_lock: str | None):
    repo = tmp_path / "project"
    (repo / "stages").mkdir(parents=True)
    shutil.copy(ROOT / "stages/run", repo / "stages/run")
    (repo / "requirements.lock").write_text("numpy==2.0\n")
    python = tmp_path / ".venv/bin/python"  # in an ancestor, as for queued experiments
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho ran "$@"\n')
    python.chmod(0o755)
    if venv_lock is not None:
        (tmp_path / ".venv/requirements.lock").write_text(venv_lock)
    return repo


def launch(repo):
    env = {k: v for k, v in os.environ.items() if k != "GAN_PYTHON"}
    return subprocess.run(["sh", "stages/run", "train"], cwd=repo, env=env, capture_output=True, text=True)


def test_a_venv_installed_from_this_lock_runs_the_stage(tmp_path):
    done = launch(checkout(tmp_path, "numpy==2.0\n"))
    assert done.returncode == 0 and done.stdout.strip() == "ran -m stages.train", done.stderr


def test_a_venv_of_another_lock_or_of_none_is_refused_in_one_line(tmp_path):
    for lock in ("numpy==1.0\n", None):
        shutil.rmtree(tmp_path / ".venv", ignore_errors=True)
        shutil.rmtree(tmp_path / "project", ignore_errors=True)
        done = launch(checkout(tmp_path, lock))
        assert done.returncode == 2 and "ran" not in done.stdout
        assert "was not installed from this checkout's requirements.lock" in done.stderr
        assert "make setup" in done.stderr and len(done.stderr.strip().splitlines()) == 1

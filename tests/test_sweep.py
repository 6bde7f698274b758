"""The sweep tool refuses, before running anything, a checkout whose experiments could not
be shared: a shallow clone, or no DVC remote for a configuration that must be pushed."""

import subprocess
import sys

from tests.pipeline import make_copy, run


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

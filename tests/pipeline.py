"""Helpers for tests that run the real pipeline in a temporary copy of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

TINY = {
    "data": {
        "distribution": "normal",
        "path": "data/example.csv",
        "holdout": 0.25,
        "n_samples": 200,
        "mean": 0.0,
        "std": 1.0,
        "mixture_means": [-2.0, 2.0],
        "mixture_stds": [0.5, 0.5],
        "mixture_weights": [0.5, 0.5],
        "seed": 1,
    },
    "model": {
        "d_hidden": 8,
        "g_input": 8,
        "g_hidden": 4,
        "g_layers": 1,
        "noise": "normal",
        "g_init": "linear",
        "g_init_margin": 2.5,
    },
    "train": {
        "loss": "minimax",
        "ema_decay": 0.9,
        "d_steps": 2,
        "lr": 5.0e-3,
        "d_lr_ratio": 2.0,
        "beta_1": 0.5,
        "lr_decay": 0.3,
        "r1_gamma": 0.1,
        "lookahead_k": 3,
        "lookahead_alpha": 0.5,
        "xla": False,
        "batch_size": 64,
        "epochs": 40,
        "seed": 0,
        "log_every": 5,
        "snapshot_every": 10,
        "checkpoint_every": 20,
        "keep_checkpoints": 2,
    },
    "metrics": {"bins": 20, "range_std": 4.0, "pseudocount": 0.5},
    "evaluate": {
        "n_samples": 2000,
        "seed": 7,
        "null_repeats": 99,
        "level": 0.05,
        "collapse_ratio": 0.5,
        "collapse_atom": 0.1,
        "off_modes_share": 0.05,
    },
    "population": {"seeds": "0-2", "block": 2, "workers": 1},  # seed 0 is the pipeline's own run
}


def env() -> dict[str, str]:
    return {
        **os.environ,
        "GAN_PYTHON": sys.executable,
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }


def run(
    args: list[str], cwd: Path, check: bool = True, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env={**env(), **(extra or {})}, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def dvc(
    *args: str, cwd: Path, check: bool = True, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "dvc", *args], cwd=cwd, check=check, extra=extra)


def make_copy(dest: Path, params: dict | None = None) -> Path:
    """The repository's tracked files (no outputs, no dvc.lock) in a fresh git repo."""
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        if name == "dvc.lock" or name.startswith(("reports/", "benchmarks/", ".github/")):
            continue
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / "params.yaml").write_text(yaml.safe_dump(params or TINY, sort_keys=False))
    run(["git", "init", "-q", "-b", "main"], dest)
    run(["git", "add", "-A"], dest)
    run(["git", "commit", "-qm", "copy"], dest)
    return dest


def commit_all(cwd: Path, message: str) -> None:
    run(["git", "add", "-A"], cwd)
    run(["git", "commit", "-qm", message], cwd)


def reproduced_copy(dest: Path) -> Path:
    """make_copy, `dvc repro`, and the outputs committed: a project as after `make repro`."""
    repo = make_copy(dest)
    dvc("repro", cwd=repo)
    commit_all(repo, "pipeline outputs")
    return repo


def private_copy(project: Path, tmp_path: Path) -> Path:
    """A copy of a reproduced project, for a test that changes it."""
    dest = tmp_path / "ws"
    shutil.copytree(project, dest, symlinks=True)
    return dest

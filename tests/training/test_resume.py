"""Fault injection: a `train` stage killed in the middle (SIGKILL, SIGTERM) and run again
resumes from its checkpoint and ends with the same bytes as an uninterrupted run."""

import copy
import shutil
import signal
import subprocess
import sys
import time

import pytest
import yaml

from tests.pipeline import TINY, env, make_copy

pytestmark = pytest.mark.slow

PARAMS = copy.deepcopy(TINY)
PARAMS["train"].update(
    epochs=4000, log_every=50, snapshot_every=500, checkpoint_every=250, keep_checkpoints=2
)
OUTPUTS = [
    "models/generator",
    "models/generator_raw",
    "models/discriminator",
    "reports/frames.npz",
    "reports/train",
]


def train(repo, **extra):
    return subprocess.Popen(
        [sys.executable, "-m", "stages.train"],
        cwd=repo,
        env={**env(), **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def outputs(repo):
    found = {}
    for name in OUTPUTS:
        path = repo / name
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file():
                found[str(f.relative_to(repo))] = f.read_bytes()
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    repo = make_copy(tmp_path_factory.mktemp("ref"), PARAMS)
    subprocess.run([sys.executable, "-m", "stages.sample"], cwd=repo, env=env(), check=True)
    done = train(repo)
    assert done.wait(timeout=300) == 0, done.stdout.read()
    return repo, outputs(repo)


def newest_checkpoint(repo) -> int:
    states = list((repo / "models/checkpoints").glob("*/checkpoint"))  # one configuration
    if not states:
        return 0
    line = states[0].read_text().splitlines()[0]
    return int(line.rsplit("-", 1)[1].strip('"'))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_resumes_to_identical_outputs(reference, tmp_path, sig):
    ref_repo, expected = reference
    repo = make_copy(tmp_path, PARAMS)
    (repo / "data").mkdir(exist_ok=True)
    (repo / "data/real.npy").write_bytes((ref_repo / "data/real.npy").read_bytes())
    first = train(repo)
    deadline = time.monotonic() + 240
    while newest_checkpoint(repo) < 500 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "training finished before it could be interrupted"
    first.send_signal(sig)
    code = first.wait(timeout=60)
    log = first.stdout.read()
    if sig == signal.SIGTERM:
        assert code == 130 and "interrupted; saved" in log, log
    assert newest_checkpoint(repo) < PARAMS["train"]["epochs"]
    second = train(repo)
    assert second.wait(timeout=300) == 0
    log = second.stdout.read()
    assert "resuming from ckpt-" in log, log
    assert outputs(repo) == expected


def test_checkpoint_of_other_params_is_not_resumed(reference, tmp_path):
    ref_repo, _ = reference
    repo = make_copy(tmp_path, PARAMS)
    (repo / "data").mkdir(exist_ok=True)
    (repo / "data/real.npy").write_bytes((ref_repo / "data/real.npy").read_bytes())
    shutil.copytree(ref_repo / "models/checkpoints", repo / "models/checkpoints")
    raw = yaml.safe_load((repo / "params.yaml").read_text())
    raw["train"]["lr"] = 1.0e-3
    raw["train"]["epochs"] = 100
    (repo / "params.yaml").write_text(yaml.safe_dump(raw))
    done = train(repo)
    assert done.wait(timeout=300) == 0
    log = done.stdout.read()
    assert "starting fresh" in log and "kept for other data, params or code" in log, log

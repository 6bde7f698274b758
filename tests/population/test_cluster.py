"""Where a population runs: a malformed scheduler address is refused at once, in one line
naming the variable and the expected form, not reported as a connection timeout."""

import subprocess
import sys
import time

from gan.population import cluster

import numpy as np
import pytest

from tests.pipeline import env, make_copy

MALFORMED = [
    "foo",
    "foo:8786",
    "tcp://foo",
    "tcp://host:port",
    "tcp://host:0",
    "http://host:8786",
    "tcp://:8786",
]


@pytest.fixture
def scheduler_address(monkeypatch):
    """Set DASK_SCHEDULER_ADDRESS as a user's shell would, for Dask's config."""
    import dask

    def set_to(address: str) -> None:
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
        dask.config.refresh()

    yield set_to
    monkeypatch.undo()
    dask.config.refresh()


@pytest.mark.parametrize("address", MALFORMED)
def test_a_malformed_address_is_refused_before_any_connection(scheduler_address, address):
    scheduler_address(address)
    assert cluster.scheduler_address() == address
    started = time.monotonic()
    with pytest.raises(cluster.ClusterError) as info, cluster.connect(1):
        pass
    assert time.monotonic() - started < cluster.CONNECT_TIMEOUT_S / 2
    message = str(info.value)
    assert (
        "\n" not in message and f"DASK_SCHEDULER_ADDRESS (Dask's scheduler-address) is {address!r}" in message
    )
    assert "expected tcp://HOST:PORT" in message


@pytest.mark.parametrize(
    "address", ["tcp://10.0.0.5:8786", "tcp://host.example:8786", "tcp://[::1]:8786", "tls://h:1"]
)
def test_a_well_formed_address_passes_the_check(address):
    cluster.check_address(address)


def test_the_stage_says_it_in_one_line_at_once(tmp_path):
    repo = make_copy(tmp_path)
    (repo / "data").mkdir(exist_ok=True)
    for name in ("real", "scored"):
        np.save(repo / f"data/{name}.npy", np.random.default_rng(0).normal(size=(200, 1)).astype(np.float32))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "stages.population"],
        cwd=repo,
        env={**env(), "DASK_SCHEDULER_ADDRESS": "foo"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and time.monotonic() - started < cluster.CONNECT_TIMEOUT_S, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: DASK_SCHEDULER_ADDRESS (Dask's scheduler-address) is 'foo': expected tcp://HOST:PORT, "
        "e.g. tcp://10.0.0.5:8786; unset it to use this machine's cores"
    ]
    assert not (repo / "reports/population.json").exists()


def _train(seeds):
    return list(seeds)


def _score(trained, shared):
    return [{"seed": seed, "shared": shared} for seed in trained]


def test_every_worker_behind_a_row_is_checked_the_shared_values_too():
    """A row is computed by the block's training worker, its scoring worker, and the
    worker of each shared value (the verdict's null): a mismatch in any refuses the run."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        with Client(local) as client:
            shared = cluster.computed(client, lambda: 7)
            rows = cluster.run_blocks(
                client, _train, _score, [(3, 4), (1, 2)], train_args={}, score_args={"shared": shared}
            )
            assert rows == [{"seed": s, "shared": 7} for s in (1, 2, 3, 4)]
            other = cluster.Computed(7, ({**cluster.identity(), "code": "0123456789abcdef", "threads": 1},))
            with pytest.raises(cluster.ClusterError, match=r"seeds \[3, 4\] runs other gan/ code"):
                cluster.run_blocks(
                    client, _train, _score, [(3, 4)], train_args={}, score_args={"shared": other}
                )

"""Where a population's runs execute: Dask distributed. With no scheduler configured, a
LocalCluster of worker processes on this machine; with one (DASK_SCHEDULER_ADDRESS, or
Dask's own config), that cluster's workers, on any hosts.

Every worker must compute what this process would: the same `gan/` code, the same
requirements.lock installed, the same instruction-set level with the pin in force
before numpy and TensorFlow loaded. `identity()` says that of a process; workers are
checked when the client connects, and every row carries the identity of the worker
that computed it, so a worker that joins later is checked too.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gan.infra import cpu_pin, sources

CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 60


class ClusterError(RuntimeError):
    """No usable cluster: unreachable, empty, or a worker that computes otherwise."""


@functools.cache
def identity() -> dict[str, Any]:
    """What this process computes with: a hash of gan/'s sources, a hash of the lock its
    environment was installed from (`make setup` copies it into the venv), the
    instruction-set level, and whether the pin held before numpy and TensorFlow loaded."""
    lock = sources.lock_digest() or f"none ({sys.prefix} was not set up by `make setup`)"
    return {"code": sources.code()[:16], "lock": lock, "level": cpu_pin.apply(), "pinned": cpu_pin.holds()}


def _worker_identity(dask_worker: Any = None) -> dict[str, Any]:
    """identity(), and the number of threads of the Dask worker running this (Dask passes
    `dask_worker` to `client.run`): a worker must run one task at a time, because its
    tasks share its re-seeded trainers."""
    from distributed import get_worker

    worker = dask_worker or get_worker()
    return {**identity(), "threads": getattr(getattr(worker, "state", worker), "nthreads", None)}


def _exit_without_teardown(dask_worker: Any) -> None:
    """Once this worker has closed, leave its process at once, with exit code 0 and no other
    exit handler: TensorFlow's interpreter teardown takes about 1 s and does nothing for
    us. Only for our own LocalCluster's workers; a worker that exits before it has closed
    (an error, a kill) exits as it would have."""
    import atexit
    import os

    from distributed.core import Status

    def leave() -> None:
        if dask_worker.status == Status.closed:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)

    atexit.register(leave)


def mismatch(theirs: dict[str, Any], mine: dict[str, Any]) -> str | None:
    """Why a worker with identity `theirs` cannot compute for this client, or None."""
    if theirs.get("threads", 1) != 1:
        return (
            f"runs {theirs.get('threads')} threads: a population's worker runs one "
            "(`make worker` starts it so, or `dask worker --nthreads 1`)"
        )
    if not theirs.get("pinned"):
        return "loaded numpy or TensorFlow before the instruction-set pin: start it with `make worker`"
    reasons = {
        "code": "runs other gan/ code (check out this commit there)",
        "lock": "was installed from another requirements.lock (`make setup` there)",
        "level": f"computes at {theirs.get('level')}, not {mine['level']}",
    }
    for key, reason in reasons.items():
        if theirs.get(key) != mine[key]:
            return reason
    return None


def scheduler_address() -> str | None:
    import dask

    return dask.config.get("scheduler-address", None)


def check_address(address: str) -> None:
    """Refuse at once what cannot be a scheduler's address: Dask would try to connect to
    'foo' until the timeout, and report a timeout."""
    scheme, sep, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    if (
        scheme in ("tcp", "tls")
        and sep
        and colon
        and host.strip("[]")
        and not any(c.isspace() or c in "/?#@" for c in rest)
        and port.isdigit()
        and 0 < int(port) < 65536
    ):
        return
    raise ClusterError(
        f"DASK_SCHEDULER_ADDRESS (Dask's scheduler-address) is {address!r}: expected "
        "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786; unset it to use this machine's cores"
    )


@contextmanager
def connect(workers: int, address: str | None = None) -> Iterator[Any]:
    """A checked dask Client: on the scheduler at `address` (default: Dask's config,
    e.g. DASK_SCHEDULER_ADDRESS), else on a LocalCluster of `workers` processes with one
    thread each (TensorFlow's threads would only compete, and sums must not depend on
    thread counts)."""
    from distributed import Client, LocalCluster

    address = address or scheduler_address()
    cluster = client = None
    try:
        if address:
            check_address(address)
            try:
                client = Client(address, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(
                    f"no Dask scheduler answers at {address} within "
                    f"{CONNECT_TIMEOUT_S} s ({type(exc).__name__}); unset "
                    "DASK_SCHEDULER_ADDRESS to use this machine's cores"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {address or 'this machine'} has no workers after "
                f"{WORKERS_TIMEOUT_S} s (start some with `make worker`)"
            ) from None
        mine = identity()
        try:
            found = client.run(_worker_identity)
        except Exception as exc:  # e.g. a worker without this checkout on its path
            raise ClusterError(
                f"a Dask worker cannot run this project's code ({type(exc).__name__}: "
                f"{exc}): start workers with `make worker` in a checkout of "
                "this commit"
            ) from None
        for worker, theirs in found.items():
            problem = mismatch(theirs, mine)
            if problem:
                raise ClusterError(f"Dask worker {worker} {problem}")
        if cluster is not None:
            client.run(_exit_without_teardown)
        yield client
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class Computed:
    """A task's result and the identities of every worker that computed it or its inputs."""

    value: Any
    identities: tuple[dict[str, Any], ...]


def computed(client: Any, task: Callable[..., Any], *args: Any) -> Any:
    """A Future of task(*args) as a Computed: a value tasks share (the verdict's null), whose
    worker is checked with every row computed from it."""
    return client.submit(_run, task, *args, pure=False)


def _run(task: Callable[..., Any], *args: Any, **kwargs: Any) -> Computed:
    """task(*args, **kwargs), any Computed argument unwrapped, with the identities of the
    workers behind it: this one's and its Computed arguments'."""
    inputs = [*args, *kwargs.values()]
    identities = [who for value in inputs if isinstance(value, Computed) for who in value.identities]

    def unwrap(value: Any) -> Any:
        return value.value if isinstance(value, Computed) else value

    result = task(*map(unwrap, args), **{key: unwrap(value) for key, value in kwargs.items()})
    return Computed(result, (*identities, _worker_identity()))


def run_blocks(
    client: Any,
    train: Callable[..., Any],
    score: Callable[..., list[dict[str, Any]]],
    blocks: list[tuple[int, ...]],
    *,
    train_args: dict[str, Any],
    score_args: dict[str, Any],
    on_rows: Callable[[list[dict[str, Any]]], None] | None = None,
) -> list[dict[str, Any]]:
    """For every block of seeds, train(seeds=block, **train_args), then score(trained,
    **score_args) on the client's workers, one row per seed; the rows sorted by seed, so
    they do not depend on which worker finished first. A value of score_args may be a
    Future of `computed`: training does not wait for it, and its worker is checked too."""
    from distributed import KilledWorker, as_completed

    mine = identity()
    futures = []
    for block in blocks:  # submitted in this order: Dask runs earlier tasks first
        trained = client.submit(_run, train, seeds=block, pure=False, **train_args)
        futures.append(client.submit(_run, score, trained, pure=False, **score_args))
    rows = []
    for future in as_completed(futures):
        try:
            done = future.result()
            block_rows, theirs = done.value, done.identities
        except RuntimeError as exc:
            if "deserialization" not in str(exc):
                raise
            raise ClusterError(
                "the Dask scheduler cannot import this project's code: start it "
                "with `make scheduler` in a checkout of this commit"
            ) from None
        except KilledWorker as exc:
            raise ClusterError(
                f"a Dask worker died while training or scoring ({exc}); out of memory?"
            ) from None
        except (OSError, CancelledError) as exc:
            raise ClusterError(
                f"lost the Dask scheduler or a worker mid-run ({type(exc).__name__}: {exc}); run again"
            ) from None
        for worker in theirs:
            problem = mismatch(worker, mine)
            if problem:
                seeds = [row["seed"] for row in block_rows]
                raise ClusterError(f"the Dask worker that ran seeds {seeds} {problem}")
        rows.extend(block_rows)
        if on_rows:
            on_rows(block_rows)
    return sorted(rows, key=lambda row: row["seed"])

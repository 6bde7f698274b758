"""The `population` stage through `dvc repro`: one code path with train + evaluate, the
same bytes on any number of workers and on a Dask cluster, and a clear refusal of a
worker that computes otherwise or of a scheduler that does not answer."""

import csv
import io
import json
import signal
import subprocess
import sys
import time

from gan.stats import evaluation

import pytest
import yaml

from tests.pipeline import TINY, dvc, env

pytestmark = pytest.mark.slow

POPULATION = ["reports/population.json", "reports/population/runs.csv", "reports/population/p_values.csv"]


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster outside the stage, as `dask scheduler` + `dask worker` would be
    (its workers inherit this pinned process's environment and import path)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


def population(repo):
    return {name: (repo / name).read_bytes() for name in POPULATION}


def rows(repo):
    return list(csv.DictReader(io.StringIO((repo / "reports/population/runs.csv").read_text())))


def test_the_row_of_the_pipelines_own_seed_is_the_pipelines_run(project):
    """One scoring path: the population's run of train.seed computes exactly the numbers
    `train` + `evaluate` wrote for the pipeline (SavedModels there, memory here)."""
    metrics = json.loads((project / "reports/metrics.json").read_text())
    details = json.loads((project / "reports/evaluation.json").read_text())
    table = rows(project)
    assert [int(r["seed"]) for r in table] == [0, 1, 2] and list(table[0]) == list(evaluation.ROW)
    own = next(r for r in table if int(r["seed"]) == TINY["train"]["seed"])
    for key in ("p_value", "wasserstein_1", "ks_statistic", "kl_divergence", "mean_error", "std_error"):
        assert float(own[key]) == metrics[key], key
    assert float(own["fake_std"]) == details["fake_std"]
    for key in ("indistinguishable", *evaluation.FLAGS):
        assert own[key] == str(metrics[key]), key
    assert float(own["raw_p_value"]) == details["raw"]["p_value"]
    summary = json.loads((project / "reports/population.json").read_text())
    assert 0 <= summary["pass_rate"] <= 1 and len(summary) == 9  # nine columns in `dvc exp show`


def test_with_xla_a_seeds_row_does_not_depend_on_its_block(workspace):
    """Seeds train in blocks, one compiled program each: blocks of 1, 2 (and a last one of
    1) and 3 give the same bytes, and the row of train.seed is still the pipeline's run."""
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["train"]["xla"] = True
    raw["population"]["block"] = 1
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    dvc("repro", cwd=workspace)
    expected = population(workspace)
    metrics = json.loads((workspace / "reports/metrics.json").read_text())
    own = next(r for r in rows(workspace) if int(r["seed"]) == TINY["train"]["seed"])
    assert (
        float(own["p_value"]) == metrics["p_value"]
        and float(own["wasserstein_1"]) == metrics["wasserstein_1"]
    )
    for block in (2, 3):
        raw["population"]["block"] = block
        (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
        assert "Running stage 'population'" not in dvc("repro", cwd=workspace).stdout  # changes no result
        done = dvc("repro", "-f", "population", cwd=workspace)
        assert f"blocks of up to {block}" in done.stdout
        assert population(workspace) == expected, block


def test_the_same_bytes_on_two_workers_and_on_a_dask_cluster(project, workspace, cluster):
    expected = population(project)
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["population"]["workers"] = 2
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    done = dvc("repro", cwd=workspace).stdout
    assert "Running stage 'population'" not in done  # the worker count changes no result
    two = dvc("repro", "-f", "population", cwd=workspace)
    assert "on 2 local worker processes" in two.stdout
    assert population(workspace) == expected
    remote = dvc(
        "repro",
        "-f",
        "population",
        cwd=workspace,
        extra={"DASK_SCHEDULER_ADDRESS": cluster.scheduler_address},
    )
    assert f"on the Dask scheduler at {cluster.scheduler_address}" in remote.stdout
    assert population(workspace) == expected


def test_a_worker_running_other_code_is_refused_and_the_population_kept(workspace, cluster):
    before = population(workspace)
    with open(workspace / "gan/population/seed_run.py", "a") as handle:
        handle.write("# a change the cluster's workers do not have\n")
    done = dvc(
        "repro",
        "population",
        cwd=workspace,
        check=False,
        extra={"DASK_SCHEDULER_ADDRESS": cluster.scheduler_address},
    )
    assert done.returncode != 0
    assert "runs other gan/ code (check out this commit there)" in done.stderr, done.stderr
    assert sum("error:" in line for line in done.stderr.splitlines()) == 1
    assert population(workspace) == before


def test_a_worker_with_several_threads_is_refused(workspace):
    """Its tasks would share one re-seeded trainer at the same time."""
    from distributed import LocalCluster

    before = population(workspace)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as threaded:
        done = dvc(
            "repro",
            "-f",
            "population",
            cwd=workspace,
            check=False,
            extra={"DASK_SCHEDULER_ADDRESS": threaded.scheduler_address},
        )
    assert done.returncode != 0 and "runs 2 threads" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert population(workspace) == before


def test_an_unreachable_scheduler_is_one_line_not_a_hang(workspace):
    before = population(workspace)
    started = time.monotonic()
    done = dvc(
        "repro",
        "-f",
        "population",
        cwd=workspace,
        check=False,
        extra={"DASK_SCHEDULER_ADDRESS": "tcp://127.0.0.1:9"},
    )
    assert done.returncode != 0 and time.monotonic() - started < 60
    assert "error: no Dask scheduler answers at tcp://127.0.0.1:9" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert population(workspace) == before


def test_sigterm_stops_the_population_with_one_line_and_keeps_the_last_one(workspace):
    """A killed `dvc repro` (SIGTERM) says the stage was interrupted: no traceback, no
    multiprocessing noise, the last population in place."""
    before = population(workspace)
    stage = subprocess.Popen(
        [sys.executable, "-m", "stages.population"],
        cwd=workspace,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while "seeds" not in (line := stage.stdout.readline()):  # the workers are starting
        assert line, "the stage ended before it started its workers"
    stage.send_signal(signal.SIGTERM)
    _, err = stage.communicate(timeout=60)
    assert stage.returncode == 130, err
    assert err.strip().splitlines() == [
        "population: interrupted; nothing half-written is left; run `dvc repro` again"
    ], err
    assert population(workspace) == before

"""Stage `population`: how often does this configuration work? Trains and scores every
seed of `population.seeds` (train.seed replaced) exactly as `train` and `evaluate` do,
on Dask workers: local processes, or a cluster's when DASK_SCHEDULER_ADDRESS is set.

Writes reports/population.json (DVC metrics: pass rate with its Wilson interval, flagged
and silent failures, the median p-value and how far the p-values are from uniform),
reports/population/runs.csv (one row per seed, which the metrics gate ranks) and
reports/population/p_values.csv (their ECDF against a perfect sampler's, for `dvc plots`).
The bytes depend only on code, data and params: not on the number of workers or hosts.
"""

from __future__ import annotations

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run population` or `dvc repro population`")

import sys
import time

from gan.infra import data, files, params
from gan.population import cluster, seed_run
from gan.stats import pass_rates

from stages.cli import PARAMS, run

REAL = "data/real.npy"
METRICS = "reports/population.json"
RUNS, P_VALUES = "reports/population/runs.csv", "reports/population/p_values.csv"


def main() -> None:
    started = time.perf_counter()
    raw = params.read_yaml(PARAMS)  # read once: its sections here, the whole mapping for the workers
    p = {name: params.parse_section(raw, name, PARAMS) for name in params.SECTIONS}
    real = data.load_real(REAL)
    seeds = p["population"].seed_list()
    workers = p["population"].worker_count()
    address = cluster.scheduler_address()
    where = f"the Dask scheduler at {address}" if address else f"{workers} local worker processes"
    print(f"population: {len(seeds)} seeds ({p['population'].seeds}) on {where}", flush=True)

    def progress(row: dict) -> None:
        done.append(row)
        kind = pass_rates.outcome(row)
        print(
            f"population: seed {row['seed']} {kind.upper()} p {row['p_value']:.3f} "
            f"W1 {row['wasserstein_1']:.4f} ({len(done)}/{len(seeds)}, "
            f"{time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )

    done: list[dict] = []
    with cluster.connect(workers) as client:
        null = cluster.once(client, seed_run.null_for, raw, real)
        rows = cluster.run_seeds(
            client, seed_run.train_and_score, seeds, on_row=progress, raw_params=raw, real=real, null=null
        )

    import pandas as pd

    files.write_bytes(RUNS, pd.DataFrame(rows, columns=seed_run.ROW).to_csv(index=False).encode())
    ecdf = pass_rates.ecdf([row["p_value"] for row in rows])
    files.write_bytes(P_VALUES, pd.DataFrame(ecdf).to_csv(index=False).encode())
    summary = pass_rates.metrics(rows)
    files.write_json(METRICS, summary)
    passed = sum(pass_rates.outcome(row) == "pass" for row in rows)
    print(
        f"population: {passed} of {len(rows)} indistinguishable "
        f"({100 * summary['pass_rate']:.0f}%, 95% interval {100 * summary['pass_rate_low']:.0f}-"
        f"{100 * summary['pass_rate_high']:.0f}%), flagged {summary['flagged']}, silent "
        f"{summary['silent']}; median p {summary['median_p_value']:.3f}, p-values vs uniform: "
        f"KS {summary['p_uniformity_ks']:.3f} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    run(main, errors=(cluster.ClusterError,))

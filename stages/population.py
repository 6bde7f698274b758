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
from gan.stats import evaluation, pass_rates

from stages import paths
from stages.cli import run


def main() -> None:
    started = time.perf_counter()
    p = params.load(paths.PARAMS)  # parsed once: the workers get these validated sections
    real, scored = data.load_real(paths.REAL), data.load_real(paths.SCORED)
    seeds = p["population"].seeds
    # Seeds of a block train together in one compiled program. Without XLA only a block of
    # one keeps a seed's bits (TensorFlow's kernels round an array's tail otherwise).
    size = p["population"].block if p["train"].xla else 1
    blocks = [seeds[i : i + size] for i in range(0, len(seeds), size)]
    workers = p["population"].worker_count()
    address = cluster.scheduler_address()
    where = f"the Dask scheduler at {address}" if address else f"{workers} local worker processes"
    print(
        f"population: {len(seeds)} seeds ({seeds[0]}..{seeds[-1]}) in {len(blocks)} blocks of up to "
        f"{size} on {where}",
        flush=True,
    )

    def progress(rows: list[dict]) -> None:
        done.extend(rows)
        kinds = [pass_rates.outcome(row) for row in rows]
        print(
            f"population: seeds {rows[0]['seed']}..{rows[-1]['seed']}: "
            + ", ".join(
                f"{kinds.count(kind)} {kind}" for kind in ("pass", "flagged", "silent") if kind in kinds
            )
            + f" ({len(done)}/{len(seeds)}, {time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )

    done: list[dict] = []  # an interrupt (Ctrl-C, SIGTERM) keeps the last population in place
    with cluster.connect(workers) as client:
        null = cluster.computed(client, seed_run.null_for, p, real, scored)  # once, sent to every score
        rows = cluster.run_blocks(
            client,
            seed_run.train,
            seed_run.score,
            blocks,
            train_args={"p": p, "real": real},
            score_args={"p": p, "real": real, "scored": scored, "null": null},
            on_rows=progress,
        )

    import pandas as pd

    files.write_bytes(paths.RUNS, pd.DataFrame(rows, columns=evaluation.ROW).to_csv(index=False).encode())
    ecdf = pass_rates.ecdf([row["p_value"] for row in rows])
    files.write_bytes(paths.P_VALUES, pd.DataFrame(ecdf).to_csv(index=False).encode())
    summary = pass_rates.headline(rows)
    files.write_json(paths.POPULATION, summary)
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

"""Is the verdict calibrated? Exact samples of the real distribution stand in for a
perfect generator, against the real sets of many data seeds (docs/verdict.md).

    .venv/bin/python -m tools.calibration [--data-seeds 20] [--draws 200]

For each data seed: the pass rate of `draws` perfect generators under the project's test
(gan.stats.evaluation: null samples against this real set, min-p over five metrics), under a
permutation test of the same five metrics (the pooled real and fake samples reshuffled),
and under the verdict this project had before (a floor from fresh real *and* fake sets,
all five 95% quantiles at once). Writes docs/verdict_calibration.json and .png.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gan.infra import files, params
from gan.stats import verdict
from gan.stats.distributions import Mixture

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "verdict_calibration"


def permutation_null(real: np.ndarray, fake: np.ndarray, repeats: int, rng, **bins) -> np.ndarray:
    pooled, n, rows = np.concatenate([real, fake]), len(real), []
    for _ in range(repeats):
        rng.shuffle(pooled)
        s = verdict.scores(pooled[:n], pooled[n:], **bins)
        rows.append([s[k] for k in verdict.METRICS])
    return np.array(rows)


def old_floor(dist: Mixture, n_real: int, n_fake: int, rng, **bins) -> np.ndarray:
    rows = [
        verdict.scores(dist.sample(n_real, rng)[:, 0], dist.sample(n_fake, rng)[:, 0], **bins)
        for _ in range(200)
    ]
    return np.quantile([[r[k] for k in verdict.METRICS] for r in rows], 0.95, axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-seeds", type=int, default=20)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--permutation-draws", type=int, default=40)
    parser.add_argument("--permutations", type=int, default=199)
    args = parser.parse_args()
    p = params.load(ROOT / "params.yaml", "data", "evaluate", "metrics")
    dist, ev, bins = Mixture.from_params(p["data"]), p["evaluate"], p["metrics"].model_dump()
    n_real, n_fake = p["data"].n_samples, ev.n_samples
    rows = []
    for data_seed in range(args.data_seeds):
        real = dist.sample(n_real, np.random.default_rng(data_seed))[:, 0]
        null = verdict.null_scores(dist, real, n_fake, repeats=ev.null_repeats, seed=ev.seed, **bins)
        rng = np.random.default_rng([data_seed, 2026])
        floor = old_floor(dist, n_real, n_fake, rng, **bins)
        ours, old, perm = [], [], []
        for i in range(args.draws):
            scores = verdict.scores(real, dist.sample(n_fake, rng)[:, 0], **bins)
            test = verdict.two_sample_test(scores, null, ev.level, with_critical_values=False)
            ours.append(test["indistinguishable"])
            old.append(all(scores[k] <= f for k, f in zip(verdict.METRICS, floor, strict=True)))
            if i < args.permutation_draws:
                fake = dist.sample(n_fake, rng)[:, 0]
                s = verdict.scores(real, fake, **bins)
                perm.append(
                    verdict.two_sample_test(
                        s,
                        permutation_null(real, fake, args.permutations, rng, **bins),
                        ev.level,
                        with_critical_values=False,
                    )["indistinguishable"]
                )
        row = {
            "data_seed": data_seed,
            "real_mean": float(real.mean()),
            "real_std": float(real.std()),
            "test": float(np.mean(ours)),
            "permutation": float(np.mean(perm)),
            "old_floor": float(np.mean(old)),
            "draws": args.draws,
            "permutation_draws": args.permutation_draws,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {k: float(np.mean([r[k] for r in rows])) for k in ("test", "permutation", "old_floor")}
    files.write_json(
        OUT.with_suffix(".json"),
        {
            "level": ev.level,
            "n_real": n_real,
            "n_fake": n_fake,
            "null_repeats": ev.null_repeats,
            "pooled": summary,
            "data_seeds": rows,
        },
    )
    print("pooled pass rates:", summary)
    from gan.report import figures

    figures.save(figure(rows, ev.level), OUT.with_suffix(".png"))


def figure(rows: list[dict], level: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    x = np.arange(len(rows))
    for shift, key, label, n_key in (
        (-0.25, "test", "this project's test", "draws"),
        (0.0, "permutation", "permutation test", "permutation_draws"),
        (0.25, "old_floor", "the old floor verdict", "draws"),
    ):
        rate = np.array([r[key] for r in rows])
        n = np.array([r[n_key] for r in rows])
        err = 1.96 * np.sqrt(np.maximum(rate * (1 - rate), 1e-9) / n)
        ax.errorbar(x + shift, rate, yerr=err, fmt="o", ms=4, capsize=2, label=label)
    ax.axhline(1 - level, color="black", lw=1, ls="--", label=f"stated level: {1 - level:.0%} pass")
    ax.set(
        xticks=x,
        xticklabels=[str(r["data_seed"]) for r in rows],
        xlabel="data seed (real set)",
        ylabel="pass rate of exact samples",
        ylim=(0, 1.05),
        title="A perfect generator against 20 real sets: the pass rate per data set (95% intervals)",
    )
    ax.legend(loc="lower left", fontsize=8)
    return fig


if __name__ == "__main__":
    main()

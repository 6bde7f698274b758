"""Seed populations in one process per worker, fast: the research tool behind the
defaults (docs/convergence.md). `make sweep` is the same question asked through DVC.

    .venv/bin/python -m tools.population --seeds 1000-1039 --set train.lr=1.0e-3 --out FILE

Each run trains with the project's Trainer and `fit` (the params of params.yaml, with
the --set overrides), then scores the exported generator the way `evaluate` does
(the same noise, test and flags), from its weights in numpy rather than through a
SavedModel. Runs append one JSON line each to --out (so a long population can be
stopped and resumed: finished seeds are skipped), and the summary prints the pass rate
with its Wilson interval, the silent failures and the median distances.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Iterator

import numpy as np

from gan import populations

ROOT = Path(__file__).resolve().parents[1]


def seeds(text: str) -> list[int]:
    """'1000-1039' or '1,5,9' or a mix."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def overridden(raw: dict, sets: list[str]) -> dict:
    """params.yaml's mapping with `section.key=value` overrides (YAML-parsed values)."""
    import copy

    import yaml

    out = copy.deepcopy(raw)
    for item in sets:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        out[section][name] = yaml.safe_load(value)
    return out


def forward(weights: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    w_h, b_h, w_o, b_o = (np.asarray(w, np.float64) for w in weights)
    return np.maximum(x @ w_h + b_h, 0.0) @ w_o + b_o


def one_run(job: tuple[dict, int]) -> dict:
    raw, seed = job
    from gan import data, evaluation, metrics, params
    from gan import trainer as training
    from gan.distributions import Mixture

    p = {name: params.parse_section(raw, name) for name in params.SECTIONS}
    dist = Mixture.from_params(p["data"])
    real = data.sample_real(p["data"])
    cfg = training.Config.from_params(p["model"], p["train"], seed=seed)
    started = time.perf_counter()
    trainer = training.Trainer(real, cfg)
    b = p["metrics"].model_dump()
    edges = metrics.shared_edges(real, b["bins"], b["range_std"])
    p_real = metrics.histogram(real, edges, b["pseudocount"])
    result = training.fit(trainer, lambda fake: metrics.kl_divergence(
        p_real, metrics.histogram(fake, edges, b["pseudocount"])))
    seconds = time.perf_counter() - started
    ev, model = p["evaluate"], p["model"]
    z = data.noise(ev.n_samples, model.g_input, ev.seed, model.noise)
    real64 = real.astype(np.float64)
    d_weights = trainer.discriminator.get_weights()
    out = {"seed": seed, "seconds": seconds, "diverged": result.diverged,
           "epochs_done": result.epochs_done}
    logit_grid = forward(d_weights, evaluation.data_grid(real).astype(np.float64))
    for label, weights in (("", trainer.export_weights()), ("raw_", trainer.generator.get_weights())):
        fake = forward(weights, z).astype(np.float32)
        scores = evaluation.score(real, fake, forward(d_weights, real64), forward(d_weights, fake),
                                  dist=dist, collapse_ratio=ev.collapse_ratio,
                                  collapse_atom=ev.collapse_atom, logit_grid=logit_grid, **b)
        scores.update(evaluation.two_sample_test(scores, _null(dist, real, ev, b), ev.level,
                                                 with_floors=False))
        keep = ("p_value", "indistinguishable", "mode_collapse", "discriminator_blind", *evaluation.VERDICT,
                "fake_std", "fake_excess_kurtosis", "largest_atom")
        out.update({label + k: scores[k] for k in keep})
        out[label + "p_values"] = scores["p_values"]
    return out


_NULLS: dict = {}


def _null(dist, real, ev, bins) -> np.ndarray:
    """The test's null for this data set, computed once per worker."""
    from gan import evaluation

    key = (dist, real.tobytes(), ev.n_samples, ev.null_repeats, ev.seed, tuple(bins.items()))
    if key not in _NULLS:
        _NULLS[key] = evaluation.null_scores(dist, real, ev.n_samples, repeats=ev.null_repeats,
                                             seed=ev.seed, **bins)
    return _NULLS[key]


def run(raw: dict, seeds: list[int], jobs: int = 2) -> Iterator[dict]:
    """Train and score one run per seed (params `raw`, train.seed replaced), `jobs` at a
    time, yielding each row as it finishes (in finishing order) with a line on stderr."""
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        for row in pool.imap_unordered(one_run, [(raw, s) for s in seeds]):
            print(f"seed {row['seed']}: p {row['p_value']:.3f} W1 {row['wasserstein_1']:.4f} "
                  f"{'PASS' if row['indistinguishable'] else 'fail'}"
                  f"{' COLLAPSE' if row['mode_collapse'] else ''}"
                  f"{' BLIND' if row['discriminator_blind'] else ''}"
                  f"{' DIVERGED' if row['diverged'] else ''}"
                  f" ({row['seconds']:.1f} s)", file=sys.stderr, flush=True)
            yield row


def summary(rows: list[dict], prefix: str = "") -> str:
    s = populations.summarise(rows, prefix)
    return (f"{s['passed']}/{s['runs']} indistinguishable (95% CI {100 * s['interval'][0]:.0f}-"
            f"{100 * s['interval'][1]:.0f}%), flagged {s['flagged']}, silent failures {s['silent']}; "
            f"median W1 {s['median_wasserstein_1']:.4f}, KS {s['median_ks_statistic']:.4f}, "
            f"KL {s['median_kl_divergence']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=seeds, required=True)
    parser.add_argument("--set", action="append", default=[], dest="sets")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--xla", action="store_true", help="train with XLA (train.xla=true)")
    args = parser.parse_args()
    from gan import params

    sets = args.sets + (["train.xla=true"] if args.xla else [])
    raw = overridden(params.read_yaml(ROOT / "params.yaml"), sets)
    for name in params.SECTIONS:
        params.parse_section(raw, name)  # refuse bad overrides before any work
    done = {json.loads(line)["seed"] for line in args.out.read_text().splitlines()} \
        if args.out.exists() else set()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as log:
        for row in run(raw, [s for s in args.seeds if s not in done], args.jobs):
            log.write(json.dumps({**row, "sets": sets}) + "\n")
            log.flush()
    rows = [json.loads(line) for line in args.out.read_text().splitlines()]
    rows = [r for r in rows if r["seed"] in set(args.seeds)]
    print(f"{' '.join(sets) or 'defaults'}: {summary(rows)}")
    print(f"  raw generator: {summary(rows, 'raw_')}")


if __name__ == "__main__":
    main()

"""Stage `evaluate`: score the exported generator against data/scored.npy (data/real.npy
again for a built-in distribution, the held-out rows of a data file).

Writes reports/metrics.json (the headline numbers `dvc metrics diff` compares),
reports/evaluation.json (the rest: per-metric p-values and critical values, the raw generator) and
reports/eval.npz (the samples and D outputs the `plot` stage draws, so that stage needs
no TensorFlow).
"""

from __future__ import annotations

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run evaluate` or `dvc repro evaluate`")

import json

from gan.infra import cpu_pin, data, files, params
from gan.stats import evaluation, verdict
from gan.stats.distributions import real_distribution

from stages import paths
from stages.cli import run


def _isa(train_isa: str | None) -> str:
    here = cpu_pin.apply()
    return here if train_isa in (None, here) else f"train {train_isa}, evaluate {here}"


def main() -> None:
    p = params.load(paths.PARAMS, "data", "model", "evaluate", "metrics")
    real, scored = data.load_real(paths.REAL), data.load_real(paths.SCORED)
    with open(paths.TRAIN_SUMMARY) as handle:
        training = json.load(handle)

    from gan.training import runs

    nets = runs.Networks.saved(paths.GENERATOR, paths.RAW_GENERATOR, paths.DISCRIMINATOR)
    scores, fake, raw_fake = runs.score(
        p,
        real,
        scored,
        nets,
        runs.null(p, real, scored),
        diverged=training.get("diverged", False),
        epochs_done=training.get("epochs_done", 0),
    )
    # the instruction-set level train and evaluate computed at: runs compare bit for bit
    # only when it is the same (docs/reproducibility.md)
    scores["isa"] = _isa(training.get("isa"))
    headline, details = evaluation.split(scores)
    files.write_json(paths.METRICS, headline)
    files.write_json(paths.DETAILS, details)
    grid = evaluation.view_grid(scored, 401)
    files.write_npz(
        paths.EVAL,
        real=scored[:, 0],  # the real rows the fakes were scored against
        fake=fake[:, 0],
        raw_fake=raw_fake[:, 0],
        d_real=evaluation.sigmoid(nets.logit(scored)[:, 0]),
        d_fake=evaluation.sigmoid(nets.logit(fake)[:, 0]),
        grid=grid[:, 0],
        d_grid=evaluation.sigmoid(nets.logit(grid)[:, 0]),
    )
    said = "INDISTINGUISHABLE from" if scores["indistinguishable"] else "distinguishable from"
    print(
        f"evaluate: generator {said} {real_distribution(p['data'], real).label()} at this sample size "
        f"(p = {scores['p_value']:.3f}, level {p['evaluate'].level}); "
        + ", ".join(f"{k} {scores[k]:.4f} (p {scores['p_values'][k]:.3f})" for k in verdict.METRICS)
        + (f"; FAILED: {scores['failure'].upper()}" if scores["failure"] else "")
    )


if __name__ == "__main__":
    run(main, skip_teardown=True)

"""Stage `evaluate`: score the exported generator against data/real.npy.

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
from gan.stats import evaluation
from gan.stats.distributions import Mixture

from stages.cli import PARAMS, run

REAL = "data/real.npy"
GENERATOR, RAW_GENERATOR = "models/generator", "models/generator_raw"
DISCRIMINATOR = "models/discriminator"
TRAIN_SUMMARY = "reports/train/metrics.json"
METRICS, DETAILS, EVAL = "reports/metrics.json", "reports/evaluation.json", "reports/eval.npz"


def _isa(train_isa: str | None) -> str:
    here = cpu_pin.apply()
    return here if train_isa in (None, here) else f"train {train_isa}, evaluate {here}"


def main() -> None:
    p = params.load(PARAMS, "data", "model", "evaluate", "metrics")
    ev, bins = p["evaluate"], p["metrics"].model_dump()
    dist = Mixture.from_params(p["data"])
    real = data.load_real(REAL)

    from gan.training import export

    discriminator = export.load_signature(DISCRIMINATOR, "logit")

    def logit(x):
        return discriminator(x=x)["logit"].numpy()

    z = data.noise(ev.n_samples, p["model"].g_input, ev.seed, p["model"].noise)

    def generate(path):
        return export.load_signature(path)(z=z)["x"].numpy()

    fake, raw_fake = generate(GENERATOR), generate(RAW_GENERATOR)
    with open(TRAIN_SUMMARY) as handle:
        training = json.load(handle)

    null = evaluation.null_scores(dist, real, len(fake), repeats=ev.null_repeats, seed=ev.seed, **bins)
    scores = evaluation.assess(
        real,
        fake,
        raw_fake,
        logit,
        dist=dist,
        null=null,
        **ev.model_dump(include={"level", "collapse_ratio", "collapse_atom"}),
        **bins,
    )
    scores.update(
        {
            "diverged": bool(training.get("diverged", False)),
            "epochs_done": int(training.get("epochs_done", 0)),
            # the instruction-set level train and evaluate computed at: runs compare bit for
            # bit only when it is the same (docs/reproducibility.md)
            "isa": _isa(training.get("isa")),
        }
    )
    headline, details = evaluation.split(scores)
    files.write_json(METRICS, headline)
    files.write_json(DETAILS, details)
    grid = evaluation.view_grid(real, 401)
    files.write_npz(
        EVAL,
        real=real[:, 0],
        fake=fake[:, 0],
        raw_fake=raw_fake[:, 0],
        d_real=evaluation.sigmoid(logit(real)[:, 0]),
        d_fake=evaluation.sigmoid(logit(fake)[:, 0]),
        grid=grid[:, 0],
        d_grid=evaluation.sigmoid(logit(grid)[:, 0]),
    )
    verdict = "INDISTINGUISHABLE from" if scores["indistinguishable"] else "distinguishable from"
    print(
        f"evaluate: generator {verdict} {dist.label()} at this sample size "
        f"(p = {scores['p_value']:.3f}, level {ev.level}); "
        + ", ".join(
            f"{k} {scores[k]:.4f} (p {scores['p_values'][k]:.3f})" for k in evaluation.VERDICT_METRICS
        )
        + ("; MODE COLLAPSE" if scores["mode_collapse"] else "")
        + ("; DISCRIMINATOR BLIND (affine over the data)" if scores["discriminator_blind"] else "")
        + ("; TRAINING DIVERGED" if scores["diverged"] else "")
    )


if __name__ == "__main__":
    run(main, skip_teardown=True)

"""Stage `evaluate`: score the exported generator against data/real.npy.

Writes reports/metrics.json (the numbers `dvc metrics diff` compares) and
reports/eval.npz (the samples and D outputs the `plot` stage draws, so that stage needs
no TensorFlow).
"""

from __future__ import annotations

import json

import numpy as np

from gan import data, files, params
from stages.cli import PARAMS, run

REAL = "data/real.npy"
GENERATOR, DISCRIMINATOR = "models/generator", "models/discriminator"
TRAIN_SUMMARY = "reports/train/metrics.json"
METRICS, EVAL = "reports/metrics.json", "reports/eval.npz"


def main() -> None:
    p = params.load(PARAMS, "evaluate", "metrics")
    ev, kl_params = p["evaluate"], p["metrics"]
    real = data.load_real(REAL)

    from gan import evaluation, export

    generate = export.load_signature(GENERATOR)
    judge = export.load_signature(DISCRIMINATOR, "logit")
    g_input = generate.structured_input_signature[1]["z"].shape[1]
    z = data.uniform_noise(ev.n_samples, g_input, ev.seed)
    fake = generate(z=z)["x"].numpy()
    logit_real, logit_fake = judge(x=real)["logit"].numpy(), judge(x=fake)["logit"].numpy()
    with open(TRAIN_SUMMARY) as handle:
        training = json.load(handle)

    scores = evaluation.score(real, fake, logit_real, logit_fake, bins=kl_params.bins,
                              range_std=kl_params.range_std, pseudocount=kl_params.pseudocount)
    scores["diverged"] = bool(training.get("diverged", False))
    scores["epochs_done"] = int(training.get("epochs_done", 0))
    files.write_json(METRICS, scores)
    grid = np.linspace(real.mean() - 4 * real.std(), real.mean() + 4 * real.std(), 401,
                       dtype=np.float32)[:, None]
    files.write_npz(EVAL, real=real[:, 0], fake=fake[:, 0],
                    d_real=evaluation.sigmoid(logit_real[:, 0]), d_fake=evaluation.sigmoid(logit_fake[:, 0]),
                    grid=grid[:, 0], d_grid=evaluation.sigmoid(judge(x=grid)["logit"].numpy()[:, 0]))
    print("evaluate: " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()
                                   if isinstance(v, float)))


if __name__ == "__main__":
    run(main, skip_teardown=True)

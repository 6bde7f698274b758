"""Stage `plot`: draw every figure under reports/figures/ from what `train` and
`evaluate` wrote (no TensorFlow), each headed by the run's verdict and flags."""

from __future__ import annotations

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run plot` or `dvc repro plot`")

import json

from gan.infra import params
from gan.report import figures, history
from gan.stats.distributions import Mixture

import numpy as np

from stages.cli import PARAMS, run

LOG_DIR, FRAMES, EVAL = "reports/train", "reports/frames.npz", "reports/eval.npz"
METRICS = "reports/metrics.json"
OUT = "reports/figures"


def main() -> None:
    dist = Mixture.from_params(params.load(PARAMS, "data")["data"])
    hist = history.read(LOG_DIR, ("loss_d", "loss_g", "kl_divergence"))
    with np.load(EVAL) as ev, np.load(FRAMES) as fr:
        ev, fr = dict(ev), dict(fr)
    with open(METRICS) as handle:
        metrics = json.load(handle)
    drawn = {
        "loss_history": figures.loss_history(hist),
        "kl_history": figures.kl_history(hist),
        "density": figures.density(ev["real"], ev["fake"], dist),
        "discriminator_outputs": figures.discriminator_outputs(
            ev["d_real"],
            ev["d_fake"],
            ev["grid"],
            ev["d_grid"],
            ev["real"],
            blind=bool(metrics.get("discriminator_blind")),
        ),
        "final_state": figures.final_state(ev["fake"], ev["grid"], ev["d_grid"], dist),
        "qq": figures.qq(ev["fake"], dist),
    }
    for name, fig in drawn.items():
        figures.save(figures.stamp(fig, metrics), f"{OUT}/{name}.png")
    figures.save_gif(figures.animation_frames(fr, dist), f"{OUT}/training.gif")
    print(f"plot: 7 figures in {OUT}/ ({len(fr['epoch'])} animation frames)")


if __name__ == "__main__":
    run(main)

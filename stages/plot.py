"""Stage `plot`: draw every figure under reports/figures/ from what `train` and
`evaluate` wrote (no TensorFlow), each headed by the run's verdict and flags."""

from __future__ import annotations

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run plot` or `dvc repro plot`")

import json

from gan.infra import data, params
from gan.report import figures, history
from gan.stats.distributions import real_distribution

import numpy as np

from stages import paths
from stages.cli import run


def main() -> None:
    dist = real_distribution(params.load(paths.PARAMS, "data")["data"], data.load_real(paths.REAL))
    hist = history.read(paths.TRAIN_LOG, ("loss_d", "loss_g", "kl_divergence"))
    with np.load(paths.EVAL) as ev, np.load(paths.FRAMES) as fr:
        ev, fr = dict(ev), dict(fr)
    with open(paths.METRICS) as handle, open(paths.DETAILS) as details:
        more = json.load(details)
        metrics = {**json.load(handle), "failure": more.get("failure"), "modes": more.get("modes", 1)}
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
        "qq": figures.qq(ev["fake"], ev["real"], dist),
    }
    for name, fig in drawn.items():
        figures.save(figures.stamp(fig, metrics), f"{paths.FIGURES}/{name}.png")
    figures.save_gif(figures.animation_frames(fr, dist), f"{paths.FIGURES}/training.gif")
    print(f"plot: 7 figures in {paths.FIGURES}/ ({len(fr['epoch'])} animation frames)")


if __name__ == "__main__":
    run(main)

"""Stage `plot`: draw every figure under reports/figures/ from what `train` and
`evaluate` wrote (no TensorFlow)."""

from __future__ import annotations

import numpy as np

from gan import figures, history, params
from gan.distributions import Mixture
from stages.cli import PARAMS, run

LOG_DIR, FRAMES, EVAL = "reports/train", "reports/frames.npz", "reports/eval.npz"
OUT = "reports/figures"


def main() -> None:
    dist = Mixture.from_params(params.load(PARAMS, "data")["data"])
    hist = history.read(LOG_DIR, ("loss_d", "loss_g", "kl_divergence"))
    with np.load(EVAL) as ev, np.load(FRAMES) as fr:
        ev, fr = dict(ev), dict(fr)
    figures.save(figures.loss_history(hist), f"{OUT}/loss_history.png")
    figures.save(figures.kl_history(hist), f"{OUT}/kl_history.png")
    figures.save(figures.density(ev["real"], ev["fake"], dist), f"{OUT}/density.png")
    figures.save(figures.discriminator_outputs(ev["d_real"], ev["d_fake"]),
                 f"{OUT}/discriminator_outputs.png")
    figures.save(figures.final_state(ev["fake"], ev["grid"], ev["d_grid"], dist),
                 f"{OUT}/final_state.png")
    figures.save(figures.qq(ev["fake"], dist), f"{OUT}/qq.png")
    figures.save_gif(figures.animation_frames(fr, dist), f"{OUT}/training.gif")
    print(f"plot: 7 figures in {OUT}/ ({len(fr['epoch'])} animation frames)")


if __name__ == "__main__":
    run(main)

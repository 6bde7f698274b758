"""Stage `train`: train the GAN on data/real.npy, log its history, checkpoint it, and
export both networks as SavedModels.

Interrupted (Ctrl-C, SIGTERM) it saves a checkpoint first; run again with the same data,
params and code it resumes from the newest valid checkpoint (GAN_NO_RESUME=1 forces a
fresh start).
"""

from __future__ import annotations

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run train` or `dvc repro train`")

import os
import signal
import sys
import time
from pathlib import Path

from gan.infra import cpu_pin, data, files, params

from stages.cli import PARAMS, run

REAL = "data/real.npy"
CHECKPOINTS = "models/checkpoints"
GENERATOR, RAW_GENERATOR = "models/generator", "models/generator_raw"
DISCRIMINATOR = "models/discriminator"
LOG_DIR = "reports/train"
FRAMES = "reports/frames.npz"


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    started = time.perf_counter()
    p = params.load(PARAMS, "model", "train", "metrics")
    model, train, kl_params = p["model"], p["train"], p["metrics"]
    real = data.load_real(REAL)
    if train.batch_size > len(real):
        raise params.ParamsError(
            f"{PARAMS}: train.batch_size ({train.batch_size}) is larger than the "
            f"{len(real)} samples in {REAL}"
        )

    # Only now pay for TensorFlow: bad input has been refused without it.
    from gan.stats import metrics
    from gan.training import checkpoints, export, recorder
    from gan.training.trainer import Config, Trainer, fit

    from dvclive import Live
    from tqdm import tqdm

    cfg = Config.from_params(model, train)
    trainer = Trainer(real, cfg)
    sources = sorted(Path("gan").rglob("*.py")) + [Path(__file__), Path("requirements.lock")]
    store = checkpoints.Checkpoints(
        CHECKPOINTS,
        trainer,
        keep=train.keep_checkpoints,
        fingerprint=checkpoints.fingerprint(
            real, checkpoints.settings({k: v.model_dump() for k, v in p.items()}), sources
        ),
    )
    start, why = (
        (None, "GAN_NO_RESUME is set")
        if os.environ.get("GAN_NO_RESUME")
        else store.restore(finished_at=cfg.epochs)
    )
    if start is None:
        print(f"train: starting fresh ({why})")
        store.clear()
    else:
        print(f"train: {why}")

    kl = metrics.kl_from(real, **kl_params.model_dump())
    live = Live(dir=LOG_DIR, save_dvc_exp=False, dvcyaml=None, report=None)

    def log_row(epoch, row):
        live.step = epoch
        for name, value in row.items():
            live.log_metric(name, value)

    if start is not None:  # a resumed run: rewrite the log up to where it stopped
        for epoch, row in trainer.recorder.history_rows(start):
            log_row(epoch, row)

    bar = tqdm(
        total=cfg.epochs,
        initial=start or 0,
        unit="epoch",
        desc="train",
        mininterval=1.0,
        file=sys.stderr,
        dynamic_ncols=True,
    )

    def show(epoch):
        bar.update(epoch - bar.n)
        h = trainer.recorder.history.numpy()[recorder.row_index(epoch, cfg.log_every)]  # the newest row
        bar.set_postfix(loss_d=f"{h[0]:.3f}", loss_g=f"{h[1]:.3f}", kl=f"{h[2]:.3f}", refresh=False)

    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        result = fit(
            trainer,
            kl,
            checkpoint_every=train.checkpoint_every,
            save_checkpoint=store.save,
            on_row=log_row,
            on_epochs=show,
        )
    except KeyboardInterrupt:
        bar.close()
        saved = store.save(int(trainer.epoch.numpy()))
        print(f"\ntrain: interrupted; saved {saved}; run `dvc repro` to resume", file=sys.stderr)
        sys.exit(130)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    bar.close()

    export.export_generator(GENERATOR, trainer.export_weights())
    export.export_generator(RAW_GENERATOR, trainer.generator.get_weights())
    export.export_discriminator(DISCRIMINATOR, trainer.discriminator.get_weights())
    files.write_npz(FRAMES, **trainer.recorder.frames())
    live.summary.update(
        {"epochs_done": result.epochs_done, "diverged": result.diverged, "isa": cpu_pin.apply()}
    )
    live.make_summary()
    live.end()
    state = "DIVERGED, kept the last finite state" if result.diverged else "done"
    print(
        f"train: {state} at epoch {result.epochs_done}/{cfg.epochs} in "
        f"{time.perf_counter() - started:.1f} s; exported {GENERATOR}, {RAW_GENERATOR}, {DISCRIMINATOR}"
    )


if __name__ == "__main__":
    run(main, skip_teardown=True)

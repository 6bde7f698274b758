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
import sys
import time

from gan.infra import cpu_pin, data, files, params, sources

from stages import paths
from stages.cli import run


def main() -> None:
    started = time.perf_counter()
    p = params.load(paths.PARAMS, "model", "train", "metrics")
    train = p["train"]
    real = data.load_real(paths.REAL)
    if train.batch_size > len(real):
        raise params.ParamsError(
            f"{paths.PARAMS}: train.batch_size ({train.batch_size}) is larger than the "
            f"{len(real)} samples in {paths.REAL}"
        )

    # Only now pay for TensorFlow: bad input has been refused without it.
    from gan.training import checkpoints, export, recorder, runs

    from dvclive import Live
    from tqdm import tqdm

    trainer = runs.trainer(p, real, (train.seed,))  # a block of one
    store = checkpoints.Checkpoints(
        paths.CHECKPOINTS,
        trainer,
        keep=train.keep_checkpoints,
        fingerprint=checkpoints.fingerprint(
            real, params.results_settings(p), sources.code([__file__, "requirements.lock"])
        ),
    )
    start, why = (
        (None, "GAN_NO_RESUME is set")
        if os.environ.get("GAN_NO_RESUME")
        else store.restore(finished_at=train.epochs)
    )
    if start is None:
        print(f"train: starting fresh ({why})")
        store.clear()
    else:
        print(f"train: {why}")

    live = Live(dir=paths.TRAIN_LOG, save_dvc_exp=False, dvcyaml=None, report=None)

    def log_row(epoch, i, row):
        live.step = epoch
        for name, value in row.items():
            live.log_metric(name, value)

    if start is not None:  # a resumed run: rewrite the log up to where it stopped
        for epoch, row in trainer.recorder.history_rows(0, start):
            log_row(epoch, 0, row)

    # The bar starts at the first stop: its rate and ETA then leave out the compilation.
    print(f"train: compiling the loop{' with XLA' if train.xla else ''}", flush=True)
    bar = None

    def show(epoch):
        nonlocal bar
        if bar is None:
            bar = tqdm(
                total=train.epochs,
                initial=epoch,
                unit="epoch",
                desc="train",
                mininterval=1.0,
                file=sys.stderr,
                dynamic_ncols=True,
            )
        bar.update(epoch - bar.n)
        h = trainer.recorder.history.numpy()[0, recorder.row_index(epoch, train.log_every)]  # the newest row
        bar.set_postfix(loss_d=f"{h[0]:.3f}", loss_g=f"{h[1]:.3f}", kl=f"{h[2]:.3f}", refresh=False)

    try:
        result = runs.train(p, real, trainer, save_checkpoint=store.save, on_row=log_row, on_epochs=show)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        saved = store.save(int(trainer.epoch.numpy()))
        print(f"\ntrain: interrupted; saved {saved}; run `dvc repro` to resume", file=sys.stderr)
        sys.exit(130)
    if bar is not None:
        bar.close()

    export.export_generator(paths.GENERATOR, trainer.export_weights(0))
    export.export_generator(paths.RAW_GENERATOR, trainer.generator.seed_weights(0))
    export.export_discriminator(paths.DISCRIMINATOR, trainer.discriminator.seed_weights(0))
    files.write_npz(paths.FRAMES, **trainer.recorder.frames(0))
    epochs_done, diverged = result.epochs_done[0], result.diverged[0]
    live.summary.update({"epochs_done": epochs_done, "diverged": diverged, "isa": cpu_pin.apply()})
    live.make_summary()
    live.end()
    state = "DIVERGED, kept the last finite state" if diverged else "done"
    print(
        f"train: {state} at epoch {epochs_done}/{train.epochs} in "
        f"{time.perf_counter() - started:.1f} s; exported {paths.GENERATOR}, {paths.RAW_GENERATOR}, "
        f"{paths.DISCRIMINATOR}"
    )


if __name__ == "__main__":
    run(main, skip_teardown=True)

"""What a run remembers of itself while it trains: the history table (losses, KL, D's
outputs, gradient norms) and the animation's frames, both measured on fixed probe inputs
so that rows compare. Held in variables, so a checkpoint carries them."""

from __future__ import annotations

import math
from collections.abc import Callable

from gan.infra.data import noise
from gan.stats import evaluation
from gan.training import losses
from gan.training.tf_setup import tf

import numpy as np

# What every history row holds, in this order (the epoch is the row's step).
HISTORY = ("loss_d", "loss_g", "kl_divergence", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")
GRID_POINTS = 201


def rows_needed(epochs: int, every: int) -> int:
    """Rows for epochs 0, every, 2*every, ... and the last epoch."""
    return math.ceil(epochs / every) + 1


def row_index(epoch: int, every: int) -> int:
    return math.ceil(epoch / every)


class Recorder(tf.Module):
    """The probe inputs and the records of one run. `cfg` is the trainer's Config."""

    def __init__(self, real: tf.Tensor, real_samples: np.ndarray, cfg):
        """`real`: the real samples as the trainer holds them; `real_samples`: as loaded
        (the grid's centre and width are theirs)."""
        super().__init__(name="recorder")
        self.cfg = cfg
        n = len(real_samples)
        self.real = real
        # Fixed probe inputs: the same noise at every log row, so rows and frames compare.
        self.z_probe = tf.Variable(tf.zeros([n, cfg.g_input]), name="z_probe")
        self.grid = tf.constant(evaluation.view_grid(real_samples, GRID_POINTS))
        self.history = tf.Variable(
            np.full((rows_needed(cfg.epochs, cfg.log_every), len(HISTORY)), np.nan), name="history"
        )
        n_frames = rows_needed(cfg.epochs, cfg.snapshot_every)
        self.frame_fake = tf.Variable(np.full((n_frames, n), np.nan, np.float32), name="frame_fake")
        self.frame_d = tf.Variable(np.full((n_frames, GRID_POINTS), np.nan, np.float32), name="frame_d")
        self.frame_loss = tf.Variable(np.full((n_frames, 2), np.nan, np.float32), name="frame_loss")

    def reset(self, seed: int) -> None:
        """Empty records, and the probe noise of training seed `seed` (the tables keep the
        sizes they were built with)."""
        cfg = self.cfg
        self.z_probe.assign(noise(len(self.real), cfg.g_input, seed + 1_000_003, cfg.noise))
        for records in (self.history, self.frame_fake, self.frame_d, self.frame_loss):
            records.assign(tf.fill(records.shape, tf.constant(np.nan, records.dtype)))

    def probe(self, generator, discriminator) -> dict[str, tf.Tensor]:
        """Losses, D's outputs and gradient norms on the full real set and the fixed probe
        noise, plus the samples and D on the grid for the animation."""
        d, g = discriminator, generator
        with tf.GradientTape(persistent=True) as tape:
            fake = g(self.z_probe)
            logit_real, logit_fake = d(self.real), d(fake)
            loss_d = losses.discriminator_loss(logit_real, logit_fake)
            loss_g = losses.generator_loss(logit_fake, self.cfg.loss)
        return {
            "loss_d": loss_d,
            "loss_g": loss_g,
            "d_real": tf.reduce_mean(tf.sigmoid(logit_real)),
            "d_fake": tf.reduce_mean(tf.sigmoid(logit_fake)),
            "grad_norm_d": tf.linalg.global_norm(tape.gradient(loss_d, d.params)),
            "grad_norm_g": tf.linalg.global_norm(tape.gradient(loss_g, g.params)),
            "fake": fake[:, 0],
            "d_grid": tf.sigmoid(d(self.grid))[:, 0],
        }

    def record(
        self,
        epoch: int,
        probe: dict[str, np.ndarray],
        kl: Callable[[np.ndarray], float],
        on_row: Callable[[int, dict[str, float]], None] | None,
    ) -> bool:
        """Store a probe (as numpy) as a history row and/or frame if `epoch` is due. False
        if it is not finite (nothing is stored then)."""
        cfg = self.cfg
        if not all(np.all(np.isfinite(v)) for v in probe.values()):
            return False
        logged = epoch % cfg.log_every == 0 or epoch == cfg.epochs
        framed = epoch % cfg.snapshot_every == 0 or epoch == cfg.epochs
        if not (logged or framed):
            return True
        measured = {**probe, "kl_divergence": kl(probe["fake"])}
        row = {name: float(measured[name]) for name in HISTORY}  # always in HISTORY order
        # Everything into the variables first, the log call last: an interrupt during the
        # log then leaves a state (and a checkpoint) with this stop's row *and* frame,
        # whose resume replays the log.
        if logged:
            self.history[row_index(epoch, cfg.log_every)].assign([row[name] for name in HISTORY])
        if framed:
            i = row_index(epoch, cfg.snapshot_every)
            self.frame_fake[i].assign(probe["fake"])
            self.frame_d[i].assign(probe["d_grid"])
            self.frame_loss[i].assign([row["loss_d"], row["loss_g"]])
        if logged and on_row:
            on_row(epoch, row)
        return True

    def history_rows(self, up_to_epoch: int) -> list[tuple[int, dict[str, float]]]:
        """The stored history rows up to an epoch (to replay a resumed run's log)."""
        cfg, table = self.cfg, self.history.numpy()
        rows = ((min(i * cfg.log_every, cfg.epochs), row) for i, row in enumerate(table))
        return [
            (epoch, dict(zip(HISTORY, map(float, row), strict=True)))
            for epoch, row in rows
            if epoch <= up_to_epoch and not np.isnan(row[0])
        ]

    def frames(self) -> dict[str, np.ndarray]:
        """The animation's snapshots that were taken: epochs, fake samples, D on the grid."""
        cfg = self.cfg
        d_grid = self.frame_d.numpy()
        taken = ~np.isnan(d_grid[:, 0])
        epochs = np.array([min(i * cfg.snapshot_every, cfg.epochs) for i in range(len(d_grid))])
        loss = self.frame_loss.numpy()
        return {
            "epoch": epochs[taken],
            "fake": self.frame_fake.numpy()[taken],
            "d_grid": d_grid[taken],
            "grid": self.grid.numpy()[:, 0],
            "loss_d": loss[taken, 0],
            "loss_g": loss[taken, 1],
        }

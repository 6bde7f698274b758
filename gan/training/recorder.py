"""What a run remembers of itself while it trains: the history table (losses, KL, D's
outputs, gradient norms) and the animation's frames, both measured on fixed probe inputs
so that rows compare. Held in variables with a leading seed axis (one table per seed of
the block), so a checkpoint carries them."""

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


def _per_seed_norm(grads: list[tf.Tensor]) -> tf.Tensor:
    """[S]: each seed's global norm of a list of stacked gradients."""
    return tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g), axis=list(range(1, g.shape.rank))) for g in grads]))


class Recorder(tf.Module):
    """The probe inputs and the records of a block of `size` seeds. `cfg` is the
    trainer's Config."""

    def __init__(self, real: np.ndarray, cfg, size: int):
        super().__init__(name="recorder")
        self.cfg = cfg
        n = len(real)
        self.real = tf.constant(np.broadcast_to(real, (size, n, 1)), tf.float32)
        # Fixed probe inputs: the same noise at every log row, so rows and frames compare.
        self.z_probe = tf.Variable(tf.zeros([size, n, cfg.g_input]), name="z_probe")
        grid = evaluation.view_grid(real, GRID_POINTS)
        self.grid = tf.constant(np.broadcast_to(grid, (size, *grid.shape)))
        rows, frames = rows_needed(cfg.epochs, cfg.log_every), rows_needed(cfg.epochs, cfg.snapshot_every)
        self.history = tf.Variable(np.full((size, rows, len(HISTORY)), np.nan), name="history")
        self.frame_fake = tf.Variable(np.full((size, frames, n), np.nan, np.float32), name="frame_fake")
        self.frame_d = tf.Variable(np.full((size, frames, GRID_POINTS), np.nan, np.float32), name="frame_d")
        self.frame_loss = tf.Variable(np.full((size, frames, 2), np.nan, np.float32), name="frame_loss")

    def reset(self, seeds: tuple[int, ...]) -> None:
        """Empty records, and the probe noise of these training seeds."""
        cfg, n = self.cfg, self.real.shape[1]
        self.z_probe.assign(np.stack([noise(n, cfg.g_input, s + 1_000_003, cfg.noise) for s in seeds]))
        for records in (self.history, self.frame_fake, self.frame_d, self.frame_loss):
            records.assign(tf.fill(records.shape, tf.constant(np.nan, records.dtype)))

    def probe(self, generator, discriminator) -> dict[str, tf.Tensor]:
        """Per seed: losses, D's outputs and gradient norms on the full real set and the
        fixed probe noise, plus the samples and D on the grid for the animation."""
        d, g = discriminator, generator
        with tf.GradientTape(persistent=True) as tape:
            fake = g(self.z_probe)
            logit_real, logit_fake = d(self.real), d(fake)
            loss_d = losses.discriminator_loss(logit_real, logit_fake)
            loss_g = losses.generator_loss(logit_fake, self.cfg.loss)
            total_d, total_g = tf.reduce_sum(loss_d), tf.reduce_sum(loss_g)
        return {
            "loss_d": loss_d,
            "loss_g": loss_g,
            "d_real": tf.reduce_mean(tf.sigmoid(logit_real), axis=[1, 2]),
            "d_fake": tf.reduce_mean(tf.sigmoid(logit_fake), axis=[1, 2]),
            "grad_norm_d": _per_seed_norm(tape.gradient(total_d, d.params)),
            "grad_norm_g": _per_seed_norm(tape.gradient(total_g, g.params)),
            "fake": fake[:, :, 0],
            "d_grid": tf.sigmoid(d(self.grid))[:, :, 0],
        }

    def record(
        self,
        epoch: int,
        probe: dict[str, np.ndarray],
        kl: Callable[[np.ndarray], float],
        live: list[bool],
        on_row: Callable[[int, int, dict[str, float]], None] | None = None,
    ) -> list[bool]:
        """Store each live seed's probe (as numpy) as a history row and/or frame if `epoch`
        is due. Per seed: False if its probe is not finite (nothing is stored for it then)."""
        cfg = self.cfg
        finite = [all(np.all(np.isfinite(v[i])) for v in probe.values()) for i in range(len(live))]
        logged = epoch % cfg.log_every == 0 or epoch == cfg.epochs
        framed = epoch % cfg.snapshot_every == 0 or epoch == cfg.epochs
        stored = [i for i, ok in enumerate(finite) if ok and live[i]]
        if not (stored and (logged or framed)):
            return finite
        rows = {}
        for i in stored:
            measured = {**{k: v[i] for k, v in probe.items()}, "kl_divergence": kl(probe["fake"][i])}
            rows[i] = {name: float(measured[name]) for name in HISTORY}  # always in HISTORY order
        # Everything into the variables first (one write per table for the whole block),
        # the log calls last: an interrupt during the log then leaves a state (and a
        # checkpoint) with this stop's row *and* frame, whose resume replays the log.
        if logged:
            values = {i: list(row.values()) for i, row in rows.items()}
            _write(self.history, row_index(epoch, cfg.log_every), values)
        if framed:
            j = row_index(epoch, cfg.snapshot_every)
            _write(self.frame_fake, j, {i: probe["fake"][i] for i in stored})
            _write(self.frame_d, j, {i: probe["d_grid"][i] for i in stored})
            _write(self.frame_loss, j, {i: [r["loss_d"], r["loss_g"]] for i, r in rows.items()})
        for i, row in rows.items():
            if logged and on_row:
                on_row(epoch, i, row)
        return finite

    def history_rows(self, i: int, up_to_epoch: int) -> list[tuple[int, dict[str, float]]]:
        """Seed i's stored history rows up to an epoch (to replay a resumed run's log)."""
        cfg, table = self.cfg, self.history.numpy()[i]
        rows = ((min(k * cfg.log_every, cfg.epochs), row) for k, row in enumerate(table))
        return [
            (epoch, dict(zip(HISTORY, map(float, row), strict=True)))
            for epoch, row in rows
            if epoch <= up_to_epoch and not np.isnan(row[0])
        ]

    def frames(self, i: int) -> dict[str, np.ndarray]:
        """Seed i's animation snapshots that were taken: epochs, fake samples, D on the grid."""
        cfg = self.cfg
        d_grid = self.frame_d.numpy()[i]
        taken = ~np.isnan(d_grid[:, 0])
        epochs = np.array([min(k * cfg.snapshot_every, cfg.epochs) for k in range(len(d_grid))])
        loss = self.frame_loss.numpy()[i]
        return {
            "epoch": epochs[taken],
            "fake": self.frame_fake.numpy()[i][taken],
            "d_grid": d_grid[taken],
            "grid": self.grid.numpy()[0, :, 0],
            "loss_d": loss[taken, 0],
            "loss_g": loss[taken, 1],
        }


def _write(table: tf.Variable, j: int, values: dict[int, object]) -> None:
    """Row j of the given seeds' tables, in one assignment for the whole block."""
    block = table[:, j].numpy()
    for i, value in values.items():
        block[i] = value
    table[:, j].assign(block)

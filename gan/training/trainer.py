"""The training loop: the tutorial's algorithm, run many epochs per compiled call.

Per epoch: a fresh shuffle of the real samples, batches of `batch_size` with the last
partial batch kept, and per batch `d_steps` D updates (the tutorial: one) then one G
update on the same noise z.
All of that runs inside one `tf.function` (an in-graph loop over epochs and batches, with
shuffling and noise from a seeded `tf.random.Generator`), so Python is only visited to
log, snapshot and checkpoint. `epoch_reference` is the same epoch, one eager call per
batch, kept to test that the fast loop computes the same thing.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gan.training import adam, losses, networks
from gan.infra.data import NOISES, noise
from gan.training.tf_setup import tf

# What every history row holds, in this order (the epoch is the row's step).
HISTORY = ("loss_d", "loss_g", "kl_divergence", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")
GRID_POINTS = 201


@dataclass(frozen=True)
class Config:
    d_hidden: int
    g_input: int
    g_hidden: int
    lr: float
    batch_size: int
    epochs: int
    seed: int
    log_every: int
    snapshot_every: int
    loss: str = "minimax"
    ema_decay: float = 0.0
    noise: str = "uniform"
    d_steps: int = 1
    d_lr_ratio: float = 1.0
    beta_1: float = 0.9
    lr_decay: float = 0.0
    r1_gamma: float = 0.0
    g_init: str = "normal"
    g_init_margin: float = 3.0
    lookahead_k: int = 0
    lookahead_alpha: float = 0.5
    xla: bool = False

    @classmethod
    def from_params(cls, model, train, **overrides) -> "Config":
        """From the validated `model` and `train` sections of params.yaml. How often a
        run is checkpointed, and how many are kept, is the stage's business, not the
        loop's."""
        return cls(**{**model.model_dump(),
                      **train.model_dump(exclude={"checkpoint_every", "keep_checkpoints"}),
                      **overrides})


def rows_needed(epochs: int, every: int) -> int:
    """Rows for epochs 0, every, 2*every, ... and the last epoch."""
    return math.ceil(epochs / every) + 1


def row_index(epoch: int, every: int) -> int:
    return math.ceil(epoch / every)


class Trainer(tf.Module):
    """Networks, optimizers, RNG and the records of one run: everything a checkpoint holds."""

    def __init__(self, real: np.ndarray, cfg: Config):
        super().__init__(name="trainer")
        if cfg.batch_size > len(real):
            raise ValueError(
                f"train.batch_size ({cfg.batch_size}) is larger than the number of real "
                f"samples ({len(real)})")
        if cfg.d_steps < 1:
            raise ValueError(f"train.d_steps must be at least 1, got {cfg.d_steps}")
        if cfg.noise not in NOISES:
            raise ValueError(f"unknown model.noise {cfg.noise!r}; expected one of {NOISES}")
        self.cfg = cfg
        self.n = len(real)
        self.real = tf.constant(real, dtype=tf.float32)
        # Built once, then given their seed's starting values by `reseed`: a trainer can
        # run seed after seed on one trace and one XLA compilation (a population).
        self.generator = networks.generator(cfg.g_input, cfg.g_hidden, cfg.seed, cfg.g_init,
                                            cfg.g_init_margin)
        self.discriminator = networks.discriminator(cfg.d_hidden, cfg.seed)
        self.opt_d = adam.Adam(self.discriminator.params, cfg.lr * cfg.d_lr_ratio, cfg.beta_1,
                               name="adam_d")
        self.opt_g = adam.Adam(self.generator.params, cfg.lr, cfg.beta_1, name="adam_g")
        # Exponential moving average of G's weights (none when ema_decay is 0), warmed up
        # (see _step).
        self.ema = [tf.Variable(v, name="ema") for v in self.generator.params] if cfg.ema_decay else []
        # Lookahead on both players (Chavdarova et al. 2021): slow copies of every weight
        # that, every lookahead_k G steps, move lookahead_alpha of the way to the fast
        # weights, which then restart from them. It damps the rotation around the
        # equilibrium that plain simultaneous updates keep circling at large steps.
        weights = self.generator.params + self.discriminator.params
        self.slow = [tf.Variable(v, name="slow") for v in weights] if cfg.lookahead_k else []
        self.rng = tf.random.Generator.from_seed(cfg.seed)
        self.epoch = tf.Variable(0, dtype=tf.int64, name="epoch")
        count = [tf.TensorSpec([], tf.int64)]
        self.run_epochs = tf.function(self._epochs, jit_compile=cfg.xla, autograph=False,
                                      input_signature=count)
        self.advance = tf.function(self._advance, jit_compile=cfg.xla, autograph=False,
                                   input_signature=count)
        # Fixed probe inputs: the same noise at every log row, so rows and frames compare.
        self.z_probe = tf.Variable(tf.zeros([self.n, cfg.g_input]), name="z_probe")
        centre, scale = float(np.mean(real)), float(np.std(real))
        self.grid = tf.constant(np.linspace(centre - 4 * scale, centre + 4 * scale,
                                            GRID_POINTS, dtype=np.float32)[:, None])
        self.history = tf.Variable(
            np.full((rows_needed(cfg.epochs, cfg.log_every), len(HISTORY)), np.nan), name="history")
        n_frames = rows_needed(cfg.epochs, cfg.snapshot_every)
        self.frame_fake = tf.Variable(np.full((n_frames, self.n), np.nan, np.float32), name="frame_fake")
        self.frame_d = tf.Variable(np.full((n_frames, GRID_POINTS), np.nan, np.float32), name="frame_d")
        self.frame_loss = tf.Variable(np.full((n_frames, 2), np.nan, np.float32), name="frame_loss")
        self._backup = _Untracked(self.state_variables)
        self.reseed(cfg.seed)

    def reseed(self, seed: int) -> None:
        """Start over as a new run with training seed `seed`: every variable back to the
        value a fresh Trainer of that seed starts from (a fresh Trainer is built, then
        reseeded), the compiled loop kept."""
        cfg = self.cfg = dataclasses.replace(self.cfg, seed=seed)
        self.generator.set_weights(networks.generator(
            cfg.g_input, cfg.g_hidden, seed, cfg.g_init, cfg.g_init_margin).get_weights())
        self.discriminator.set_weights(networks.discriminator(cfg.d_hidden, seed).get_weights())
        for opt in (self.opt_d, self.opt_g):
            opt.reset()
        if self.ema:
            _assign_all(self.ema, self.generator.params)
        if self.slow:
            _assign_all(self.slow, self.generator.params + self.discriminator.params)
        self.rng.reset_from_seed(seed)
        self.epoch.assign(0)
        self.z_probe.assign(noise(self.n, cfg.g_input, seed + 1_000_003, cfg.noise))
        for records in (self.history, self.frame_fake, self.frame_d, self.frame_loss):
            records.assign(tf.fill(records.shape, tf.constant(np.nan, records.dtype)))
        _assign_all(self._backup.copies, self.state_variables)

    # --- the mathematics of one step --------------------------------------------------
    def lr_scale(self) -> tf.Tensor | float:
        """1, then over the last `lr_decay` share of the epochs a linear decay of both
        learning rates towards 0 (reached after the last epoch)."""
        cfg = self.cfg
        if not cfg.lr_decay:
            return 1.0
        left = tf.cast(cfg.epochs - self.epoch, tf.float32)
        return tf.clip_by_value(left / (cfg.lr_decay * cfg.epochs), 0.0, 1.0)

    def discriminator_objective(self, x: tf.Tensor, fake: tf.Tensor) -> tf.Tensor:
        """D's loss, plus R1 (Mescheder et al. 2018) when r1_gamma > 0: gamma / 2 times
        the mean squared slope of D's logit at the real samples, which damps D near the
        equilibrium instead of letting it circle with G."""
        d = self.discriminator
        if not self.cfg.r1_gamma:
            return losses.discriminator_loss(d(x), d(fake))
        with tf.GradientTape() as inner:
            inner.watch(x)
            logit_real = d(x)
        slope = inner.gradient(logit_real, x)
        penalty = 0.5 * self.cfg.r1_gamma * tf.reduce_mean(tf.square(slope))
        return losses.discriminator_loss(logit_real, d(fake)) + penalty

    def update_discriminator(self, x: tf.Tensor, fake: tf.Tensor) -> None:
        """One Adam step of D on a batch of real and generated samples."""
        d = self.discriminator
        with tf.GradientTape() as tape:
            loss = self.discriminator_objective(x, fake)
        self.opt_d.apply(tape.gradient(loss, d.params), d.params, self.lr_scale())

    def update_generator(self, z: tf.Tensor) -> None:
        """One Adam step of G on the same noise, against the updated D."""
        d, g = self.discriminator, self.generator
        with tf.GradientTape() as tape:
            loss = losses.generator_loss(d(g(z)), self.cfg.loss)
        self.opt_g.apply(tape.gradient(loss, g.params), g.params, self.lr_scale())

    def _step(self, x: tf.Tensor, z: tf.Tensor) -> None:
        """The tutorial's step: D first, then G, on the same z. With d_steps > 1, D takes
        that many updates on this batch before G's one (like k in Goodfellow et al.'s
        algorithm 1, which draws a fresh batch for each): a D closer to its optimum for
        the current G, whose gradient then points G more steadily towards the data."""
        fake = self.generator(z)
        if self.cfg.d_steps == 1:
            self.update_discriminator(x, fake)
        else:  # a graph loop, not d_steps traced copies of the update (slow to trace)

            def d_step(k):
                self.update_discriminator(x, fake)
                return (k + 1,)

            tf.while_loop(lambda k: k < self.cfg.d_steps, d_step, (tf.constant(0),))
        self.update_generator(z)
        if self.slow:
            tf.cond(self.opt_g.iterations % self.cfg.lookahead_k == 0, self._lookahead, lambda: None)
        if self.ema:
            # Warmed up as tf.train.ExponentialMovingAverage(num_updates=t) does: after G's
            # t-th step the decay is min(ema_decay, (1 + t) / (10 + t)), so the average
            # forgets G's random initial weights within a few steps and, early on,
            # follows G closely instead of dragging 200 steps behind it.
            t = tf.cast(self.opt_g.iterations, tf.float32)
            decay = tf.minimum(self.cfg.ema_decay, (1.0 + t) / (10.0 + t))
            for average, weight in zip(self.ema, self.generator.params):
                average.assign_sub((1.0 - decay) * (average - weight))

    def _lookahead(self) -> None:
        alpha = self.cfg.lookahead_alpha
        for slow, fast in zip(self.slow, self.generator.params + self.discriminator.params):
            slow.assign_add(alpha * (fast - slow))
            fast.assign(slow)

    def _train_on(self, index: tf.Tensor) -> None:
        self._step(tf.gather(self.real, index), self._noise(index.shape[0]))

    def _noise(self, n: int) -> tf.Tensor:
        """A batch of generator inputs from the run's RNG: U(-1, 1) or N(0, 1)."""
        if self.cfg.noise == "normal":
            return self.rng.normal([n, self.cfg.g_input])
        return self.rng.uniform([n, self.cfg.g_input], -1.0, 1.0)

    def _epochs(self, n_epochs: tf.Tensor) -> tf.Tensor:
        """Train `n_epochs` epochs in one graph: a while loop over epochs, and in each a
        while loop over the full batches, then the partial one. Batch shapes are static
        (XLA needs that) and the count is a tensor, so any count runs on one trace.
        Written with tf.while_loop rather than autograph, whose conversion costs seconds."""
        bs = self.cfg.batch_size
        n_full, rest = divmod(self.n, bs)

        def epoch(i):
            order = tf.argsort(self.rng.uniform([self.n]), stable=True)

            def batch(b):
                self._train_on(tf.slice(order, [b * bs], [bs]))
                return (b + 1,)

            tf.while_loop(lambda b: b < n_full, batch, (tf.constant(0),))
            if rest:
                self._train_on(order[n_full * bs:])
            self.epoch.assign_add(1)
            return (i + 1,)

        tf.while_loop(lambda i: i < n_epochs, epoch, (tf.constant(0, tf.int64),))
        return self.epoch.read_value()

    def epoch_reference(self) -> None:
        """One epoch the slow, obvious way: eager, one Python call per batch."""
        order = tf.argsort(self.rng.uniform([self.n]), stable=True).numpy()
        for start in range(0, self.n, self.cfg.batch_size):
            index = order[start:start + self.cfg.batch_size]
            self._step(tf.gather(self.real, index), self._noise(len(index)))
        self.epoch.assign_add(1)

    # --- looking at the current state --------------------------------------------------
    def _probe(self) -> dict[str, tf.Tensor]:
        """Losses, D's outputs and gradient norms on the full real set and the fixed probe
        noise, plus the samples and D on a grid for the animation."""
        d, g = self.discriminator, self.generator
        with tf.GradientTape(persistent=True) as tape:
            fake = g(self.z_probe)
            logit_real, logit_fake = d(self.real), d(fake)
            loss_d = losses.discriminator_loss(logit_real, logit_fake)
            loss_g = losses.generator_loss(logit_fake, self.cfg.loss)
        grad_norm_d = tf.linalg.global_norm(tape.gradient(loss_d, d.params))
        grad_norm_g = tf.linalg.global_norm(tape.gradient(loss_g, g.params))
        return {
            "loss_d": loss_d,
            "loss_g": loss_g,
            "d_real": tf.reduce_mean(tf.sigmoid(logit_real)),
            "d_fake": tf.reduce_mean(tf.sigmoid(logit_fake)),
            "grad_norm_d": grad_norm_d,
            "grad_norm_g": grad_norm_g,
            "fake": fake[:, 0],
            "d_grid": tf.sigmoid(d(self.grid))[:, 0],
        }

    def _advance(self, n_epochs: tf.Tensor) -> dict[str, tf.Tensor]:
        """What `fit` does between two stops, in one call: back up every variable, train
        `n_epochs` epochs, then probe the result and check that the weights are finite."""
        _assign_all(self._backup.copies, self.state_variables)
        self._epochs(n_epochs)
        params = self.generator.params + self.discriminator.params
        out = self._probe()
        out["finite"] = tf.reduce_all([tf.reduce_all(tf.math.is_finite(v)) for v in params])
        return out

    @tf.function(autograph=False)
    def restore_backup(self) -> None:
        """Put back the variables as they were before the last `advance`."""
        _assign_all(self.state_variables, self._backup.copies)

    def export_weights(self) -> list[np.ndarray]:
        """The generator to export: the moving average if there is one, else G itself."""
        return [v.numpy() for v in self.ema] if self.ema else self.generator.get_weights()

    @property
    def state_variables(self) -> list[tf.Variable]:
        """Every variable of the run, the RNG's state included (tf.Module's `variables`
        does not look inside a tf.random.Generator)."""
        return [*self.variables, self.rng.state]

    def state(self) -> list[np.ndarray]:
        return [v.numpy() for v in self.state_variables]

    def set_state(self, values: list[np.ndarray]) -> None:
        for variable, value in zip(self.state_variables, values, strict=True):
            variable.assign(value)


class _Untracked:
    """Copies of a trainer's variables, in an object that tf.Module and checkpoints do
    not look into."""

    def __init__(self, variables: tuple[tf.Variable, ...]):
        self.copies = [tf.Variable(v, trainable=False) for v in variables]


def _assign_all(targets, sources) -> None:
    for target, source in zip(targets, sources, strict=True):
        target.assign(source)


@dataclass
class FitResult:
    epochs_done: int
    diverged: bool = False
    rows: list[dict[str, float]] = field(default_factory=list)


def fit(trainer: Trainer, kl: Callable[[np.ndarray], float], *,
        checkpoint_every: int | None = None,
        save_checkpoint: Callable[[int], None] | None = None,
        on_row: Callable[[int, dict[str, float]], None] | None = None,
        on_epochs: Callable[[int], None] | None = None) -> FitResult:
    """Train from the trainer's current epoch to cfg.epochs.

    Stops at every log, snapshot and checkpoint epoch. If the losses or weights stop
    being finite, the state of the previous stop is restored and training ends there with
    `diverged` set, so what gets exported is the last good generator. On
    KeyboardInterrupt the state of the previous stop is restored before re-raising.
    """
    cfg = trainer.cfg
    epoch = int(trainer.epoch.numpy())
    if epoch == 0 and np.isnan(trainer.history[0, 0].numpy()):
        _record(trainer, 0, trainer.advance(tf.constant(0, tf.int64)), kl, on_row)
    everies = [cfg.log_every, cfg.snapshot_every] + ([checkpoint_every] if checkpoint_every else [])
    result = FitResult(epochs_done=epoch)
    try:
        while epoch < cfg.epochs:
            target = min([(epoch // k + 1) * k for k in everies] + [cfg.epochs])
            out = trainer.advance(tf.constant(target - epoch, tf.int64))
            if not _record(trainer, target, out, kl, on_row):
                trainer.restore_backup()
                result.diverged = True
                break
            epoch = result.epochs_done = target
            if save_checkpoint and checkpoint_every and (
                    epoch % checkpoint_every == 0 or epoch == cfg.epochs):
                save_checkpoint(epoch)
            if on_epochs:
                on_epochs(epoch)
    except KeyboardInterrupt:
        # Back to the last completed stop, whose records are all in, so a checkpoint
        # saved now resumes into exactly the uninterrupted run.
        if int(trainer.epoch.numpy()) != epoch:
            trainer.restore_backup()
        raise
    return result


def _record(trainer: Trainer, epoch: int, probe: dict[str, tf.Tensor],
            kl: Callable[[np.ndarray], float],
            on_row: Callable[[int, dict[str, float]], None] | None) -> bool:
    """Store the probe as a history row and/or frame if `epoch` is due. False if the
    weights or the probe are not finite (nothing is stored then)."""
    cfg = trainer.cfg
    out = {k: v.numpy() for k, v in probe.items()}
    if not out.pop("finite") or not all(np.all(np.isfinite(v)) for v in out.values()):
        return False
    logged = epoch % cfg.log_every == 0 or epoch == cfg.epochs
    framed = epoch % cfg.snapshot_every == 0 or epoch == cfg.epochs
    if not (logged or framed):
        return True
    out["kl_divergence"] = kl(out["fake"])
    row = {name: float(out[name]) for name in HISTORY}  # always in HISTORY order
    # Everything into the trainer's state first, the log call last: an interrupt during
    # the log then leaves a state (and a checkpoint) with this stop's row *and* frame,
    # whose resume replays the log.
    if logged:
        trainer.history[row_index(epoch, cfg.log_every)].assign([row[name] for name in HISTORY])
    if framed:
        i = row_index(epoch, cfg.snapshot_every)
        trainer.frame_fake[i].assign(out["fake"])
        trainer.frame_d[i].assign(out["d_grid"])
        trainer.frame_loss[i].assign([row["loss_d"], row["loss_g"]])
    if logged and on_row:
        on_row(epoch, row)
    return True


def history_rows(trainer: Trainer, up_to_epoch: int) -> list[tuple[int, dict[str, float]]]:
    """The stored history rows up to an epoch (to replay a resumed run's log)."""
    cfg, table = trainer.cfg, trainer.history.numpy()
    rows = ((min(i * cfg.log_every, cfg.epochs), row) for i, row in enumerate(table))
    return [(epoch, dict(zip(HISTORY, map(float, row)))) for epoch, row in rows
            if epoch <= up_to_epoch and not np.isnan(row[0])]


def frames(trainer: Trainer) -> dict[str, np.ndarray]:
    """The animation's snapshots that were taken: epochs, fake samples, D on the grid."""
    cfg = trainer.cfg
    d_grid = trainer.frame_d.numpy()
    taken = ~np.isnan(d_grid[:, 0])
    epochs = np.array([min(i * cfg.snapshot_every, cfg.epochs) for i in range(len(d_grid))])
    loss = trainer.frame_loss.numpy()
    return {
        "epoch": epochs[taken],
        "fake": trainer.frame_fake.numpy()[taken],
        "d_grid": d_grid[taken],
        "grid": trainer.grid.numpy()[:, 0],
        "loss_d": loss[taken, 0],
        "loss_g": loss[taken, 1],
    }

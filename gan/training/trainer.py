"""The training loop: the tutorial's algorithm, run many epochs per compiled call.

Per epoch: a fresh shuffle of the real samples, batches of `batch_size` with the last
partial batch kept, and per batch one `Step` (gan/training/step.py: D then G on the same
noise z). All of that runs inside one `tf.function` (an in-graph loop over epochs and
batches, with shuffling and noise from a seeded `tf.random.Generator`), so Python is only
visited at stops: to record (gan/training/recorder.py), to checkpoint, and to undo a
stretch that diverged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gan.infra.params import BOOKKEEPING
from gan.training.recorder import Recorder
from gan.training.step import Step, assign_all
from gan.training.tf_setup import tf

import numpy as np


@dataclass(frozen=True)
class Config:
    """What a run computes with: the `model` section and the `train` section but its seed
    and its bookkeeping (gan.infra.params.BOOKKEEPING). The seed is each run's own."""

    d_hidden: int
    g_input: int
    g_hidden: int
    noise: str
    g_init: str
    g_init_margin: float
    loss: str
    ema_decay: float
    d_steps: int
    lr: float
    d_lr_ratio: float
    beta_1: float
    lr_decay: float
    r1_gamma: float
    lookahead_k: int
    lookahead_alpha: float
    xla: bool
    batch_size: int
    epochs: int
    log_every: int
    snapshot_every: int

    @classmethod
    def from_params(cls, model, train) -> Config:
        """From the validated `model` and `train` sections of params.yaml (checked there:
        this loop trusts them)."""
        skip = {"seed", *BOOKKEEPING["train"]}
        return cls(**model.model_dump(), **train.model_dump(exclude=skip))


class Trainer(tf.Module):
    """One run: its step, its records, the RNG and the epoch: everything a checkpoint holds."""

    def __init__(self, real: np.ndarray, cfg: Config, seed: int):
        super().__init__(name="trainer")
        self.cfg = cfg
        self.n = len(real)
        self.real = tf.constant(real, dtype=tf.float32)
        self.step = Step(cfg)
        self.recorder = Recorder(self.real, real, cfg)
        self.rng = tf.random.Generator.from_seed(seed)
        self.epoch = tf.Variable(0, dtype=tf.int64, name="epoch")
        count = [tf.TensorSpec([], tf.int64)]
        self.run_epochs = tf.function(
            self._epochs, jit_compile=cfg.xla, autograph=False, input_signature=count
        )
        self.advance = tf.function(self._advance, jit_compile=cfg.xla, autograph=False, input_signature=count)
        self._backup = _Untracked(self.state_variables)
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """Start over as a new run with training seed `seed`: every variable back to the
        value a fresh Trainer of that seed starts from (a fresh Trainer is built, then
        reseeded), the compiled loop kept."""
        self.seed = seed
        self.step.reset(seed)
        self.recorder.reset(seed)
        self.rng.reset_from_seed(seed)
        self.epoch.assign(0)
        assign_all(self._backup.copies, self.state_variables)

    @property
    def generator(self):
        return self.step.generator

    @property
    def discriminator(self):
        return self.step.discriminator

    def export_weights(self) -> list[np.ndarray]:
        """The generator to export (see Step.export_weights)."""
        return self.step.export_weights()

    # --- the loop -----------------------------------------------------------------------
    def lr_scale(self) -> tf.Tensor | float:
        """1, then over the last `lr_decay` share of the epochs a linear decay of both
        learning rates towards 0 (reached after the last epoch)."""
        cfg = self.cfg
        if not cfg.lr_decay:
            return 1.0
        left = tf.cast(cfg.epochs - self.epoch, tf.float32)
        return tf.clip_by_value(left / (cfg.lr_decay * cfg.epochs), 0.0, 1.0)

    def _train_on(self, index: tf.Tensor) -> None:
        self.step(tf.gather(self.real, index), self._noise(index.shape[0]), self.lr_scale())

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
                self._train_on(order[n_full * bs :])
            self.epoch.assign_add(1)
            return (i + 1,)

        tf.while_loop(lambda i: i < n_epochs, epoch, (tf.constant(0, tf.int64),))
        return self.epoch.read_value()

    def _advance(self, n_epochs: tf.Tensor) -> dict[str, tf.Tensor]:
        """What `fit` does between two stops, in one call: back up every variable, train
        `n_epochs` epochs, then probe the result and check that the weights are finite."""
        assign_all(self._backup.copies, self.state_variables)
        self._epochs(n_epochs)
        out = self.recorder.probe(self.generator, self.discriminator)
        out["finite"] = tf.reduce_all([tf.reduce_all(tf.math.is_finite(v)) for v in self.step.weights])
        return out

    @tf.function(autograph=False)
    def undo_advance(self) -> None:
        """Put back the variables as they were before the last `advance`."""
        assign_all(self.state_variables, self._backup.copies)

    # --- the state, for checkpoints -------------------------------------------------------
    @property
    def state_variables(self) -> list[tf.Variable]:
        """Every variable of the run, the RNG's state included (tf.Module's `variables`
        does not look inside a tf.random.Generator)."""
        return [*self.variables, self.rng.state]

    def state(self) -> list[np.ndarray]:
        return [v.numpy() for v in self.state_variables]

    def set_state(self, values: list[np.ndarray]) -> None:
        assign_all(self.state_variables, values)


class _Untracked:
    """Copies of a trainer's variables, in an object that tf.Module and checkpoints do
    not look into."""

    def __init__(self, variables: tuple[tf.Variable, ...]):
        self.copies = [tf.Variable(v, trainable=False) for v in variables]


@dataclass
class FitResult:
    epochs_done: int
    diverged: bool = False


def fit(
    trainer: Trainer,
    kl: Callable[[np.ndarray], float],
    *,
    checkpoint_every: int = 1,
    save_checkpoint: Callable[[int], None] | None = None,
    on_row: Callable[[int, dict[str, float]], None] | None = None,
    on_epochs: Callable[[int], None] | None = None,
) -> FitResult:
    """Train from the trainer's current epoch to cfg.epochs.

    Stops at every history row and animation frame, and at the last epoch. If the losses
    or weights stop being finite, the state of the previous stop is restored and training
    ends there with `diverged` set, so what gets exported is the last good generator. A
    checkpoint is saved at the first stop at or after each multiple of `checkpoint_every`
    and at the end: how often a run is saved changes nothing it computes. On
    KeyboardInterrupt the state of the previous stop is restored before re-raising.
    """
    cfg = trainer.cfg
    epoch = int(trainer.epoch.numpy())
    if epoch == 0 and np.isnan(trainer.recorder.history[0, 0].numpy()):
        _record(trainer, 0, trainer.advance(tf.constant(0, tf.int64)), kl, on_row)
    result = FitResult(epochs_done=epoch)
    try:
        while epoch < cfg.epochs:
            target = min([(epoch // k + 1) * k for k in (cfg.log_every, cfg.snapshot_every)] + [cfg.epochs])
            out = trainer.advance(tf.constant(target - epoch, tf.int64))
            if not _record(trainer, target, out, kl, on_row):
                trainer.undo_advance()
                result.diverged = True
                break
            previous, epoch = epoch, target
            result.epochs_done = epoch
            if save_checkpoint and (
                epoch // checkpoint_every > previous // checkpoint_every or epoch == cfg.epochs
            ):
                save_checkpoint(epoch)
            if on_epochs:
                on_epochs(epoch)
    except KeyboardInterrupt:
        # Back to the last completed stop, whose records are all in, so a checkpoint
        # saved now resumes into exactly the uninterrupted run.
        if int(trainer.epoch.numpy()) != epoch:
            trainer.undo_advance()
        raise
    return result


def _record(
    trainer: Trainer,
    epoch: int,
    probe: dict[str, tf.Tensor],
    kl: Callable[[np.ndarray], float],
    on_row: Callable[[int, dict[str, float]], None] | None,
) -> bool:
    """The recorder's row and/or frame for this stop; False if the weights or the probe are
    not finite (nothing is stored then)."""
    out = {k: v.numpy() for k, v in probe.items()}
    return bool(out.pop("finite")) and trainer.recorder.record(epoch, out, kl, on_row)

"""The training loop: the tutorial's algorithm, run many epochs per compiled call.

Per epoch: a fresh shuffle of the real samples, batches of `batch_size` with the last
partial batch kept, and per batch one `Step` (gan/training/step.py: D then G on the same
noise z). All of that runs inside one `tf.function` (an in-graph loop over epochs and
batches, with shuffling and noise from each seed's own stream, gan/training/rng.py), for
a block of seeds at once, so Python is only visited at stops: to record
(gan/training/recorder.py), to checkpoint, and to end a seed that diverged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gan.infra.params import BOOKKEEPING
from gan.training import rng
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
    g_layers: int
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
    """A block of runs, one per seed, trained together in one compiled loop: their steps,
    records, random streams and the epoch: everything a checkpoint holds. A seed's numbers
    do not depend on the other seeds of its block (tests/training/test_trainer.py)."""

    def __init__(self, real: np.ndarray, cfg: Config, seeds: tuple[int, ...]):
        super().__init__(name="trainer")
        self.cfg = cfg
        self.size = len(seeds)
        self.n = len(real)
        self.real = tf.constant(real, dtype=tf.float32)
        self.step = Step(cfg, seeds)
        self.recorder = Recorder(real, cfg, self.size)
        self.key = tf.Variable(rng.keys(seeds), name="rng_key")  # one random stream per seed
        self.draws = tf.Variable(np.uint64(0), name="rng_draws")  # words drawn from each stream
        self.epoch = tf.Variable(0, dtype=tf.int64, name="epoch")
        count = [tf.TensorSpec([], tf.int64)]
        self.run_epochs = tf.function(
            self._epochs, jit_compile=cfg.xla, autograph=False, input_signature=count
        )
        self.advance = tf.function(self._advance, jit_compile=cfg.xla, autograph=False, input_signature=count)
        self._backup = _Untracked(self.state_variables)
        self.reseed(seeds)

    def reseed(self, seeds: tuple[int, ...]) -> None:
        """Start over as a new block of as many seeds: every variable back to the value a
        fresh Trainer of these seeds starts from, the compiled loop kept."""
        if len(seeds) != self.size:
            raise ValueError(f"a trainer built for {self.size} seeds cannot run {len(seeds)}")
        self.seeds = tuple(seeds)
        self.step.reset(self.seeds)
        self.recorder.reset(self.seeds)
        self.key.assign(rng.keys(self.seeds))
        self.draws.assign(np.uint64(0))
        self.epoch.assign(0)
        assign_all(self._backup.copies, self.state_variables)

    @property
    def generator(self):
        return self.step.generator

    @property
    def discriminator(self):
        return self.step.discriminator

    def export_weights(self, i: int = 0) -> list[np.ndarray]:
        """The generator to export for the block's i-th seed (see Step.export_weights)."""
        return self.step.export_weights(i)

    # --- the loop -----------------------------------------------------------------------
    def lr_scale(self) -> tf.Tensor | float:
        """1, then over the last `lr_decay` share of the epochs a linear decay of both
        learning rates towards 0 (reached after the last epoch)."""
        cfg = self.cfg
        if not cfg.lr_decay:
            return 1.0
        left = tf.cast(cfg.epochs - self.epoch, tf.float32)
        return tf.clip_by_value(left / (cfg.lr_decay * cfg.epochs), 0.0, 1.0)

    def _draw(self, draw, shape) -> tf.Tensor:
        """`draw` (a function of gan/training/rng.py) from every seed's stream."""
        out, used = draw(self.key, self.draws.read_value(), shape)
        self.draws.assign_add(np.uint64(used))
        return out

    def _train_on(self, index: tf.Tensor) -> None:
        """One step on the samples `index` [S, b] picks for each seed, with fresh noise."""
        noise = rng.normal if self.cfg.noise == "normal" else rng.uniform
        z = self._draw(noise, [index.shape[1], self.cfg.g_input])
        self.step(tf.gather(self.real, index), z, self.lr_scale())

    def _order(self) -> tf.Tensor:
        """[S, n]: this epoch's order of the real samples, per seed."""
        return self._draw(rng.permutation, self.n)

    def _epochs(self, n_epochs: tf.Tensor) -> tf.Tensor:
        """Train `n_epochs` epochs in one graph: a while loop over epochs, and in each a
        while loop over the full batches, then the partial one. Batch shapes are static
        (XLA needs that) and the count is a tensor, so any count runs on one trace.
        Written with tf.while_loop rather than autograph, whose conversion costs seconds."""
        bs = self.cfg.batch_size
        n_full, rest = divmod(self.n, bs)

        def epoch(i):
            order = self._order()

            def batch(b):
                self._train_on(tf.slice(order, [0, b * bs], [-1, bs]))
                return (b + 1,)

            tf.while_loop(lambda b: b < n_full, batch, (tf.constant(0),))
            if rest:
                self._train_on(order[:, n_full * bs :])
            self.epoch.assign_add(1)
            return (i + 1,)

        tf.while_loop(lambda i: i < n_epochs, epoch, (tf.constant(0, tf.int64),))
        return self.epoch.read_value()

    def _advance(self, n_epochs: tf.Tensor) -> dict[str, tf.Tensor]:
        """What `fit` does between two stops, in one call: back up every variable, train
        `n_epochs` epochs, then probe the result and check, per seed, that its weights are
        finite."""
        assign_all(self._backup.copies, self.state_variables)
        self._epochs(n_epochs)
        out = self.recorder.probe(self.generator, self.discriminator)
        per_seed = [
            tf.reduce_all(tf.math.is_finite(v), axis=list(range(1, v.shape.rank))) for v in self.step.weights
        ]
        out["finite"] = tf.reduce_all(tf.stack(per_seed), axis=0)
        return out

    @tf.function(autograph=False)
    def undo_advance(self) -> None:
        """Put back the variables as they were before the last `advance`."""
        assign_all(self.state_variables, self._backup.copies)

    def backed_up(self, i: int) -> list[np.ndarray]:
        """The i-th seed's slice of every per-seed variable as it was before the last
        `advance` (the scalars are shared by the block)."""
        return [v.numpy()[i] for v in self._backup.copies if v.shape.rank]

    def restore_seed(self, i: int, values: list[np.ndarray]) -> None:
        for variable, value in zip([v for v in self.state_variables if v.shape.rank], values, strict=True):
            variable[i].assign(value)

    # --- the state, for checkpoints -------------------------------------------------------
    @property
    def state_variables(self) -> list[tf.Variable]:
        """Every variable of the block (tf.Module's own list, in a fixed order)."""
        return list(self.variables)

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
    """How each seed's run ended: the epochs it trained, and whether it diverged."""

    epochs_done: list[int]
    diverged: list[bool]


def fit(
    trainer: Trainer,
    kl: Callable[[np.ndarray], float],
    *,
    checkpoint_every: int = 1,
    save_checkpoint: Callable[[int], None] | None = None,
    on_row: Callable[[int, int, dict[str, float]], None] | None = None,
    on_epochs: Callable[[int], None] | None = None,
) -> FitResult:
    """Train every seed of the block from the trainer's current epoch to cfg.epochs.

    Stops at every history row and animation frame, and at the last epoch. A seed whose
    losses or weights stop being finite keeps the state of the previous stop and ends
    there, `diverged`, so what gets exported is its last good generator (the others train
    on; the block stops when no seed is left). A checkpoint is saved at the first stop at
    or after each multiple of `checkpoint_every` and at the end: how often a run is saved
    changes nothing it computes. On KeyboardInterrupt the state of the previous stop is
    restored before re-raising. `on_row(epoch, i, row)`: each history row of seed i.
    """
    cfg = trainer.cfg
    epoch = int(trainer.epoch.numpy())
    result = FitResult(epochs_done=[epoch] * trainer.size, diverged=[False] * trainer.size)
    if epoch == 0 and np.isnan(trainer.recorder.history[0, 0, 0].numpy()):
        _record(trainer, 0, trainer.advance(tf.constant(0, tf.int64)), kl, result.diverged, on_row)
    ended: dict[int, list[np.ndarray]] = {}  # each diverged seed's state at its last good stop
    try:
        while epoch < cfg.epochs:
            target = min([(epoch // k + 1) * k for k in (cfg.log_every, cfg.snapshot_every)] + [cfg.epochs])
            out = trainer.advance(tf.constant(target - epoch, tf.int64))
            good = _record(trainer, target, out, kl, result.diverged, on_row)
            newly = [i for i, ok in enumerate(good) if not ok and not result.diverged[i]]
            for i in newly:
                ended[i] = trainer.backed_up(i)
                result.diverged[i] = True
            if all(result.diverged):
                trainer.undo_advance()
                break
            previous, epoch = epoch, target
            for i, stopped in enumerate(result.diverged):
                if not stopped:
                    result.epochs_done[i] = epoch
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
    for i, values in ended.items():
        trainer.restore_seed(i, values)
    return result


def _record(
    trainer: Trainer,
    epoch: int,
    probe: dict[str, tf.Tensor],
    kl: Callable[[np.ndarray], float],
    diverged: list[bool],
    on_row: Callable[[int, int, dict[str, float]], None] | None,
) -> list[bool]:
    """The recorder's rows and frames for this stop, per seed still training; per seed,
    False if its weights or its probe are not finite (nothing is stored for it then)."""
    out = {k: v.numpy() for k, v in probe.items()}
    finite = out.pop("finite")
    recorded = trainer.recorder.record(epoch, out, kl, [not d for d in diverged], on_row)
    return [bool(f) and r for f, r in zip(finite, recorded, strict=True)]

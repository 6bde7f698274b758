"""The mathematics of one training step: the two networks, their Adam optimizers and the
optional averages (EMA of G, Lookahead on both), and the tutorial's update order, D then
G on the same noise. For a block of seeds at once: every variable has a leading seed
axis, each loss is one per seed, and each update differentiates their sum, whose
gradient for seed s's weights is seed s's own."""

from __future__ import annotations

from gan.training import adam, d_gradient, losses, networks
from gan.training.tf_setup import tf

import numpy as np


class Rates:
    """The step's float params as variables, so they are inputs of the compiled program,
    not constants in it: a run at another lr (`dvc exp run -S train.lr=...`) finds its
    program in the XLA cache. Each holds the float32 its constant held, and the bytes
    are the constants' (checked). lr_decay and r1_gamma stay constants: as variables they
    changed the bytes (XLA rewrites a division by a constant); and switching the EMA or
    lookahead on or off changes the program. Set from params, never trained: neither a
    tf.Module here nor in Adam (a plain namespace there), so checkpoints, backups and a
    block's state leave them out."""

    def __init__(self, cfg):
        def rate(value: float, name: str) -> tf.Variable:
            return tf.Variable(np.float32(value), trainable=False, name=name)

        self.lr_g, self.lr_d = rate(cfg.lr, "lr_g"), rate(cfg.lr * cfg.d_lr_ratio, "lr_d")
        self.beta_1 = rate(cfg.beta_1, "beta_1")
        self.ema_decay = rate(cfg.ema_decay, "ema_decay")
        self.lookahead_alpha = rate(cfg.lookahead_alpha, "lookahead_alpha")


class Step(tf.Module):
    """The players and how one batch moves them. `cfg` is the trainer's Config."""

    def __init__(self, cfg, seeds: tuple[int, ...]):
        super().__init__(name="step")
        self.cfg = cfg
        g, d = self._starts(seeds)
        self.generator, self.discriminator = networks.MLP(g, "generator"), networks.MLP(d, "discriminator")
        self.rates = Rates(cfg)
        self.opt_d = adam.Adam(self.discriminator.params, self.rates.lr_d, self.rates.beta_1, name="adam_d")
        self.opt_g = adam.Adam(self.generator.params, self.rates.lr_g, self.rates.beta_1, name="adam_g")
        # Exponential moving average of G's weights (none when ema_decay is 0), warmed up
        # (see __call__).
        self.ema = [tf.Variable(v, name="ema") for v in self.generator.params] if cfg.ema_decay else []
        # Lookahead on both players (Chavdarova et al. 2021): slow copies of every weight
        # that, every lookahead_k G steps, move lookahead_alpha of the way to the fast
        # weights, which then restart from them. It damps the rotation around the
        # equilibrium that plain simultaneous updates keep circling at large steps.
        self.slow = [tf.Variable(v, name="slow") for v in self.weights] if cfg.lookahead_k else []

    @property
    def weights(self) -> list[tf.Variable]:
        """G's weights, then D's."""
        return self.generator.params + self.discriminator.params

    def _starts(self, seeds: tuple[int, ...]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        cfg = self.cfg
        g = [
            networks.generator(cfg.g_input, cfg.g_hidden, s, cfg.g_init, cfg.g_init_margin, cfg.g_layers)
            for s in seeds
        ]
        return networks.stack(g), networks.stack([networks.discriminator(cfg.d_hidden, s) for s in seeds])

    def reset(self, seeds: tuple[int, ...]) -> None:
        """Back to the starting values of a fresh Step of these seeds (as many as it was
        built for)."""
        g, d = self._starts(seeds)
        self.generator.set_weights(g)
        self.discriminator.set_weights(d)
        for opt in (self.opt_d, self.opt_g):
            opt.reset()
        for copies, sources in ((self.ema, self.generator.params), (self.slow, self.weights)):
            if copies:
                assign_all(copies, sources)

    def discriminator_objective(self, x: tf.Tensor, fake: tf.Tensor) -> tf.Tensor:
        """D's loss per seed, plus R1 (Mescheder et al. 2018) when r1_gamma > 0: gamma / 2 times
        the mean squared slope of D's logit at the real samples, which damps D near the
        equilibrium instead of letting it circle with G. The definition: D's updates use
        its gradient in closed form (gan/training/d_gradient.py, tested against this)."""
        d = self.discriminator
        if not self.cfg.r1_gamma:
            return losses.discriminator_loss(d(x), d(fake))
        with tf.GradientTape() as inner:
            inner.watch(x)
            logit_real = d(x)
        slope = inner.gradient(logit_real, x)  # each logit depends on its own x only
        penalty = 0.5 * self.cfg.r1_gamma * tf.reduce_mean(tf.square(slope), axis=[1, 2])
        return losses.discriminator_loss(logit_real, d(fake)) + penalty

    def update_discriminator(self, x: tf.Tensor, fake: tf.Tensor, lr_scale=1.0) -> None:
        """One Adam step of D on a batch of real and generated samples, down the gradient of
        discriminator_objective (in closed form: under 0.6 of the tape's time)."""
        d = self.discriminator
        grads = d_gradient.discriminator_gradients(d.params, x, fake, self.cfg.r1_gamma)
        self.opt_d.apply(grads, d.params, lr_scale)

    def update_generator(self, z: tf.Tensor, lr_scale=1.0) -> None:
        """One Adam step of G on the same noise, against the updated D."""
        d, g = self.discriminator, self.generator
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(losses.generator_loss(d(g(z)), self.cfg.loss))
        self.opt_g.apply(tape.gradient(loss, g.params), g.params, lr_scale)

    def __call__(self, x: tf.Tensor, z: tf.Tensor, lr_scale=1.0) -> None:
        """The tutorial's step: D first, then G, on the same z. With d_steps > 1, D takes
        that many updates on this batch before G's one (like k in Goodfellow et al.'s
        algorithm 1, which draws a fresh batch for each): a D closer to its optimum for
        the current G, whose gradient then points G more steadily towards the data.
        `lr_scale` multiplies both learning rates (the trainer's decay)."""
        fake = self.generator(z)
        if self.cfg.d_steps == 1:
            self.update_discriminator(x, fake, lr_scale)
        else:  # a graph loop, not d_steps traced copies of the update (slow to trace)

            def d_step(k):
                self.update_discriminator(x, fake, lr_scale)
                return (k + 1,)

            tf.while_loop(lambda k: k < self.cfg.d_steps, d_step, (tf.constant(0),))
        self.update_generator(z, lr_scale)
        if self.slow:
            tf.cond(self.opt_g.iterations % self.cfg.lookahead_k == 0, self._lookahead, lambda: None)
        if self.ema:
            # Warmed up as tf.train.ExponentialMovingAverage(num_updates=t) does: after G's
            # t-th step the decay is min(ema_decay, (1 + t) / (10 + t)), so the average
            # forgets G's random initial weights within a few steps and, early on,
            # follows G closely instead of dragging 200 steps behind it.
            t = tf.cast(self.opt_g.iterations, tf.float32)
            decay = tf.minimum(self.rates.ema_decay, (1.0 + t) / (10.0 + t))
            for average, weight in zip(self.ema, self.generator.params, strict=True):
                average.assign_sub((1.0 - decay) * (average - weight))

    def _lookahead(self) -> None:
        alpha = self.rates.lookahead_alpha
        for slow, fast in zip(self.slow, self.weights, strict=True):
            slow.assign_add(alpha * (fast - slow))
            fast.assign(slow)

    def export_weights(self, i: int) -> list[np.ndarray]:
        """The generator to export for the block's i-th seed: the moving average if there
        is one, else G itself."""
        return [v.numpy()[i] for v in self.ema] if self.ema else self.generator.seed_weights(i)


def assign_all(targets, sources) -> None:
    for target, source in zip(targets, sources, strict=True):
        target.assign(source)

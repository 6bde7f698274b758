"""The GAN losses, computed from D's logit.

The tutorial writes them with log(D + 1e-8) on a sigmoid output. Since
-log(sigmoid(l)) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l), the same numbers
come exactly from the logit, with no -inf when the sigmoid saturates (inside tf.function
the graph optimiser folds 1 - s + 1e-8 to 1 - s, which removes the tutorial's guard).

Logits are [S, B, 1] (a block of S seeds); each loss is [S], one per seed: means over
the batch, never over seeds.
"""

from __future__ import annotations

from gan.training.tf_setup import tf

LOSSES = ("minimax", "non_saturating")


def _mean(v: tf.Tensor) -> tf.Tensor:
    return tf.reduce_mean(v, axis=[1, 2])


def discriminator_loss(logit_real: tf.Tensor, logit_fake: tf.Tensor) -> tf.Tensor:
    """-mean(log D(x)) - mean(log(1 - D(G(z)))); ln 4 when D = 1/2 everywhere."""
    return _mean(tf.nn.softplus(-logit_real)) + _mean(tf.nn.softplus(logit_fake))


def generator_loss(logit_fake: tf.Tensor, kind: str = "minimax") -> tf.Tensor:
    """minimax: mean(log(1 - D(G(z)))), the tutorial's (ln 0.5 at D = 1/2);
    non_saturating: -mean(log D(G(z))), stronger gradients while D wins."""
    if kind == "minimax":
        return -_mean(tf.nn.softplus(logit_fake))
    if kind == "non_saturating":
        return _mean(tf.nn.softplus(-logit_fake))
    raise ValueError(f"unknown generator loss {kind!r}; expected one of {LOSSES}")

"""The tutorial's two networks, built the same low-level way (variables and matmuls).

Both are one hidden ReLU layer and one linear output unit; the discriminator's sigmoid is
applied by its callers, so the losses can work from the logit.
"""

from __future__ import annotations

import numpy as np

from gan.tf_setup import tf


class MLP(tf.Module):
    """x -> Dense(n_hidden, ReLU) -> Dense(1); every weight and bias drawn from N(0, 1)."""

    def __init__(self, n_in: int, n_hidden: int, seed: tuple[int, ...], name: str):
        super().__init__(name=name)
        rng = np.random.default_rng(list(seed))

        def normal(*shape: int, label: str) -> tf.Variable:
            return tf.Variable(rng.standard_normal(shape).astype(np.float32), name=label)

        self.w_hidden = normal(n_in, n_hidden, label="w_hidden")
        self.b_hidden = normal(n_hidden, label="b_hidden")
        self.w_out = normal(n_hidden, 1, label="w_out")
        self.b_out = normal(1, label="b_out")
        self.params = [self.w_hidden, self.b_hidden, self.w_out, self.b_out]

    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        hidden = tf.nn.relu(tf.matmul(x, self.w_hidden) + self.b_hidden)
        return tf.matmul(hidden, self.w_out) + self.b_out

    def get_weights(self) -> list[np.ndarray]:
        return [v.numpy() for v in self.params]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        for variable, value in zip(self.params, weights, strict=True):
            variable.assign(value)


def generator(g_input: int, g_hidden: int, seed: int) -> MLP:
    """G: z (g_input) -> x (1), no output activation."""
    return MLP(g_input, g_hidden, (seed, 1), name="generator")


def discriminator(d_hidden: int, seed: int) -> MLP:
    """D's logit: x (1) -> logit (1); D(x) = sigmoid(logit)."""
    return MLP(1, d_hidden, (seed, 2), name="discriminator")

"""The tutorial's two networks, built the same low-level way (variables, products, sums).

Both are one hidden ReLU layer and one linear output unit; the discriminator's sigmoid is
applied by its callers, so the losses can work from the logit.
"""

from __future__ import annotations

from gan.training.tf_setup import tf

import numpy as np


def dense(x: tf.Tensor, w: tf.Tensor) -> tf.Tensor:
    """x @ w, without a matmul: elementwise products summed by TensorFlow's own reductions.

    Why: TensorFlow's MatMul runs oneDNN's sgemm, which picks its kernel from the CPU at
    run time and cuts a long sum into blocks sized from the CPU's caches. The weight
    gradients are sums over the batch (1000 rows in the history's probe), and measured
    on two CPUs pinned at the same AVX2 level, the probe's gradient norm differed in the
    last bit. The reductions used here are compiled into TensorFlow, with no kernel
    chosen at run time: the same sums in the same order whatever the CPU's level or
    caches. The layers are tiny, so it costs little (docs/speed.md).
    """
    n_in, n_out = w.shape
    if n_in == 1:  # one product per output: exactly what the matmul computes
        return x * w
    if n_out == 1:
        return tf.reduce_sum(x * tf.reshape(w, [1, n_in]), axis=1, keepdims=True)
    return tf.reduce_sum(x[:, :, None] * w, axis=1)


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
        hidden = tf.nn.relu(dense(x, self.w_hidden) + self.b_hidden)
        return dense(hidden, self.w_out) + self.b_out

    def get_weights(self) -> list[np.ndarray]:
        return [v.numpy() for v in self.params]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        for variable, value in zip(self.params, weights, strict=True):
            variable.assign(value)


G_INITS = ("normal", "linear", "linear_he")


def generator(g_input: int, g_hidden: int, seed: int, init: str = "normal", margin: float = 3.0) -> MLP:
    """G: z (g_input) -> x (1), no output activation.

    init "normal": every weight and bias from N(0, 1), the tutorial's. "linear": each
    hidden bias `margin` times its unit's weight norm, so every ReLU starts on for all
    but the far tail of the noise (G starts as an almost linear, so almost normal, map),
    and the output bias cancelling them, so G starts centred on 0. "linear_he": "linear"
    after scaling the weights to variance 2 / fan-in (docs/convergence.md).
    """
    g = MLP(g_input, g_hidden, (seed, 1), name="generator")
    if init == "linear_he":
        g.w_hidden.assign(g.w_hidden * np.sqrt(2.0 / g_input))
        g.w_out.assign(g.w_out * np.sqrt(2.0 / g_hidden))
    if init in ("linear", "linear_he"):
        b_hidden = margin * np.linalg.norm(g.w_hidden.numpy(), axis=0)
        g.b_hidden.assign(b_hidden)
        g.b_out.assign([-float(b_hidden @ g.w_out.numpy()[:, 0])])
    elif init != "normal":
        raise ValueError(f"unknown model.g_init {init!r}; expected one of {G_INITS}")
    return g


def discriminator(d_hidden: int, seed: int) -> MLP:
    """D's logit: x (1) -> logit (1); D(x) = sigmoid(logit)."""
    return MLP(1, d_hidden, (seed, 2), name="discriminator")

"""The tutorial's two networks, built the same low-level way (variables, products, sums).

Both are hidden ReLU layers (the tutorial's one; G may have more, `model.g_layers`) and one
linear output unit; the discriminator's sigmoid is applied by its callers, so the losses
can work from the logit.
"""

from __future__ import annotations

from gan.training.tf_setup import tf

import numpy as np


def dense(x: tf.Tensor, w: tf.Tensor) -> tf.Tensor:
    """x[s] @ w[s] for every seed s of a block (x: [S, B, n_in], w: [S, n_in, n_out]),
    without a matmul: elementwise products summed by TensorFlow's own reductions.

    Why: TensorFlow's MatMul runs oneDNN's sgemm, which picks its kernel from the CPU at
    run time and cuts a long sum into blocks sized from the CPU's caches (measured: the
    last bit of a gradient norm differed between two CPUs pinned at the same level). These
    reductions are compiled into TensorFlow: the same sums in the same order on any CPU,
    and for any number of seeds beside this one.
    """
    _, n_in, n_out = w.shape
    if n_in == 1:  # one product per output: exactly what the matmul computes
        return x * w
    if n_out == 1:
        return tf.reduce_sum(x * tf.reshape(w, [-1, 1, n_in]), axis=2, keepdims=True)
    return tf.reduce_sum(x[:, :, :, None] * w[:, None], axis=2)


def labels(n_weights: int) -> list[str]:
    """Names of an MLP's weights: w_hidden, b_hidden, (w_hidden_2, b_hidden_2, ...), w_out, b_out."""
    layers = [f"_{i}" if i > 1 else "" for i in range(1, n_weights // 2)]
    return [f"{kind}_hidden{n}" for n in layers for kind in "wb"] + ["w_out", "b_out"]


class MLP(tf.Module):
    """x -> Dense(n_hidden, ReLU) (one or more) -> Dense(1) for each seed of a block: every
    weight has a leading seed axis, and seed s only ever sees its own slice."""

    def __init__(self, weights: list[np.ndarray], name: str):
        """`weights`: each hidden layer's weights and biases, then w_out, b_out, each stacked
        over the seeds."""
        super().__init__(name=name)
        self.params = [tf.Variable(w, name=n) for w, n in zip(weights, labels(len(weights)), strict=True)]
        self.w_hidden, self.b_hidden = self.params[:2]
        self.w_out, self.b_out = self.params[-2:]

    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        for w, b in zip(self.params[:-2:2], self.params[1:-2:2], strict=True):
            x = tf.nn.relu(dense(x, w) + b[:, None, :])
        return dense(x, self.w_out) + self.b_out[:, None, :]

    def get_weights(self) -> list[np.ndarray]:
        return [v.numpy() for v in self.params]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        for variable, value in zip(self.params, weights, strict=True):
            variable.assign(value)

    def seed_weights(self, i: int) -> list[np.ndarray]:
        """The weights of the block's i-th seed, unstacked."""
        return [v.numpy()[i] for v in self.params]


def stack(per_seed: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Each seed's weights (lists in the same layout), stacked along a leading seed axis."""
    return [np.stack(arrays) for arrays in zip(*per_seed, strict=True)]


def _standard_normal(n_in: int, n_hidden: int, seed: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(list(seed))
    shapes = ((n_in, n_hidden), (n_hidden,), (n_hidden, 1), (1,))
    return [rng.standard_normal(shape).astype(np.float32) for shape in shapes]


G_INITS = ("normal", "linear", "linear_he")


def generator(
    g_input: int, g_hidden: int, seed: int, init: str = "normal", margin: float = 3.0, layers: int = 1
) -> list[np.ndarray]:
    """G's starting weights for one seed: z (g_input) -> `layers` hidden layers of
    `g_hidden` -> x (1), no output activation.

    init "normal": every weight and bias from N(0, 1), the tutorial's. "linear": each
    hidden bias such that its unit's input, were every unit on, has a mean of `margin`
    times its std over the noise, so every ReLU starts on for all but the far tail of the
    noise (G starts as an almost linear, so almost normal, map), and the output bias
    cancelling the mean, so G starts centred on 0. "linear_he": "linear" after scaling
    the weights to variance 2 / fan-in (docs/convergence.md). The layers after the first
    draw their weights from a stream of their own, so one layer's G is the same at any depth.
    """
    if init not in G_INITS:
        raise ValueError(f"unknown model.g_init {init!r}; expected one of {G_INITS}")
    w_hidden, b_hidden, w_out, b_out = _standard_normal(g_input, g_hidden, (seed, 1))
    rng = np.random.default_rng([seed, 3])
    shapes = [((g_hidden, g_hidden), (g_hidden,))] * (layers - 1)
    deeper = [rng.standard_normal(shape).astype(np.float32) for pair in shapes for shape in pair]
    weights = [w_hidden, b_hidden, *deeper, w_out, b_out]
    if init == "linear_he":
        weights[::2] = [w * np.float32(np.sqrt(2.0 / w.shape[0])) for w in weights[::2]]
    if init in ("linear", "linear_he"):
        # each layer's input as z -> a z + c, were every unit on (z has identity covariance);
        # products summed by numpy's reductions, not BLAS (the same bits on any CPU)
        a, c = np.eye(g_input, dtype=np.float32), np.zeros(g_input, np.float32)
        for i in range(0, len(weights) - 2, 2):
            w = weights[i]
            a, shift = np.sum(a[:, :, None] * w, axis=1), np.sum(c[:, None] * w, axis=0)
            weights[i + 1] = margin * np.linalg.norm(a, axis=0) - shift
            c = shift + weights[i + 1]
        weights[-1] = np.array([-float(c @ weights[-2][:, 0])], np.float32)
    return weights


def discriminator(d_hidden: int, seed: int) -> list[np.ndarray]:
    """D's starting weights for one seed, of its logit: x (1) -> logit (1); D(x) = sigmoid(logit)."""
    return _standard_normal(1, d_hidden, (seed, 2))

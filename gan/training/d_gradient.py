"""D's gradient in closed form, for its one hidden ReLU layer on a scalar input.

What `tf.GradientTape` would give for the D objective of gan/training/step.py (the
softplus losses from the logit, plus R1's gamma / 2 times the mean squared slope of the
logit at the real samples), written out: the tape differentiates R1 by replaying the
slope's own backward pass, which is most of a D update's time; here every gradient is one
sum over the batch of terms the forward pass already has (docs/speed.md).

For one seed, with a = x w1 + b1, on = [a > 0], h = relu(a), logit = h . w2 + b2, and
e = dLoss/dlogit (-sigmoid(-logit) / B at real samples, sigmoid(logit) / B at generated
ones), slope = sum_j on_j w1_j w2_j, r = gamma / B * slope at the real samples:
    dw2_j = sum_b (e h_j + r on_j w1_j)     db2 = sum_b e
    dw1_j = w2_j sum_b on_j (e x + r)       db1_j = w2_j sum_b on_j e
(sums over both batches; r only on the real one). ReLU's derivative at 0 is 0 and its
second derivative is 0, as in TensorFlow.
"""

from __future__ import annotations

from gan.training.tf_setup import tf


def discriminator_gradients(params, x: tf.Tensor, fake: tf.Tensor, r1_gamma: float) -> list[tf.Tensor]:
    """[dw_hidden, db_hidden, dw_out, db_out] of the summed per-seed D objectives, for
    D's params [w1 [S, 1, H], b1 [S, H], w2 [S, H, 1], b2 [S, 1]] and batches x, fake
    [S, B, 1] of the same size, as the step gives them (gradients have the params' shapes)."""
    w1, b1, w2, b2 = params
    if x.shape[1] != fake.shape[1]:
        raise ValueError(f"D's batches differ: {x.shape[1]} real, {fake.shape[1]} generated samples")
    n = x.shape[1]
    w2_row = tf.transpose(w2, [0, 2, 1])  # [S, 1, H]

    def side(v: tf.Tensor, real: bool) -> list[tf.Tensor]:
        """This batch's terms of [dw1 / w2, db1 / w2, dw2, db2], before the sum over it."""
        a = v * w1 + b1[:, None, :]  # [S, B, H]
        on = tf.cast(a > 0, tf.float32)
        h = a * on
        logit = tf.reduce_sum(h * w2_row, axis=2, keepdims=True) + b2[:, None, :]
        e = (-tf.sigmoid(-logit) if real else tf.sigmoid(logit)) / n  # [S, B, 1]
        into_a = on * e  # dLoss/da_j, over w2_j
        gw1, gw2 = into_a * v, e * h
        if real and r1_gamma:
            r = (r1_gamma / n) * tf.reduce_sum(on * (w1 * w2_row), axis=2, keepdims=True)
            gw1, gw2 = gw1 + on * r, gw2 + on * r * w1
        return [gw1, into_a, gw2, e]

    # one sum over the batch for both sides (a sum each would cost a sixth of a step more)
    terms = [a + b for a, b in zip(side(x, True), side(fake, False), strict=True)]
    gw1, gb1, gw2, gb2 = (tf.reduce_sum(t, axis=1) for t in terms)  # [S, H], [S, H], [S, H], [S, 1]
    return [w2_row * gw1[:, None, :], w2_row[:, 0] * gb1, gw2[:, :, None], gb2]

"""The tutorial's training loop, kept as it was written (eager TensorFlow, tf.data batches,
numpy noise, clip_log losses), with only its bugs fixed: the generator is trained and D
and G have their own Adam. Keras 3 optimizers have no `minimize`, so each
`opt.minimize(loss, var_list)` is spelled as a GradientTape and `apply_gradients`, which
is what `minimize` did. Used by benchmarks/train_speed.py as the speed baseline."""

from __future__ import annotations

import time

from gan.training.tf_setup import tf

import keras
import numpy as np


def clip_log(x):
    return tf.math.log(x + 1e-8)


def run(
    real_data: np.ndarray, epochs: int, d_hidden=8, g_input=8, g_hidden=4, lr=5e-4, batch_size=300, seed=0
) -> list[float]:
    """Train like the tutorial; returns the wall time of every step (D + G update)."""
    tf.random.set_seed(seed)
    np.random.seed(seed)
    batches = (
        tf.data.Dataset.from_tensor_slices(real_data)
        .shuffle(buffer_size=real_data.shape[0])
        .batch(batch_size=batch_size)
    )

    def var(*shape):
        return tf.Variable(tf.random.normal(shape=shape))

    d_wh, d_bh, d_wo, d_bo = var(1, d_hidden), var(d_hidden), var(d_hidden, 1), var(1)
    g_wh, g_bh, g_wo, g_bo = var(g_input, g_hidden), var(g_hidden), var(g_hidden, 1), var(1)
    theta_d, theta_g = [d_wh, d_bh, d_wo, d_bo], [g_wh, g_bh, g_wo, g_bo]

    def discriminator(x):
        return tf.nn.sigmoid(tf.matmul(tf.nn.relu(tf.matmul(x, d_wh) + d_bh), d_wo) + d_bo)

    def generator(z):
        return tf.matmul(tf.nn.relu(tf.matmul(z, g_wh) + g_bh), g_wo) + g_bo

    def make_z(m):
        return np.random.uniform(-1.0, 1.0, size=[m, g_input]).astype(np.float32)

    def loss_discriminator(x, z):
        return -tf.reduce_mean(clip_log(discriminator(x)) + clip_log(1 - discriminator(generator(z))))

    def loss_generator(z):
        return tf.reduce_mean(clip_log(1 - discriminator(generator(z))))

    def minimize(opt, loss_fn, var_list):
        with tf.GradientTape() as tape:
            loss = loss_fn()
        opt.apply_gradients(zip(tape.gradient(loss, var_list), var_list, strict=True))

    opt_d = keras.optimizers.Adam(learning_rate=lr)
    opt_g = keras.optimizers.Adam(learning_rate=lr)
    step_times = []
    for _ in range(epochs):
        for x_batch in batches:
            start = time.perf_counter()
            z_batch = make_z(x_batch.shape[0])
            # the lambdas are called at once, inside this iteration
            minimize(opt_d, lambda: loss_discriminator(x_batch, z_batch), theta_d)  # noqa: B023
            minimize(opt_g, lambda: loss_generator(z_batch), theta_g)  # noqa: B023
            step_times.append(time.perf_counter() - start)
    return step_times

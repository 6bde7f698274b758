from gan.training.adam import Adam
from gan.training.tf_setup import tf

import keras
import numpy as np


def test_matches_keras_adam_step_for_step():
    rng = np.random.default_rng(0)
    start = rng.normal(size=(4, 3)).astype(np.float32)
    ours, theirs = tf.Variable(start), tf.Variable(start)
    mine, reference = Adam([ours], lr=5e-3), keras.optimizers.Adam(learning_rate=5e-3)
    for _ in range(25):
        grad = tf.constant(rng.normal(size=(4, 3)).astype(np.float32))
        mine.apply([grad], [ours])
        reference.apply_gradients([(grad, theirs)])
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-7)
    assert not np.allclose(ours.numpy(), start)
    assert int(mine.iterations.numpy()) == 25

import math

from gan.training import losses
from gan.training.tf_setup import tf

import numpy as np
import pytest


def tutorial_losses(d_real, d_fake):
    clip_log = lambda x: np.log(x + 1e-8)  # noqa: E731  (the tutorial's helper)
    loss_d = -np.mean(clip_log(d_real) + clip_log(1 - d_fake))
    loss_g = np.mean(clip_log(1 - d_fake))
    return loss_d, loss_g


def test_equilibrium_values():
    zero = tf.zeros([3, 50, 1])  # logit 0 means D = 1/2; three seeds, one loss each
    np.testing.assert_allclose(losses.discriminator_loss(zero, zero).numpy(), [math.log(4)] * 3, rtol=1e-6)
    np.testing.assert_allclose(losses.generator_loss(zero, "minimax").numpy(), [math.log(0.5)] * 3, rtol=1e-6)
    np.testing.assert_allclose(
        losses.generator_loss(zero, "non_saturating").numpy(), [math.log(2)] * 3, rtol=1e-6
    )


def test_each_seed_has_its_own_loss():
    logits = tf.constant([[[0.0], [0.0]], [[5.0], [-5.0]]])  # seed 0 at equilibrium, seed 1 not
    loss = losses.discriminator_loss(logits, logits).numpy()
    assert loss.shape == (2,) and loss[0] == pytest.approx(math.log(4)) and loss[1] != pytest.approx(loss[0])


def test_equal_to_the_tutorials_formula_where_it_is_finite():
    rng = np.random.default_rng(0)
    logit_real = rng.normal(0, 3, (1, 300, 1)).astype(np.float64)
    logit_fake = rng.normal(0, 3, (1, 300, 1)).astype(np.float64)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    want_d, want_g = tutorial_losses(sig(logit_real), sig(logit_fake))
    got_d = float(losses.discriminator_loss(tf.constant(logit_real), tf.constant(logit_fake))[0])
    got_g = float(losses.generator_loss(tf.constant(logit_fake))[0])
    assert got_d == pytest.approx(want_d, rel=1e-6)
    assert got_g == pytest.approx(want_g, rel=1e-6)


def test_finite_where_the_sigmoid_saturates():
    big = tf.constant([[[40.0], [-40.0]]])  # sigmoid is exactly 1.0 / ~0 in float32
    assert tf.sigmoid(big)[0, 0, 0].numpy() == 1.0
    assert np.all(np.isfinite(losses.discriminator_loss(-big, big).numpy()))
    assert float(losses.generator_loss(big)[0]) == pytest.approx(-20.0, rel=1e-4)


def test_unknown_loss_is_refused():
    with pytest.raises(ValueError, match="unknown generator loss"):
        losses.generator_loss(tf.zeros([1, 1, 1]), "wasserstein")

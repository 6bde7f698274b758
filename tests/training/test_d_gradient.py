"""D's closed-form gradient (gan/training/d_gradient.py) against what TensorFlow's tape
gives for the objective it stands for (Step.discriminator_objective)."""

from gan.training import d_gradient, trainer
from gan.training.tf_setup import tf

import numpy as np
import pytest

from tests.training.test_trainer import config, new_trainer


@pytest.mark.parametrize("xla", [False, True])
@pytest.mark.parametrize("r1_gamma", [0.0, 0.5])
@pytest.mark.parametrize("batch", [30, 7])
def test_closed_form_is_the_tapes_gradient_seed_by_seed(r1_gamma, batch, xla):
    rng = np.random.default_rng(batch)
    real = rng.normal(size=(100, 1)).astype(np.float32)
    t = trainer.Trainer(real, config(r1_gamma=r1_gamma, d_hidden=16), (1, 2, 3))  # three seeds' own D
    d = t.discriminator
    x = tf.constant(rng.normal(size=(3, batch, 1)).astype(np.float32))
    fake = tf.constant(rng.normal(1.0, 2.0, size=(3, batch, 1)).astype(np.float32))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(t.step.discriminator_objective(x, fake))
    want = tape.gradient(total, d.params)
    closed_form = tf.function(d_gradient.discriminator_gradients, jit_compile=xla, autograph=False)
    got = closed_form(d.params, x, fake, r1_gamma)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=2e-5, atol=1e-6)
    # seed 0's gradient is its own: computed alone, it is the same
    alone = closed_form([v[:1] for v in d.params], x[:1], fake[:1], r1_gamma)
    for a, g in zip(alone, got, strict=True):
        np.testing.assert_allclose(a.numpy(), g.numpy()[:1], rtol=1e-6, atol=1e-7)


def test_r1_moves_only_what_the_slope_depends_on():
    """R1 differentiates the slope sum_j on_j w1_j w2_j: the biases get nothing from it."""
    rng = np.random.default_rng(0)
    t = new_trainer(rng.normal(size=(100, 1)).astype(np.float32))
    x = tf.constant(rng.normal(size=(1, 30, 1)).astype(np.float32))
    fake = tf.constant(rng.normal(size=(1, 30, 1)).astype(np.float32))
    params = t.discriminator.params
    plain = d_gradient.discriminator_gradients(params, x, fake, 0.0)
    penalised = d_gradient.discriminator_gradients(params, x, fake, 1.0)
    changed = [not np.allclose(a.numpy(), b.numpy()) for a, b in zip(plain, penalised, strict=True)]
    assert changed == [True, False, True, False]


def test_batches_of_two_sizes_are_refused():
    t = new_trainer(np.zeros((100, 1), np.float32))
    x, fake = tf.zeros([1, 30, 1]), tf.zeros([1, 20, 1])
    with pytest.raises(ValueError, match="30 real, 20 generated"):
        d_gradient.discriminator_gradients(t.discriminator.params, x, fake, 0.1)

"""The step's mathematics (gan/training/step.py), run through a trainer: which
variables one update moves, the averages (EMA, Lookahead) and R1."""

from gan.training.tf_setup import tf

import numpy as np
import pytest

from tests.training.test_trainer import changed, new_trainer, weights


def test_a_step_changes_only_the_variables_it_should(real):
    t = new_trainer(real)
    x, z = tf.constant(real[None, :30]), tf.random.uniform([1, 30, 8], -1, 1, seed=0)
    g0, d0 = weights(t.generator), weights(t.discriminator)
    t.step.update_discriminator(x, t.generator(z))
    g1, d1 = weights(t.generator), weights(t.discriminator)
    assert not any(changed(g0, g1)) and all(changed(d0, d1))
    t.step.update_generator(z)
    g2, d2 = weights(t.generator), weights(t.discriminator)
    assert all(changed(g1, g2)) and not any(changed(d1, d2))


def test_initial_weights_are_standard_normal_and_seeded(real):
    a, b = new_trainer(real), new_trainer(real)
    for wa, wb in zip(a.generator.get_weights(), b.generator.get_weights(), strict=True):
        assert np.array_equal(wa, wb)
    c = new_trainer(real, seed=2)
    assert not np.array_equal(a.generator.get_weights()[0], c.generator.get_weights()[0])
    big = new_trainer(real, d_hidden=4000).discriminator.get_weights()[0]
    assert abs(big.mean()) < 0.1 and abs(big.std() - 1) < 0.1


def test_exported_generator_is_the_warmed_up_average_of_every_step(real):
    decay = 0.8
    t = new_trainer(real, ema_decay=decay)
    average = weights(t.generator)  # starts at G's initial weights ...
    for k in range(1, 6):
        x, z = tf.constant(real[None, 20 * (k - 1) : 20 * k]), tf.random.normal([1, 20, 8], seed=k)
        t.step(x, z)
        rate = min(decay, (1 + k) / (10 + k))  # ... which the warm-up soon forgets
        average = [rate * a + (1 - rate) * w for a, w in zip(average, weights(t.generator), strict=True)]
    assert (1 + 5) / (10 + 5) < decay  # the warm-up was in force for all 5 steps
    for got, want in zip(t.export_weights(), average, strict=True):
        assert np.isfinite(got).all()  # assert_allclose holds between two NaNs
        np.testing.assert_allclose(got, want[0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(t.export_weights()[0], t.generator.seed_weights(0)[0])


def test_average_decay_is_capped_at_ema_decay(real):
    t = new_trainer(real, ema_decay=0.7)
    t.step.opt_g.iterations.assign(1000)  # long past the warm-up: the rate is ema_decay itself
    before, x, z = weights(t.generator), tf.constant(real[None, :30]), tf.random.normal([1, 30, 8], seed=0)
    average = [a.numpy().copy() for a in t.step.ema]
    t.step(x, z)
    want = [0.7 * a + 0.3 * w for a, w in zip(average, weights(t.generator), strict=True)]
    for got, w in zip(t.export_weights(), want, strict=True):
        np.testing.assert_allclose(got, w[0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(before[0], t.generator.get_weights()[0])


def test_without_an_average_g_itself_is_exported(real):
    t = new_trainer(real, ema_decay=0.0)
    t.run_epochs(tf.constant(1, tf.int64))
    for got, want in zip(t.export_weights(), t.generator.seed_weights(0), strict=True):
        assert np.array_equal(got, want)


def test_r1_adds_gamma_over_two_times_the_mean_squared_slope_of_d_at_real_samples(real):
    x = tf.constant(real[None, :30])
    fake = tf.constant(np.linspace(-2, 2, 30, dtype=np.float32)[None, :, None])
    plain, r1 = new_trainer(real), new_trainer(real, r1_gamma=0.5)
    w_h, b_h, w_o, _ = (w.astype(np.float64) for w in r1.discriminator.seed_weights(0))
    active = (real[:30].astype(np.float64) @ w_h + b_h) > 0
    slope = active @ (w_h[0] * w_o[:, 0])  # d logit / dx of a one-input ReLU layer
    penalty = 0.5 * 0.5 * np.mean(slope**2)
    d = r1.discriminator
    with tf.GradientTape() as tape:
        total = r1.step.discriminator_objective(x, fake)  # one per seed
    from gan.training import losses

    assert float(total[0]) == pytest.approx(
        float(losses.discriminator_loss(d(x), d(fake))[0]) + penalty, rel=1e-5
    )
    assert float(plain.step.discriminator_objective(x, fake)[0]) == pytest.approx(
        float(losses.discriminator_loss(plain.discriminator(x), plain.discriminator(fake))[0]), rel=1e-6
    )
    assert tape.gradient(total, d.params)[0] is not None


def test_lookahead_moves_the_slow_weights_alpha_of_the_way_every_k_steps(real):
    x, z = tf.constant(real[None, :30]), tf.random.stateless_normal([1, 30, 8], seed=[1, 2])
    fast = new_trainer(real)
    look = new_trainer(real, lookahead_k=2, lookahead_alpha=0.25)
    start = weights(look.generator) + weights(look.discriminator)
    look.step(x, z)  # step 1: no sync, the fast weights are plain Adam's
    fast.step(x, z)
    for a, b in zip(weights(look.generator), weights(fast.generator), strict=True):
        assert np.array_equal(a, b)
    look.step(x, z)  # step 2: slow += 0.25 (fast - slow); fast = slow
    fast.step(x, z)
    after = weights(look.generator) + weights(look.discriminator)
    plain = weights(fast.generator) + weights(fast.discriminator)
    for w0, w, wf in zip(start, after, plain, strict=True):
        np.testing.assert_allclose(w, w0 + 0.25 * (wf - w0), rtol=1e-5, atol=1e-6)

import math

import numpy as np
import pytest

from gan import evaluation, losses
from gan.tf_setup import tf


def test_scores_hold_every_reported_key_and_match_the_tf_losses():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=1000), rng.normal(0.2, 1.1, size=5000)
    logit_real, logit_fake = rng.normal(size=(1000, 1)), rng.normal(size=(5000, 1))
    s = evaluation.score(real, fake, logit_real, logit_fake, bins=40, range_std=4, pseudocount=0.5)
    for key in ["kl_divergence", "js_divergence", "wasserstein_1", "ks_statistic", "fake_mean",
                "fake_std", "d_real_mean", "d_fake_mean", "loss_d", "loss_g", "mean_error",
                "std_error", "fake_skewness", "fake_excess_kurtosis"]:
        assert math.isfinite(s[key]), key
    assert s["loss_d"] == pytest.approx(float(losses.discriminator_loss(
        tf.constant(logit_real), tf.constant(logit_fake))), rel=1e-9)
    assert s["loss_g"] == pytest.approx(float(losses.generator_loss(tf.constant(logit_fake))), rel=1e-9)
    assert s["mean_error"] == pytest.approx(abs(fake.mean() - real.mean()))


def test_a_blind_discriminator_scores_the_equilibrium():
    x = np.zeros((10, 1))
    s = evaluation.score(np.arange(10.0), np.arange(10.0), x, x, bins=5, range_std=2, pseudocount=0.5)
    assert s["d_real_mean"] == s["d_fake_mean"] == 0.5
    assert s["loss_d"] == pytest.approx(math.log(4))
    assert s["loss_g"] == pytest.approx(math.log(0.5))

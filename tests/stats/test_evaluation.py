import math

from gan.stats import evaluation
from gan.stats.distributions import Mixture
from gan.training import losses
from gan.training.tf_setup import tf

import numpy as np
import pytest

BINS = dict(bins=40, range_std=4.0, pseudocount=0.5)
N01 = Mixture((0.0,), (1.0,), (1.0,))


def measure(real, fake, logit_real=None, logit_fake=None, dist=N01, logit_grid=None):
    logit_real = np.zeros((len(real), 1)) if logit_real is None else logit_real
    logit_fake = np.zeros((len(fake), 1)) if logit_fake is None else logit_fake
    return evaluation.measure(
        real,
        fake,
        logit_real,
        logit_fake,
        dist=dist,
        collapse_ratio=0.5,
        collapse_atom=0.1,
        off_modes_share=0.05,
        logit_grid=logit_grid,
        **BINS,
    )


def test_scores_hold_every_reported_key_and_match_the_tf_losses():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=1000), rng.normal(0.2, 1.1, size=5000)
    logit_real, logit_fake = rng.normal(size=(1000, 1)), rng.normal(size=(5000, 1))
    s = measure(real, fake, logit_real, logit_fake)
    for key in [
        "kl_divergence",
        "js_divergence",
        "wasserstein_1",
        "ks_statistic",
        "fake_mean",
        "fake_std",
        "d_real_mean",
        "d_fake_mean",
        "loss_d",
        "loss_g",
        "mean_error",
        "std_error",
        "fake_skewness",
        "fake_excess_kurtosis",
        "modes_captured",
        "high_quality",
        "mode_kl",
        "emptiest_mode",
        "largest_atom",
    ]:
        assert math.isfinite(s[key]), key
    assert s["loss_d"] == pytest.approx(
        float(losses.discriminator_loss(tf.constant(logit_real[None]), tf.constant(logit_fake[None]))[0]),
        rel=1e-9,
    )
    assert s["loss_g"] == pytest.approx(
        float(losses.generator_loss(tf.constant(logit_fake[None]))[0]), rel=1e-9
    )
    assert s["mean_error"] == pytest.approx(abs(fake.mean() - real.mean()))
    assert s["mode_collapse"] is False


def test_a_blind_discriminator_scores_the_equilibrium():
    s = measure(np.arange(10.0), np.arange(10.0))
    assert s["d_real_mean"] == s["d_fake_mean"] == 0.5
    assert s["loss_d"] == pytest.approx(math.log(4))
    assert s["loss_g"] == pytest.approx(math.log(0.5))


def test_mode_collapse_is_flagged():
    rng = np.random.default_rng(2)
    real = rng.normal(size=1000)
    assert measure(real, np.full(1000, -3.2))["mode_collapse"] is True
    assert measure(real, rng.normal(0, 0.3, 1000))["mode_collapse"] is True
    mixture = Mixture((-2.0, 2.0), (0.5, 0.5), (0.5, 0.5))
    two = mixture.sample(2000, rng)[:, 0]
    one = rng.normal(2.0, 0.5, 2000)
    assert measure(two, two, dist=mixture)["modes_captured"] == 2
    assert measure(two, two, dist=mixture)["mode_collapse"] is False
    s = measure(two, one, dist=mixture)
    assert s["modes_captured"] == 1 and s["emptiest_mode"] == 0.0 and s["mode_collapse"] is True


def test_one_hump_over_two_modes_is_off_the_modes_not_a_collapse():
    """What the N(0, 1) defaults learn on the two-mode mixture: one wide hump. Here by hand:
    modes at -2 and 2 (std 0.5); a sample is off the modes beyond 3 stds (1.5) of both, so
    exactly those in (-0.5, 0.5) and beyond +-3.5."""
    mixture = Mixture((-2.0, 2.0), (0.5, 0.5), (0.5, 0.5))
    real = mixture.sample(2000, np.random.default_rng(5))[:, 0]
    # 100 samples: 46 at each mode, 6 at 0 (between), 2 at 4 (beyond): 8% off
    fake = np.concatenate([np.full(46, -2.1), np.full(46, 1.9), np.zeros(6), np.full(2, 4.0)])
    fake += np.linspace(0.0, 0.01, fake.size)  # no single value holds 10%
    s = measure(real, fake, dist=mixture)
    assert s["high_quality"] == pytest.approx(0.92) and s["modes_captured"] == 2
    assert s["off_modes"] is True and s["mode_collapse"] is False
    fake[92:96] = -2.0  # 4 of the 8 back on a mode: 4% off, within off_modes_share
    assert measure(real, fake, dist=mixture)["off_modes"] is False
    assert measure(real, real, dist=mixture)["off_modes"] is False
    # one mode: never off_modes (a wide G there is a wrong spread); nor without modes
    assert measure(real, np.random.default_rng(6).normal(0, 3, 1000))["off_modes"] is False
    failed = {"indistinguishable": False, "off_modes": True, "p_values": {}}
    assert evaluation.failure(failed) == "off the modes"


def test_a_point_mass_is_a_collapse_even_with_a_wide_spread():
    """What lr 0.05 leaves with 5 D steps: dead ReLU units map part of the noise to one
    value (the output bias) while the rest spreads wider than the real data."""
    rng = np.random.default_rng(3)
    real = rng.normal(size=1000)
    spread = rng.normal(0.0, 2.5, 10_000)
    assert measure(real, spread)["largest_atom"] == pytest.approx(1e-4)
    assert measure(real, spread)["mode_collapse"] is False
    spread[:3000] = 2.69
    s = measure(real, spread)
    assert s["largest_atom"] == pytest.approx(0.3) and s["fake_std"] > 0.5
    assert s["mode_collapse"] is True
    spread[:3000] = rng.normal(0.0, 2.5, 3000)
    spread[:900] = -0.36  # 9 %: below collapse_atom
    assert measure(real, spread)["mode_collapse"] is False


def test_largest_atom():
    assert evaluation.largest_atom(np.array([1.0, 2.0, 2.0, 3.0])) == 0.5
    assert evaluation.largest_atom(np.arange(5.0)) == 0.2
    assert evaluation.largest_atom(np.array([])) == 0.0


def test_non_finite_fakes_are_scored_as_nan_and_fail():
    s = measure(np.random.default_rng(0).normal(size=100), np.array([np.nan, 1.0]))
    assert math.isnan(s["wasserstein_1"]) and s["mode_collapse"] is True


def test_a_discriminator_without_a_kink_inside_the_data_is_blind():
    real = np.linspace(-3, 3, 1000)
    grid = evaluation.data_grid(real)
    x = grid[:, 0].astype(np.float64)
    assert evaluation.discriminator_blind(grid, np.full_like(x, 0.3))  # every unit dead
    assert evaluation.discriminator_blind(grid, 0.5 * x - 1.0)  # only always-on units
    assert evaluation.discriminator_blind(grid, 0.5 * x + 2.0 * np.maximum(x - 3.5, 0))  # kink outside
    assert not evaluation.discriminator_blind(grid, 0.5 * x + 0.2 * np.maximum(x - 1.0, 0))
    s = measure(real, real, logit_grid=np.full(len(grid), 0.3))
    assert s["discriminator_blind"] is True and "discriminator_blind" not in measure(real, real)


def test_every_failure_is_named_and_a_pass_carries_no_name():
    p = dict.fromkeys(["wasserstein_1", "ks_statistic", "kl_divergence", "std_error"], 0.5)
    shifted = {"indistinguishable": False, "p_values": {**p, "mean_error": 0.001}}
    assert evaluation.failure(shifted) == "shifted mean"
    shape = {"indistinguishable": False, "p_values": {**p, "mean_error": 0.4, "ks_statistic": 0.001}}
    assert evaluation.failure(shape) == "wrong shape"
    both = {"indistinguishable": False, "p_values": {**dict.fromkeys(p, 0.001), "mean_error": 0.001}}
    assert evaluation.failure(both) == "wrong shape, shifted mean, wrong spread"
    flagged = {**shifted, "discriminator_blind": True}
    assert evaluation.failure(flagged) == "blind D"  # its own flag first: what went wrong
    assert evaluation.failure({**flagged, "indistinguishable": True}) == ""


def test_a_distribution_without_modes_reports_no_mode_metrics_and_still_flags_a_collapse():
    from gan.stats.distributions import Empirical

    rng = np.random.default_rng(4)
    real = rng.gamma(4.0, 0.5, 1000)
    rows = Empirical(rng.gamma(4.0, 0.5, (750, 1)), "data/mine.csv")
    s = measure(real, rng.gamma(4.0, 0.5, 2000), dist=rows)
    assert "modes_captured" not in s and "high_quality" not in s and s["mode_collapse"] is False
    assert measure(real, rng.normal(0.0, 20.0, 2000), dist=rows)["off_modes"] is False  # no modes
    assert measure(real, np.full(1000, 2.0), dist=rows)["mode_collapse"] is True

import math

from gan.stats import metrics

import numpy as np
import pytest

SETTINGS = dict(bins=40, range_std=4.0, pseudocount=0.5)


def normal(n, mean=0.0, std=1.0, seed=0):
    return np.random.default_rng(seed).normal(mean, std, n)


def test_identical_samples_have_zero_divergence():
    x = normal(1000)
    d = metrics.distances(x, x.copy(), **SETTINGS)
    assert d["kl_divergence"] == pytest.approx(0.0, abs=1e-12)
    assert d["js_divergence"] == pytest.approx(0.0, abs=1e-12)
    assert d["wasserstein_1"] == 0.0 and d["ks_statistic"] == 0.0


def test_kl_of_shifted_normals_is_near_the_analytic_value():
    # KL(N(0,1) || N(0.5,1)) = 0.5^2 / 2 = 0.125
    d = metrics.distances(normal(200_000, seed=1), normal(200_000, 0.5, seed=2), **SETTINGS)
    assert d["kl_divergence"] == pytest.approx(0.125, rel=0.08)
    assert d["wasserstein_1"] == pytest.approx(0.5, abs=0.02)


def test_shared_bins_fix_the_tutorials_kl():
    # The tutorial's separate bins scored N(0,1) vs N(3,1) near 0.1; the true KL is 4.5.
    d = metrics.distances(normal(100_000, seed=1), normal(100_000, 3.0, seed=2), **SETTINGS)
    assert d["kl_divergence"] > 3.0
    assert d["js_divergence"] <= math.log(2)


def test_js_is_symmetric_and_kl_is_not():
    edges = metrics.shared_edges(normal(1000), 20, 4.0)
    p = metrics.histogram(normal(1000, seed=1), edges, 0.5)
    q = metrics.histogram(normal(1000, 1.0, 0.5, seed=2), edges, 0.5)
    assert metrics.js_divergence(p, q) == pytest.approx(metrics.js_divergence(q, p))
    assert metrics.kl_divergence(p, q) != pytest.approx(metrics.kl_divergence(q, p))


def test_outliers_count_in_the_end_bins():
    edges = np.linspace(-1, 1, 5)
    p = metrics.histogram(np.array([-5.0, 5.0, 0.1]), edges, pseudocount=1e-9)
    assert p[0] == pytest.approx(1 / 3) and p[-1] == pytest.approx(1 / 3)


def test_moments_are_scipys():
    from scipy import stats

    x = normal(5000, 1.0, 2.0, seed=8) ** 3  # skewed, heavy-tailed
    m = metrics.moments(x)
    assert m["skewness"] == pytest.approx(stats.skew(x), rel=1e-9)
    assert m["excess_kurtosis"] == pytest.approx(stats.kurtosis(x), rel=1e-9)


def test_moments_of_a_known_sample():
    m = metrics.moments(normal(200_000, 2.0, 3.0))
    assert m["mean"] == pytest.approx(2.0, abs=0.03)
    assert m["std"] == pytest.approx(3.0, abs=0.03)
    assert abs(m["skewness"]) < 0.03 and abs(m["excess_kurtosis"]) < 0.05


def test_non_finite_fakes_give_nan_not_an_exception():
    fake = np.array([0.0, np.inf, 1.0])
    assert all(math.isnan(v) for v in metrics.distances(normal(10), fake, **SETTINGS).values())
    assert all(math.isnan(v) for v in metrics.moments(fake).values())


@pytest.mark.parametrize("n, m, ties", [(1000, 10_000, False), (7, 3, False), (50, 80, True)])
def test_ecdf_distances_are_scipys(n, m, ties):
    from scipy import stats

    real, fake = normal(n, seed=3), normal(m, 0.3, 1.4, seed=4)
    if ties:  # repeated values in and across the samples (an atom of a ReLU generator)
        real, fake = np.round(real, 1), np.round(fake, 1)
    w1, ks = metrics.ecdf_distances(real, fake)
    assert w1 == pytest.approx(stats.wasserstein_distance(real, fake), rel=1e-12, abs=1e-15)
    assert ks == pytest.approx(stats.ks_2samp(real, fake).statistic, rel=1e-12)


def test_moments_of_a_collapsed_sample_warn_about_nothing():
    import warnings

    collapsed = np.full(1000, 0.3) + np.linspace(0, 1e-12, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = metrics.moments(collapsed)
    assert m["std"] < 1e-11 and m["mean"] == pytest.approx(0.3)

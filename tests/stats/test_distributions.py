from gan.infra import params
from gan.stats.distributions import Mixture

import numpy as np
import pytest
from scipy import integrate

from tests.samples import sample_normal


def test_normal_params_give_one_component_and_the_same_bytes_as_before():
    dist = Mixture.from_params(params.load("params.yaml", "data")["data"])
    assert dist.means == (0.0,) and dist.label() == "N(0, 1)"
    a = dist.sample(100, np.random.default_rng(42))
    assert a.tobytes() == np.random.default_rng(42).normal(0.0, 1.0, (100, 1)).astype(np.float32).tobytes()
    assert a.tobytes() == sample_normal(100, 0.0, 1.0, 42).tobytes()


def test_mixture_sampling_pdf_and_quantiles_agree():
    dist = Mixture((-2.0, 3.0), (0.5, 1.0), (0.25, 0.75))
    x = dist.sample(200_000, np.random.default_rng(0))[:, 0]
    mean = 0.25 * -2.0 + 0.75 * 3.0  # the mixture's moments, by hand
    std = np.sqrt(0.25 * (0.5**2 + 4.0) + 0.75 * (1.0 + 9.0) - mean**2)
    assert x.mean() == pytest.approx(mean, abs=0.02)
    assert x.std() == pytest.approx(std, abs=0.02)
    assert integrate.quad(dist.pdf, -20, 20)[0] == pytest.approx(1.0, abs=1e-6)
    probs = np.array([0.1, 0.15, 0.5, 0.9])  # not 0.25: the CDF is flat between the modes
    np.testing.assert_allclose(np.quantile(x, probs), dist.ppf(probs), atol=0.03)
    assert np.mean(x < -0.5) == pytest.approx(0.25, abs=0.01)


def test_mixture_params_are_validated(tmp_path):
    import yaml

    raw = yaml.safe_load(open("params.yaml"))
    raw["data"]["mixture_stds"] = [0.5]
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(params.ParamsError, match="same length"):
        params.load(tmp_path / "p.yaml", "data")
    raw["data"]["mixture_stds"] = [0.5, 0.5]
    raw["data"]["distribution"] = "laplace"
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(params.ParamsError, match="data.distribution"):
        params.load(tmp_path / "p.yaml", "data")


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("mixture_weights", [float("inf"), 1.0], r"data\.mixture_weights\.0: .*\(got inf\)"),
        ("mixture_means", [float("nan"), 2.0], r"data\.mixture_means\.0: .*\(got nan\)"),
        ("mean", 1e39, "data.mean"),
    ],
)
def test_non_finite_or_huge_values_are_refused(tmp_path, key, value, words):
    import yaml

    raw = yaml.safe_load(open("params.yaml"))
    raw["data"][key] = value
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(params.ParamsError, match=words):
        params.load(tmp_path / "p.yaml", "data")


def test_mode_metrics_by_hand():
    """VEEGAN's and PacGAN's definitions, on seven samples worked out by hand."""
    mixture = Mixture((-2.0, 2.0), (0.5, 0.5), (0.25, 0.75))
    # -2 and -1 go to the first mode, 2, 2.5 and 3.4 (2.8 std) to the second; 0 and 5 are
    # 4 and 6 std from their nearest mode: not high quality
    m = mixture.modes(np.array([-2.0, -1.0, 0.0, 2.0, 2.5, 3.4, 5.0]))
    assert m["modes_captured"] == 2
    assert m["high_quality"] == pytest.approx(5 / 7)
    assert m["mode_kl"] == pytest.approx(0.4 * np.log(0.4 / 0.25) + 0.6 * np.log(0.6 / 0.75))
    assert m["emptiest_mode"] == pytest.approx((3 / 7) / 0.75)  # the second: 3 of 7 for 3/4
    one = mixture.modes(np.array([1.9, 2.0, 2.2]))
    assert (one["modes_captured"], one["high_quality"], one["emptiest_mode"]) == (1, 1.0, 0.0)
    assert one["mode_kl"] == pytest.approx(np.log(1 / 0.75))
    assert np.isnan(mixture.modes(np.array([0.0, np.nan]))["mode_kl"])


def test_the_nearest_mode_is_nearest_in_its_own_stds():
    wide = Mixture((0.0, 3.0), (0.5, 2.0), (0.5, 0.5))
    m = wide.modes(np.array([1.5]))  # 3 std from the first mode, 0.75 from the second
    assert (m["modes_captured"], m["emptiest_mode"]) == (1, 0.0)
    assert m["mode_kl"] == pytest.approx(np.log(2.0))


def test_the_distribution_itself_scores_as_a_perfect_generator():
    mixture = Mixture((-2.0, 0.0, 3.0), (0.5, 0.3, 0.8), (0.2, 0.3, 0.5))
    m = mixture.modes(mixture.sample(100_000, np.random.default_rng(0)))
    assert m["modes_captured"] == 3
    assert m["high_quality"] == pytest.approx(0.9973, abs=0.002)
    assert m["mode_kl"] < 1e-3 and m["emptiest_mode"] == pytest.approx(0.997, abs=0.02)


def test_a_data_file_is_the_empirical_distribution_of_its_training_rows():
    from gan.stats.distributions import Empirical, real_distribution

    rows = np.random.default_rng(5).gamma(4.0, 0.5, size=(750, 1)).astype(np.float32)
    file = params.DataParams(
        **{**params.load("params.yaml", "data")["data"].model_dump(), "distribution": "file"}
    )
    dist = real_distribution(file, rows)
    assert isinstance(dist, Empirical) and dist.label() == "data/example.csv (750 training rows)"
    draws = dist.sample(5000, np.random.default_rng(0))  # a bootstrap: training rows only
    assert draws.shape == (5000, 1) and draws.dtype == np.float32 and np.isin(draws, rows).all()
    assert draws.tobytes() == dist.sample(5000, np.random.default_rng(0)).tobytes()
    assert integrate.quad(lambda x: dist.pdf(np.array([x]))[0], -5, 15)[0] == pytest.approx(1.0, abs=1e-3)
    assert dist.pdf(np.zeros(7)).shape == (7,)
    np.testing.assert_allclose(dist.ppf(np.array([0.1, 0.5])), np.quantile(rows, [0.1, 0.5]))
    assert not hasattr(dist, "modes")  # no modes: evaluate reports none
    assert isinstance(real_distribution(params.load("params.yaml", "data")["data"], rows), Mixture)

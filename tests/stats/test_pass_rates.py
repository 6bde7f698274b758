from gan.stats import pass_rates

import numpy as np
import pytest
from scipy import stats


def test_wilson_matches_the_textbook_values():
    z = stats.norm.ppf(0.975)
    # 0 of n: the upper end is z^2 / (n + z^2); 38 of 40 as R's prop.test(correct=FALSE)
    assert pass_rates.wilson(0, 10) == pytest.approx((0.0, z**2 / (10 + z**2)), abs=1e-9)
    assert pass_rates.wilson(38, 40) == pytest.approx((0.8349, 0.9862), abs=1e-4)
    assert pass_rates.wilson(20, 20)[1] == pytest.approx(1.0)
    assert pass_rates.wilson(0, 0) == (0.0, 1.0)


def test_failures_are_counted_by_kind():
    rows = [
        {"indistinguishable": True, "wasserstein_1": 0.01},
        {"indistinguishable": False, "mode_collapse": True, "wasserstein_1": 0.5},
        {"indistinguishable": False, "mode_collapse": False, "diverged": True},
        {"indistinguishable": False, "mode_collapse": False, "diverged": False, "wasserstein_1": 0.2},
    ]
    s = pass_rates.summarise(rows)
    assert (s["passed"], s["flagged"], s["silent"], s["runs"]) == (1, 2, 1, 4)
    assert s["median_wasserstein_1"] == 0.2
    assert pass_rates.outcome({"indistinguishable": False, "discriminator_blind": True}) == "flagged"
    assert pass_rates.flagged({"discriminator_blind": True})
    assert not pass_rates.flagged({"indistinguishable": False})


def test_uniform_p_values_are_close_to_uniform_and_small_ones_are_not():
    rng = np.random.default_rng(0)
    perfect = rng.uniform(size=40)
    ks, p = pass_rates.uniformity(perfect)
    assert ks < 0.2 and p > 0.05
    ks, p = pass_rates.uniformity(perfect / 10)  # every run far worse than a perfect sampler
    assert ks > 0.8 and p < 1e-6


def test_population_metrics_are_flat_and_the_ecdf_climbs_to_one():
    rows = [
        {"seed": s, "p_value": p, "indistinguishable": p > 0.05} for s, p in enumerate([0.01, 0.3, 0.6, 0.9])
    ]
    m = pass_rates.headline(rows)
    assert (m["pass_rate"], m["silent"], m["flagged"]) == (0.75, 1, 0)
    assert m["median_p_value"] == pytest.approx(0.45)
    assert all(not isinstance(v, (dict, list)) for v in m.values())
    curve = pass_rates.ecdf([r["p_value"] for r in rows])
    assert [c["runs_at_or_below"] for c in curve] == [0.25, 0.5, 0.75, 1.0]
    assert [c["p_value"] for c in curve] == [c["perfect_sampler"] for c in curve]

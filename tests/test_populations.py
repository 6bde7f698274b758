import pytest

from gan import populations


def test_wilson_matches_the_textbook_values():
    # 0 of n: the upper end is z^2 / (n + z^2); 38 of 40 as R's prop.test(correct=FALSE)
    assert populations.wilson(0, 10) == pytest.approx((0.0, 1.96**2 / (10 + 1.96**2)), abs=1e-9)
    assert populations.wilson(38, 40) == pytest.approx((0.8349, 0.9862), abs=1e-4)
    assert populations.wilson(20, 20)[1] == 1.0


def test_failures_are_counted_by_kind():
    rows = [{"indistinguishable": True, "wasserstein_1": 0.01},
            {"indistinguishable": False, "mode_collapse": True, "wasserstein_1": 0.5},
            {"indistinguishable": False, "mode_collapse": False, "diverged": True},
            {"indistinguishable": False, "mode_collapse": False, "diverged": False,
             "wasserstein_1": 0.2}]
    s = populations.summarise(rows)
    assert (s["passed"], s["flagged"], s["silent"], s["runs"]) == (1, 2, 1, 4)
    assert s["median_wasserstein_1"] == 0.2
    assert populations.outcome({"raw.indistinguishable": True}, "raw.") == "pass"

import yaml

from gan import gate

RULES = yaml.safe_load(open("metrics_gate.yaml"))


def diff(**changes):
    return {"reports/metrics.json": {k: {"old": old, "new": new,
                                         "diff": new - old if isinstance(new, float) else None}
                                     for k, (old, new) in changes.items()}}


SAME = dict(wasserstein_1=(0.05, 0.05), ks_statistic=(0.03, 0.03), kl_divergence=(0.04, 0.04),
            mean_error=(0.01, 0.01), std_error=(0.02, 0.02), indistinguishable=(True, True),
            mode_collapse=(False, False), discriminator_blind=(False, False),
            diverged=(False, False))


def test_unchanged_and_improved_metrics_pass():
    assert gate.violations(diff(**SAME), RULES) == []
    better = {**SAME, "wasserstein_1": (0.05, 0.02), "indistinguishable": (False, True)}
    assert gate.violations(diff(**better), RULES) == []


def test_small_noise_passes_and_real_degradation_fails():
    assert gate.violations(diff(**{**SAME, "wasserstein_1": (0.05, 0.07)}), RULES) == []
    found = gate.violations(diff(**{**SAME, "wasserstein_1": (0.05, 0.5)}), RULES)
    assert len(found) == 1 and found[0].startswith("wasserstein_1: 0.05 -> 0.5")


def test_flags_and_missing_or_null_metrics_fail():
    assert gate.violations(diff(**{**SAME, "mode_collapse": (False, True)}), RULES)
    assert gate.violations(diff(**{**SAME, "discriminator_blind": (False, True)}), RULES)
    assert gate.violations(diff(**{**SAME, "indistinguishable": (True, False)}), RULES)
    assert gate.violations(diff(**{**SAME, "ks_statistic": (0.03, None)}), RULES)
    partial = diff(**SAME)
    del partial["reports/metrics.json"]["kl_divergence"]
    assert gate.violations(partial, RULES) == ["kl_divergence: missing from reports/metrics.json"]


def test_markdown_lists_every_guarded_metric():
    table = gate.markdown(diff(**SAME), RULES, "main")
    assert table.startswith("| metric | main | workspace | change | guard |")
    for key in list(RULES["numbers"]) + list(RULES["flags"]):
        assert f"| {key} |" in table


def test_a_missing_flag_fails():
    partial = diff(**SAME)
    del partial["reports/metrics.json"]["indistinguishable"]
    assert gate.violations(partial, RULES) == ["indistinguishable: missing from reports/metrics.json"]

"""The sweep's run list and its per-configuration summary."""

from gan import params
from tools import sweep


def test_the_run_list_covers_every_configuration_and_seed_with_valid_params():
    runs = sweep.run_list(3)
    assert len(runs) == 3 * len(sweep.CONFIGS)
    assert {sweep.config_of(name) for name in runs} == set(sweep.CONFIGS)
    raw = params.read_yaml("params.yaml")
    for name, sets in runs.items():
        changed = {section: dict(values) for section, values in raw.items()}
        for assignment in sets:
            key, value = assignment.split("=")
            section, field = key.split(".")
            assert field in raw[section], f"{name}: {key}"
            changed[section][field] = value
        for section in params.SECTIONS:  # each run's params pass the stages' own checks
            params.parse_section(changed, section)
    assert sweep.run_list(3) == runs  # the same list every time (and on every machine)


def test_summary_counts_each_configuration_and_names_the_missing_runs():
    runs = sweep.run_list(2)
    table = [{"name": "defaults-s2000", "indistinguishable": True},
             {"name": "defaults-s2001", "indistinguishable": False, "mode_collapse": False},
             {"name": "lr5.0e-2-s2000", "indistinguishable": False, "mode_collapse": True}]
    text = sweep.summary(table, runs)
    assert "| defaults | 1 of 2 (50%) |" in text and "| 0 | 1 |" in text
    assert "| lr5.0e-2 | 0 of 1 (0%) |" in text
    assert "lr5.0e-2-s2001" in text.split("missing")[1] and "defaults-s2000" not in text.split("missing")[1]

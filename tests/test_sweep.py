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


def test_shards_are_disjoint_cover_the_list_and_mix_configurations():
    runs = sweep.run_list(10)
    slices = [sweep.shard(runs, i, 4) for i in range(1, 5)]
    names = [name for part in slices for name in part]
    assert sorted(names) == sorted(runs) and len(names) == len(set(names))
    assert all(len({sweep.config_of(n) for n in part}) == len(sweep.CONFIGS) for part in slices)
    assert sweep.shard(runs, 2, 4) == sweep.shard(sweep.run_list(10), 2, 4)


def test_parse_shard_names_what_is_wrong():
    assert sweep.parse_shard("2/4") == (2, 4)
    for text, message in (("0/4", "between 1 and 4"), ("5/4", "between 1 and 4"),
                          ("2", "must look like 2/4"), ("a/b", "must look like 2/4")):
        try:
            sweep.parse_shard(text)
        except ValueError as error:
            assert message in str(error), text
        else:
            raise AssertionError(f"{text} was accepted")


def test_summary_separates_failed_from_missing_runs_and_a_rerun_success_wins():
    runs = sweep.run_list(2)
    table = [{"name": "defaults-s2000", "indistinguishable": True}]
    logs = {"defaults-s2001": "Running stage 'train':\nerror: params.yaml: train.lr: bad\n"
                              "ERROR: failed to reproduce 'train'",
            "defaults-s2000": "an old failure of a run that has since finished"}
    text = sweep.summary(table, runs, logs)
    failed, missing = text.split("failed (")[1].split("missing")
    assert "- defaults-s2001: error: params.yaml: train.lr: bad" in failed
    assert "defaults-s2000" not in failed and "defaults-s2001" not in missing
    assert "tutorial-s2000" in missing


def test_the_best_run_is_the_highest_p_value_then_the_smallest_w1():
    table = [{"name": "a", "p_value": 0.5, "wasserstein_1": 0.03},
             {"name": "b", "p_value": 0.9, "wasserstein_1": 0.05},
             {"name": "c", "p_value": 0.9, "wasserstein_1": 0.04}, {"name": "d"}]
    assert sweep.best(table)["name"] == "c"
    assert sweep.best([{"name": "d"}]) is None

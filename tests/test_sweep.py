"""The sweep's summary counts what finished, per group of runs."""

from tools import sweep


def row(name, **flags):
    return {"name": name, **flags}


def test_summary_counts_each_group_over_the_runs_present():
    table = [row(f"default-s{s}", indistinguishable=s != 1, **{"raw.indistinguishable": s == 0})
             for s in range(5)]
    table += [row("default-s7", indistinguishable=True), row("tutorial-s0", indistinguishable=False)]
    table += [row("lr0.05-s0", mode_collapse=True, diverged=False),
              row("lr0.05-s3", mode_collapse=False, diverged=True)]  # three runs missing
    lines = sweep.summary(table).splitlines()
    assert "4 of 5 seeds (the target, 0-4); 1 of 1 more seeds" in lines[0]
    assert "1 of 5 seeds" in lines[1]
    assert "0 of 1 seeds" in lines[2]
    assert "2 of 2 seeds (collapse 1 of 2, diverged 1 of 2)" in lines[3]


def test_every_run_is_named_once_and_sets_valid_keys():
    from gan import params

    defaults = params.read_yaml("params.yaml")
    for name, sets in sweep.RUNS.items():
        for assignment in sets:
            key, _ = assignment.split("=")
            section, field = key.split(".")
            assert field in defaults[section], f"{name}: {key}"

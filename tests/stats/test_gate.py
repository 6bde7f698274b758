"""The metrics gate: exact rank test, floor, and its behaviour on measured seed populations
(docs/convergence_runs: the shipped defaults, the tutorial's setup, lr 0.05)."""

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

from gan.stats import gate

import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
RUNS = ROOT / "docs/convergence_runs/final_5000"
RULES = {"min_runs": 20, "min_pass_rate": 0.5, "level": 0.02}


def load(name):
    return [json.loads(line) for line in (RUNS / f"{name}.jsonl").read_text().splitlines()]


def brute_force(change, base):
    """The definition: the share of all splits whose rank sum is at most the change's."""
    pooled = change + base
    ranks = stats.rankdata(pooled)
    observed = sum(ranks[: len(change)])
    splits = list(itertools.combinations(range(len(pooled)), len(change)))
    return sum(sum(ranks[i] for i in s) <= observed + 1e-9 for s in splits) / len(splits)


def test_rank_test_is_the_exact_permutation_count_with_and_without_ties():
    rng = random.Random(0)
    for _ in range(30):
        m, n = rng.randint(1, 6), rng.randint(1, 6)
        change = [rng.choice([0.1, 0.2, 0.3, 0.5]) for _ in range(m)]  # heavy ties
        base = [rng.choice([0.1, 0.2, 0.3, 0.5, 0.9]) for _ in range(n)]
        assert gate.rank_test(change, base) == pytest.approx(brute_force(change, base))


def test_rank_test_agrees_with_scipy_exact_mann_whitney_without_ties():
    rng = random.Random(1)
    for _ in range(10):
        values = rng.sample(range(1000), 17)
        change, base = values[:8], values[8:]
        expected = stats.mannwhitneyu(change, base, alternative="less", method="exact").pvalue
        assert gate.rank_test(change, base) == pytest.approx(expected)


def test_false_alarms_on_an_equal_quality_change_are_at_most_the_level():
    """Every split of one pooled set of runs (ties included) is an equal-quality change:
    the share the test calls worse is at most the level, for every level."""
    pooled = [0.001, 0.001, 0.02, 0.3, 0.3, 0.5, 0.7, 1.0, 1.0, 1.0]
    p = [
        gate.rank_test([pooled[i] for i in s], [pooled[i] for i in range(10) if i not in s])
        for s in itertools.combinations(range(10), 5)
    ]
    for level in (0.01, 0.02, 0.05, 0.1, 0.5):
        assert sum(x <= level for x in p) / len(p) <= level


def test_a_flagged_run_ranks_below_every_scored_run_and_ties_break_by_w1():
    good = {"p_value": 0.001, "indistinguishable": False, "wasserstein_1": 0.2}
    better = {**good, "wasserstein_1": 0.1}
    flagged = {**better, "p_value": 0.9, "mode_collapse": True}
    assert gate.rank_key(flagged) < gate.rank_key(good) < gate.rank_key(better)
    assert gate.rank_key({**better, "diverged": True}) == gate.FLAGGED_RANK
    passing_but_flagged = {**better, "indistinguishable": True, "discriminator_blind": True}
    assert gate.rank_key(passing_but_flagged) == gate.FLAGGED_RANK


def test_reseeds_of_the_shipped_defaults_pass():
    """Two disjoint populations of 20 seeds of the same configuration (seeds 5000-5019 and
    5020-5039), each judged against the other: a reseed is not a regression."""
    runs = load("defaults")
    first, second = runs[:20], runs[20:]
    for change, base in ((first, second), (second, first)):
        verdict = gate.judge(change, base, RULES)
        assert verdict["violations"] == [], verdict


def test_false_alarm_rate_on_measured_reseeds_is_near_the_level():
    """Random 20/20 splits of the 40 measured default runs: the gate fails about `level`
    of them (the floor adds almost nothing at an 85% pass rate)."""
    runs, rng = load("defaults"), random.Random(7)
    trials = 400
    failed = 0
    for _ in range(trials):
        shuffled = rng.sample(runs, 40)
        failed += bool(gate.judge(shuffled[:20], shuffled[20:], RULES)["violations"])
    assert failed / trials <= RULES["level"] + 3 * (RULES["level"] / trials) ** 0.5


@pytest.mark.parametrize("regression", ["tutorial", "lr5.0e-2"])
def test_the_tutorial_setup_and_lr_0_05_fail_against_the_defaults(regression):
    """Real regressions, measured on seeds 5000-5019: both rules catch each of them."""
    bad, runs = load(regression), load("defaults")
    for base in (runs[:20], runs[20:]):
        verdict = gate.judge(bad, base, RULES)
        assert any(v.startswith("floor:") for v in verdict["violations"]), verdict
        assert any(v.startswith("worse than the baseline") for v in verdict["violations"]), verdict
        assert verdict["p_value"] < 1e-4


def test_the_floor_holds_without_a_baseline_and_cannot_drift():
    """No baseline (the first population) or a bad one: the floor still applies."""
    bad = load("tutorial")
    for base in (None, bad):
        verdict = gate.judge(bad, base, RULES)
        assert verdict["violations"][0].startswith("floor: 3 of 20 runs pass the verdict, at least 10")


def test_too_few_runs_fail_the_gate_instead_of_passing_it():
    """One seed could never make the rank test fail (its smallest p is 1/21): a change
    that shrinks population.seeds is refused, whatever its runs."""
    good = load("defaults")
    verdict = gate.judge(good[:1], good[20:], RULES)
    assert verdict["violations"][0].startswith("the change's population has 1 runs, at least 20")


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"level": "0.02"}, "level: Input should be a valid number"),
        ({"seeds": "100-119"}, "seeds: Extra inputs are not permitted"),  # seeds are params now
        ({"min_pass_rate": 1.5}, "min_pass_rate: Input should be less than or equal to 1"),
        ({"levels": 0.02}, "levels: Extra inputs are not permitted"),
        ({"file": None}, "file: Input should be a valid string"),
    ],
)
def test_bad_rules_stop_the_gate_in_one_line(tmp_path, edit, message):
    import yaml

    rules = {**yaml.safe_load((ROOT / "metrics_gate.yaml").read_text()), **edit}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    done = subprocess.run(
        [sys.executable, "-m", "tools.check_metrics", "--baseline", "HEAD", "--rules", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and message in done.stderr and str(path) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_committed_population_is_read_back_as_the_stage_wrote_it():
    """reports/population/runs.csv, as the gate reads a baseline's: every run, its flags
    as booleans, the numbers the rank test needs."""
    from tools import check_metrics

    path = "reports/population/runs.csv"
    runs = check_metrics.parse_runs((ROOT / path).read_text())
    summary = json.loads((ROOT / "reports/population.json").read_text())
    from gan.infra import params

    seeds = params.load(ROOT / "params.yaml", "population")["population"].seeds
    assert [r["seed"] for r in runs] == list(seeds)
    assert sum(bool(r["indistinguishable"]) for r in runs) == round(summary["pass_rate"] * len(seeds))
    assert all(isinstance(gate.rank_key(r)[0], float) for r in runs)

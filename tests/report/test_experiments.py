from gan.report import experiments

# What dvc.api.exp_show() returns (DVC 3.67): flat rows, booleans as strings, counts as floats.
SHOWN = [
    {
        "Experiment": None,
        "rev": "workspace",
        "typ": "baseline",
        "train.lr": 5e-4,
        "pass_rate": 0.9,
        "p_value": 0.5,
    },
    {
        "Experiment": None,
        "rev": "abc1234",
        "typ": "baseline",
        "train.lr": 5e-4,
        "train.seed": 0.0,
        "pass_rate": 0.9,
        "pass_rate_low": 0.7,
        "pass_rate_high": 0.97,
        "passed": 18.0,
        "runs": 20.0,
        "flagged": 0.0,
        "silent": 2.0,
        "p_value": 0.5,
        "mode_collapse": "False",
        "gan/training/trainer.py": "0123abcd",
    },
    {
        "Experiment": "lr-big",
        "rev": "fff0000",
        "typ": "branch_commit",
        "train.lr": 0.05,
        "train.seed": 0.0,
        "pass_rate": 0.05,
        "pass_rate_low": 0.01,
        "pass_rate_high": 0.24,
        "passed": 1.0,
        "runs": 20.0,
        "flagged": 19.0,
        "silent": 0.0,
        "p_value": 0.001,
        "mode_collapse": "True",
    },
    {"Experiment": "queued-not-run", "rev": "eee0000", "typ": "branch_commit", "train.lr": 0.1},
]


def test_rows_skip_the_workspace_and_unfinished_runs_and_read_values_back():
    rows = experiments.rows(SHOWN)
    assert [r["name"] for r in rows] == ["abc1234", "lr-big"]
    assert rows[1]["mode_collapse"] is True and rows[0]["mode_collapse"] is False
    assert rows[1]["flagged"] == 19 and isinstance(rows[1]["flagged"], int)
    assert "gan/training/trainer.py" not in rows[0]  # dependency hashes are not columns


def test_columns_show_the_params_that_vary_then_the_population():
    cols = experiments.columns(experiments.rows(SHOWN))
    keys = [key for key, _ in cols]
    assert keys[:2] == ["name", "train.lr"] and "train.seed" not in keys
    assert keys[2] == "pass_rate"


def test_figure_draws_one_interval_per_experiment():
    fig = experiments.figure(experiments.rows(SHOWN))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["lr=0.0005 (abc1234)", "lr=0.05 (lr-big)"]
    assert len(ax.lines) == 2 * 2 + 1  # interval and point per experiment, the 90% line

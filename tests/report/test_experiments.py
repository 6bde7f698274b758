import io
import warnings

from gan.report import experiments

import pytest

from tests.report.test_figures import cut_off

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


@pytest.mark.parametrize("experiments_, params_", [(1, 1), (2, 6), (8, 3), (30, 2)])
def test_figure_fits_its_labels_without_a_layout_warning(experiments_, params_):
    """Long param names and values, many experiments: constrained_layout still applies
    (no 'axes sizes collapsed to zero' warning) and nothing is cut off."""
    base = experiments.rows(SHOWN)
    table = []
    for i in range(experiments_):
        row = dict(base[i % len(base)], name=f"a-long-experiment-name-{i}")
        row.update({f"train.a_long_param_name_{k}": f"value_{i}_{k}_abcdefgh" for k in range(params_)})
        table.append(row)
    import matplotlib.pyplot as plt

    plt.close("all")  # other tests' figures: not this test's warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = experiments.figure(table)
        fig.savefig(io.BytesIO(), format="png", dpi=110)
        assert not cut_off(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert len(labels) == experiments_
    varies = experiments_ > 1  # one experiment: no param varies, its name alone
    assert all((f"a_long_param_name_{params_ - 1}=" in label) == varies for label in labels)
    assert all(f"a-long-experiment-name-{i}" in label for i, label in enumerate(labels))

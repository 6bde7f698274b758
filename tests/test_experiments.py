from gan import experiments

SHOW = [
    {"rev": "workspace", "name": None, "data": {"metrics": {}}, "experiments": None},
    {"rev": "abc1234def", "name": "main", "data": {
        "params": {"params.yaml": {"data": {"train": {"lr": 0.0005, "seed": 0}}}},
        "metrics": {"reports/metrics.json": {"data": {"wasserstein_1": 0.05, "floor": {"wasserstein_1": 0.07}}}}},
     "experiments": [{"revs": [{"rev": "fff0000", "name": "lr-big", "data": {
         "params": {"params.yaml": {"data": {"train": {"lr": 0.05, "seed": 0}}}},
         "metrics": {"reports/metrics.json": {"data": {"wasserstein_1": 3.2, "mode_collapse": True}}}}}]},
                     {"revs": [{"rev": "eee0000", "name": "queued-not-run", "data": {}}]}]},
]


def test_rows_flatten_params_and_metrics_and_skip_unfinished():
    rows = experiments.rows(SHOW)
    assert [r["name"] for r in rows] == ["main", "lr-big"]
    assert rows[0]["train.lr"] == 0.0005 and rows[0]["floor.wasserstein_1"] == 0.07
    assert rows[1]["mode_collapse"] is True


def test_markdown_table():
    text = experiments.markdown(experiments.rows(SHOW), [("name", "run"), ("wasserstein_1", "W1"),
                                                        ("mode_collapse", "collapse")])
    assert text.splitlines() == ["| run | W1 | collapse |", "|---|---|---|",
                                 "| main | 0.05 | - |", "| lr-big | 3.2 | yes |"]

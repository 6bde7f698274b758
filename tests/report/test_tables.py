"""Markdown tables (gan/report/tables.py): the experiments' and the gate's."""

from gan.report import experiments, tables
from gan.stats import gate

from tests.report.test_experiments import SHOWN
from tests.stats.test_gate import RULES, load


def test_markdown_table():
    text = tables.markdown(
        experiments.rows(SHOWN),
        [("name", "run"), ("p_value", "p"), ("mode_collapse", "collapse"), ("missing", "m")],
    )
    assert text.splitlines() == [
        "| run | p | collapse | m |",
        "|---|---|---|---|",
        "| abc1234 | 0.5 | no | - |",
        "| lr-big | 0.001 | yes | - |",
    ]


def test_markdown_shows_both_populations_and_the_verdict():
    runs = load("defaults")
    text = tables.gate_report(gate.judge(runs[:20], runs[20:], RULES), "main")
    assert "| workspace |" in text and "| main |" in text and "Metrics gate: passed" in text
    text = tables.gate_report(gate.judge(load("tutorial"), None, RULES), "main")
    assert "main has no population" in text and "Metrics gate: failed" in text

"""The folders of gan/ say which side a module is on: stats/ is numpy and scipy only, so
the gate, the sweep report and the population's statistics never pay for TensorFlow."""

import ast
import subprocess
import sys

import pytest

from tests.pipeline import ROOT
from tests.test_dvc_deps import closure


def imports_tensorflow(path: str) -> bool:
    tree = ast.parse((ROOT / path).read_text())
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    return any(name.split(".")[0] in ("tensorflow", "keras") for name in names)


STATS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gan/stats").glob("*.py"))


@pytest.mark.parametrize("module", STATS)
def test_stats_never_reaches_tensorflow_not_even_in_a_function(module):
    reached = closure(module)
    assert not [m for m in reached if m.startswith("gan/training/")], reached
    assert not [m for m in reached if imports_tensorflow(m)]


@pytest.mark.parametrize("side", ["stats", "infra", "report", "population"])
def test_importing_a_side_other_than_training_loads_no_tensorflow(side):
    modules = [
        f"gan.{side}.{p.stem}" for p in sorted((ROOT / "gan" / side).glob("*.py")) if p.stem != "__init__"
    ]
    code = (
        f"import sys, {', '.join(modules)}\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]", f"gan/{side}/ loads {out}"

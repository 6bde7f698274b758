"""Each stage's dependencies in dvc.yaml are exactly the modules it imports, so a library
change re-runs every stage it affects and no other (a static reading of the imports,
function-level ones included)."""

import ast
from pathlib import Path

import pytest
import yaml

from tests.pipeline import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def imported_modules(path: Path) -> set[str]:
    """Files of gan/ and stages/ that `path` imports, directly."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            package = node.module.split(".")[0]
            if package in ("gan", "stages"):
                if node.module in ("gan", "stages"):  # from gan import a, b
                    found.update(f"{node.module}/{alias.name}.py" for alias in node.names)
                else:
                    found.add(node.module.replace(".", "/") + ".py")
                found.add(f"{package}/__init__.py")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("gan", "stages"):
                    found.add(alias.name.replace(".", "/") + (".py" if "." in alias.name else "/__init__.py"))
    return {name for name in found if (ROOT / name).is_file()}


def closure(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(imported_modules(ROOT / name))
    return seen


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_stage_deps_are_its_imports(stage):
    script = f"stages/{stage}.py"
    code_deps = {d for d in STAGES[stage]["deps"] if d.endswith(".py")}
    assert code_deps == closure(script), (
        f"{stage}: in dvc.yaml but not imported: {sorted(code_deps - closure(script))}; "
        f"imported but not in dvc.yaml: {sorted(closure(script) - code_deps)}")


def test_population_reads_every_param_a_run_depends_on():
    """The population stage lists train's keys one by one (train.seed is replaced by each
    seed, keep_checkpoints changes no byte): a new train key must be added there too."""
    from gan import params

    listed = set(STAGES["population"]["params"])
    train = {f"train.{key}" for key in params.TrainParams.model_fields}
    assert train - listed == {"train.seed", "train.keep_checkpoints"}
    assert {"data", "model", "metrics", "evaluate", "population.seeds"} <= listed

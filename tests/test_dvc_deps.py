"""Each stage's dependencies in dvc.yaml are exactly the modules it imports, so a library
change re-runs every stage it affects and no other (a static reading of the imports,
function-level ones included). A folder may stand for its modules only when the stage
imports every one of them."""

import ast
from pathlib import Path

import pytest
import yaml

from tests.pipeline import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def _module_files(module: str) -> set[str]:
    """The files that importing `module` runs: each enclosing package's __init__.py, and
    the module's own file (or its package's __init__.py)."""
    parts = module.split(".")
    found = {"/".join(parts[:i]) + "/__init__.py" for i in range(1, len(parts))}
    found.add("/".join(parts) + ("/__init__.py" if (ROOT / "/".join(parts)).is_dir() else ".py"))
    return found


def imported_modules(path: Path) -> set[str]:
    """Files of gan/ and stages/ that `path` imports, directly."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in ("gan", "stages"):
                found |= _module_files(node.module)
                folder = ROOT / node.module.replace(".", "/")
                for alias in node.names:  # from gan.stats import metrics: a module, not a name
                    if (folder / f"{alias.name}.py").is_file() or (folder / alias.name).is_dir():
                        found |= _module_files(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("gan", "stages"):
                    found |= _module_files(alias.name)
    return {name for name in found if (ROOT / name).is_file()}


def expanded(deps: list[str]) -> set[str]:
    """The Python files a stage's deps name: a folder stands for every .py file in it."""
    files = set()
    for dep in deps:
        if (ROOT / dep).is_dir() and dep.startswith(("gan", "stages")):
            files |= {str(f.relative_to(ROOT)) for f in (ROOT / dep).rglob("*.py")}
        elif dep.endswith(".py"):
            files.add(dep)
    return files


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
    code_deps = expanded(STAGES[stage]["deps"])
    assert code_deps == closure(script), (
        f"{stage}: in dvc.yaml but not imported: {sorted(code_deps - closure(script))}; "
        f"imported but not in dvc.yaml: {sorted(closure(script) - code_deps)}"
    )


def test_population_reads_every_param_a_run_depends_on():
    """The population stage lists train's keys one by one (train.seed is replaced by each
    seed, the bookkeeping keys change no byte): a new train key must be added there too."""
    from gan.infra import params

    listed = set(STAGES["population"]["params"])
    train = {f"train.{key}" for key in params.TrainParams.model_fields}
    assert train - listed == {"train.seed", *(f"train.{k}" for k in params.BOOKKEEPING["train"])}
    assert {"data", "model", "metrics", "evaluate", "population.seeds"} <= listed


def test_every_path_the_stages_name_is_in_dvc_yaml():
    """stages/paths.py names each file once; DVC must know every one of them (or ignore it:
    the checkpoints, which must outlive DVC's cleanup of a stage's outputs)."""
    from stages import paths

    text = (ROOT / "dvc.yaml").read_text() + (ROOT / ".dvcignore").read_text()
    named = {k: v for k, v in vars(paths).items() if k.isupper() and k != "PARAMS"}  # DVC's default
    assert named and not [v for v in named.values() if v not in text]

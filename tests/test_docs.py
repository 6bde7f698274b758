"""What the README, docs/ and the Makefile's comments tell a user to type does what they say."""

import re
import shlex
import subprocess
import sys

import pytest
import yaml

from tests.pipeline import ROOT, env, make_copy


def makefile_comment(target: str) -> str:
    """The comment block just above `target:` in the Makefile."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    start = end
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return make_copy(tmp_path_factory.mktemp("repo"))


def test_every_args_the_makefile_offers_make_show_is_accepted(fresh):
    examples = re.findall(r'ARGS="([^"]*)"', makefile_comment("show"))
    assert examples
    for example in examples:
        done = subprocess.run(
            [sys.executable, "-m", "tools.show", *example.split()],
            cwd=fresh,
            env=env(),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (example, done.stderr)
        assert done.stdout.startswith("| experiment |"), done.stdout


def exp_show_commands() -> list[tuple[str, list[str]]]:
    """Every `dvc exp show ... --drop ...` command line of the README and docs/ (a line
    continued with a backslash joined), as the shell would split it."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text().replace("\\\n", " ")
        for line in text.splitlines():
            command = line.strip().removeprefix("$ ").removeprefix(".venv/bin/")
            if command.startswith("dvc exp show") and "--drop" in command:
                command = command.split("  #")[0]
                found.append((page.name, shlex.split(command)[1:]))
    return found


def columns() -> tuple[set[str], set[str]]:
    """The columns of `dvc exp show` here: the files (each dependency and output of
    dvc.yaml, shown as hashes) and the params (SECTION.KEY of params.yaml)."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    files = set()
    for stage in stages.values():
        for entry in stage.get("deps", []) + stage.get("outs", []):
            files.add(entry if isinstance(entry, str) else next(iter(entry)))
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    return files, {f"{section}.{key}" for section, keys in raw.items() for key in keys}


def test_the_drop_regex_of_every_exp_show_command_drops_the_file_hashes_and_keeps_the_params():
    from dvc.cli import parse_args

    commands = exp_show_commands()
    assert commands
    files, params = columns()
    for page, argv in commands:
        drop = parse_args(argv).drop
        matcher = re.compile("|".join(drop))  # what dvc/commands/experiments/show.py does
        kept_files = sorted(f for f in files if not matcher.match(f))
        assert not kept_files, (page, drop, kept_files)
        dropped = sorted(c for c in params | {"Experiment", "pass_rate"} if matcher.match(c))
        assert not dropped, (page, drop, dropped)

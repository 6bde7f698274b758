"""What the README, docs/ and the Makefile's comments tell a user to type does what they say."""

import re
import subprocess
import sys

import pytest

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

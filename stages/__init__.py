"""One thin script per DVC stage: read params, call `gan`, write outputs.

Run as modules from the repository root with the project's venv (`sh stages/run train`
does that, and is what DVC runs). Python imports this file before the stage's own module, so
`import gan` here pins the instruction set before the stage loads numpy or TensorFlow.
"""

import sys

import gan  # noqa: F401  (first: it pins the CPU; it loads nothing else)
from gan.infra import sources

# `make setup` copies requirements.lock into the venv: without it, this is not the
# project's interpreter (a bare `python3 -m stages.train`), and numpy may not even exist.
if not sources.installed_lock().is_file():
    sys.exit("stages run in the project's .venv: `make setup`, then `sh stages/run NAME` or `dvc repro NAME`")

"""One thin script per DVC stage: read params, call `gan`, write outputs.

Run as modules from the repository root (`python -m stages.train`), which is what
`stages/run` does for DVC. Python imports this file before the stage's own module, so
`import gan` here pins the instruction set before the stage loads numpy or TensorFlow.
"""

import gan  # noqa: F401

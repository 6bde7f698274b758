"""Command-line tools around the pipeline (`make sweep`, `make check-metrics`, `make cpu`).

`import gan` first: it pins the instruction set before numpy or TensorFlow load."""

import gan  # noqa: F401

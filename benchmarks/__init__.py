"""Speed measurements (`make bench`); not part of the test suite.

`import gan` first: it pins the instruction set before numpy or TensorFlow load, so the
benchmark times the kernels the pipeline runs."""

import gan  # noqa: F401

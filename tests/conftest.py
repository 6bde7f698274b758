"""Shared fixtures: tiny configurations, so the suite stays fast on two cores.

`import gan` comes first: it pins the instruction set (gan/infra/cpu_pin.py) of this pytest
process, and of every stage and `dvc` it starts, before any test module loads numpy,
TensorFlow or Keras. Without it, whichever test module imported TensorFlow first decided
how this process computes, and bit-for-bit comparisons with a stage's output depended
on the order the modules ran in.
"""

import gan  # noqa: F401  (first, see above)

import numpy as np
import pytest

from tests.pipeline import private_copy, reproduced_copy
from tests.samples import sample_normal


@pytest.fixture
def real() -> np.ndarray:
    return sample_normal(100, 0.0, 1.0, seed=3)


# For the end-to-end tests: the pipeline reproduced once per test module in a temporary
# copy of the repository, and a private copy of it for a test that changes things.
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return reproduced_copy(tmp_path_factory.mktemp("repo"))


@pytest.fixture
def workspace(project, tmp_path):
    return private_copy(project, tmp_path)

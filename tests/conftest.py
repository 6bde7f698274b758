"""Shared fixtures: tiny configurations, so the suite stays fast on two cores."""

import numpy as np
import pytest

from gan.data import sample_normal


@pytest.fixture
def real() -> np.ndarray:
    return sample_normal(100, 0.0, 1.0, seed=3)

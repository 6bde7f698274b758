"""Real samples for tests: N(mean, std) drawn as the `sample` stage draws a normal."""

import gan  # noqa: F401  (the pin, before numpy)
from gan.stats.distributions import Mixture

import numpy as np


def sample_normal(n: int, mean: float, std: float, seed: int) -> np.ndarray:
    """n draws of N(mean, std) as float32, shape (n, 1); the same seed gives the same bytes."""
    return Mixture((mean,), (std,), (1.0,)).sample(n, np.random.default_rng(seed))

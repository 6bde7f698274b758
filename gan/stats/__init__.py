"""The statistics side, numpy and scipy only (no TensorFlow: tests/test_layout.py): the
distances, the target distribution, the verdict, pass rates of a population, the gate."""

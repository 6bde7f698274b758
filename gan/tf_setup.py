"""Import TensorFlow the one way this project uses it: quiet, deterministic, and with
fixed thread counts (the same op order and reductions on every run of the same machine)."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # no banner about CPU instructions
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # oneDNN may reorder float sums
# This project uses no Keras. TensorFlow eagerly imports Keras 3 (and through it
# matplotlib) at `import tensorflow`, 2 s of a 7 s import, unless told Keras is the
# legacy tf_keras package, which is not installed: then it skips that import.
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import tensorflow as tf  # noqa: E402

_CONFIGURED = False


def configure() -> None:
    """Op determinism and one thread per op: the networks are tiny, so threads only cost."""
    global _CONFIGURED
    if _CONFIGURED:
        return
    tf.config.experimental.enable_op_determinism()
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    _CONFIGURED = True


configure()

"""Import TensorFlow the one way this project uses it: quiet, deterministic, with fixed
thread counts, and with the instruction-set pin of gan/infra/cpu_pin.py in force (importing
`gan` applied it, so TF_ENABLE_ONEDNN_OPTS is 0 here whatever the shell said)."""

from __future__ import annotations

import os

# 3: no banner about CPU instructions, and no false alarm when XLA's persistent cache
# (gan/infra/cpu_pin.py) loads a program: protobuf logs an ERROR trying the binary file as
# text before reading it as binary. TensorFlow's real errors still raise in Python.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# This project uses no Keras. TensorFlow eagerly imports Keras 3 (and through it
# matplotlib) at `import tensorflow`, 2 s of a 7 s import, unless told Keras is the
# legacy tf_keras package, which is not installed: then it skips that import.
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import tensorflow as tf
from tensorflow.python.util import _pywrap_util_port

if _pywrap_util_port.IsMklEnabled():
    # TensorFlow reads TF_ENABLE_ONEDNN_OPTS once, at its first import. Someone imported
    # it (or Keras) before `gan`, with the rewrites on: this process would compute other
    # bytes than the stages do.
    raise ImportError(
        "TensorFlow was imported with its oneDNN rewrites on (TF_ENABLE_ONEDNN_OPTS is "
        "not 0), before `gan` could pin it; import gan before tensorflow or keras"
    )

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

"""Export the trained networks as SavedModels that plain TensorFlow loads, with no import
of this package:

    g = tf.saved_model.load("models/generator").signatures["serving_default"]
    x = g(z=tf.random.normal([5, 8]))["x"]    # [5, 1]; z drawn as params' model.noise
    d = tf.saved_model.load("models/discriminator").signatures["serving_default"]
    p = d(x=x)["d"]                                          # D(x) in (0, 1)

The discriminator also has a `logit` signature (the losses need the logit, not D(x)).

Byte-stable exports: TensorFlow names traced functions after a process-wide counter
(`__inference_serve_32069`), so the same model saved after a fresh run and after a
resumed one would differ in saved_model.pb. Before saving, the counter is advanced to a
fixed round number; and fingerprint.pb, which holds a random UUID and is not needed to
load, is left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gan import files
from gan.networks import MLP
from gan.tf_setup import tf
from tensorflow.python.framework import ops as _ops  # noqa: E402  (the name counter)

_NAME_COUNTER_STEP = 1 << 18


def _frozen(weights: list[np.ndarray], name: str) -> MLP:
    n_in, n_hidden = weights[0].shape
    net = MLP(n_in, n_hidden, (0,), name=name)
    net.set_weights(weights)
    return net


def _save(module: tf.Module, path: str | Path, signatures: dict) -> None:
    def fill(tmp: Path) -> None:
        target = (_ops.uid() // _NAME_COUNTER_STEP + 1) * _NAME_COUNTER_STEP
        while _ops.uid() < target - 1:
            pass
        tf.saved_model.save(module, str(tmp), signatures=signatures)
        (tmp / "fingerprint.pb").unlink(missing_ok=True)

    files.replace_dir(path, fill)


def export_generator(path: str | Path, weights: list[np.ndarray]) -> None:
    net = _frozen(weights, "generator")
    g_input = weights[0].shape[0]

    @tf.function(input_signature=[tf.TensorSpec([None, g_input], tf.float32, name="z")])
    def serve(z):
        return {"x": net(z)}

    net.serve = serve
    _save(net, path, {"serving_default": serve})


def export_discriminator(path: str | Path, weights: list[np.ndarray]) -> None:
    net = _frozen(weights, "discriminator")
    spec = tf.TensorSpec([None, 1], tf.float32, name="x")

    @tf.function(input_signature=[spec])
    def serve(x):
        return {"d": tf.sigmoid(net(x))}

    @tf.function(input_signature=[spec])
    def logit(x):
        return {"logit": net(x)}

    net.serve, net.logit = serve, logit
    _save(net, path, {"serving_default": serve, "logit": logit})


def load_signature(path: str | Path, name: str = "serving_default"):
    """A signature of an exported model, or a clear error naming the folder."""
    path = Path(path)
    if not (path / "saved_model.pb").exists():
        raise FileNotFoundError(f"{path}: no SavedModel here (run the 'train' stage first)")
    return tf.saved_model.load(str(path)).signatures[name]

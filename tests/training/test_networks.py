import subprocess
import sys

from gan.infra import cpu_pin
from gan.training import networks
from gan.training.tf_setup import tf

import numpy as np
import pytest


@pytest.mark.parametrize("n_in, n_out", [(1, 8), (8, 1), (8, 4), (3, 5)])
def test_dense_is_a_matrix_product_and_so_is_its_gradient(n_in, n_out):
    rng = np.random.default_rng(n_in * 10 + n_out)
    x = tf.constant(rng.normal(size=(3, 300, n_in)).astype(np.float32))  # a block of 3 seeds
    w = tf.Variable(rng.normal(size=(3, n_in, n_out)).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ours, reference = networks.dense(x, w), tf.matmul(x, w)
        loss_ours, loss_ref = tf.reduce_sum(tf.sin(ours)), tf.reduce_sum(tf.sin(reference))
    np.testing.assert_allclose(ours.numpy(), reference.numpy(), rtol=1e-5, atol=1e-5)
    for a, b in zip(tape.gradient(loss_ours, [x, w]), tape.gradient(loss_ref, [x, w]), strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)


# Outputs and gradients of both networks on fixed inputs, as bytes (run in a subprocess).
PROBE = """
import os, sys, hashlib
import gan                        # applies the pin ...
os.environ.update(dict(kv.split("=", 1) for kv in sys.argv[2:]))  # ... then undo parts
import numpy as np
from gan.infra import cpu_pin
from gan.training import networks
from gan.training.tf_setup import tf
if sys.argv[1] == "matmul":       # the control: the layers as they were, with tf.matmul
    networks.dense = tf.matmul
g = networks.MLP(networks.stack([networks.generator(8, 4, 0)]), "g")
d = networks.MLP(networks.stack([networks.discriminator(8, 0)]), "d")
z = tf.constant(np.random.default_rng(1).normal(size=(1, 1000, 8)).astype(np.float32))
with tf.GradientTape() as tape:
    logit = d(g(z))
    loss = tf.reduce_mean(logit)
grads = tape.gradient(loss, g.params + d.params)
print(hashlib.sha256(b"".join(t.numpy().tobytes() for t in [logit, *grads])).hexdigest())
"""


def probe(layers, *env):
    return subprocess.run(
        [sys.executable, "-c", PROBE, layers, *env], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not cpu_pin.level().startswith("x86-64"), reason="oneDNN's x86 levels")
def test_the_networks_do_not_depend_on_onednn_kernels():
    """oneDNN capped at SSE4.1 leaves both networks' outputs and gradients (1000 samples,
    as in the history's probe) alone: no run-time-dispatched kernel computes them. The
    control: the same cap changes them when the layers use tf.matmul."""
    assert probe("dense") == probe("dense", "ONEDNN_MAX_CPU_ISA=SSE41")
    assert probe("matmul") != probe("matmul", "ONEDNN_MAX_CPU_ISA=SSE41")


def _numpy_forward(weights, z):
    x = z.astype(np.float64)
    for w, b in zip(weights[:-2:2], weights[1:-2:2], strict=True):
        x = np.maximum(x @ w + b, 0.0)
    return x @ weights[-2] + weights[-1]


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_a_deeper_generator_is_its_layers_of_relus(layers):
    weights = networks.generator(2, 6, 4, "normal", layers=layers)
    assert len(weights) == 2 * layers + 2 and networks.labels(len(weights))[-2:] == ["w_out", "b_out"]
    z = np.random.default_rng(0).normal(size=(500, 2)).astype(np.float32)
    g = networks.MLP(networks.stack([weights]), "g")
    np.testing.assert_allclose(
        g(tf.constant(z[None]))[0].numpy(), _numpy_forward(weights, z), rtol=1e-4, atol=1e-4
    )
    # the first layer is drawn as at depth 1: a deeper G only adds layers
    one = networks.generator(2, 6, 4, "normal")
    assert all(a.tobytes() == b.tobytes() for a, b in zip(weights[:2], one[:2], strict=True))


@pytest.mark.parametrize("init", ["linear", "linear_he"])
def test_a_linear_start_keeps_every_unit_of_every_layer_on_and_g_centred(init):
    """Margin 3: each unit's input is 3 of its stds above 0 over the noise, so on for all
    but about 0.13% of z, at every depth; the output bias centres G(0) on 0."""
    weights = networks.generator(3, 8, 11, init, margin=3.0, layers=3)
    z = np.random.default_rng(1).normal(size=(20_000, 3))
    x = z
    for w, b in zip(weights[:-2:2], weights[1:-2:2], strict=True):
        pre = x @ w + b
        assert np.mean(pre > 0, axis=0).min() > 0.995
        x = np.maximum(pre, 0.0)
    assert abs(_numpy_forward(weights, np.zeros((1, 3)))[0, 0]) < 1e-4 * np.abs(weights[-2]).sum()
    # margin 0: each unit is on for half the noise
    zero = networks.generator(3, 8, 11, init, margin=0.0, layers=2)
    assert not np.any(zero[1]) and not np.any(zero[3])

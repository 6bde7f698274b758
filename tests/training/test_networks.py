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

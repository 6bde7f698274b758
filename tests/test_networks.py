import subprocess
import sys

import numpy as np
import pytest

from gan import networks
from gan.tf_setup import tf


@pytest.mark.parametrize("n_in, n_out", [(1, 8), (8, 1), (8, 4), (3, 5)])
def test_dense_is_a_matrix_product_and_so_is_its_gradient(n_in, n_out):
    rng = np.random.default_rng(n_in * 10 + n_out)
    x = tf.constant(rng.normal(size=(300, n_in)).astype(np.float32))
    w = tf.Variable(rng.normal(size=(n_in, n_out)).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ours, reference = networks.dense(x, w), tf.matmul(x, w)
        loss_ours, loss_ref = tf.reduce_sum(tf.sin(ours)), tf.reduce_sum(tf.sin(reference))
    np.testing.assert_allclose(ours.numpy(), reference.numpy(), rtol=1e-5, atol=1e-5)
    for a, b in zip(tape.gradient(loss_ours, [x, w]), tape.gradient(loss_ref, [x, w])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)


# Outputs and gradients of both networks on fixed inputs, as bytes (run in a subprocess).
PROBE = """
import os, sys, hashlib
import gan                        # applies the pin ...
os.environ.update(dict(kv.split("=", 1) for kv in sys.argv[1:]))  # ... then undo parts
import numpy as np
from gan import networks
from gan.tf_setup import tf
g, d = networks.generator(8, 4, 0), networks.discriminator(8, 0)
z = tf.constant(np.random.default_rng(1).normal(size=(1000, 8)).astype(np.float32))
with tf.GradientTape() as tape:
    logit = d(g(z))
    loss = tf.reduce_mean(logit)
grads = tape.gradient(loss, g.params + d.params)
print(hashlib.sha256(b"".join(t.numpy().tobytes() for t in [logit, *grads])).hexdigest())
"""


def probe(*env):
    return subprocess.run([sys.executable, "-c", PROBE, *env], capture_output=True, text=True,
                          check=True).stdout


def test_the_networks_do_not_depend_on_onednn_kernels():
    """oneDNN capped at SSE4.1 (which changes tf.matmul's bytes on every x86-64 CPU) and
    its graph rewrites switched on leave both networks' outputs and gradients alone: no
    run-time-dispatched kernel computes them."""
    assert probe() == probe("ONEDNN_MAX_CPU_ISA=SSE41") == probe("TF_NUM_INTRAOP_THREADS=2")

import subprocess
import sys

from gan.training import export, networks
from gan.training.tf_setup import tf

import numpy as np

from tests.pipeline import ROOT


def test_exported_models_load_with_plain_tensorflow(tmp_path):
    g_weights, d_weights = networks.generator(8, 4, seed=0), networks.discriminator(8, seed=0)
    export.export_generator(tmp_path / "generator", g_weights)
    export.export_discriminator(tmp_path / "discriminator", d_weights)
    g, d = networks.MLP(networks.stack([g_weights]), "g"), networks.MLP(networks.stack([d_weights]), "d")
    z = np.random.default_rng(0).uniform(-1, 1, (5, 8)).astype(np.float32)
    x = g(tf.constant(z[None])).numpy()[0]  # a block of one seed
    want_d = tf.sigmoid(d(tf.constant(x[None]))).numpy()[0]
    # A separate interpreter that never imports this package.
    script = f"""
import numpy as np, tensorflow as tf
g = tf.saved_model.load({str(tmp_path / "generator")!r}).signatures["serving_default"]
d = tf.saved_model.load({str(tmp_path / "discriminator")!r}).signatures["serving_default"]
z = np.load({str(tmp_path / "z.npy")!r})
x = g(z=tf.constant(z))["x"].numpy()
np.save({str(tmp_path / "x.npy")!r}, x)
np.save({str(tmp_path / "d.npy")!r}, d(x=tf.constant(x))["d"].numpy())
print(g.structured_input_signature)
"""
    np.save(tmp_path / "z.npy", z)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert "TensorSpec(shape=(None, 8), dtype=tf.float32, name='z')" in out.stdout
    np.testing.assert_allclose(np.load(tmp_path / "x.npy"), x, rtol=1e-6)
    got_d = np.load(tmp_path / "d.npy")
    np.testing.assert_allclose(got_d, want_d, rtol=1e-6)
    assert got_d.shape == (5, 1) and np.all((got_d > 0) & (got_d < 1))


def test_missing_export_is_a_clear_error(tmp_path):
    try:
        export.load_signature(tmp_path / "generator")
    except FileNotFoundError as exc:
        assert "generator" in str(exc) and "train" in str(exc)
    else:
        raise AssertionError("expected FileNotFoundError")


def test_export_bytes_do_not_depend_on_what_the_process_did_before(tmp_path):
    """As after a fresh and after a resumed run: one process traced more before exporting."""
    script = """
import sys
from gan.training import export, networks
from gan.training.tf_setup import tf
for _ in range(int(sys.argv[2])):  # unrelated tracing moves TensorFlow's name counter
    tf.function(lambda x: x * 2.0)(tf.constant(1.0))
export.export_generator(sys.argv[1], networks.generator(8, 4, seed=0))
"""
    for name, busy in (("a", 0), ("b", 50)):
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / name), str(busy)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    found = {
        name: sorted(p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*") if p.is_file())
        for name in "ab"
    }
    assert found["a"] == found["b"] and "fingerprint.pb" not in map(str, found["a"])
    for rel in found["a"]:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_export_bytes_hold_across_the_name_counters_round_numbers(tmp_path):
    """The names no longer depend on TensorFlow's counter at all: exported once, then
    again with the counter just below a multiple of 2^18 (where the old rounding shifted
    every name by one), the files are the same bytes, and they still load and compute."""
    from tensorflow.python.framework import ops

    g, d = networks.generator(8, 4, seed=0), networks.discriminator(8, seed=0)
    for name in ("a", "b"):
        if name == "b":
            while ops.uid() % (1 << 18) != (1 << 18) - 3:
                pass
        export.export_generator(tmp_path / name / "g", g)
        export.export_discriminator(tmp_path / name / "d", d)
    for model in ("g", "d"):
        a, b = (tmp_path / n / model / "saved_model.pb" for n in "ab")
        assert a.read_bytes() == b.read_bytes(), model
    z = np.random.default_rng(1).standard_normal((4, 8)).astype(np.float32)
    x = export.load_signature(tmp_path / "b/g")(z=tf.constant(z))["x"].numpy()
    np.testing.assert_allclose(x, export.generator_net(g).serve(z=tf.constant(z))["x"].numpy(), rtol=1e-6)
    logit = export.load_signature(tmp_path / "b/d", "logit")(x=tf.constant(x))["logit"].numpy()
    np.testing.assert_allclose(
        logit, export.discriminator_net(d).logit(x=tf.constant(x))["logit"].numpy(), rtol=1e-6
    )

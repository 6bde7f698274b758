import os
import subprocess
import sys

from gan.infra import cpu_pin

import pytest

V3 = cpu_pin.V3_FLAGS | {"sse4_2", "avx512f"}


def test_level_of_each_kind_of_machine():
    assert cpu_pin.level("x86_64", V3) == cpu_pin.LEVEL
    assert cpu_pin.level("x86_64", V3 - {"avx2", "fma"}) == "x86-64 without avx2, fma"
    assert cpu_pin.level("aarch64", frozenset()) == "aarch64"
    assert cpu_pin.level("x86_64", frozenset()) == "x86-64 (CPU flags unreadable)"


def test_what_is_pinned_where():
    v3 = cpu_pin.pinned({}, cpu_pin.LEVEL)
    assert v3["ONEDNN_MAX_CPU_ISA"] == "AVX2" and v3["OPENBLAS_CORETYPE"] == "Haswell"
    assert v3["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert v3["XLA_FLAGS"] == f"--xla_cpu_max_isa=AVX2 {cpu_pin.NO_YNN}"
    old_x86 = cpu_pin.pinned({}, "x86-64 without avx2")
    assert "OPENBLAS_CORETYPE" not in old_x86  # Haswell kernels would crash there
    assert old_x86["ONEDNN_MAX_CPU_ISA"] == "AVX2"  # a cap: harmless below it
    arm = cpu_pin.pinned({}, "aarch64")
    assert (
        set(arm) == {*cpu_pin.EVERYWHERE, "XLA_FLAGS", "TF_XLA_FLAGS"} and arm["XLA_FLAGS"] == cpu_pin.NO_YNN
    )


def test_other_xla_flags_are_kept_and_an_isa_flag_replaced():
    env = {"XLA_FLAGS": "--xla_dump_to=/tmp/x --xla_cpu_max_isa=AVX512"}
    wanted = cpu_pin.pinned(env, cpu_pin.LEVEL)
    assert wanted["XLA_FLAGS"] == f"--xla_dump_to=/tmp/x --xla_cpu_max_isa=AVX2 {cpu_pin.NO_YNN}"
    assert cpu_pin.overrides(env, wanted) == ["XLA_FLAGS='--xla_cpu_max_isa=AVX512'"]
    assert cpu_pin.overrides({"XLA_FLAGS": "--xla_dump_to=/tmp/x"}, wanted) == []


def test_overrides_name_each_variable_the_caller_set_otherwise():
    wanted = cpu_pin.pinned({}, cpu_pin.LEVEL)
    env = {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE", "TF_ENABLE_ONEDNN_OPTS": "0"}
    assert cpu_pin.overrides(env, wanted) == ["ONEDNN_MAX_CPU_ISA='AVX512_CORE'"]


def test_numpy_dispatch_targets_are_all_known():
    """A numpy upgrade that adds a dispatch target above x86-64-v3 must extend the pin."""
    from numpy._core import _multiarray_umath as umath

    if not cpu_pin.level().startswith("x86-64"):
        pytest.skip("x86-64 only")
    disabled = set(cpu_pin.X86_CAPS["NPY_DISABLE_CPU_FEATURES"].split())
    assert set(umath.__cpu_dispatch__) <= disabled | {"X86_V3"}


def test_this_process_computes_at_the_pinned_level():
    at = cpu_pin.level()
    for name, value in cpu_pin.pinned(os.environ, at).items():
        assert os.environ[name] == value, name
    if at == cpu_pin.LEVEL:
        assert cpu_pin.numpy_targets() == ["X86_V3"]


def test_a_hostile_environment_is_overridden_and_said_so():
    hostile = {
        **os.environ,
        "ONEDNN_MAX_CPU_ISA": "AVX512_CORE",
        "NPY_DISABLE_CPU_FEATURES": "",
        "TF_ENABLE_ONEDNN_OPTS": "1",
        "OPENBLAS_NUM_THREADS": "2",
        "NPY_ENABLE_CPU_FEATURES": "X86_V4",
        "TF_XLA_FLAGS": "--tf_xla_auto_jit=2",
    }
    code = (
        "import gan, os; from gan.infra import cpu_pin; "
        "print(os.environ['ONEDNN_MAX_CPU_ISA'], os.environ['TF_ENABLE_ONEDNN_OPTS'], "
        "cpu_pin.numpy_targets())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=hostile, capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[:2] == ["AVX2", "0"]
    if cpu_pin.level() == cpu_pin.LEVEL:
        assert "['X86_V3']" in done.stdout
    assert done.stderr.startswith("cpu pin: ignoring ")
    for setting in (
        "ONEDNN_MAX_CPU_ISA='AVX512_CORE'",
        "TF_ENABLE_ONEDNN_OPTS='1'",
        "NPY_DISABLE_CPU_FEATURES=''",
        "NPY_ENABLE_CPU_FEATURES='X86_V4'",
        "TF_XLA_FLAGS=",
    ):
        assert setting in done.stderr


def test_tensorflow_imported_with_onednn_rewrites_is_refused():
    """Keras (or TensorFlow) imported before gan, with the rewrites on: gan.training.tf_setup says
    so instead of computing other bytes than the stages (the cause of an order-dependent
    test failure: tests/training/test_adam.py imports keras first)."""
    code = (
        "import os; os.environ['TF_ENABLE_ONEDNN_OPTS'] = '1'; "
        "os.environ['TF_CPP_MIN_LOG_LEVEL'] = '2'; import tensorflow; import gan.training.tf_setup"
    )
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "import gan before tensorflow or keras" in done.stderr


TRAIN_A_BLOCK = """
import gan, hashlib, numpy as np
from tests.training.test_trainer import EVERY_OPTION, block_of
real = np.random.default_rng(0).normal(size=(90, 1)).astype(np.float32)
t, _ = block_of(real, [3, 4], **{**EVERY_OPTION, "noise": "normal", "xla": True})
print(hashlib.sha256(b"".join(v.numpy().tobytes() for v in t.state_variables)).hexdigest())
"""


def test_a_program_loaded_from_the_xla_cache_computes_the_same_bytes(tmp_path):
    """Each process compiles, or loads what an earlier one compiled: the same bits, and
    no false alarm on stderr (protobuf's about trying the cache file as text first)."""

    def trained(cache: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"} | {"GAN_XLA_CACHE": cache}
        done = subprocess.run([sys.executable, "-c", TRAIN_A_BLOCK], env=env, capture_output=True, text=True)
        assert done.returncode == 0 and "Error" not in done.stderr, done.stderr
        return done.stdout.strip()

    cache = tmp_path / "xla"
    compiled = trained(str(cache))
    kept = sorted(cache.iterdir())
    assert kept and all(path.stat().st_size > 0 for path in kept)
    assert trained(str(cache)) == compiled  # loaded from the cache
    assert sorted(cache.iterdir()) == kept
    assert trained("") == compiled  # no cache


def test_the_xla_cache_is_kept_per_machine_and_tensorflow_release():
    wanted = cpu_pin.pinned({"XDG_CACHE_HOME": "/c"}, cpu_pin.LEVEL)
    assert wanted["TF_XLA_FLAGS"].startswith(cpu_pin.XLA_CACHE_FLAG + "/c/gan-tutorial/xla/")
    other_flags = cpu_pin.pinned({"XDG_CACHE_HOME": "/c", "XLA_FLAGS": "--xla_dump_to=/x"}, cpu_pin.LEVEL)
    assert other_flags["TF_XLA_FLAGS"] != wanted["TF_XLA_FLAGS"]
    assert cpu_pin.pinned({"GAN_XLA_CACHE": ""}, cpu_pin.LEVEL)["TF_XLA_FLAGS"] == ""

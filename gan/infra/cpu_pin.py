"""One instruction-set level for everything this project computes: x86-64-v3 (AVX2 + FMA),
whatever the CPU offers above it.

Why: numpy, OpenBLAS, oneDNN and XLA pick their kernels at run time from the CPU's
instruction set, and a kernel of another vector width adds floats in another order. Left
alone, the same code and data give other bytes on an AVX-512 machine than on an AVX2 one.
Every x86-64 machine of this project's kind has x86-64-v3, so that is the level pinned.

`apply()` runs when the `gan` package is first imported (gan/__init__.py), before numpy
or TensorFlow load. It sets every variable of the pin, *overriding* what the caller
exported (and saying so on stderr): a stage must give the committed bytes whatever the
shell holds. On a CPU without x86-64-v3 (an older x86-64, or aarch64) the pin cannot make
the bytes match; the level reported then says so, and CI compares metrics instead.

    make cpu                       # this CPU, the level it computes at, the pin
"""

from __future__ import annotations

import functools
import os
import platform
import sys
from collections.abc import Mapping
from pathlib import Path

LEVEL = "x86-64-v3"
# x86-64-v3 in /proc/cpuinfo's words (abm is LZCNT).
V3_FLAGS = frozenset({"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "movbe", "abm", "xsave"})

# Set on every machine: switches that change results on the same CPU.
EVERYWHERE = {
    "TF_ENABLE_ONEDNN_OPTS": "0",  # TensorFlow's oneDNN graph rewrites reorder float sums
    "OPENBLAS_NUM_THREADS": "1",  # numpy's and scipy's BLAS: one thread, one order
}
# Caps for any x86-64: harmless on a CPU below the cap.
X86_CAPS = {
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # oneDNN (TensorFlow's matmul kernels)
    # numpy 2.4's run-time dispatch targets above x86-64-v3 (`make cpu` shows the ones
    # enabled; tests/infra/test_cpu_pin.py fails if a numpy upgrade adds one)
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
}
# Only where the CPU has x86-64-v3: forcing these kernels elsewhere would crash.
V3_ONLY = {
    "OPENBLAS_CORETYPE": "Haswell",  # OpenBLAS's AVX2 kernels
}
XLA_FLAG = "--xla_cpu_max_isa=AVX2"  # XLA's code generation (jit_compile)
# On every machine: XLA:CPU hands reductions above a size threshold to YNNPACK, which adds
# in another order; the batch sums of a block of 14 or more seeds went there and changed
# every seed's bits (measured). Off, a seed's bits do not depend on its block.
NO_YNN = "--xla_cpu_experimental_ynn_fusion_type="
# Removed wherever it is set: it cannot coexist with the disable list (numpy refuses to load).
UNSET = ("NPY_ENABLE_CPU_FEATURES",)
# TensorFlow's own XLA flags: the caller's could switch on auto-clustering, so they are
# replaced by one that keeps compiled programs on disk (`xla_cache`).
XLA_CACHE_FLAG = "--tf_xla_persistent_cache_directory="


@functools.cache
def _cpuinfo(field: str) -> str | None:
    """The first `field` line of /proc/cpuinfo (read once per process), or None."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(field):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_flags() -> frozenset[str]:
    return frozenset((_cpuinfo("flags") or "").split())


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_name() -> str:
    return _cpuinfo("model name") or platform.processor() or platform.machine() or "unknown CPU"


def level(machine: str | None = None, flags: frozenset[str] | None = None) -> str:
    """The level this CPU computes at under the pin: LEVEL, or what it falls short with."""
    machine = (machine or platform.machine()).lower()
    if machine not in ("x86_64", "amd64"):
        return machine
    flags = cpu_flags() if flags is None else flags
    if not flags:
        return "x86-64 (CPU flags unreadable)"
    missing = V3_FLAGS - flags
    return LEVEL if not missing else f"x86-64 without {', '.join(sorted(missing))}"


def _xla_flags(current: str, x86: bool) -> str:
    ours = ("--xla_cpu_max_isa", NO_YNN)
    kept = [f for f in current.split() if not f.startswith(ours)]
    return " ".join(kept + ([XLA_FLAG] if x86 else []) + [NO_YNN])


def xla_cache(environ: Mapping[str, str], xla_flags: str) -> str:
    """Where XLA's compiled programs are kept between processes, so the `train` stage and
    each population worker skip a compile (about 1.5 s) the last run of the same program
    already made: GAN_XLA_CACHE, else the user's cache folder, in a subfolder per CPU model,
    XLA flags and TensorFlow release (a program compiled for one is never loaded on
    another; TensorFlow itself checks that the program is the same). Empty GAN_XLA_CACHE:
    no cache. Only time changes: a loaded program computes the same bytes."""
    import hashlib
    from importlib import metadata

    if "GAN_XLA_CACHE" in environ:
        return environ["GAN_XLA_CACHE"]
    try:
        release = metadata.version("tensorflow")
    except metadata.PackageNotFoundError:
        release = "none"
    key = hashlib.sha256(f"{cpu_name()}|{sorted(cpu_flags())}|{xla_flags}|{release}".encode()).hexdigest()
    home = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(home) / "gan-tutorial" / "xla" / key[:16])


def pinned(environ: Mapping[str, str], at: str) -> dict[str, str]:
    """The variables to set for a CPU computing at level `at` (see `level`)."""
    wanted = dict(EVERYWHERE)
    x86 = at == LEVEL or at.startswith("x86-64")
    wanted["XLA_FLAGS"] = _xla_flags(environ.get("XLA_FLAGS", ""), x86)
    cache = xla_cache(environ, wanted["XLA_FLAGS"])
    wanted["TF_XLA_FLAGS"] = XLA_CACHE_FLAG + cache if cache else ""
    if x86:
        wanted.update(X86_CAPS)
    if at == LEVEL:
        wanted.update(V3_ONLY)
    return wanted


def overrides(environ: Mapping[str, str], wanted: Mapping[str, str]) -> list[str]:
    """'NAME=old' for each variable the caller had set to something else (for XLA_FLAGS,
    only an ISA flag of its own: its other flags are kept)."""
    found = []
    for name, value in wanted.items():
        old = environ.get(name)
        if name == "XLA_FLAGS":  # only its ISA flag is ours to override
            old = " ".join(f for f in (old or "").split() if f.startswith("--xla_cpu_max_isa")) or None
            value = XLA_FLAG
        if old is not None and old != value:
            found.append(f"{name}={old!r}")
    return found + [f"{name}={environ[name]!r}" for name in UNSET if name in environ]


_APPLIED: str | None = None
_HOLDS = True


def apply() -> str:
    """Pin this process (and every process it starts) at this CPU's level; returns it.
    Must run before numpy and TensorFlow are imported: too late, it says so."""
    global _APPLIED
    if _APPLIED is not None:
        return _APPLIED
    at = level()
    wanted = pinned(os.environ, at)
    changed = overrides(os.environ, wanted)
    if changed:
        print(
            f"cpu pin: ignoring {', '.join(changed)} from the environment "
            f"(this project computes at {LEVEL}; see docs/reproducibility.md)",
            file=sys.stderr,
        )
    global _HOLDS
    late = [m for m in ("numpy", "tensorflow") if m in sys.modules]
    if late and any(os.environ.get(k) != v for k, v in wanted.items()):
        _HOLDS = False
        print(
            f"cpu pin: {' and '.join(late)} was imported before gan, so the pin may not "
            "hold in this process: import gan first",
            file=sys.stderr,
        )
    os.environ.update(wanted)
    for name in UNSET:
        os.environ.pop(name, None)
    _APPLIED = at
    return at


def holds() -> bool:
    """Does the pin hold in this process: was it in the environment before numpy and
    TensorFlow loaded? (A process that imported them first computes at whatever level
    they picked, whatever the environment says now.)"""
    apply()
    return _HOLDS


def numpy_targets() -> list[str]:
    """numpy's run-time dispatch targets enabled in this process (after the pin: none
    above X86_V3)."""
    from numpy._core import _multiarray_umath as umath

    return [t for t in umath.__cpu_dispatch__ if umath.__cpu_features__.get(t)]


def describe() -> str:
    """One line for a stage's log: the level computed at, and the CPU under it."""
    at = apply()
    flags = cpu_flags()
    wide = " (has AVX-512, capped)" if "avx512f" in flags and at == LEVEL else ""
    if at == LEVEL:
        return f"computing at {LEVEL} on {cpu_name()}{wide}"
    return (
        f"computing at {at} on {cpu_name()}: not {LEVEL}, so the bytes will differ "
        "from the committed ones (the metrics agree within training noise)"
    )

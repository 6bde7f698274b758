"""How fast does the project train, against the tutorial's eager loop, on this machine?

    make bench        # or: .venv/bin/python -m benchmarks.train_speed [--quick]

Measures in one run, on the same machine:
- the tutorial's eager loop (benchmarks/tutorial_loop.py), a few epochs: ms per step;
- the project's trainer on the tutorial's setup (one D update per batch, uniform
  noise: the same arithmetic per step as the tutorial's loop) and on the default params
  (train.d_steps D updates per step): trace/compile time and steady-state ms per step,
  the defaults also with XLA;
- the whole `train` stage as DVC runs it (import, trace, 3000 epochs, checkpoints,
  export), its wall time and peak memory, compiling and again with its program in the
  XLA cache (a fresh one: gan/infra/cpu_pin.xla_cache), and the same for the other stages, the
  `population` stage included (100 seeds on one worker per core; target: 20 s on 2 cores);
- a block of 10 seeds trained together: ms per seed-step against the tutorial's eager step;
- `dvc exp run -S train.lr=0.05` end to end, population included (target: 30 s);
- `dvc repro -f` of the six stages and a no-op `dvc repro`, in a temporary copy.
Everything runs at the pinned instruction set (gan/infra/cpu_pin.py: `import gan` in
benchmarks/__init__.py), the level the pipeline computes at.
Prints a table and writes benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gan.infra import cpu_pin, files

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"


def measured(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command and everything it started."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "if done.returncode: sys.exit(done.stderr)\n"
        "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


# What makes the trainer's step the tutorial's step: one D update, U(-1, 1) noise, no
# moving average, none of this project's convergence options (gan.infra.params.TUTORIAL_SETUP).
def tutorial_setup() -> dict:
    from gan.infra import params

    return {key.split(".")[1]: value for key, value in params.TUTORIAL_SETUP.items()}


def default_config(xla: bool = False, **overrides):
    from gan.infra import params
    from gan.training import trainer

    p = params.load(ROOT / "params.yaml", "model", "train")
    return dataclasses.replace(trainer.Config.from_params(p["model"], p["train"]), xla=xla, **overrides)


def tutorial_step_ms(real: np.ndarray, epochs: int) -> dict[str, float]:
    from benchmarks import tutorial_loop

    cfg = default_config(**tutorial_setup())  # the tutorial's node counts, whatever the defaults
    steps_per_epoch = math.ceil(len(real) / cfg.batch_size)
    times = tutorial_loop.run(
        real,
        epochs + 1,
        d_hidden=cfg.d_hidden,
        g_input=cfg.g_input,
        g_hidden=cfg.g_hidden,
        lr=cfg.lr,
        batch_size=cfg.batch_size,
        seed=0,
    )[steps_per_epoch:]  # the first epoch warms up
    return {"ms_per_step": 1000 * statistics.median(times), "steps_timed": len(times)}


def trainer_step_ms(real: np.ndarray, xla: bool, timed: int, block: int = 1, **overrides) -> dict[str, float]:
    """ms per step of one seed (a block's step time over its seeds), and the compile time."""
    from gan.training import trainer
    from gan.training.tf_setup import tf

    cfg = default_config(xla, **overrides)
    steps_per_epoch = math.ceil(len(real) / cfg.batch_size) * block
    t = trainer.Trainer(real, cfg, tuple(range(block)))
    one = tf.constant(1, tf.int64)
    start = time.perf_counter()
    t.run_epochs(one)  # trace (and compile) + one epoch
    first = time.perf_counter() - start
    start = time.perf_counter()
    t.run_epochs(one)
    one_epoch = time.perf_counter() - start
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        t.run_epochs(tf.constant(timed, tf.int64))
        runs.append((time.perf_counter() - start) / (timed * steps_per_epoch))
    return {
        "ms_per_step": 1000 * min(runs),
        "ms_per_step_median": 1000 * statistics.median(runs),
        "trace_compile_s": first - one_epoch,
    }


def pipeline_times(quick: bool) -> dict[str, float]:
    """Stage and `dvc repro` wall times in a temporary copy of the repository."""
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "GAN_PYTHON": sys.executable, "GAN_NO_RESUME": "1"}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env["GAN_XLA_CACHE"] = str(Path(tmp) / "xla")  # empty: each program's first run compiles
        repo = Path(tmp) / "repo"
        tracked = (
            subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
            .stdout.decode()
            .split("\0")
        )
        for name in filter(None, tracked):
            if (ROOT / name).is_file():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, repo / name)
        for cmd in (
            ["git", "init", "-q"],
            ["git", "add", "-A"],
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "bench"],
        ):
            subprocess.run(cmd, cwd=repo, check=True, capture_output=True)
        dvc = [sys.executable, "-m", "dvc"]
        for stage in ("check_params", "sample", "train", "evaluate", "plot", "population"):
            wall, peak = measured(["sh", "stages/run", stage], repo, env)
            out[f"stage_{stage}_s"], out[f"stage_{stage}_peak_mb"] = wall, peak
            print(f"  stage {stage}: {wall:.1f} s, peak {peak:.0f} MB", flush=True)
            if stage == "train":  # again, its program now in the XLA cache
                out["stage_train_warm_s"], _ = measured(["sh", "stages/run", stage], repo, env)
                print(
                    f"  stage train, compiled program cached: {out['stage_train_warm_s']:.1f} s", flush=True
                )
        if not quick:
            out["exp_run_lr_0.05_s"], _ = measured([*dvc, "exp", "run", "-S", "train.lr=0.05"], repo, env)
            print(f"  dvc exp run -S train.lr=0.05: {out['exp_run_lr_0.05_s']:.1f} s", flush=True)
            subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
            out["dvc_repro_force_s"], out["dvc_repro_force_peak_mb"] = measured(
                [*dvc, "repro", "-f"], repo, env
            )
            print(f"  dvc repro -f: {out['dvc_repro_force_s']:.1f} s", flush=True)
            out["dvc_repro_noop_s"], _ = measured([*dvc, "repro"], repo, env)
            print(f"  dvc repro (nothing to do): {out['dvc_repro_noop_s']:.1f} s", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the dvc repro timings")
    args = parser.parse_args()

    from gan.infra import params
    from gan.stats.distributions import Mixture

    p = params.load(ROOT / "params.yaml", "data")["data"]
    real = Mixture.from_params(p).sample(p.n_samples, np.random.default_rng(p.seed))
    print("tutorial eager loop ...", flush=True)
    tutorial = tutorial_step_ms(real, epochs=5)
    print(f"  {tutorial['ms_per_step']:.2f} ms/step", flush=True)
    print("project trainer, the tutorial's setup (1 D update per step) ...", flush=True)
    same = trainer_step_ms(real, xla=False, timed=250, **tutorial_setup())
    print(f"  {same['ms_per_step']:.3f} ms/step, trace {same['trace_compile_s']:.2f} s", flush=True)
    print("project trainer, the tutorial's setup, with XLA ...", flush=True)
    same_xla = trainer_step_ms(real, xla=True, timed=250, **tutorial_setup())
    print(f"  {same_xla['ms_per_step']:.3f} ms/step, compile {same_xla['trace_compile_s']:.2f} s", flush=True)
    print("project trainer, default params ...", flush=True)
    fast = trainer_step_ms(real, xla=False, timed=250)
    print(f"  {fast['ms_per_step']:.3f} ms/step, trace {fast['trace_compile_s']:.2f} s", flush=True)
    print("project trainer, default params, with XLA ...", flush=True)
    xla = trainer_step_ms(real, xla=True, timed=250)
    print(f"  {xla['ms_per_step']:.3f} ms/step, compile {xla['trace_compile_s']:.2f} s", flush=True)
    print("project trainer, a block of 10 seeds, with XLA: the tutorial's setup, then the defaults ...")
    block_same = trainer_step_ms(real, xla=True, timed=50, block=10, **tutorial_setup())
    block = trainer_step_ms(real, xla=True, timed=50, block=10)
    print(f"  {block_same['ms_per_step']:.4f} / {block['ms_per_step']:.4f} ms per seed-step", flush=True)
    print("import tensorflow (a fresh process) ...", flush=True)
    import_tf = min(
        measured(
            [sys.executable, "-c", "import gan; from gan.training.tf_setup import tf"], ROOT, dict(os.environ)
        )[0]
        for _ in range(3)
    )
    print(f"  {import_tf:.2f} s", flush=True)
    print("pipeline ...", flush=True)
    pipeline = pipeline_times(args.quick)

    import tensorflow as tf

    results = {
        "machine": {
            "cpu": cpu_pin.cpu_name(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "isa": cpu_pin.apply(),
            "avx512f": "avx512f" in cpu_pin.cpu_flags(),
        },
        "tutorial_eager": tutorial,
        "trainer_tutorial_setup": same,
        "trainer": fast,
        "trainer_tutorial_setup_xla": same_xla,
        "trainer_xla": xla,
        "trainer_block10_tutorial_setup_xla": block_same,
        "trainer_block10_xla": block,
        "speedup_vs_tutorial_block10": tutorial["ms_per_step"] / block_same["ms_per_step"],
        "d_steps": default_config().d_steps,
        "speedup_vs_tutorial": tutorial["ms_per_step"] / same["ms_per_step"],
        "speedup_vs_tutorial_xla": tutorial["ms_per_step"] / same_xla["ms_per_step"],
        "import_tensorflow_s": import_tf,
        "train_stage_minus_import_s": pipeline["stage_train_s"] - import_tf,
        "train_stage_warm_minus_import_s": pipeline["stage_train_warm_s"] - import_tf,
        "pipeline": pipeline,
        "population_stage_s": pipeline["stage_population_s"],
    }
    if not args.quick:
        files.write_json(RESULTS, results)
    print()
    print("| measurement | value |")
    print("|---|---|")
    print(f"| tutorial eager step | {tutorial['ms_per_step']:.2f} ms |")
    print(f"| project trainer step, tutorial's setup (steady state) | {same['ms_per_step']:.3f} ms |")
    print(f"| speed-up | {results['speedup_vs_tutorial']:.0f}x |")
    print(
        f"| with XLA, tutorial's setup: step / compile / speed-up | {same_xla['ms_per_step']:.3f} ms / "
        f"{same_xla['trace_compile_s']:.2f} s / {results['speedup_vs_tutorial_xla']:.0f}x |"
    )
    print(
        f"| project trainer step, defaults ({results['d_steps']} D updates) | {fast['ms_per_step']:.3f} ms |"
    )
    print(f"| trainer trace time (defaults) | {fast['trace_compile_s']:.2f} s |")
    print(f"| with XLA: step / compile | {xla['ms_per_step']:.3f} ms / {xla['trace_compile_s']:.2f} s |")
    print(
        f"| a block of 10 with XLA, per seed-step: tutorial's setup / defaults / speed-up (aim: 1000x) | "
        f"{block_same['ms_per_step']:.4f} ms / {block['ms_per_step']:.4f} ms / "
        f"{results['speedup_vs_tutorial_block10']:.0f}x |"
    )
    print(f"| import tensorflow | {import_tf:.2f} s |")
    print(
        f"| train stage minus import tensorflow, compiling / program cached (target: 3 s) | "
        f"{results['train_stage_minus_import_s']:.1f} s / "
        f"{results['train_stage_warm_minus_import_s']:.1f} s |"
    )
    print(
        f"| population stage, 100 seeds, {os.cpu_count()} cores (target: 20 s on 2) | "
        f"{pipeline['stage_population_s']:.1f} s |"
    )
    for key, value in pipeline.items():
        unit = "MB" if key.endswith("_mb") else "s"
        print(f"| {key} | {value:.1f} {unit} |")
    if not args.quick:
        print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

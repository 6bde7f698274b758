"""End to end: the real `dvc repro` and `dvc exp run` in a temporary copy, tiny config."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from gan.infra import cpu_pin
from gan.report import experiments
from gan.stats import evaluation, verdict

import numpy as np
import pytest
import yaml

from tests.pipeline import ROOT, TINY, commit_all, dvc, env, run

pytestmark = pytest.mark.slow

OUTPUTS = [
    "data/real.npy",
    "models/generator/saved_model.pb",
    "models/discriminator/saved_model.pb",
    "reports/metrics.json",
    "reports/eval.npz",
    "reports/evaluation.json",
    "reports/frames.npz",
    "reports/train/metrics.json",
    "reports/population.json",
    "reports/population/runs.csv",
    "reports/population/p_values.csv",
]
FIGURES = [
    "loss_history.png",
    "kl_history.png",
    "density.png",
    "discriminator_outputs.png",
    "final_state.png",
    "qq.png",
    "training.gif",
]


def test_repro_writes_every_output_and_leaves_a_clean_status(project):
    for name in OUTPUTS + [f"reports/figures/{f}" for f in FIGURES]:
        assert (project / name).is_file(), name
    metrics = json.loads((project / "reports/metrics.json").read_text())
    assert sorted(metrics) == sorted(evaluation.HEADLINE)  # a screen wide in `dvc exp show`
    for key in [
        "kl_divergence",
        "wasserstein_1",
        "ks_statistic",
        "std_error",
        "d_real_mean",
        "d_fake_mean",
        "p_value",
    ]:
        assert isinstance(metrics[key], float), key
    details = json.loads((project / "reports/evaluation.json").read_text())
    for key in ["js_divergence", "fake_mean", "fake_std", "loss_d", "loss_g"]:
        assert isinstance(details[key], float), key
    assert set(details["critical_value"]) == set(details["p_values"]) == set(verdict.METRICS)
    assert details["epochs_done"] == TINY["train"]["epochs"]
    assert isinstance(details["raw"]["p_value"], float)
    assert json.loads(dvc("status", "--json", cwd=project).stdout) == {}
    real = np.load(project / "data/real.npy")
    assert real.shape == (200, 1) and real.dtype == np.float32


def test_animation_has_a_frame_per_snapshot(project):
    from PIL import Image

    with Image.open(project / "reports/figures/training.gif") as gif:
        assert gif.n_frames == TINY["train"]["epochs"] // TINY["train"]["snapshot_every"] + 1
    with np.load(project / "reports/frames.npz") as frames:
        assert list(frames["epoch"]) == list(range(0, 41, 10))


def test_mixture_data_runs_and_reports_mode_coverage(workspace):
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["data"]["distribution"] = "mixture"
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    dvc("repro", cwd=workspace)
    real = np.load(workspace / "data/real.npy")[:, 0]
    assert np.mean(real < 0) == pytest.approx(0.5, abs=0.1)
    assert abs(np.mean(np.abs(real)) - 2.0) < 0.3  # two modes at -2 and 2
    details = json.loads((workspace / "reports/evaluation.json").read_text())
    headline = json.loads((workspace / "reports/metrics.json").read_text())
    assert headline["modes_captured"] in (0, 1, 2) and 0.0 <= headline["high_quality"] <= 1.0
    assert details["modes"] == 2 and 0.0 <= details["emptiest_mode"] and details["mode_kl"] >= 0.0
    assert "critical_value" in details and "modes_captured" not in details
    assert isinstance(headline["indistinguishable"], bool)


def use_data_file(repo, path):
    raw = yaml.safe_load((repo / "params.yaml").read_text())
    raw["data"].update(distribution="file", path=path)
    (repo / "params.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))


def test_a_csv_trains_on_its_rows_and_is_scored_on_the_held_out_ones(workspace):
    """`data.distribution: file` end to end: `dvc repro` with a CSV (a header row, 240 rows:
    180 train, 60 held out), then `dvc exp run -S data.path=...` with a .npy, which DVC
    resolves in dvc.yaml (`${data.path}`) from the params it was given."""
    rows = np.random.default_rng(0).gamma(4.0, 0.5, 240).astype(np.float32)
    (workspace / "data/mine.csv").write_text("rainfall\n" + "".join(f"{v!r}\n" for v in rows.tolist()))
    use_data_file(workspace, "data/mine.csv")
    done = dvc("repro", cwd=workspace)
    real, scored = np.load(workspace / "data/real.npy"), np.load(workspace / "data/scored.npy")
    assert real.shape == (180, 1) and scored.shape == (60, 1)
    assert sorted(np.concatenate([real, scored])[:, 0]) == sorted(rows)
    with np.load(workspace / "reports/eval.npz") as saved:
        assert np.array_equal(saved["real"], scored[:, 0])  # what the verdict compared with
    metrics = json.loads((workspace / "reports/metrics.json").read_text())
    # a data file has no modes
    no_modes = [k for k in evaluation.HEADLINE if k not in ("modes_captured", "high_quality")]
    assert sorted(metrics) == sorted(no_modes) and isinstance(metrics["indistinguishable"], bool)
    details = json.loads((workspace / "reports/evaluation.json").read_text())
    assert "modes" not in details and isinstance(details["raw"]["p_value"], float)
    assert "from data/mine.csv (180 training rows) at this sample size" in done.stdout
    assert json.loads(dvc("status", "--json", cwd=workspace).stdout) == {}
    assert (workspace / "reports/population/runs.csv").read_text().count("\n") == 4  # 3 seeds

    np.save(workspace / "data/other.npy", rows[:200] + 10.0)
    commit_all(workspace, "a second data file")
    dvc("exp", "run", "-S", "data.path=data/other.npy", cwd=workspace)
    real = np.load(workspace / "data/real.npy")
    assert real.shape == (150, 1) and real.min() > 10.0
    lock = yaml.safe_load((workspace / "dvc.lock").read_text())["stages"]
    for stage in ("check_params", "sample"):
        deps = [dep["path"] for dep in lock[stage]["deps"]]
        assert "data/other.npy" in deps and "data/mine.csv" not in deps, (stage, deps)


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "data/mine.csv"),  # DVC itself refuses a missing dependency
        ("x\n1\n2\nabc\n", "error: data/mine.csv: row 3 is not a number ('abc')"),
        ("1\n" * 100, "error: data/mine.csv: every row holds the same value (1)"),
    ],
    ids=["missing", "not numbers", "one value"],
)
def test_a_bad_data_file_stops_dvc_repro_before_any_output_is_deleted(workspace, content, words):
    if content is not None:
        (workspace / "data/mine.csv").write_text(content)
    before = every_output(workspace)
    use_data_file(workspace, "data/mine.csv")
    done = dvc("repro", cwd=workspace, check=False)
    assert done.returncode != 0
    assert words in done.stdout + done.stderr, done.stdout + done.stderr
    assert "Running stage 'sample'" not in done.stdout
    assert every_output(workspace) == before


def generated_by_evaluate_match_the_noise(repo, kind):
    """reports/eval.npz's fakes are the exported generator on `kind` noise drawn with
    evaluate.seed: evaluate feeds the generator the noise of params' model.noise."""
    from gan.infra import data
    from gan.training.tf_setup import tf

    g = tf.saved_model.load(str(repo / "models/generator")).signatures["serving_default"]
    with np.load(repo / "reports/eval.npz") as saved:
        fake = saved["fake"]
    z = data.noise(len(fake), TINY["model"]["g_input"], TINY["evaluate"]["seed"], kind)
    return np.array_equal(g(z=z)["x"].numpy()[:, 0], fake)


def test_evaluate_feeds_the_generator_the_noise_it_was_trained_on(project, workspace):
    assert TINY["model"]["noise"] == "normal"
    assert generated_by_evaluate_match_the_noise(project, "normal")
    assert not generated_by_evaluate_match_the_noise(project, "uniform")
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["model"]["noise"] = "uniform"
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    dvc("repro", cwd=workspace)
    assert generated_by_evaluate_match_the_noise(workspace, "uniform")


def test_history_has_one_row_per_log_epoch(project):
    table = (project / "reports/train/plots/metrics/loss_d.tsv").read_text().splitlines()
    assert table[0] == "step\tloss_d"
    assert [int(line.split("\t")[0]) for line in table[1:]] == list(range(0, 41, 5))


def test_experiment_runs_and_compares_against_main(workspace):
    dvc("exp", "run", "-S", "train.lr=0.05", "-n", "fast-lr", cwd=workspace)
    shown = json.loads(dvc("exp", "show", "--json", cwd=workspace).stdout)
    names = [exp.get("name") for rev in shown for exp in (rev.get("experiments") or [])]
    assert "fast-lr" in json.dumps(names)
    diff = json.loads(dvc("metrics", "diff", "main", "fast-lr", "--json", cwd=workspace).stdout)
    assert "kl_divergence" in diff["reports/metrics.json"]
    table = dvc("metrics", "diff", "main", "fast-lr", "--md", cwd=workspace).stdout
    assert "| reports/metrics.json" in table and "wasserstein_1" in table
    plots = json.loads(dvc("plots", "diff", "main", "fast-lr", "--json", cwd=workspace).stdout)
    for curve in ("loss_d.tsv", "kl_divergence.tsv"):
        key = next(k for k in plots["data"] if k.endswith(curve))
        revisions = {
            point["rev"] for block in plots["data"][key] for point in block["content"]["data"]["values"]
        }
        assert revisions == {"main", "fast-lr"}, (curve, revisions)


def test_param_written_as_exponent_by_exp_run_is_accepted(workspace):
    dvc("exp", "run", "-S", "train.lr=1e-3", cwd=workspace)
    assert yaml.safe_load((workspace / "params.yaml").read_text())["train"]["lr"] in (1e-3, "1e-3")


def test_repro_notices_a_typo_added_to_a_section_and_keeps_the_results(workspace):
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["train"]["lerning_rate"] = 0.01
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    keep = {name: (workspace / name).read_bytes() for name in ["dvc.lock", "reports/metrics.json"]}
    done = dvc("repro", cwd=workspace, check=False)
    assert done.returncode != 0
    assert "unknown key 'train.lerning_rate'" in done.stdout + done.stderr
    for name, content in keep.items():
        assert (workspace / name).read_bytes() == content, name


def every_output(repo):
    """The bytes of every file DVC tracks as an output (and of dvc.lock)."""
    found = {"dvc.lock": (repo / "dvc.lock").read_bytes()}
    for top in ["data", "models", "reports"]:
        for path in sorted((repo / top).rglob("*")):
            if path.is_file() and "checkpoints" not in path.parts:
                found[str(path.relative_to(repo))] = path.read_bytes()
    return found


def assert_only_params_changed(repo, before):
    assert every_output(repo) == before
    changed = run(["git", "status", "--porcelain"], repo).stdout.splitlines()
    assert changed == [" M params.yaml"], changed
    for stage, entries in json.loads(dvc("status", "--json", cwd=repo).stdout).items():
        for entry in entries:
            assert set(entry) == {"changed deps"}, (stage, entry)
            assert set(entry["changed deps"]) == {"params.yaml"}, (stage, entry)


@pytest.mark.parametrize(
    "section, key, value, words, targets",
    [
        ("data", "std", -1.0, "data.std: Input should be greater than 0", []),
        ("model", "g_hidden", 0, "model.g_hidden", []),
        ("train", "lr", -0.1, "train.lr: Input should be greater than 0 (got -0.1)", []),
        ("train", "lr", -0.1, "train.lr", ["train"]),  # a target: its upstream check runs too
        ("train", "batch_size", 5000, "train.batch_size (5000) is larger than data.n_samples (200)", []),
        ("metrics", "bins", 1, "metrics.bins", []),
        ("evaluate", "n_samples", 0, "evaluate.n_samples: Input should be greater than or equal to 2", []),
        ("evaluate", "n_samples", 0, "evaluate.n_samples", ["evaluate"]),
        ("population", "seeds", "1-x", "population.seeds: Value error, seeds must look like", []),
        ("population", "workers", 0, "population.workers", ["population"]),
    ],
)
def test_a_bad_value_stops_dvc_repro_before_any_output_is_deleted(
    workspace, section, key, value, words, targets
):
    before = every_output(workspace)
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw[section][key] = value
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    done = dvc("repro", *targets, cwd=workspace, check=False)
    assert done.returncode != 0
    assert words in done.stdout + done.stderr
    assert "Running stage 'sample'" not in done.stdout
    assert_only_params_changed(workspace, before)


HOSTILE = {  # what a user's shell might hold; each would change some bytes if obeyed
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3",
    "TF_ENABLE_ONEDNN_OPTS": "1",
    "OPENBLAS_CORETYPE": "Prescott",
    "OPENBLAS_NUM_THREADS": "2",
    "TF_NUM_INTRAOP_THREADS": "2",
    "TF_NUM_INTEROP_THREADS": "2",
    "OMP_NUM_THREADS": "2",
    "XLA_FLAGS": "--xla_cpu_max_isa=SSE4_2",
    "NPY_ENABLE_CPU_FEATURES": "X86_V4",
    "TF_XLA_FLAGS": "--tf_xla_auto_jit=2 --tf_xla_cpu_global_jit",
}


def test_a_hostile_environment_gives_the_same_bytes_through_dvc(project, workspace):
    """Every stage rerun from scratch by `dvc repro -f` with other instruction-set and
    thread settings in the environment: the pin overrides them (and says so)."""
    if cpu_pin.level() != cpu_pin.LEVEL:
        pytest.skip("the hostile settings are x86-64-v3's (OPENBLAS_CORETYPE is pinned only there)")
    done = run(
        [sys.executable, "-m", "dvc", "repro", "-f"], workspace, extra={**HOSTILE, "GAN_NO_RESUME": "1"}
    )
    assert every_output(workspace) == every_output(project)
    assert "cpu pin: ignoring " in done.stderr and "ONEDNN_MAX_CPU_ISA='SSE41'" in done.stderr


def test_a_bad_value_through_dvc_exp_run_deletes_nothing(workspace):
    before = every_output(workspace)
    done = dvc("exp", "run", "-S", "evaluate.n_samples=0", cwd=workspace, check=False)
    assert done.returncode != 0
    assert "evaluate.n_samples" in done.stdout + done.stderr
    assert_only_params_changed(workspace, before)


def test_metrics_gate_passes_a_rerun_and_fails_a_degraded_configuration(workspace):
    """The gate as CI runs it, after `dvc repro`: the workspace's population against the one
    committed at the baseline. A stale population is refused, a rerun passes, a real
    degradation (1 epoch) fails; a baseline without a population is refused."""
    rules = {
        "file": "reports/population/runs.csv",
        "min_runs": 4,
        "min_pass_rate": 0.0,
        "level": 0.05,
    }  # tiny runs rarely pass the verdict: only the rank test here
    (workspace / "gate.yaml").write_text(yaml.safe_dump(rules))
    raw = yaml.safe_load((workspace / "params.yaml").read_text())
    raw["train"]["epochs"] = 300  # TINY's 40 epochs often collapse: nothing to get worse
    raw["population"] = {"seeds": "100-103", "block": 2, "workers": 2}
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    gate = [sys.executable, "-m", "tools.check_metrics", "--baseline", "HEAD", "--rules", "gate.yaml"]
    stale = run(gate, workspace, check=False)
    assert stale.returncode == 2 and "run `dvc repro`" in stale.stderr, stale.stderr
    dvc("repro", cwd=workspace)
    runs = (workspace / "reports/population/runs.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in runs[1:]] == ["100", "101", "102", "103"]
    commit_all(workspace, "a population of four seeds")
    again = run(gate, workspace, check=False)
    assert again.returncode == 0 and "Metrics gate: passed" in again.stdout, again.stdout
    missing = run(gate[:-4] + ["--baseline", "HEAD~2", "--rules", "gate.yaml"], workspace, check=False)
    assert missing.returncode == 2 and "but no reports/population/runs.csv" in missing.stderr
    first = run(
        gate[:-4] + ["--baseline", "HEAD~2", "--rules", "gate.yaml", "--first"], workspace, check=False
    )
    assert first.returncode == 0 and "HEAD~2 has no population to compare with" in first.stdout
    raw["train"]["epochs"] = 1  # a barely trained generator
    (workspace / "params.yaml").write_text(yaml.safe_dump(raw))
    dvc("repro", cwd=workspace)
    worse = run(gate, workspace, check=False)
    assert worse.returncode == 1, worse.stdout + worse.stderr
    assert "Metrics gate: failed" in worse.stdout and "worse than the baseline" in worse.stdout
    assert "p = 0.01429" in worse.stdout  # every degraded run below every baseline run: 1/70


def test_push_to_a_remote_and_pull_into_a_fresh_clone_restores_everything(workspace, tmp_path):
    remote = tmp_path / "remote"
    dvc("remote", "add", "-d", "shared", str(remote), cwd=workspace)
    commit_all(workspace, "add the remote")
    dvc("push", "--run-cache", cwd=workspace)
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(workspace), str(clone)], tmp_path)
    assert not (clone / "models/generator").exists()
    dvc("pull", "--run-cache", cwd=clone)
    for name in OUTPUTS:
        assert (clone / name).read_bytes() == (workspace / name).read_bytes(), name
    assert json.loads(dvc("status", "--json", cwd=clone).stdout) == {}
    again = dvc("repro", cwd=clone).stdout
    assert "Running stage 'train'" not in again


def test_queued_experiments_run_in_parallel_without_touching_the_workspace(workspace):
    keep = {
        name: (workspace / name).read_bytes() for name in ["params.yaml", "dvc.lock", "reports/metrics.json"]
    }
    for seed in (0, 1):  # seed 0 is the workspace's own configuration
        dvc("exp", "run", "--queue", "-S", f"train.seed={seed}", "-n", f"q{seed}", cwd=workspace)
    env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    subprocess.run(
        [sys.executable, "-m", "dvc", "queue", "start", "-j", "2"],
        cwd=workspace,
        env={**env(), "PATH": env_path},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        status = dvc("queue", "status", cwd=workspace).stdout
        if "Queued" not in status and "Running" not in status:
            break
        time.sleep(3)
    assert status.count("Success") == 2, status
    for name, content in keep.items():
        assert (workspace / name).read_bytes() == content, name
    from dvc.api import exp_show

    by_name = {row["name"]: row for row in experiments.rows(exp_show(repo=str(workspace)))}
    committed = json.loads(keep["reports/metrics.json"])
    assert by_name["q0"]["wasserstein_1"] == committed["wasserstein_1"]  # same params, same bytes
    assert by_name["q1"]["wasserstein_1"] != committed["wasserstein_1"]


def test_make_tutorial_runs_the_tutorials_own_setup_as_an_experiment(workspace):
    """Beside the workspace, not in it (params.yaml and every output unchanged, git clean),
    rerun cleanly (the experiment replaced, not refused), and compared with the workspace
    afterwards, with a pointer to the bug table of docs/tutorial.md."""
    from gan.infra import params

    from tools import preset

    before = every_output(workspace) | {"params.yaml": (workspace / "params.yaml").read_bytes()}
    # the tutorial's batch of 300 needs more than TINY's 200 samples; 20 epochs, not 3000
    args = [sys.executable, "-m", "tools.preset", "tutorial"]
    args += ["-S", "data.n_samples=1000", "-S", "train.epochs=20"]
    for attempt in range(2):
        done = run(args, workspace)
        assert every_output(workspace) | {"params.yaml": (workspace / "params.yaml").read_bytes()} == before
        assert run(["git", "status", "--porcelain"], workspace).stdout == "", attempt
        lines = [line.strip("| ").split(" | ") for line in done.stdout.splitlines() if line.startswith("| ")]
        rows = {cells[0]: dict(zip(lines[0], cells, strict=True)) for cells in lines[1:]}
        assert list(rows) == ["workspace", "tutorial"], done.stdout
        assert rows["workspace"]["model.noise"] == TINY["model"]["noise"]
        assert rows["tutorial"]["model.noise"] == "uniform"
        assert rows["tutorial"]["train.d_steps"] == "1" != rows["workspace"]["train.d_steps"]
        pointer = done.stdout.splitlines()[-1]
        assert pointer.endswith(preset.BUGS), pointer
    shown = json.loads(dvc("exp", "show", "--json", cwd=workspace).stdout)
    exps = [
        rev
        for commit in shown
        for group in (commit.get("experiments") or [])
        for rev in group.get("revs") or []
        if rev.get("name") == "tutorial"
    ]
    assert len(exps) == 1
    ran = exps[0]["data"]["params"]["params.yaml"]["data"]
    for key, value in params.TUTORIAL_SETUP.items():
        section, name = key.split(".")
        assert ran[section][name] == (20 if key == "train.epochs" else value), key
    assert "indistinguishable" in exps[0]["data"]["metrics"]["reports/metrics.json"]["data"]
    page, _, anchor = preset.BUGS.partition("#")
    headings = re.findall(r"^## (.+)$", (ROOT / page).read_text(), re.MULTILINE)
    slugs = [re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings]
    assert anchor in slugs
    bug = "a bare `opt.minimize` without a call"  # the bug table, once in docs/
    assert sum(path.read_text().count(bug) for path in (ROOT / "docs").glob("*.md")) == 1


def test_plots_show_draws_each_curve_once(project):
    shown = json.loads(dvc("plots", "show", "--json", cwd=project).stdout)["data"]
    tsv_ids = [plot_id for plot_id in shown if plot_id.endswith(".tsv")]
    assert sorted(p.rsplit("/", 1)[1] for p in tsv_ids) == ["kl_divergence.tsv", "loss_d.tsv", "loss_g.tsv"]
    assert {"D outputs", "Gradient norms"} <= set(shown) and len(shown) == 8, sorted(shown)
    ecdf = next(v for k, v in shown.items() if k.endswith("p_values.csv"))
    assert ecdf[0]["content"]["data"]["values"], "the population's p-value curve has points"

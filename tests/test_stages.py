"""Each stage refuses bad params and bad data files with one line naming the key or file,
exit code 2, and every existing output left exactly as it was."""

import subprocess
import sys

import numpy as np
import pytest
import yaml

from tests.pipeline import TINY, env, make_copy

OUTPUTS = ["reports/metrics.json", "data/real.npy", "reports/train/metrics.json"]


@pytest.fixture
def repo(tmp_path):
    dest = make_copy(tmp_path)
    (dest / "data").mkdir(exist_ok=True)
    np.save(dest / "data/real.npy", np.random.default_rng(0).normal(size=(200, 1)).astype(np.float32))
    for name in OUTPUTS[::2]:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text('{"kl_divergence": 0.1}\n')
    return dest


def snapshot(repo):
    return {name: (repo / name).read_bytes() for name in OUTPUTS if (repo / name).exists()}


def stage(repo, name):
    return subprocess.run(
        [sys.executable, "-m", f"stages.{name}"], cwd=repo, env=env(), capture_output=True, text=True
    )


def set_param(repo, section, key, value):
    raw = yaml.safe_load((repo / "params.yaml").read_text())
    if value is DELETE:
        del raw[section][key]
    else:
        raw[section][key] = value
    (repo / "params.yaml").write_text(yaml.safe_dump(raw))


DELETE = object()


@pytest.mark.parametrize(
    "name, section, key, value, words",
    [
        ("train", "train", "lr", -0.001, ["train.lr", "greater than 0"]),
        ("train", "model", "g_hidden", 0, ["model.g_hidden"]),
        ("train", "model", "g_layers", 0, ["model.g_layers", "greater than or equal to 1"]),
        ("train", "train", "d_steps", 0, ["train.d_steps"]),
        ("evaluate", "model", "noise", "gaussian", ["model.noise", "'uniform' or 'normal'"]),
        ("train", "train", "lrr", 0.1, ["unknown key 'train.lrr'", "did you mean 'train.lr'"]),
        ("train", "train", "batch_size", "three hundred", ["train.batch_size", "three hundred"]),
        ("train", "train", "batch_size", 5000, ["train.batch_size (5000)", "data/real.npy"]),
        ("train", "train", "epochs", DELETE, ["train.epochs", "Field required"]),
        ("sample", "data", "std", -1, ["data.std"]),
        ("evaluate", "evaluate", "n_samples", "lots", ["evaluate.n_samples"]),
        ("evaluate", "metrics", "bins", 1, ["metrics.bins"]),
        ("plot", "data", "mean", "zero", ["data.mean"]),
        ("population", "population", "seeds", "ten", ["population.seeds"]),
        ("population", "train", "lr", 0, ["train.lr"]),
    ],
)
def test_bad_params_stop_the_stage_before_anything_is_written(repo, name, section, key, value, words):
    set_param(repo, section, key, value)
    before = snapshot(repo)
    done = stage(repo, name)
    assert done.returncode == 2, done.stderr
    for word in words:
        assert word in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "section, key, value, problem",
    [
        ("data", "mixture_stds", [0.5, -1.0], "data.mixture_stds: must all be > 0 (got [0.5, -1.0])"),
        (
            "data",
            "mixture_weights",
            [0.5, 0.0],
            "data.mixture_weights: must all be > 0 (a mode of weight 0 is no mode) (got [0.5, 0.0])",
        ),
        (
            "data",
            "mixture_weights",
            [1.0],
            "data.mixture_weights: must have the same length as data.mixture_means (2 components) "
            "(got [1.0])",
        ),
        (
            "evaluate",
            "level",
            0.04,  # TINY's 99 null repeats: 100 * 0.04 < 5
            "evaluate.null_repeats: too small for evaluate.level (0.04): a generator off on one "
            "metric could never be rejected; use at least 124 (got 99)",
        ),
    ],
)
def test_a_check_across_keys_names_its_key_not_the_whole_section(repo, section, key, value, problem):
    """A consistency check of a section (a model validator) says which key to change and
    its value, in one line, not `data: ... (got {every key of the section})`."""
    set_param(repo, section, key, value)
    done = stage(repo, "check_params")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"error: params.yaml: {problem}"


@pytest.mark.parametrize(
    "writer, words",
    [
        (lambda p: p.unlink(), ["data/real.npy", "not found"]),
        (lambda p: p.write_bytes(p.read_bytes()[:60]), ["data/real.npy"]),
        (lambda p: np.save(p, np.zeros((10, 3), np.float32)), ["data/real.npy", "shape"]),
        (lambda p: np.save(p, np.array([[np.inf]] * 10, np.float32)), ["data/real.npy", "NaN or infinite"]),
    ],
)
@pytest.mark.parametrize("name", ["train", "evaluate"])
def test_bad_data_files_stop_the_stage(repo, name, writer, words):
    writer(repo / "data/real.npy")
    before = snapshot(repo)
    done = stage(repo, name)
    assert done.returncode == 2, done.stderr
    for word in words:
        assert word in done.stderr
    assert snapshot(repo) == before


def use_data_file(repo, content):
    (repo / "data/mine.csv").write_text(content)
    set_param(repo, "data", "distribution", "file")
    set_param(repo, "data", "path", "data/mine.csv")


@pytest.mark.parametrize("name", ["check_params", "sample"])
def test_a_bad_data_file_stops_the_stage_in_one_line(repo, name):
    use_data_file(repo, "x\n1\n2\nabc\n")
    before = snapshot(repo)
    done = stage(repo, name)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == ["error: data/mine.csv: row 3 is not a number ('abc')"]
    assert snapshot(repo) == before


def test_a_batch_larger_than_the_files_training_rows_is_refused(repo):
    use_data_file(repo, "".join(f"{v}\n" for v in range(200)))  # 150 training rows, 50 held out
    set_param(repo, "train", "batch_size", 151)
    done = stage(repo, "check_params")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: params.yaml: train.batch_size (151) is larger than the 150 training rows of data/mine.csv"
    ]
    set_param(repo, "train", "batch_size", 150)
    assert stage(repo, "check_params").returncode == 0


def test_tiny_defaults_are_valid(repo):
    assert yaml.safe_load((repo / "params.yaml").read_text()) == TINY


@pytest.mark.parametrize("name", ["check_params", "sample", "train", "evaluate", "plot", "population"])
def test_a_stage_run_as_a_file_says_how_to_run_it(name):
    from tests.pipeline import ROOT

    done = subprocess.run([sys.executable, f"stages/{name}.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"run a stage the way DVC does: `sh stages/run {name}` or `dvc repro {name}`"
    )


def test_a_stage_run_by_another_interpreter_says_to_use_the_venv():
    """`python3 -m stages.train` with the machine's Python, which has no numpy."""
    from pathlib import Path

    from tests.pipeline import ROOT

    base = Path(sys.base_prefix) / "bin" / "python3"
    done = subprocess.run([str(base), "-m", "stages.train"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "stages run in the project's .venv" in done.stderr

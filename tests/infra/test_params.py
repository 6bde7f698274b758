import difflib

from gan.infra import params

import pytest
import yaml

GOOD = yaml.safe_load(open("params.yaml"))


def write(tmp_path, raw):
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def with_change(section, key, value):
    raw = yaml.safe_load(yaml.safe_dump(GOOD))
    raw[section][key] = value
    return raw


def test_repository_params_are_valid():
    loaded = params.load("params.yaml")
    assert set(loaded) == set(params.SECTIONS)
    assert loaded["train"].lr == pytest.approx(5.0e-4)
    assert loaded["model"].d_hidden == 16


@pytest.mark.parametrize("text, expected", [("1e-3", 1e-3), ("5.0e-4", 5e-4), ("0.05", 0.05)])
def test_numbers_written_as_strings_are_accepted(tmp_path, text, expected):
    path = write(tmp_path, with_change("train", "lr", text))
    assert params.load(path, "train")["train"].lr == pytest.approx(expected)


def test_plain_yaml_exponent_is_read_as_a_float(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(open("params.yaml").read().replace("lr: 5.0e-4", "lr: 5e-4"))
    assert params.load(path, "train")["train"].lr == pytest.approx(5e-4)


@pytest.mark.parametrize(
    "section, key, value, words",
    [
        ("train", "lr", -0.1, ["train.lr", "greater than 0"]),
        ("model", "d_hidden", 0, ["model.d_hidden", "greater than or equal to 1"]),
        ("train", "batch_size", "many", ["train.batch_size", "'many'"]),
        ("data", "std", 0, ["data.std"]),
        ("data", "mean", float("nan"), ["data.mean", "(got nan)"]),
        ("data", "mixture_stds", [0.5, float("inf")], ["data.mixture_stds", "inf"]),
        ("data", "distribution", "csv", ["data.distribution", "'file'"]),
        (
            "data",
            "path",
            "data/heights.txt",
            ["data.path", "must name a .csv file", "(got 'data/heights.txt')"],
        ),
        ("data", "holdout", 1.0, ["data.holdout", "less than 1"]),
        ("data", "holdout", 0, ["data.holdout", "greater than 0"]),
        ("train", "epochs", 2.5, ["train.epochs"]),
        ("evaluate", "level", 0.004, ["evaluate.null_repeats", "at least 1249"]),
        ("model", "g_init", "zeros", ["model.g_init"]),
        ("model", "noise", "gauss", ["model.noise"]),
        ("train", "d_steps", 0, ["train.d_steps", "greater than or equal to 1"]),
        ("train", "lookahead_alpha", 0, ["train.lookahead_alpha"]),
        ("population", "seeds", "100-x", ["population.seeds", "must look like '100-119'"]),
        ("population", "seeds", "5-3", ["population.seeds", "runs backwards"]),
        ("population", "seeds", "1,2,1", ["population.seeds", "lists a seed twice"]),
        ("population", "workers", 0, ["population.workers", "'auto'"]),
        ("population", "workers", "many", ["population.workers", "'auto'"]),
    ],
)
def test_bad_values_name_the_key(tmp_path, section, key, value, words):
    path = write(tmp_path, with_change(section, key, value))
    with pytest.raises(params.ParamsError) as info:
        params.load(path)
    for word in words:
        assert word in str(info.value)


def test_unknown_key_suggests_the_closest(tmp_path):
    raw = yaml.safe_load(yaml.safe_dump(GOOD))
    raw["train"]["learning_rate"] = raw["train"].pop("lr")
    raw["train"]["bach_size"] = raw["train"].pop("batch_size")
    with pytest.raises(params.ParamsError, match=r"unknown key 'train\.(learning_rate|bach_size)'"):
        params.load(write(tmp_path, raw), "train")
    raw["train"].pop("learning_rate")
    with pytest.raises(params.ParamsError, match="did you mean 'train.batch_size'"):
        params.load(write(tmp_path, raw), "train")


def test_missing_section_and_missing_file(tmp_path):
    raw = yaml.safe_load(yaml.safe_dump(GOOD))
    del raw["model"]
    with pytest.raises(params.ParamsError, match="section 'model' is missing"):
        params.load(write(tmp_path, raw), "model")
    with pytest.raises(params.ParamsError, match="not found"):
        params.load(tmp_path / "nope.yaml")


def test_the_tutorial_setup_gives_back_every_setting_of_the_tutorial():
    """Independent of TUTORIAL_SETUP: the post's algorithm as docs/tutorial.md describes
    it. A new option that is on by default and missing from TUTORIAL_SETUP fails here."""
    raw = params.read_yaml("params.yaml")
    # a workspace after `dvc exp run -S ...`: the tutorial must not inherit any of it
    raw["train"].update(lr=0.05, batch_size=100, epochs=10, loss="non_saturating")
    raw["model"].update(d_hidden=16, g_input=2, g_hidden=32, g_layers=2)
    for key, value in params.TUTORIAL_SETUP.items():
        section, name = key.split(".")
        raw[section][name] = value
    model, train = params.parse_section(raw, "model"), params.parse_section(raw, "train")
    assert (model.d_hidden, model.g_input, model.g_hidden, model.g_layers, model.noise, model.g_init) == (
        8,
        8,
        4,
        1,
        "uniform",
        "normal",
    )
    off = {
        "ema_decay": 0.0,
        "d_steps": 1,
        "d_lr_ratio": 1.0,
        "beta_1": 0.9,
        "lr_decay": 0.0,
        "r1_gamma": 0.0,
        "lookahead_k": 0,
        "loss": "minimax",
        "lr": 5e-4,
        "batch_size": 300,
        "epochs": 3000,
    }
    assert {k: getattr(train, k) for k in off} == off
    known = set(off) | {
        "seed",
        "log_every",
        "snapshot_every",
        "checkpoint_every",
        "keep_checkpoints",
        "lookahead_alpha",
        "xla",
    }
    assert set(type(train).model_fields) == known, "a new train option: is it in TUTORIAL_SETUP?"
    assert set(type(model).model_fields) == {
        "d_hidden",
        "g_input",
        "g_hidden",
        "g_layers",
        "noise",
        "g_init",
        "g_init_margin",
    }


@pytest.mark.parametrize(
    "text, seeds", [("100-103", [100, 101, 102, 103]), (7, [7]), ("1,5,9", [1, 5, 9]), ("1-2, 9", [1, 2, 9])]
)
def test_population_seeds_are_ranges_and_lists(tmp_path, text, seeds):
    path = write(tmp_path, with_change("population", "seeds", text))
    assert params.load(path, "population")["population"].seeds == tuple(seeds)


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("---", "+++"))]


@pytest.mark.parametrize(
    "override, lines",
    [
        (
            f"train.epochs={GOOD['train']['epochs'] + 1}",
            [f"-  epochs: {GOOD['train']['epochs']}", f"+  epochs: {GOOD['train']['epochs'] + 1}"],
        ),
        (
            "data.mixture_means=[-1.0,3.0]",
            [*(f"-  - {v}" for v in GOOD["data"]["mixture_means"]), "+  - -1.0", "+  - 3.0"],
        ),
    ],
)
def test_dvc_exp_run_set_param_changes_only_the_key_it_sets(tmp_path, override, lines):
    """`dvc exp run -S` rewrites params.yaml with ruamel through dvc.utils.hydra's
    apply_overrides, every list in block style: params.yaml is written in that form, so an
    experiment's diff shows only the key it set (and every comment stays)."""
    from dvc.utils.hydra import apply_overrides

    original = open("params.yaml").read()
    copy = tmp_path / "params.yaml"
    copy.write_text(original)
    apply_overrides(str(copy), [override])
    assert changed_lines(original, copy.read_text()) == lines


@pytest.mark.parametrize("name", list(params.PRESETS))
def test_every_preset_is_valid_params(name):
    """What `make preset NAME=...` passes to `dvc exp run -S`, read back as DVC writes it."""
    raw = params.read_yaml("params.yaml")
    for assignment in params.preset_overrides(name):
        key, value = assignment.split("=", 1)
        section, field = key.split(".")
        assert field in raw[section], f"{name}: {key} is no key of params.yaml"
        raw[section][field] = yaml.safe_load(value)
    for section in raw:
        params.parse_section(raw, section)

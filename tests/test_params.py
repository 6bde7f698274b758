import pytest
import yaml

from gan import params

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
    assert loaded["model"].d_hidden == 8


@pytest.mark.parametrize("text, expected", [("1e-3", 1e-3), ("5.0e-4", 5e-4), ("0.05", 0.05)])
def test_numbers_written_as_strings_are_accepted(tmp_path, text, expected):
    path = write(tmp_path, with_change("train", "lr", text))
    assert params.load(path, "train")["train"].lr == pytest.approx(expected)


def test_plain_yaml_exponent_is_read_as_a_float(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(open("params.yaml").read().replace("lr: 5.0e-4", "lr: 5e-4"))
    assert params.load(path, "train")["train"].lr == pytest.approx(5e-4)


@pytest.mark.parametrize("section, key, value, words", [
    ("train", "lr", -0.1, ["train.lr", "greater than 0"]),
    ("model", "d_hidden", 0, ["model.d_hidden", "greater than or equal to 1"]),
    ("train", "batch_size", "many", ["train.batch_size", "'many'"]),
    ("data", "std", 0, ["data.std"]),
    ("data", "mean", float("nan"), ["data.mean", "(got nan)"]),
    ("data", "mixture_stds", [0.5, float("inf")], ["data.mixture_stds", "inf"]),
    ("train", "epochs", 2.5, ["train.epochs"]),
])
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
    with pytest.raises(params.ParamsError, match="did you mean 'batch_size'"):
        params.load(write(tmp_path, raw), "train")


def test_missing_section_and_missing_file(tmp_path):
    raw = yaml.safe_load(yaml.safe_dump(GOOD))
    del raw["model"]
    with pytest.raises(params.ParamsError, match="section 'model' is missing"):
        params.load(write(tmp_path, raw), "model")
    with pytest.raises(params.ParamsError, match="not found"):
        params.load(tmp_path / "nope.yaml")

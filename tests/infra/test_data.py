from gan.infra import data, files

import numpy as np
import pytest
import yaml

from tests.samples import sample_normal


def test_sampling_is_reproducible_by_seed():
    a = sample_normal(500, 1.5, 2.0, seed=11)
    b = sample_normal(500, 1.5, 2.0, seed=11)
    c = sample_normal(500, 1.5, 2.0, seed=12)
    assert a.shape == (500, 1) and a.dtype == np.float32
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, c)
    assert abs(a.mean() - 1.5) < 0.3 and abs(a.std() - 2.0) < 0.3


def test_noise_is_uniform_in_the_cube_and_seeded():
    z = data.noise(1000, 8, seed=1, kind="uniform")
    assert z.shape == (1000, 8) and z.dtype == np.float32
    assert z.min() >= -1 and z.max() <= 1
    assert np.array_equal(z, data.noise(1000, 8, seed=1, kind="uniform"))
    assert not np.array_equal(z, data.noise(1000, 8, seed=2, kind="uniform"))


def test_normal_noise_is_standard_normal_and_seeded():
    z = data.noise(20000, 4, seed=1, kind="normal")
    assert z.shape == (20000, 4) and z.dtype == np.float32
    assert np.all(np.abs(z.mean(0)) < 0.03) and np.all(np.abs(z.std(0) - 1) < 0.03)
    assert np.abs(z).max() > 3  # unbounded, unlike the uniform cube
    assert np.array_equal(z, data.noise(20000, 4, seed=1, kind="normal"))


def test_unknown_noise_is_refused():
    with pytest.raises(ValueError, match="'gauss'.*uniform"):
        data.noise(3, 2, seed=0, kind="gauss")


def test_load_real_round_trip(tmp_path):
    real = sample_normal(10, 0, 1, 0)
    files.write_npy(tmp_path / "real.npy", real)
    assert np.array_equal(data.load_real(tmp_path / "real.npy"), real)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "file not found"),
        (b"\x93NUMPY garbage", "not a readable"),
        (np.zeros((5, 2), np.float32), r"expected shape \(n, 1\)"),
        (np.zeros(5, np.float32), r"expected shape \(n, 1\)"),
        (np.array([[1.0], [np.nan]], np.float32), "NaN or infinite"),
        (np.array([[1], [2]], np.int64), "floating-point"),
    ],
)
def test_bad_data_files_are_refused_with_the_file_named(tmp_path, content, message):
    path = tmp_path / "real.npy"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        np.save(path, content)
    with pytest.raises(data.DataError, match=message) as info:
        data.load_real(path)
    assert str(path) in str(info.value)


def test_truncated_file_is_refused(tmp_path):
    path = tmp_path / "real.npy"
    files.write_npy(path, sample_normal(100, 0, 1, 0))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(data.DataError, match="real.npy"):
        data.load_real(path)


def file_data(path, holdout=0.25, seed=0):
    """The `data` params of a data file."""
    from gan.infra import params

    raw = {**yaml.safe_load(open("params.yaml"))["data"], "distribution": "file", "path": str(path)}
    return params.DataParams(**{**raw, "holdout": holdout, "seed": seed})


def test_a_csv_with_a_header_is_split_into_training_and_held_out_rows(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("height\n" + "".join(f"{v}\n" for v in range(100)))
    training, held_out = data.split_rows(file_data(path))
    assert training.shape == (75, 1) and held_out.shape == (25, 1) and training.dtype == np.float32
    assert sorted(np.concatenate([training, held_out])[:, 0]) == list(range(100))
    again, _ = data.split_rows(file_data(path))
    other, _ = data.split_rows(file_data(path, seed=1))
    assert np.array_equal(training, again) and not np.array_equal(training, other)  # shuffled by data.seed


@pytest.mark.parametrize(
    "writer",
    [
        lambda p: p.with_suffix(".csv").write_text("".join(f"{v}\n" for v in range(100))),
        lambda p: np.save(p.with_suffix(".npy"), np.arange(100, dtype=np.int64)),
        lambda p: np.save(p.with_suffix(".npy"), np.arange(100, dtype=np.float64)[:, None]),
    ],
    ids=["csv without header", "npy (n,) of integers", "npy (n, 1)"],
)
def test_a_csv_without_header_and_npy_arrays_are_read(tmp_path, writer):
    writer(tmp_path / "mine")
    (path,) = tmp_path.iterdir()
    rows = data.read_rows(path)
    assert rows.dtype == np.float32 and rows[:, 0].tolist() == list(range(100))


def test_built_in_distributions_score_against_the_training_draws_themselves():
    from gan.infra import params

    real, scored = data.real_and_scored(params.load("params.yaml", "data")["data"])
    assert scored is real and real.shape == (1000, 1)


BAD_FILES = [
    ("missing.csv", None, "file not found"),
    ("empty.csv", "", "empty file"),
    ("header.csv", "value\n", "no rows of data"),
    ("words.csv", "x\n1.5\n2.5\nabc\n", "row 3 is not a number ('abc')"),
    ("two.csv", "1,2\n3,4\n", "expected one column of numbers, found 2 columns"),
    ("ragged.csv", "1\n2,3\n", "not a CSV of one column"),
    ("nan.csv", "1\nnan\n", "row 2 is nan; rows must be finite float32 numbers"),
    ("inf.csv", "1\n-inf\n", "row 2 is -inf"),
    ("huge.csv", "1\n1e39\n", "row 2 is 1e+39"),
    ("same.csv", "7\n7\n7\n", "every row holds the same value (7)"),
    (
        "few.csv",
        "".join(f"{v}\n" for v in range(60)),
        "too few rows: 60 leave 45 for training and 15 held out",
    ),
    ("binary.npy", b"\x93NUMPY garbage", "not a readable .npy array"),
    ("empty.npy", b"", "empty file"),
    ("wide.npy", np.zeros((100, 2)), r"expected shape (n,) or (n, 1), got (100, 2)"),
    ("words.npy", np.array(["a"] * 100), "expected numbers, got an array of <U1"),
    ("nan.npy", np.r_[np.arange(99.0), np.nan], "row 100 is nan"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_data_file_is_refused_in_one_line_naming_it(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        np.save(path, content)
    with pytest.raises(data.DataError) as info:
        data.split_rows(file_data(path))
    said = str(info.value)
    assert said.startswith(f"{path}: ") and message in said and "\n" not in said, said

from gan.infra import data, files

import numpy as np
import pytest

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

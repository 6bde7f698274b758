import json

from gan.infra import files

import numpy as np
import pytest


def test_json_is_sorted_and_non_finite_is_null(tmp_path):
    files.write_json(tmp_path / "m.json", {"b": float("nan"), "a": np.float32(1.5), "c": np.bool_(True)})
    text = (tmp_path / "m.json").read_text()
    assert json.loads(text) == {"a": 1.5, "b": None, "c": True}
    assert text.index('"a"') < text.index('"b"')


def test_npz_bytes_depend_only_on_content(tmp_path):
    files.write_npz(tmp_path / "a.npz", x=np.arange(3), y=np.ones(2))
    files.write_npz(tmp_path / "b.npz", y=np.ones(2), x=np.arange(3))
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz") as loaded:
        assert list(loaded["x"]) == [0, 1, 2]


def test_failed_write_leaves_the_old_file_and_no_temporaries(tmp_path):
    target = tmp_path / "out.bin"
    files.write_bytes(target, b"old")
    with pytest.raises(TypeError):
        files.write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_replace_dir_is_all_or_nothing(tmp_path):
    target = tmp_path / "model"
    files.replace_dir(target, lambda d: (d / "v1").write_text("1"))

    def broken(d):
        (d / "half").write_text("x")
        raise RuntimeError("crash while writing")

    with pytest.raises(RuntimeError):
        files.replace_dir(target, broken)
    assert [p.name for p in target.iterdir()] == ["v1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]

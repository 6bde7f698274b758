import subprocess
import sys
import time

from gan.infra import params, sources
from gan.training import checkpoints, trainer

import numpy as np

from tests.pipeline import ROOT
from tests.training.test_trainer import kl_for, new_trainer


def make(real, tmp_path, fingerprint="fp-a", **overrides):
    t = new_trainer(real, epochs=8, **overrides)
    return t, checkpoints.Checkpoints(tmp_path / "ckpt", t, fingerprint, keep=3)


def test_resumed_run_equals_the_uninterrupted_one(real, tmp_path):
    whole, _ = make(real, tmp_path / "a")
    trainer.fit(whole, kl_for(real))

    first, store = make(real, tmp_path)
    stop_at = 4

    def interrupt(epoch):
        if epoch == stop_at:
            raise KeyboardInterrupt

    try:
        trainer.fit(first, kl_for(real), checkpoint_every=2, save_checkpoint=store.save, on_epochs=interrupt)
    except KeyboardInterrupt:
        pass
    second, store2 = make(real, tmp_path)
    epoch, why = store2.restore()
    assert epoch == 4 and "resuming from ckpt-4" in why
    trainer.fit(second, kl_for(real), checkpoint_every=2, save_checkpoint=store2.save)
    for a, b in zip(whole.state(), second.state(), strict=True):
        np.testing.assert_array_equal(a, b)  # NaN rows match NaN rows


def test_checkpoint_of_other_params_is_not_resumed(real, tmp_path):
    t, store = make(real, tmp_path, fingerprint="old")
    trainer.fit(t, kl_for(real), checkpoint_every=4, save_checkpoint=store.save)
    fresh, other = make(real, tmp_path, fingerprint="new")
    pristine = fresh.state()
    epoch, why = other.restore()
    assert epoch is None and "other data, params or code" in why
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(pristine, fresh.state(), strict=True))


def test_corrupt_newest_checkpoint_falls_back_to_an_older_one(real, tmp_path):
    t, store = make(real, tmp_path)
    trainer.fit(t, kl_for(real), checkpoint_every=2, save_checkpoint=store.save)
    newest = store.manager.checkpoints[-1]
    data_file = next(store.directory.glob(f"{newest.split('/')[-1]}.data-*"))
    data_file.write_bytes(data_file.read_bytes()[:20])
    again, store2 = make(real, tmp_path)
    epoch, why = store2.restore()
    assert epoch == 6 and "skipped" in why


def test_fingerprint_depends_on_data_settings_and_code(real, tmp_path):
    src = tmp_path / "code.py"
    src.write_text("a = 1")
    base = checkpoints.fingerprint(real, {"lr": 1}, sources.code([src]))
    assert base == checkpoints.fingerprint(real.copy(), {"lr": 1}, sources.code([src]))
    assert base != checkpoints.fingerprint(real[::-1].copy(), {"lr": 1}, sources.code([src]))
    assert base != checkpoints.fingerprint(real, {"lr": 2}, sources.code([src]))
    src.write_text("a = 2")
    assert base != checkpoints.fingerprint(real, {"lr": 1}, sources.code([src]))


def test_switching_configurations_back_and_forth_resumes_each(real, tmp_path):
    a, store_a = make(real, tmp_path, fingerprint="config-a")
    trainer.fit(a, kl_for(real), checkpoint_every=4, save_checkpoint=store_a.save)
    b, store_b = make(real, tmp_path, fingerprint="config-b", lr=1e-3)
    assert store_b.restore()[0] is None
    store_b.clear()  # what the train stage does on a fresh start: a's folder stays
    trainer.fit(b, kl_for(real), checkpoint_every=4, save_checkpoint=store_b.save)
    again, store_again = make(real, tmp_path, fingerprint="config-a")
    epoch, why = store_again.restore()
    assert epoch == 8 and "resuming from ckpt-8" in why
    for x, y in zip(a.state(), again.state(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_only_the_most_recent_other_configurations_are_kept(real, tmp_path):
    for k in range(5):
        time.sleep(0.05)  # file times are coarse (a few ms): keep the order unambiguous
        t = new_trainer(real, epochs=2)
        store = checkpoints.Checkpoints(tmp_path / "ckpt", t, f"config-{k}", keep=1, keep_configurations=2)
        store.save(k)
    kept = sorted(p.name for p in (tmp_path / "ckpt").iterdir())
    assert kept == ["config-2", "config-3", "config-4"]  # this one and the two before it


RESUME = """
import sys
import gan
from gan.infra import params, sources
from gan.training import checkpoints, trainer
from tests.samples import sample_normal
from tests.training.test_trainer import new_trainer
real = sample_normal(100, 0.0, 1.0, seed=3)
for _ in range(2):  # save, then resume in a new trainer
    store = checkpoints.Checkpoints(sys.argv[1], new_trainer(real), "fp", keep=2)
    print(store.restore()[1]) if store.manager.checkpoints else store.save(0)
"""


def test_resuming_reads_every_value_and_tensorflow_does_not_complain(tmp_path):
    """The save counter that CheckpointManager.save keeps is read back too: left unread,
    TensorFlow warned about 'unrestored values' at exit."""
    done = subprocess.run(
        [sys.executable, "-c", RESUME, str(tmp_path / "ckpt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "resuming from ckpt-0" in done.stdout
    assert "unrestored" not in done.stderr and "could not be found" not in done.stderr


def test_a_foreign_checkpoint_in_the_folder_is_not_resumed(real, tmp_path):
    t, store = make(real, tmp_path, fingerprint="same-16-chars---A")
    store.save(0)
    _, other = make(real, tmp_path, fingerprint="same-16-chars---B")  # the same folder
    assert other.directory == store.directory
    epoch, why = other.restore()
    assert epoch is None and "ckpt-0 belongs to other data, params or code" in why


def test_how_a_run_is_saved_is_not_part_of_what_it_must_match(real, tmp_path):
    p = params.load(ROOT / "params.yaml")

    def of(**changes):
        changed = {**p, "train": p["train"].model_copy(update=changes)}
        return checkpoints.fingerprint(real, params.results_settings(changed), "code")

    assert of() == of(checkpoint_every=100, keep_checkpoints=1)
    assert of() != of(lr=2e-3)


def test_a_finished_run_is_not_resumed_but_trained_again(real, tmp_path):
    """`dvc repro -f` runs `train` again: a checkpoint at the last epoch must not turn
    that into an export of the old result."""
    done, store = make(real, tmp_path)
    trainer.fit(done, kl_for(real), checkpoint_every=2, save_checkpoint=store.save)
    epochs = done.cfg.epochs
    again, store2 = make(real, tmp_path)
    epoch, why = store2.restore(finished_at=epochs)
    assert epoch is None and f"ckpt-{epochs} is a finished run" in why
    assert int(again.epoch.numpy()) == 0  # nothing restored
    assert store2.restore()[0] == epochs  # without the guard it would resume at the end

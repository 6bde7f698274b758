"""The run's records (gan/training/recorder.py): what a stop stores, where, and what it
refuses to store."""

from gan.training.recorder import GRID_POINTS, HISTORY
from gan.training.tf_setup import tf

import numpy as np

from tests.training.test_trainer import new_trainer


def probe_of(t, **changes):
    out = {k: v.numpy() for k, v in t.recorder.probe(t.generator, t.discriminator).items()}
    return {**out, **changes}


def test_a_due_stop_stores_a_row_in_history_order_and_a_frame(real):
    t = new_trainer(real, log_every=2, snapshot_every=3)
    seen = []
    assert t.recorder.record(
        6, probe_of(t), lambda fake: 0.25, [True], lambda e, i, row: seen.append((e, i, row))
    )
    ((epoch, i, row),) = seen
    assert epoch == 6 and i == 0 and list(row) == list(HISTORY) and row["kl_divergence"] == 0.25
    assert t.recorder.history.numpy()[0, 3].tolist() == [row[k] for k in HISTORY]
    frames = t.recorder.frames(0)
    assert frames["epoch"].tolist() == [6] and frames["d_grid"].shape == (1, GRID_POINTS)


def test_a_stop_that_is_not_due_stores_nothing(real):
    t = new_trainer(real, log_every=2, snapshot_every=3)
    assert t.recorder.record(5, probe_of(t), lambda fake: 0.0, [True]) == [True]
    assert np.isnan(t.recorder.history.numpy()).all() and not len(t.recorder.frames(0)["epoch"])


def test_a_probe_that_is_not_finite_is_refused_and_not_stored(real):
    t = new_trainer(real)
    bad = probe_of(t, loss_d=np.array([np.nan], np.float32))
    assert t.recorder.record(0, bad, lambda fake: 0.0, [True]) == [False]
    assert np.isnan(t.recorder.history.numpy()).all() and not len(t.recorder.frames(0)["epoch"])


def test_a_seed_that_stopped_training_is_not_recorded(real):
    t = new_trainer(real)
    assert t.recorder.record(0, probe_of(t), lambda fake: 0.0, [False]) == [True]
    assert np.isnan(t.recorder.history.numpy()).all()


def test_the_probe_noise_is_the_seeds_and_the_same_at_every_stop(real):
    a, b = new_trainer(real, seed=1), new_trainer(real, seed=2)
    assert not np.array_equal(a.recorder.z_probe.numpy(), b.recorder.z_probe.numpy())
    before = a.recorder.z_probe.numpy().copy()
    a.run_epochs(tf.constant(2, tf.int64))
    assert np.array_equal(a.recorder.z_probe.numpy(), before)

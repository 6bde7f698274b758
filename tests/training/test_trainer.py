import re
import warnings

from gan.stats import metrics
from gan.training import recorder, trainer
from gan.training.tf_setup import tf

import numpy as np
import pytest

# Every convergence option on, so a test of the loop covers each code path of the step.
EVERY_OPTION = dict(d_steps=2, g_init="linear_he", r1_gamma=0.1, lookahead_k=3, lr_decay=0.5, ema_decay=0.9)


def config(**overrides):
    """The tutorial's loop (every option off), tiny: 6 epochs in batches of 30."""
    base = dict(
        d_hidden=8,
        g_input=8,
        g_hidden=4,
        g_layers=1,
        noise="uniform",
        g_init="normal",
        g_init_margin=3.0,
        loss="minimax",
        ema_decay=0.0,
        d_steps=1,
        lr=5e-3,
        d_lr_ratio=1.0,
        beta_1=0.9,
        lr_decay=0.0,
        r1_gamma=0.0,
        lookahead_k=0,
        lookahead_alpha=0.5,
        xla=False,
        batch_size=30,
        epochs=6,
        log_every=2,
        snapshot_every=3,
    )
    return trainer.Config(**{**base, **overrides})


def new_trainer(real, seed=1, **overrides):
    """A trainer of one seed (a block of one)."""
    return trainer.Trainer(real, config(**overrides), (seed,))


def epoch_reference(t):
    """One epoch the slow, obvious way, to test the compiled loop against: eager, one
    Python call per batch."""
    order = t._order().numpy()
    for start in range(0, t.n, t.cfg.batch_size):
        t._train_on(tf.constant(order[:, start : start + t.cfg.batch_size]))
    t.epoch.assign_add(1)


def kl_for(real):
    edges = metrics.shared_edges(real, 20, 4.0)
    p = metrics.histogram(real, edges, 0.5)
    return lambda fake: metrics.kl_divergence(p, metrics.histogram(fake, edges, 0.5))


def interrupting_kl(real, on_call):
    """A KL that raises KeyboardInterrupt on its n-th call: after `advance` has trained
    to a stop, before that stop's row is stored."""
    kl, calls = kl_for(real), []

    def interrupted(fake):
        calls.append(1)
        if len(calls) == on_call:
            raise KeyboardInterrupt
        return kl(fake)

    return interrupted


def weights(net):
    return [w.copy() for w in net.get_weights()]


def changed(before, after):
    return [not np.array_equal(a, b) for a, b in zip(before, after, strict=True)]


def test_fast_loop_equals_the_per_batch_reference(real):
    """Same initial weights, same RNG stream: the in-graph loop and the eager loop agree."""
    fast, slow = new_trainer(real), new_trainer(real)
    fast.run_epochs(tf.constant(3, tf.int64))
    for _ in range(3):
        epoch_reference(slow)
    assert int(fast.epoch.numpy()) == int(slow.epoch.numpy()) == 3
    for a, b in zip(
        fast.generator.get_weights() + fast.discriminator.get_weights(),
        slow.generator.get_weights() + slow.discriminator.get_weights(),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.array_equal(fast.generator.get_weights()[0], new_trainer(real).generator.get_weights()[0])


@pytest.mark.parametrize("noise", ["uniform", "normal"])
def test_fast_loop_equals_the_reference_with_several_d_steps(real, noise):
    fast = new_trainer(real, d_steps=3, noise=noise)
    slow = new_trainer(real, d_steps=3, noise=noise)
    fast.run_epochs(tf.constant(2, tf.int64))
    for _ in range(2):
        epoch_reference(slow)
    for a, b in zip(
        fast.generator.get_weights() + fast.discriminator.get_weights(),
        slow.generator.get_weights() + slow.discriminator.get_weights(),
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_fast_loop_equals_the_reference_with_every_convergence_option_on(real):
    options = {**EVERY_OPTION, "d_lr_ratio": 2.0, "beta_1": 0.5}
    fast, slow = new_trainer(real, **options), new_trainer(real, **options)
    fast.run_epochs(tf.constant(4, tf.int64))
    for _ in range(4):
        epoch_reference(slow)
    for a, b in zip(fast.state(), slow.state(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.array_equal(fast.step.slow[0].numpy(), new_trainer(real, **options).step.slow[0].numpy())


def test_d_steps_updates_d_that_many_times_per_batch(real):
    t = new_trainer(real, d_steps=3)
    t.run_epochs(tf.constant(2, tf.int64))  # 4 batches per epoch
    assert int(t.step.opt_d.iterations.numpy()) == 3 * 8 and int(t.step.opt_g.iterations.numpy()) == 8


def test_d_steps_changes_the_run(real):
    a, b = new_trainer(real), new_trainer(real, d_steps=2)
    for t in (a, b):
        t.run_epochs(tf.constant(1, tf.int64))
    assert not np.array_equal(a.generator.get_weights()[0], b.generator.get_weights()[0])


def test_normal_noise_feeds_the_generator_unbounded_inputs(real):
    uniform = new_trainer(real).recorder.z_probe.numpy()
    normal = new_trainer(real, noise="normal").recorder.z_probe.numpy()
    assert np.abs(uniform).max() <= 1 and np.abs(normal).max() > 2.5
    t = new_trainer(real, noise="normal")
    from gan.training import rng

    assert np.abs(t._draw(rng.normal, [5000, 8]).numpy()).max() > 2.5


def test_partial_last_batch_is_kept(real):
    # 100 samples in batches of 30: 30, 30, 30, 10 -> four D and four G updates per epoch.
    t = new_trainer(real)
    t.run_epochs(tf.constant(2, tf.int64))
    assert int(t.step.opt_d.iterations.numpy()) == int(t.step.opt_g.iterations.numpy()) == 8


def test_one_trace_for_any_number_of_epochs(real):
    t = new_trainer(real)
    for n in (1, 2, 3):
        t.run_epochs(tf.constant(n, tf.int64))
    assert t.run_epochs.experimental_get_tracing_count() == 1


def test_fit_records_history_and_frames(real):
    t = new_trainer(real, epochs=7)
    rows = []
    result = trainer.fit(t, kl_for(real), on_row=lambda e, i, r: rows.append(e))
    assert result.epochs_done == [7] and result.diverged == [False]
    assert rows == [0, 2, 4, 6, 7]
    assert [e for e, _ in t.recorder.history_rows(0, 7)] == rows
    frames = t.recorder.frames(0)
    assert list(frames["epoch"]) == [0, 3, 6, 7]
    assert frames["fake"].shape == (4, len(real))
    assert frames["d_grid"].shape == (4, recorder.GRID_POINTS)
    assert np.all((frames["d_grid"] > 0) & (frames["d_grid"] < 1))


def test_same_seed_same_run(real):
    a, b = new_trainer(real), new_trainer(real)
    trainer.fit(a, kl_for(real))
    trainer.fit(b, kl_for(real))
    assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a.state(), b.state(), strict=True))


@pytest.mark.parametrize("xla", [False, True])
def test_a_reseeded_trainer_runs_exactly_what_a_fresh_one_runs(real, xla):
    """A population reuses one trainer (one trace, one XLA compilation) seed after seed:
    after `reseed`, nothing of the previous run may leak into the next."""
    options = {**EVERY_OPTION, "noise": "normal", "xla": xla}
    fresh = new_trainer(real, seed=5, **options)
    trainer.fit(fresh, kl_for(real))
    reused = new_trainer(real, seed=4, **options)
    trainer.fit(reused, kl_for(real))
    reused.reseed((5,))
    trainer.fit(reused, kl_for(real))
    assert reused.seeds == (5,)
    assert all(
        np.array_equal(x, y, equal_nan=True) for x, y in zip(fresh.state(), reused.state(), strict=True)
    )
    assert reused.advance.experimental_get_tracing_count() == 1
    other = new_trainer(real, seed=4, **options)
    trainer.fit(other, kl_for(real))
    assert not np.array_equal(other.export_weights()[0], fresh.export_weights()[0])


def test_divergence_stops_and_keeps_the_last_finite_state(real):
    t = new_trainer(real, epochs=6)
    train_for_real = t._epochs

    def poisoned(n):  # trains, then (in the graph) breaks G once epoch 4 is passed
        out = train_for_real(n)
        w = t.generator.w_out
        w.assign(tf.where(t.epoch > 4, tf.fill(w.shape, float("nan")), w))
        return out

    t._epochs = poisoned  # traced by the first `advance`
    result = trainer.fit(t, kl_for(real))
    assert result.diverged == [True] and result.epochs_done == [4]
    assert int(t.epoch.numpy()) == 4
    assert all(np.all(np.isfinite(w)) for w in t.generator.get_weights())


def test_a_learning_rate_that_explodes_is_flagged_not_raised(real):
    t = new_trainer(real, lr=1e30)
    start = t.generator.get_weights()
    result = trainer.fit(t, kl_for(real))
    assert result.diverged == [True] and result.epochs_done == [0]
    assert all(np.array_equal(a, b) for a, b in zip(start, t.generator.get_weights(), strict=True))


def test_interrupt_after_a_stop_keeps_it(real):
    t = new_trainer(real, epochs=6)

    def on_epochs(epoch):
        if epoch == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        trainer.fit(t, kl_for(real), on_epochs=on_epochs)
    assert int(t.epoch.numpy()) == 4  # stops at 2, 3, 4: the interrupt came after 4


def test_interrupt_before_a_stop_is_recorded_rolls_back(real):
    t = new_trainer(real, epochs=6)
    with pytest.raises(KeyboardInterrupt):
        trainer.fit(t, interrupting_kl(real, on_call=3))
    assert int(t.epoch.numpy()) == 2  # rows for 0 and 2 are in; 3's is not
    assert [e for e, _ in t.recorder.history_rows(0, 6)] == [0, 2]


def test_interrupted_then_continued_run_equals_the_uninterrupted_one(real):
    """The rollback restores the RNG too: continuing gives the uninterrupted run."""
    whole = new_trainer(real, epochs=6)
    trainer.fit(whole, kl_for(real))
    t = new_trainer(real, epochs=6)
    with pytest.raises(KeyboardInterrupt):
        trainer.fit(t, interrupting_kl(real, on_call=3))
    trainer.fit(t, kl_for(real))
    for a, b in zip(whole.state(), t.state(), strict=True):
        np.testing.assert_array_equal(a, b)


# --- the convergence options (docs/convergence.md) ------------------------------------


def test_the_learning_rates_decay_linearly_to_zero_over_the_last_share_of_epochs(real):
    t = new_trainer(real, epochs=10, lr_decay=0.4)
    scales = []
    for epoch in range(11):
        t.epoch.assign(epoch)
        scales.append(float(t.lr_scale()))
    assert scales == pytest.approx([1, 1, 1, 1, 1, 1, 1.0, 0.75, 0.5, 0.25, 0.0])
    assert new_trainer(real).lr_scale() == 1.0  # off: a plain constant


@pytest.mark.parametrize("init", ["linear", "linear_he"])
def test_a_linear_start_leaves_every_hidden_unit_of_g_on_and_its_output_centred(init):
    from gan.training import networks

    z = np.random.default_rng(0).standard_normal((20_000, 8)).astype(np.float32)
    for seed in range(5):
        w_hidden, b_hidden, w_out, b_out = networks.generator(8, 4, seed, init)
        hidden = z @ w_hidden + b_hidden
        assert np.all((hidden > 0).mean(axis=0) > 0.995)  # 3 norms: 99.87% in theory
        x = np.maximum(hidden, 0) @ w_out + b_out
        assert abs(x.mean()) < 0.1 * x.std()
    with pytest.raises(ValueError, match="model.g_init"):
        networks.generator(8, 4, 0, "zeros")


def test_an_interrupt_while_logging_epoch_0_keeps_its_frame(real):
    """The log call comes after the row and the frame are stored: a SIGTERM during
    dvclive's write at epoch 0 once saved a checkpoint with row 0 but no frame 0."""
    t = new_trainer(real)

    def interrupted(epoch, i, row):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        trainer.fit(t, kl_for(real), on_row=interrupted)
    assert not np.isnan(t.recorder.history[0, 0, 0].numpy())
    assert t.recorder.frames(0)["epoch"].tolist() == [0]


# --- blocks of seeds ---------------------------------------------------------------------


def block_of(real, seeds, **options):
    t = trainer.Trainer(real, config(**options), tuple(seeds))
    result = trainer.fit(t, kl_for(real))
    return t, result


@pytest.mark.parametrize("xla", [False, True])
def test_a_seed_computes_the_same_bits_alone_and_anywhere_in_a_block(real, xla):
    """A population trains its seeds in blocks: seed 3's every variable (weights, Adam,
    averages, records) must not depend on the block it runs in, nor on its place there.
    Without XLA only blocks of one are used (TensorFlow's kernels round an array's tail
    otherwise), so there the check is a block of one against a second run."""
    options = {**EVERY_OPTION, "noise": "normal", "xla": xla}
    alone, _ = block_of(real, [3], **options)
    blocks = [[7, 3, 1, 0, 5, 9, 2], [*range(10, 27), 3, 30, 31]] if xla else [[3]]
    for seeds in blocks:
        block, result = block_of(real, seeds, **options)
        i = seeds.index(3)
        mine = [v.numpy() for v in alone.state_variables]
        theirs = [v.numpy() for v in block.state_variables]
        for a, b in zip(mine, theirs, strict=True):
            assert np.array_equal(a[0], b[i], equal_nan=True) if a.ndim else True
        assert result.epochs_done[i] == 6


def test_a_seed_that_diverges_in_a_block_ends_alone(real):
    """One seed's divergence ends that seed at its last good stop; the others train on."""
    t = trainer.Trainer(real, config(epochs=6, xla=True), (1, 2))
    train_for_real = t._epochs

    def poisoned(n):  # breaks the first seed's G once epoch 4 is passed
        out = train_for_real(n)
        w = t.generator.w_out
        broken = tf.concat([tf.fill(w.shape[1:], float("nan"))[None], w[1:]], axis=0)
        w.assign(tf.where(t.epoch > 4, broken, w))
        return out

    t._epochs = poisoned
    result = trainer.fit(t, kl_for(real))
    assert result.diverged == [True, False] and result.epochs_done == [4, 6]
    assert all(np.all(np.isfinite(w)) for w in t.generator.get_weights())
    assert [e for e, _ in t.recorder.history_rows(0, 6)] == [0, 2, 4]
    assert [e for e, _ in t.recorder.history_rows(1, 6)] == [0, 2, 4, 6]
    alone, _ = block_of(real, [2], epochs=6, xla=True)
    assert np.array_equal(t.generator.get_weights()[0][1], alone.generator.get_weights()[0][0])


def compiled_program(real, **options) -> str:
    """The XLA program of a trainer's loop, without the names and source lines that
    differ between two traces of the same code."""
    t = new_trainer(real, **{**EVERY_OPTION, "xla": True, **options})
    ir = t.run_epochs.experimental_get_compiler_ir(tf.constant(1, tf.int64))
    with warnings.catch_warnings():  # a device name, deprecated: the platform's draws a random number
        warnings.simplefilter("ignore", UserWarning)
        hlo = ir(stage="hlo", device_name="/job:localhost/replica:0/task:0/device:CPU:0")
    return re.sub(r"_\d+", "_N", re.sub(r", metadata=\{[^}]*\}", "", hlo))


def test_the_learning_rates_and_other_float_params_are_inputs_of_one_compiled_program(real):
    """So `dvc exp run -S train.lr=...` finds its program in the XLA cache
    (gan.training.step.Rates); r1_gamma and lr_decay are still constants of it."""
    program = compiled_program(real, lr=1e-3)
    others = dict(lr=5e-2, d_lr_ratio=2.0, beta_1=0.5, ema_decay=0.99, lookahead_alpha=0.8)
    assert compiled_program(real, **others) == program
    assert compiled_program(real, lr=1e-3, r1_gamma=0.5) != program

"""The per-seed random streams (gan/training/rng.py): the textbook SplitMix64, a real
permutation, the right distributions, and a seed's numbers whatever block it is in."""

from gan.training import rng
from gan.training.tf_setup import tf

import numpy as np
import pytest

MASK = (1 << 64) - 1


def splitmix64(state: int, n: int) -> list[int]:
    """The sequential SplitMix64 of the literature, in Python integers."""
    out = []
    for _ in range(n):
        state = (state + rng.GAMMA) & MASK
        z = ((state ^ (state >> 30)) * rng.M1) & MASK
        z = ((z ^ (z >> 27)) * rng.M2) & MASK
        out.append(z ^ (z >> 31))
    return out


@pytest.mark.parametrize("xla", [False, True])
def test_each_seeds_words_are_its_splitmix64_stream(xla):
    seeds = (3, 0, 12345)
    keys = rng.keys(seeds)
    want = np.array([splitmix64(int(k), 9) for k in keys], np.uint64)
    draw = tf.function(lambda c: rng.words(tf.constant(keys), c, 4), jit_compile=xla)
    assert np.array_equal(draw(tf.constant(np.uint64(5))).numpy(), want[:, 5:9])


@pytest.mark.parametrize("xla", [False, True])
def test_draws_are_a_permutation_and_the_right_distributions_whatever_the_block(xla):
    def draws(seeds):
        key = tf.constant(rng.keys(seeds))

        @tf.function(jit_compile=xla)
        def draw(c):
            s = [4000, 8]
            return rng.permutation(key, c, 1000)[0], rng.normal(key, c, s)[0], rng.uniform(key, c, s)[0]

        return [t.numpy() for t in draw(tf.constant(np.uint64(0)))]

    order, normal, uniform = draws((5, 3, 9))
    assert all(sorted(row) == list(range(1000)) for row in order)
    assert abs(normal.mean()) < 0.02 and abs(normal.std() - 1) < 0.02 and np.abs(normal).max() < 5.3
    assert uniform.min() > -1 and uniform.max() < 1 and abs(uniform.std() - 1 / np.sqrt(3)) < 0.01
    alone = draws((3,))
    for mine, theirs in zip(alone, (order, normal, uniform), strict=True):
        assert np.array_equal(mine[0], theirs[1])
    assert not np.array_equal(order[0], order[1])


def lowbias32(x: int) -> int:
    """Chris Wellons' lowbias32, in Python integers."""
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


@pytest.mark.parametrize("xla", [False, True])
def test_the_feistel_rounds_hash_is_lowbias32(xla):
    values = [0, 1, 2, 12345, 0x7FFFFFFF, 0xFFFFFFFF]
    got = tf.function(rng.hash32, jit_compile=xla)(tf.constant(values, tf.uint32)).numpy()
    assert [int(v) for v in got] == [lowbias32(v) for v in values]


def test_shuffles_put_every_sample_everywhere_equally_often():
    """Over 4000 epochs of 10 samples (a 16-value Feistel domain, walked), each sample
    lands in each position about 400 times: no position a sample favours or avoids."""
    key = tf.constant(rng.keys((7,)))

    @tf.function(jit_compile=True)
    def orders(counters):
        return tf.map_fn(lambda c: rng.permutation(key, c, 10)[0][0], counters, fn_output_signature=tf.int32)

    counts = np.zeros((10, 10))
    for order in orders(tf.constant(np.arange(4000, dtype=np.uint64) * 6)).numpy():
        counts[order, np.arange(10)] += 1
    # binomial(4000, 0.1): sd 19; the extreme of 100 cells stays well inside 5 sd
    assert np.abs(counts - 400).max() < 95
    assert len({tuple(o) for o in orders(tf.constant(np.arange(50, dtype=np.uint64) * 6)).numpy()}) == 50

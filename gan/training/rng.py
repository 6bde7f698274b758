"""Per-seed random numbers for a block of seeds trained together: SplitMix64 as a
counter-based generator, integer ops only, so seed s's numbers depend on s and on how
many words its run has drawn, never on the block it runs in.

    key_s = mix64((s + 1) * GAMMA);  word j of seed s = mix64(key_s + (j + 1) * GAMMA)

(the textbook SplitMix64 stream started at key_s; tests/training/test_rng.py checks it).
The counter j is one variable per block: every seed of a block draws the same number of
words at the same time. Each word gives two 24-bit halves k, and each half an exact
float32 v = (2k + 1 - 2^24) / 2^24 in (-1, 1): the uniform noise U(-1, 1) itself, and
N(0, 1) as sqrt(2) erfinv(v) (from 23 bits: TensorFlow's erfinv without XLA overflows at
1 - 2^-24). The shuffle is a keyed permutation without a sort: a Feistel network whose
rounds hash 32-bit values (a 64-bit product costs three 32-bit ones on AVX2: the shuffle
took 4 of the 35 us of a default step with SplitMix64 rounds).
"""

from __future__ import annotations

from gan.training.tf_setup import tf

import numpy as np

GAMMA, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
FEISTEL_ROUNDS = 6


def _u64(value: int) -> tf.Tensor:
    return tf.constant(value, tf.uint64)


def _u32(value: int) -> tf.Tensor:
    return tf.constant(value, tf.uint32)


def mix64(z: tf.Tensor) -> tf.Tensor:
    shift, xor = tf.bitwise.right_shift, tf.bitwise.bitwise_xor
    z = xor(z, shift(z, _u64(30))) * _u64(M1)
    z = xor(z, shift(z, _u64(27))) * _u64(M2)
    return xor(z, shift(z, _u64(31)))


def keys(seeds: tuple[int, ...]) -> np.ndarray:
    """uint64 [S]: each seed's key."""
    z = (np.asarray(seeds, np.uint64) + np.uint64(1)) * np.uint64(GAMMA)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(M1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(M2)
    return z ^ (z >> np.uint64(31))


def words(key: tf.Tensor, counter: tf.Tensor, n: int) -> tf.Tensor:
    """uint64 [S, n]: words counter + 1 .. counter + n of each seed's stream."""
    j = counter + tf.cast(tf.range(1, n + 1, dtype=tf.int64), tf.uint64)
    return mix64(key[:, None] + j[None, :] * _u64(GAMMA))


def _halves(key: tf.Tensor, counter: tf.Tensor, n: int) -> tuple[tf.Tensor, int]:
    """int32 [S, n] 24-bit halves of (n + 1) // 2 words, and the words used."""
    used = (n + 1) // 2
    w = words(key, counter, used)
    hi = tf.bitwise.right_shift(w, _u64(40))
    lo = tf.bitwise.bitwise_and(tf.bitwise.right_shift(w, _u64(8)), _u64(0xFFFFFF))
    return tf.cast(tf.concat([hi, lo], axis=1)[:, :n], tf.int32), used


def uniform(key: tf.Tensor, counter: tf.Tensor, shape: list[int]) -> tuple[tf.Tensor, int]:
    """float32 [S, *shape] in (-1, 1), and the words used."""
    k, used = _halves(key, counter, int(np.prod(shape)))
    v = tf.cast(2 * k + (1 - (1 << 24)), tf.float32) * 2.0**-24
    return tf.reshape(v, [-1, *shape]), used


def normal(key: tf.Tensor, counter: tf.Tensor, shape: list[int]) -> tuple[tf.Tensor, int]:
    """float32 [S, *shape] N(0, 1) by inversion (|z| < 5.3), and the words used."""
    k, used = _halves(key, counter, int(np.prod(shape)))
    v = tf.cast(2 * tf.bitwise.right_shift(k, 1) + (1 - (1 << 23)), tf.float32) * 2.0**-23
    return tf.reshape(np.float32(np.sqrt(2.0)) * tf.math.erfinv(v), [-1, *shape]), used


def hash32(x: tf.Tensor) -> tf.Tensor:
    """uint32 -> uint32: Chris Wellons' lowbias32 integer hash (two 32-bit products: AVX2
    multiplies eight at once, where a 64-bit product takes three)."""
    shift, xor = tf.bitwise.right_shift, tf.bitwise.bitwise_xor
    x = xor(x, shift(x, _u32(16))) * _u32(0x7FEB352D)
    x = xor(x, shift(x, _u32(15))) * _u32(0x846CA68B)
    return xor(x, shift(x, _u32(16)))


def permutation(key: tf.Tensor, counter: tf.Tensor, n: int) -> tuple[tf.Tensor, int]:
    """int32 [S, n]: a keyed pseudo-random permutation of 0..n-1 per seed, and the words
    used: a Feistel network on the indices' bits (each round hashes one half, xored with a
    32-bit round key from the stream), each value at or above n walked on through the
    network until it falls below n."""
    half = max(1, (int(n - 1).bit_length() + 1) // 2)
    mask = _u32((1 << half) - 1)
    round_keys = tf.cast(tf.bitwise.right_shift(words(key, counter, FEISTEL_ROUNDS), _u64(32)), tf.uint32)

    def feistel(x: tf.Tensor) -> tf.Tensor:
        left, right = tf.bitwise.right_shift(x, _u32(half)), tf.bitwise.bitwise_and(x, mask)
        for r in range(FEISTEL_ROUNDS):
            mixed = hash32(tf.bitwise.bitwise_xor(round_keys[:, r : r + 1], right))
            left, right = right, tf.bitwise.bitwise_xor(left, tf.bitwise.right_shift(mixed, _u32(32 - half)))
        return tf.bitwise.bitwise_or(tf.bitwise.left_shift(left, _u32(half)), right)

    start = tf.zeros_like(round_keys[:, :1]) + tf.cast(tf.range(n), tf.uint32)[None, :]
    limit = _u32(n)
    walked = tf.while_loop(
        lambda y: tf.reduce_any(y >= limit),
        lambda y: (tf.where(y >= limit, feistel(y), y),),
        (feistel(start),),
    )[0]
    return tf.cast(walked, tf.int32), FEISTEL_ROUNDS

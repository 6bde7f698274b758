"""A small GAN that learns N(mean, std), as a reproducible DVC pipeline.

Import submodules directly (`from gan import metrics`): this file imports nothing, so a
stage that needs no TensorFlow never pays for it.
"""

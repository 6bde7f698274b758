"""Adam on plain tf.Variables, the update of keras.optimizers.Adam (defaults beta_1 0.9,
beta_2 0.999, epsilon 1e-7), written out so that its state is ordinary variables: it
lives inside the in-graph training loop, a tf.train.Checkpoint and a weight backup
without Keras wrappers. tests/training/test_adam.py checks it step for step against Keras."""

from __future__ import annotations

from types import SimpleNamespace

from gan.training.tf_setup import tf


class Adam(tf.Module):
    def __init__(
        self,
        variables: list[tf.Variable],
        lr: float | tf.Variable,
        beta_1: float | tf.Variable = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str = "adam",
    ):
        super().__init__(name=name)
        # Step.rates' variables, in a plain namespace tf.Module does not look into: not state
        self.rates = SimpleNamespace(lr=lr, beta_1=beta_1)
        self.beta_2, self.epsilon = beta_2, epsilon
        self.iterations = tf.Variable(0, dtype=tf.int64, name="iterations")
        self.m = [tf.Variable(tf.zeros_like(v), name="m") for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v), name="v") for v in variables]

    def reset(self) -> None:
        """Back to the state of a new optimizer: no steps taken, both moments zero."""
        self.iterations.assign(0)
        for moment in self.m + self.v:
            moment.assign(tf.zeros_like(moment))

    def apply(
        self, grads: list[tf.Tensor], variables: list[tf.Variable], scale: tf.Tensor | float = 1.0
    ) -> None:
        """m += (g - m)(1 - beta_1); v += (g^2 - v)(1 - beta_2);
        var -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon),
        one fused kernel per variable (ResourceApplyAdam) instead of a dozen small ops.
        `scale` multiplies lr (a schedule)."""
        step = tf.cast(self.iterations.assign_add(1), tf.float32)
        beta_1_power, beta_2_power = self.rates.beta_1**step, self.beta_2**step
        for grad, var, m, v in zip(grads, variables, self.m, self.v, strict=True):
            tf.raw_ops.ResourceApplyAdam(
                var=var.handle,
                m=m.handle,
                v=v.handle,
                beta1_power=beta_1_power,
                beta2_power=beta_2_power,
                lr=self.rates.lr * scale,
                beta1=self.rates.beta_1,
                beta2=self.beta_2,
                epsilon=self.epsilon,
                grad=grad,
                use_locking=False,
            )

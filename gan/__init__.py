"""A small GAN that learns N(mean, std), as a reproducible DVC pipeline.

Importing the package pins the instruction set numpy, OpenBLAS, oneDNN and XLA compute
with (gan/infra/cpu_pin.py), before any of them loads: import `gan` before numpy, TensorFlow
or Keras. Import modules directly (`from gan.stats import metrics`): nothing else is
imported here, so a stage that needs no TensorFlow never pays for it.
"""

from gan.infra import cpu_pin as _cpu_pin

_cpu_pin.apply()

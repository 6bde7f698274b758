#!/bin/bash
# The defaults with D of 16 hidden units and the learning rates' decay over the last 10%
# of the epochs (chosen on seeds 2000-2099, ../lr_tuning_2000-2099/), at five learning
# rates and the tutorial's setup, on seeds 11000-11199 (no choice was made on them), run
# once, by the fast-step holdout's script. Run in a clone of the project with its .venv;
# results in /tmp/quality.
SEEDS=11000-11199 exec bash "$(dirname "$0")/../fast_step_holdout_7000-7199/run.sh"

#!/bin/bash
# The mixture preset's holdout (../mixture_holdout_9000-9199) measured again after the
# faster step (D's gradient in closed form, the 32-bit shuffle) changed every trajectory:
# the preset on the two-mode mixture (seeds 9000-9199) and on the three-mode one (_H3,
# 9000-9099), by the sibling's script. Run in a clone of the project with its .venv.
OUT=/tmp/mix2 exec bash "$(dirname "$0")/../mixture_holdout_9000-9199/run.sh" preset preset_H3

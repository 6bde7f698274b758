#!/bin/bash
# The mixture holdout (../mixture_holdout_9000-9199) measured again after the faster step
# (D's gradient in closed form, the 32-bit shuffle) changed every trajectory: the preset
# and the defaults on the two-mode mixture (seeds 9000-9199) and on the three-mode one
# (_H3, 9000-9099), by the sibling's script (arguments: which; default the preset's two,
# run 2026-12-06 on 4312f66; the defaults' two on bb81e08, D of 16 and decay 0.1). Run in a clone of the
# project with its .venv.
OUT=/tmp/mix2 exec bash "$(dirname "$0")/../mixture_holdout_9000-9199/run.sh" "${@:-preset preset_H3}"

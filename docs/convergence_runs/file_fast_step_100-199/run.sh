#!/bin/bash
# The defaults on the example data file (data/example.csv), seeds 100-199, measured again
# after the faster step and the new defaults (2026-12-06, on bb81e08: D of 16, decay 0.1): the defaults with data.distribution=file,
# by ../lr_tuning_2000-2099/lrtune.sh (which expects the clone at /tmp/q; rows in /tmp/lr).
# Run in a clone of the project with its .venv.
exec bash "$(dirname "$0")/../lr_tuning_2000-2099/lrtune.sh" file_defaults_d16 100-199 data.distribution=file

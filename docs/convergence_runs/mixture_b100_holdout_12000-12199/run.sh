#!/bin/bash
# The mixture preset with batches of 100 (2026-12-06), once, on seeds nothing had used:
# the two-mode mixture on 12000-12199, the three-mode one (_H3) on 12000-12099, by the
# first holdout's script. Run in a clone of the project with its .venv; rows in OUT.
OUT=${OUT:-/tmp/mix3} SEEDS=12000-12199 SEEDS_H3=12000-12099 \
  exec bash "$(dirname "$0")/../mixture_holdout_9000-9199/run.sh" "${@:-preset preset_H3}"

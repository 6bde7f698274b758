#!/bin/bash
# Batches of 100 in the mixture preset (2026-12-06), once, on seeds nothing had used, and the
# preset of batches of 300 on the same seeds: b100 (two modes, 12000-12199) and b100_H3 (three
# modes, 12000-12099) by the first holdout's script with gan/infra/params.py of a87a2c4, whose
# preset had batches of 100; preset (two modes, batches of 300) by codes_tune.sh. Run in a clone of the project
# (REPO, default /tmp/h) with its .venv; rows in OUT. Batches of 100 were not kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export OUT=${OUT:-/tmp/mix3} REPO=${REPO:-/tmp/h}
(cd "$REPO" && git checkout -q a87a2c4 -- gan/infra/params.py \
  && SEEDS=12000-12199 SEEDS_H3=12000-12099 bash "$here/../mixture_holdout_9000-9199/run.sh" preset preset_H3 \
  && git checkout -q HEAD -- gan/infra/params.py)
mv "$OUT/preset.csv" "$OUT/b100.csv"; mv "$OUT/preset.json" "$OUT/b100.json"
mv "$OUT/preset_H3.csv" "$OUT/b100_H3.csv"; mv "$OUT/preset_H3.json" "$OUT/b100_H3.json"
bash "$here/../mixture_tuning_8000-8019/codes_tune.sh" preset 12000-12199 train.batch_size=300

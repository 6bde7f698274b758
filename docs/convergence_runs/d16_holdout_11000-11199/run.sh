#!/bin/bash
set -u
# The defaults with D of 16 hidden units and the learning rates' decay over the last 10%
# of the epochs (chosen on seeds 2000-2099, ../lr_tuning_2000-2099/), at five learning
# rates and the tutorial's setup, on seeds 11000-11199 (no choice was made on them), run
# once. Run in a clone of the project with its .venv; results in /tmp/quality.
mkdir -p /tmp/quality
export DVC_NO_ANALYTICS=1
for name in lr5e-4 lr1e-4 lr2e-3 lr5e-3 lr5e-2 tutorial; do
  git checkout -q params.yaml
  PYTHONPATH=. .venv/bin/python - "$name" <<'PY'
import sys, yaml
from gan.infra import params
name = sys.argv[1]
p = yaml.safe_load(open("params.yaml"))
sets = params.preset_overrides("tutorial") if name == "tutorial" else [f"train.lr={float(name[2:])}"]
for s in sets + ["population.seeds=11000-11199"]:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
  start=$(date +%s)
  { sh stages/run check_params && sh stages/run sample && sh stages/run population; } > /tmp/quality/$name.log 2>&1 || { echo "$name FAILED" >> /tmp/quality/times.txt; continue; }
  echo "$name $(( $(date +%s) - start )) s" >> /tmp/quality/times.txt
  cp reports/population.json /tmp/quality/$name.json; cp reports/population/runs.csv /tmp/quality/$name.csv
done
git checkout -q params.yaml
echo done >> /tmp/quality/times.txt

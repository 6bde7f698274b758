#!/bin/bash
set -u
# The holdout populations of blocks_holdout_7000-7199 measured again after D's gradient in
# closed form and the 32-bit shuffle changed every trajectory: the defaults at five learning
# rates and the tutorial's setup, on seeds 7000-7199 (no choice was made on them).
# Run in a clone of the project with its .venv; results in /tmp/quality. SEEDS: other
# seeds (../d16_holdout_11000-11199/run.sh runs it so).
mkdir -p /tmp/quality
export DVC_NO_ANALYTICS=1
for name in lr5e-4 lr1e-4 lr2e-3 lr5e-3 lr5e-2 tutorial; do
  git checkout -q params.yaml
  PYTHONPATH=. .venv/bin/python - "$name" "${SEEDS:-7000-7199}" <<'PY'
import sys, yaml
from gan.infra import params
name, seeds = sys.argv[1], sys.argv[2]
p = yaml.safe_load(open("params.yaml"))
sets = params.preset_overrides("tutorial") if name == "tutorial" else [f"train.lr={float(name[2:])}"]
for s in sets + [f"population.seeds={seeds}"]:
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

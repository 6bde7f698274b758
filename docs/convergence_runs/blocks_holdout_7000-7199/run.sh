#!/bin/bash
# Holdout populations (seeds 7000-7199, never looked at before): the defaults at five learning rates, and the tutorial's setup.
cd /tmp/q
export DVC_NO_ANALYTICS=1
sh stages/run sample > /dev/null
for name in lr1e-4 lr5e-4 lr2e-3 lr5e-3 lr5e-2 tutorial; do
  git checkout -q params.yaml
  .venv/bin/python - "$name" <<'PY'
import sys, yaml
from gan.infra import params as P
name = sys.argv[1]
raw = yaml.safe_load(open("params.yaml"))
raw["population"]["seeds"] = "7000-7199"
if name.startswith("lr"):
    raw["train"]["lr"] = float(name[2:])
else:
    for key, value in P.TUTORIAL_SETUP.items():
        s, k = key.split(".")
        raw[s][k] = value
yaml.safe_dump(raw, open("params.yaml", "w"))
PY
  start=$(date +%s)
  sh stages/run population > /tmp/quality/$name.log 2>&1
  echo "$name $(( $(date +%s) - start )) s" >> /tmp/quality/times.txt
  cp reports/population.json /tmp/quality/$name.json; cp reports/population/runs.csv /tmp/quality/$name.csv
done
echo done >> /tmp/quality/times.txt

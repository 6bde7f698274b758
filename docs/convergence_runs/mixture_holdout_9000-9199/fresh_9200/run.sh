#!/bin/bash
set -u
# The off_modes flag checked on seeds no one had looked at (9200-9299), after it was built:
# the defaults and the mixture preset on the two-mode mixture, with the committed code.
mkdir -p /tmp/mix  # run in a clone of the project with its .venv, as ../run.sh
export DVC_NO_ANALYTICS=1
for name in defaults preset; do
  git checkout -q params.yaml
  PYTHONPATH=. .venv/bin/python - "$name" <<'PY'
import sys, yaml
from gan.infra import params
name = sys.argv[1]
p = yaml.safe_load(open("params.yaml"))
sets = params.preset_overrides("mixture") if name == "preset" else ["data.distribution=mixture"]
sets += ["population.seeds=9200-9239" if name == "preset" else "population.seeds=9200-9299"]
for s in sets:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
  { sh stages/run check_params && sh stages/run sample && sh stages/run population; } > /tmp/mix/fresh_$name.log 2>&1 || { echo "$name FAILED" >> /tmp/mix/fresh.txt; continue; }
  cp reports/population/runs.csv /tmp/mix/fresh_$name.csv; cp reports/population.json /tmp/mix/fresh_$name.json
  echo "$name done" >> /tmp/mix/fresh.txt
done
git checkout -q params.yaml

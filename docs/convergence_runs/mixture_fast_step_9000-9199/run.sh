#!/bin/bash
# The mixture preset's holdout (../mixture_holdout_9000-9199) measured again after the
# faster step (D's gradient in closed form, the 32-bit shuffle) changed every trajectory:
# the preset on the two-mode mixture (seeds 9000-9199) and on the three-mode one (_H3,
# 9000-9099). Run in a clone of the project with its .venv; rows land in /tmp/mix2/.
set -u
export DVC_NO_ANALYTICS=1
mkdir -p /tmp/mix2
for name in preset preset_H3; do
  git checkout -q params.yaml
  PYTHONPATH=. .venv/bin/python - "$name" <<'PY'
import sys, yaml
from gan.infra import params
name = sys.argv[1]
p = yaml.safe_load(open("params.yaml"))
sets = params.preset_overrides("mixture")
sets += ["population.seeds=9000-9099" if name.endswith("H3") else "population.seeds=9000-9199"]
for s in sets:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
if name.endswith("H3"):
    p["data"].update(mixture_means=[-4.0, 0.0, 3.0], mixture_stds=[0.5, 0.8, 0.4], mixture_weights=[0.2, 0.5, 0.3])
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
  start=$(date +%s)
  { sh stages/run check_params && sh stages/run sample && sh stages/run population; } > /tmp/mix2/$name.log 2>&1 || exit 1
  echo "$name $(( $(date +%s) - start )) s" >> /tmp/mix2/times.txt
  cp reports/population/runs.csv /tmp/mix2/$name.csv
  cp reports/population.json /tmp/mix2/$name.json
done
git checkout -q params.yaml

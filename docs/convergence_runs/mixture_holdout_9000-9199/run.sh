#!/bin/bash
# Holdout populations for docs/mixtures.md (seeds 9000-9199, never used before; run once,
# after the mixture preset was frozen): the preset and the defaults, on the two-mode mixture
# (200 seeds) and on a three-mode one (_H3, 100 seeds). Run in a clone of the project with
# its .venv; the rows land in /tmp/mix/ (copied here as NAME.csv, NAME.json).
# Arguments: the populations to run (default: all four); OUT: where the rows land; SEEDS
# and SEEDS_H3: other seeds for the two- and the three-mode populations.
set -u
export DVC_NO_ANALYTICS=1
out=${OUT:-/tmp/mix}
mkdir -p "$out"
for name in ${*:-preset defaults preset_H3 defaults_H3}; do
  git checkout -q params.yaml
  PYTHONPATH=. .venv/bin/python - "$name" "${SEEDS:-9000-9199}" "${SEEDS_H3:-9000-9099}" <<'PY'
import sys, yaml
from gan.infra import params
name, seeds, seeds_h3 = sys.argv[1:]
p = yaml.safe_load(open("params.yaml"))
sets = params.preset_overrides("mixture") if name.startswith("preset") else ["data.distribution=mixture"]
sets += [f"population.seeds={seeds_h3 if name.endswith('H3') else seeds}"]
for s in sets:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
if name.endswith("H3"):
    p["data"].update(mixture_means=[-4.0, 0.0, 3.0], mixture_stds=[0.5, 0.8, 0.4], mixture_weights=[0.2, 0.5, 0.3])
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
  start=$(date +%s)
  { sh stages/run check_params && sh stages/run sample && sh stages/run population; } > "$out/$name.log" 2>&1 || exit 1
  echo "$name $(( $(date +%s) - start )) s" >> "$out/times.txt"
  cp reports/population/runs.csv "$out/$name.csv"
  cp reports/population.json "$out/$name.json"
done
git checkout -q params.yaml

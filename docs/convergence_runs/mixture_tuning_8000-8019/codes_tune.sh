#!/bin/bash
# tune.sh NAME SEEDS [key=value ...]: the mixture preset plus the overrides, on SEEDS; H3 in NAME: the three-mode mixture
set -u
export DVC_NO_ANALYTICS=1
name=$1; seeds=$2; shift 2
cd /tmp/q
git checkout -q params.yaml
PYTHONPATH=. .venv/bin/python - "$name" "$seeds" "$@" <<'PY'
import sys, yaml
from gan.infra import params
name, seeds, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
p = yaml.safe_load(open("params.yaml"))
base = ["data.distribution=mixture"] if name.startswith("D_") else params.preset_overrides("mixture")
for s in base + [f"population.seeds={seeds}"] + extra:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
if "H3" in name:
    p["data"].update(mixture_means=[-4.0, 0.0, 3.0], mixture_stds=[0.5, 0.8, 0.4], mixture_weights=[0.2, 0.5, 0.3])
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
start=$(date +%s)
{ sh stages/run check_params && sh stages/run sample && sh stages/run population; } > /tmp/tune/$name.log 2>&1 || { echo "$name FAILED" >> /tmp/tune/times.txt; exit 1; }
echo "$name $(( $(date +%s) - start )) s $(tail -1 /tmp/tune/$name.log | cut -c1-120)" >> /tmp/tune/times.txt
cp reports/population/runs.csv /tmp/tune/$name.csv; cp reports/population.json /tmp/tune/$name.json
git checkout -q params.yaml

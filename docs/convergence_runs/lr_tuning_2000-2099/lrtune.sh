#!/bin/bash
# lrtune.sh NAME SEEDS [key=value ...]: the defaults plus the overrides, on SEEDS, as a
# population in a clone of the project with its .venv (REPO, default /tmp/q); its rows
# land in OUT (default /tmp/lr) as NAME.csv and .json. The d_leak runs (leak02_*) ran on
# the clone with d_leak_prototype.patch applied (against 75b4b66); leak02_5e-3 ran as
# `leak02_1e-4 2000-2099 train.lr=5e-3 model.d_leak=0.2` (a misnamed run, renamed here).
set -u
out=${OUT:-/tmp/lr}
mkdir -p "$out"
export DVC_NO_ANALYTICS=1
name=$1; seeds=$2; shift 2
cd "${REPO:-/tmp/q}"
git checkout -q params.yaml
PYTHONPATH=. .venv/bin/python - "$seeds" "$@" <<'PY'
import sys, yaml
seeds, extra = sys.argv[1], sys.argv[2:]
p = yaml.safe_load(open("params.yaml"))
for s in [f"population.seeds={seeds}"] + extra:
    key, value = s.split("=", 1)
    section, k = key.split(".")
    p[section][k] = yaml.safe_load(value)
yaml.safe_dump(p, open("params.yaml", "w"), sort_keys=False)
PY
start=$(date +%s)
{ sh stages/run check_params && sh stages/run sample && sh stages/run population; } > $out/$name.log 2>&1 || { echo "$name FAILED" >> $out/times.txt; exit 1; }
echo "$name $(( $(date +%s) - start )) s $(tail -1 $out/$name.log | cut -c1-110)" >> $out/times.txt
cp reports/population/runs.csv $out/$name.csv; cp reports/population.json $out/$name.json
git checkout -q params.yaml

#!/bin/bash
# codes_tune.sh NAME SEEDS [key=value ...]: the mixture preset plus the overrides, on SEEDS
# (a NAME starting with D_: the defaults on the mixture instead), by lrtune.sh, rows in
# OUT (default /tmp/tune). The codes_* runs ran on a clone (REPO, default /tmp/q) with
# g_codes_prototype.patch applied against 2ba09d1, when the defaults' lr_decay was the
# preset's 0.3.
set -u
name=$1; seeds=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
if [ "${name#D_}" != "$name" ]; then
  base=data.distribution=mixture
else
  base=$(cd "${REPO:-/tmp/q}" && PYTHONPATH=. .venv/bin/python -c \
    'from gan.infra import params; print(" ".join(params.preset_overrides("mixture")))')
fi
# shellcheck disable=SC2086  # the preset's assignments, one word each
OUT=${OUT:-/tmp/tune} exec bash "$here/../lr_tuning_2000-2099/lrtune.sh" "$name" "$seeds" $base "$@"

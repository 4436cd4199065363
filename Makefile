# trygghet – uppföljning av medborgarlöften. `make help` lists the targets.
# Every target bootstraps the virtual environment first, so on a fresh clone
# `make report` and `make test` are the only two commands a newcomer needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
KOMMUN ?= 1863
PERIOD ?=
JOBS   ?=

RUN_ARGS := --kommun $(KOMMUN) $(if $(PERIOD),--period $(PERIOD)) $(if $(JOBS),--jobs $(JOBS))

.DEFAULT_GOAL := help
.PHONY: help install lock browser ingest report test lint format docs lab bench clean

help: ## List the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-10s %s\n", $$1, $$2}'

# Installs exactly the versions in requirements.lock, each checked against its hash;
# the project itself goes in editable, without dependencies (they came from the lock).
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# Bytecode for the project's own modules, as pip writes it for the dependencies: an
	@# editable install has none, and where PYTHONDONTWRITEBYTECODE is set every report
	@# kernel compiled the library again (0,4 s of each kernel's start).
	$(BIN)/python -m compileall -q lib >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name trygghet --display-name "Python (trygghet)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Create .venv, install the locked dependencies and the project, register its kernel

lock: ## Refresh requirements.lock (pinned versions with hashes) after editing pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o $(LOCK)

# The browser test needs Debian's Chromium. As root (CI, a fresh machine) it is
# installed here; elsewhere the test says it is skipped and why.
browser: ## Install headless Chromium for the browser test (Debian, as root)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installerar Chromium för webbläsartestet …"; \
		(apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Chromium kunde inte installeras: webbläsartestet hoppas över."; \
	else echo "Chromium saknas och kan inte installeras här: webbläsartestet hoppas över."; fi

ingest: install ## Read raw data (the mirror, example data), validate, write data/processed/
	$(BIN)/trygghet ingest --kommun $(KOMMUN)

report: ingest ## Produce every report for KOMMUN (default 1863) and print the index page
	$(BIN)/trygghet run $(RUN_ARGS)

test: install browser ## Lint, import layers, unit tests, every notebook under nbval, end-to-end and browser tests
	$(BIN)/ruff check lib tests
	$(BIN)/ruff format --check lib tests
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest tests
	$(BIN)/trygghet ingest --kommun 1863
	$(BIN)/trygghet ingest --kommun 1864
	$(BIN)/pytest --nbval-lax notebooks

lint: install ## Only ruff (check and format check) and the import layers (lint-imports)
	$(BIN)/ruff check lib tests
	$(BIN)/ruff format --check lib tests
	$(BIN)/lint-imports --no-cache

format: install ## Reformat the code with ruff
	$(BIN)/ruff format lib tests
	$(BIN)/ruff check --fix lib tests

docs: install ## Regenerate docs/config.md (every config key and indicator function) from the code
	$(BIN)/python -m trygghet.pipeline.config_docs > docs/config.md

# Jupyter refuses to serve as root unless told; CI and fresh containers are root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: install ## Open JupyterLab on the notebooks, with the project's kernel as default
	$(BIN)/jupyter lab $(LAB_ROOT) --MultiKernelManager.default_kernel_name=trygghet notebooks

bench: ingest ## Benchmarks: runner vs naive CLI loop, batches and Dask, ingest, maps (prints ratios)
	$(BIN)/python scripts/bench.py --kommun $(KOMMUN)
	$(BIN)/python scripts/bench_batch.py
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench_maps.py

clean: ## Remove generated data and outputs (keeps .venv)
	rm -rf data/processed/* outputs/* data/raw/example
	@touch data/processed/.gitkeep outputs/.gitkeep

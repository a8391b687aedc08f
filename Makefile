# The two everyday commands: `make preview STACK=staging` and `make test`.
# Both create .venv and install the pinned packages on first use.

STACK ?= staging
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Checkov's dependencies clash with the project's: it gets a virtualenv of its own.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

.PHONY: preview test lint typecheck check bench scan clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(SCAN_STAMP): requirements-scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-scan.txt
	touch $(SCAN_STAMP)

## Offline preview (and policy check) of one stack: make preview STACK=production
preview: $(STAMP)
	$(BIN)/python -m preflight --stack $(STACK) $(ARGS)

## The test suite under the mock runtime.
test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict .

## Everything CI runs.
check: lint typecheck test
	$(BIN)/python -m preflight --stack staging > /dev/null
	$(BIN)/python -m preflight --stack production > /dev/null

## Checkov on both stacks' Terraform plan exports, against policy/scanner-waivers.yaml.
scan: $(STAMP) $(SCAN_STAMP)
	$(BIN)/python scripts/scan.py $(ARGS)

bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(ARGS)

clean:
	rm -rf $(VENV) $(SCAN_VENV) .mypy_cache .ruff_cache

# The two everyday commands: `make preview STACK=staging` and `make test`.
# Both create .venv and install the pinned packages on first use.

STACK ?= staging
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: preview test lint typecheck check bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

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

bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

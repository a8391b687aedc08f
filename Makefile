# The everyday commands: `./preview staging` (or `make preview STACK=staging`) and `make test`.
# Both create .venv and install the pinned packages on first use.
#
# Exit codes: make turns any failing recipe into its own 2, so `make preview` and `make diff` exit
# 0 or 2; `./preview` keeps preflight's own 0 (passes), 1 (blocked), 2 (bad input).

STACK ?= staging
BASE ?= origin/main
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Checkov's dependencies clash with the project's: it gets a virtualenv of its own.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

.PHONY: preview diff test lint typecheck check bench scan verify-secrets backup-secrets clean

$(STAMP): requirements.txt requirements-dev.txt requirements-ops.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(SCAN_STAMP): requirements-scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-scan.txt
	touch $(SCAN_STAMP)

## Offline preview (and policy check) of one stack: make preview STACK=production
preview: $(STAMP)
	./preview --stack $(STACK) $(ARGS)

## The same against a base ref (default origin/main): make diff STACK=production BASE=main
diff: $(STAMP)
	./preview --stack $(STACK) --base $(BASE) $(ARGS)

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

## Every secret of a stack's catalog exists, is enabled, rotates and reaches its accessors
## (Google credentials for the stack's project; reads no value): make verify-secrets STACK=production
verify-secrets: $(STAMP)
	$(BIN)/python scripts/verify_secrets.py --stack $(STACK) $(ARGS)

## An encrypted offline backup of a stack's secrets (docs/runbooks/secret-backups.md), sealed with
## the stack's backup key unless KEY names another: make backup-secrets STACK=production OUT=/media/backup/x.mhb
backup-secrets: $(STAMP)
	test -n "$(OUT)" || { echo "usage: make backup-secrets STACK=<stack> OUT=<new file> [KEY=<kms key>]" >&2; exit 2; }
	$(BIN)/python scripts/secret_backup.py export --stack $(STACK) $(if $(KEY),--key "$(KEY)") --out "$(OUT)"

clean:
	rm -rf $(VENV) $(SCAN_VENV) .mypy_cache .ruff_cache

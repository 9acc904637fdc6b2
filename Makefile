# Every target sets itself up: a fresh machine needs only python3 (3.11+), make, and apt for
# redis-server (the Redis rate-limiter tests) and npm for Prism (the contract tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_INSTALLED := $(VENV)/.installed-demo
BENCH_INSTALLED := $(VENV)/.installed-bench
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help install system-deps generate check-generated refresh-specs check-upstream lint \
	typecheck test test-upstream demo bench

# incident.io's published OpenAPI document: the openapi.json of their official Python SDK (its
# webhook events included). SOURCE may list several files or URLs: parts of one document.
UPSTREAM_SPEC := https://raw.githubusercontent.com/incident-io/sdk-python/main/openapi.json
SOURCE ?= $(UPSTREAM_SPEC)
# check-upstream fails (exit 1) on breaking drift only; FAIL_ON=any fails on any drift.
FAIL_ON ?= breaking
QUOTED_SOURCE = $(foreach source,$(SOURCE),'$(source)')

help:
	@echo "make demo             run the demo against the embedded fake incident.io"
	@echo "make test             codegen drift check, lint, type check and the test suite"
	@echo "make test-upstream    the upstream round trip: a newer spec refreshed, regenerated,"
	@echo "                      tested and used against the fake in a copy (CI runs both)"
	@echo "make generate         regenerate generated/ from openapi/*.yaml"
	@echo "make check-generated  fail if generated/ is not what the specs produce"
	@echo "make refresh-specs    re-vendor openapi/*.yaml from SOURCE (URLs or files; default upstream)"
	@echo "make check-upstream   drift report: what refresh-specs would change, breaking or"
	@echo "                      additive (exit 1 on breaking drift; FAIL_ON=any: on any drift)"
	@echo "make lint             ruff check and ruff format --check"
	@echo "make bench            benchmarks against the official SDK; writes BENCHMARKS.md"

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_INSTALLED)

# redis-server for the tests of the Redis rate limiter (they start their own, on loopback).
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y -q redis-server >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q redis-server; }; }
	@redis-server --version

generate: $(INSTALLED)
	$(BIN)/python scripts/generate.py

check-generated: $(INSTALLED)
	$(BIN)/python scripts/generate.py --check

refresh-specs: $(INSTALLED)
	$(BIN)/python scripts/refresh_specs.py $(QUOTED_SOURCE)

check-upstream: $(INSTALLED)
	$(BIN)/python scripts/refresh_specs.py --check --fail-on '$(FAIL_ON)' $(QUOTED_SOURCE)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy
	$(BIN)/mypy --strict tests/typecheck/user_code.py tests/typecheck/wrapper_library.py \
		tests/typecheck/webhook_handlers.py
	$(BIN)/mypy --strict scripts/refresh_specs.py

# The upstream round trip (tests marked `upstream`, a minute or more) is its own step: CI runs
# it beside `make test`, on every run. A plain `pytest` runs everything.
test: system-deps check-generated lint typecheck
	$(BIN)/pytest -n auto --maxprocesses 4 -m "not upstream"

test-upstream: $(INSTALLED)
	$(BIN)/pytest -m upstream tests/test_upstream_round_trip.py

# The demo needs only the package and its command: no development toolchain.
$(DEMO_INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(DEMO_INSTALLED)

demo: $(DEMO_INSTALLED)
	$(BIN)/incidentio-async demo

# A few minutes: pagination, parsing, memory, import time, CPU per request (and where it goes),
# telemetry, webhooks, the rate-limit and the export benchmarks.
bench: system-deps $(BENCH_INSTALLED)
	$(BIN)/python scripts/bench.py

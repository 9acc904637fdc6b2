# Every target sets itself up: a fresh machine needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install generate check-generated lint typecheck test

help:
	@echo "make demo             run the demo against the embedded fake incident.io"
	@echo "make test             codegen drift check, lint, type check and the test suite"
	@echo "make generate         regenerate generated/ from openapi/*.yaml"
	@echo "make check-generated  fail if generated/ is not what the specs produce"
	@echo "make lint             ruff check and ruff format --check"

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

generate: $(INSTALLED)
	$(BIN)/python scripts/generate.py

check-generated: $(INSTALLED)
	$(BIN)/python scripts/generate.py --check

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy

test: check-generated lint typecheck
	$(BIN)/pytest

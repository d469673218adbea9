# The two quick-start commands: `make run` and `make test`. Each does all its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## run: install, then serve the help center on http://127.0.0.1:5000 (the desk at /desk/;
##      the first run creates admin@localhost and prints its generated password)
run: $(VENV)/.installed
	$(BIN)/deflect db upgrade
	$(BIN)/deflect index
	$(BIN)/deflect users demo-admin
	$(BIN)/deflect serve --host 127.0.0.1 --port 5000

## system-deps: Debian packages the tests need (a real browser, a real PostgreSQL)
system-deps:
	bash scripts/system-deps.sh

## test: install everything the tests need, then lint and run the whole suite (the ticket
##       tests run on SQLite and again on a throw-away local PostgreSQL) in two processes,
##       each test file in one of them (23 → 14 minutes on 2 cores)
test: $(VENV)/.installed-test system-deps
	$(BIN)/ruff check .
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -n 2 --dist loadfile

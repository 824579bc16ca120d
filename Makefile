# Parley: `make run` serves the bundled fixtures, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check reload clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# the locked versions (with their hashes), then Parley itself on top of them
$(STAMP): pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/parley fixtures check $${PARLEY_FIXTURES:-fixtures}
	$(BIN)/parley serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/parley fixtures check fixtures --strict

# tell the server of these PARLEY_* settings (make run's) to serve the changed fixtures
reload: $(STAMP)
	$(BIN)/parley reload

# Regenerate the lock files from pyproject.toml: pins that still fit are kept;
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release that fits.
LOCK_FLAGS ?=
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra test --output-file requirements-test.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# Parley: `make run` serves the bundled fixtures, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check reload clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/parley fixtures check $${PARLEY_FIXTURES:-fixtures}
	$(BIN)/parley serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/parley fixtures check fixtures --seeds ../shared/seeds

# tell the server of these PARLEY_* settings (make run's) to serve the changed fixtures
reload: $(STAMP)
	$(BIN)/parley reload

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site test test-fast lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: briefgen's own modules as bytecode, as pip does for installed packages (an editable install is
# imported from the source tree, and with PYTHONDONTWRITEBYTECODE set every command compiled them again).
# What building needs ...
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q briefgen
	touch $(STAMP)

# ... and what testing and benchmarking add (pytest, ruff, mypy, Playwright, ROUGE)
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m compileall -q bench
	touch $(TEST_STAMP)

install: $(STAMP)

site: $(STAMP)
	$(BIN)/briefgen build --demo -o site

# everything: lint, types, and every test (browser tests included)
test: $(TEST_STAMP) lint
	bash tests/setup-browser.sh
	$(BIN)/python -m pytest -q

# the inner loop: no slow or browser tests (under a minute on 2 cores)
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(TEST_STAMP)
	$(BIN)/ruff check briefgen tests bench
	$(BIN)/ruff format --check briefgen tests bench
	$(BIN)/python tests/mypy_baseline.py

bench: $(TEST_STAMP)
	$(BIN)/python bench/quotes_eval.py
	$(BIN)/python bench/summary_eval.py
	$(BIN)/python bench/perf.py --sizes 100 300 1000

clean:
	rm -rf site

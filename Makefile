# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: briefgen's own modules as bytecode, as pip does for installed packages (an editable install is
# imported from the source tree, and with PYTHONDONTWRITEBYTECODE set every command compiled them again).
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m compileall -q briefgen bench
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(BIN)/briefgen build seeds -o site

test: $(STAMP)
	bash tests/setup-browser.sh
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/quotes_eval.py
	$(BIN)/python bench/summary_eval.py
	$(BIN)/python bench/perf.py --sizes 100 300 1000

clean:
	rm -rf site

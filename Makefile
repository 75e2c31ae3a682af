# hanlink: `make demo` annotates the sample article, `make test` runs the test suite.
# Both create the virtual environment .venv on first use (idempotent: it is rebuilt
# only when setup.cfg or pyproject.toml change).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hanlink-installed

.PHONY: install demo test contract notebooks clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hanlink annotate data/samples/kiep-2018-10-30.txt --format table --quiet

test: $(STAMP)
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python notebooks/nbtool.py run

contract: $(STAMP)
	$(BIN)/python ../shared/tools/check_contract.py $(BIN)/hanlink

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

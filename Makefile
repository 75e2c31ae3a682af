# hanlink: `make demo` annotates the sample article, `make test` runs the test suite.
# Both create the virtual environment .venv on first use (idempotent: it is rebuilt
# only when setup.cfg or pyproject.toml change).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hanlink-installed

.PHONY: install review-env demo test contract notebooks clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Label Studio and Datasette (setup.cfg's [review] extra) in an environment of their own, .venv-review:
# Label Studio pins Django, pyarrow<25 and more, which must not touch .venv. The tests reach both over
# HTTP (tests/test_review_label_studio.py, tests/test_review_datasette.py). pip's cache keeps a rebuild short.
REVIEW_VENV ?= .venv-review
REVIEW_BIN := $(REVIEW_VENV)/bin
REVIEW_STAMP := $(REVIEW_VENV)/.hanlink-review-installed

$(REVIEW_STAMP): setup.cfg
	$(PYTHON) -m venv $(REVIEW_VENV)
	$(REVIEW_BIN)/python -m pip install --quiet --upgrade pip
	$(REVIEW_BIN)/python -c "import configparser; c = configparser.ConfigParser(); c.read('setup.cfg'); \
		print(c['options.extras_require']['review'])" > $(REVIEW_VENV)/requirements.txt
	$(REVIEW_BIN)/python -m pip install --quiet -r $(REVIEW_VENV)/requirements.txt
	touch $(REVIEW_STAMP)

review-env: $(REVIEW_STAMP)

demo: $(STAMP)
	$(BIN)/hanlink annotate data/samples/kiep-2018-10-30.txt --format table --quiet

test: $(STAMP) $(REVIEW_STAMP)
	HANLINK_LABEL_STUDIO=$(abspath $(REVIEW_BIN))/label-studio HANLINK_DATASETTE=$(abspath $(REVIEW_BIN))/datasette \
		$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python notebooks/nbtool.py run

contract: $(STAMP)
	$(BIN)/python ../shared/tools/check_contract.py $(BIN)/hanlink

clean:
	rm -rf $(VENV) $(REVIEW_VENV) build *.egg-info .pytest_cache .hypothesis

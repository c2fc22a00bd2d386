# journeytools — two commands:
#   make          set everything up (.venv, system packages, npm) and build the example reports
#   make test     run the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
REPORTS ?= out/reports

.PHONY: all setup system-deps lab lint test test-fast examples gallery slides bench spark clean

all: setup examples

setup: $(STAMP) node_modules/.installed

system-deps:
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: Mermaid parser tests will be skipped"; fi

examples: setup
	@for ws in workshops/*/; do $(BIN)/journeytools validate $$ws || exit 1; done
	@for ws in workshops/*/; do name=$$(basename $$ws); \
	  $(BIN)/journeytools report $$ws -o $(REPORTS)/$$name --format html,pdf || exit 1; done
	@echo "Example reports:"; for f in $(REPORTS)/*/index.html; do echo "  $$(pwd)/$$f"; done
	@echo "Open the guided notebooks in JupyterLab: make lab   (or: $(BIN)/journeytools lab workshops/luggage-store)"

lab: setup
	$(BIN)/journeytools lab $(or $(WORKSHOP),workshops/luggage-store) $(LAB_ARGS)

test: setup lint
	$(BIN)/python -m pytest -n $(JOBS) -q

lint: setup
	$(BIN)/ruff check journeytools tests benchmarks
	$(BIN)/mypy

test-fast: setup
	$(BIN)/python -m pytest -n $(JOBS) -q -m "not slow"

gallery: setup
	$(BIN)/python -m journeytools.charts.gallery docs/gallery
	$(BIN)/python scripts/gallery_blueprint.py docs/gallery  # HTML blueprint (Chromium), current vs future

slides: setup
	bash scripts/preview-slides.sh out/slides

bench: setup
	$(BIN)/python benchmarks/run.py

spark: setup
	command -v java >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq --no-install-recommends default-jre-headless)
	$(BIN)/python -m pip install --quiet -e '.[spark]'
	$(BIN)/python -m pytest -q -rs tests/evidence/test_spark.py tests/evidence/test_spark_cli.py

clean:
	rm -rf $(VENV) node_modules out .pytest_cache .hypothesis

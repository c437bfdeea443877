# Set-up and entry points. Each target installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# torch is pinned: an unpinned torch pulls gigabytes of CUDA packages.
TORCH = torch==2.13.0

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# WordNet (for EDA) goes into the venv (python -m textaug.wordnet install tells which way it
# took); the recipe says what it is about to install before it runs.
WORDNET_NOTE = Installing WordNet (for the EDA synonyms) into $(VENV): a WordNet nltk already \
finds is kept; else Debian's WordNet files are copied, after apt-get install wordnet-base \
wordnet-sense-index when they are missing and this runs as root; else nltk downloads it.

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@echo "$(WORDNET_NOTE)"
	$(BIN)/python -m textaug.wordnet install
	touch $@

# Chromium renders the HTML report in a test (skipped where there is none); the recipe
# installs Debian's package when it is missing, as root with apt-get, and says so first.
CHROMIUM_NOTE = Installing Debian's chromium package (headless browser; a test renders the \
HTML report in it) with apt-get.
CHROMIUM_MISSING = chromium not found and not installable here (needs root and apt-get): \
the HTML report's browser test will be skipped.

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q $(TORCH) -e '.[dev]'
	@echo "$(WORDNET_NOTE)"
	$(BIN)/python -m textaug.wordnet install
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "$(CHROMIUM_NOTE)"; \
		apt-get update -qq && apt-get install -y -qq chromium; \
	else echo "$(CHROMIUM_MISSING)"; fi
	touch $@ $(VENV)/.core

demo: $(VENV)/.core
	$(BIN)/textaug augment textaug/data/projects.csv -o out/projects_augmented.csv \
		--text-column text --label-column tags --key-column id --tf swap_aliases \
		--n-per-original 5 --keep-original --seed 0

test: $(VENV)/.dev
	$(BIN)/ruff check textaug tests benchmarks lexicons notebooks
	$(BIN)/mypy textaug
	$(BIN)/python -m pytest

# DATA defaults to Made With ML's projects.json beside this checkout; where it is missing the
# benchmark falls back to the bundled textaug/data/projects.csv (and says so).
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/alias_swap.py $(or $(DATA),../shared/data/madewithml/projects.json)

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache

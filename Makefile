# Threadline: the two commands of the README, and what they need.
#   make demo   set everything up, then run the demo on the embedded SQLite store
#   make test   set everything up, then run the whole test suite (what CI runs)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck unit setup clean browser-deps

setup: $(STAMP)

VENDOR := src/threadline/web/static/vendor

$(STAMP): requirements.lock pyproject.toml frontend/package-lock.json
	@command -v $(PYTHON) >/dev/null || { echo "Threadline needs $(PYTHON) on the PATH"; exit 1; }
	@command -v npm >/dev/null || { echo "Threadline needs npm (Node.js) to fetch its browser libraries"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	npm ci --prefix frontend --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js frontend/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	cp frontend/node_modules/world-atlas/countries-110m.json $(VENDOR)/
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/threadline demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

unit: $(STAMP) browser-deps
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-artifacts

# The registry's two set-up commands, on a machine with Python 3.11+ and nothing else:
#   make site   - install the pinned build tools into .venv and build the site into public/
#   make test   - install the pinned test tools too, then lint, type-check and run every test
# Everything is installed from requirements/*.lock, so two builds a year apart match.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: site serve test lint bench lock clean

$(VENV)/.site-installed: requirements/site.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-virtualenv -r requirements/site.lock
	$(PIP) install --require-virtualenv --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock $(VENV)/.site-installed
	$(PIP) install --require-virtualenv -r requirements/dev.lock
	touch $@

site: $(VENV)/.site-installed
	$(BIN)/socialmission validate
	$(BIN)/socialmission build

serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/zizmor --offline --min-severity medium .github/
	$(BIN)/socialmission schema --check
	$(BIN)/socialmission template --check

test: lint
	$(BIN)/pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_validate.py

# Re-pin every dependency from requirements/*.in, in throw-away environments.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements/site.in
	.lock-venv/bin/python -m pip freeze --all | grep -vE '^(pip|wheel)==' \
	    | sed '1i # Pinned by `make lock` from site.in. Do not edit by hand.' > requirements/site.lock
	.lock-venv/bin/python -m pip install --quiet -r requirements/dev.in
	.lock-venv/bin/python -m pip freeze --all | grep -vE '^(pip|wheel)==' \
	    | sed '1i # Pinned by `make lock` from dev.in (a superset of site.lock).' > requirements/dev.lock
	rm -rf .lock-venv

clean:
	rm -rf public .cache .pytest_cache .mypy_cache .ruff_cache

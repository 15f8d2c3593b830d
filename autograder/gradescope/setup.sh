#!/usr/bin/env bash
# Gradescope image build: runs once, as root, in /autograder/source (the unpacked autograder zip).
# Installs a CPU-only torch (not the multi-GB CUDA build), the grader's dependencies and a verified
# Fashion-MNIST, so that grading itself never touches the network.
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip > /dev/null
python3 -m venv /autograder/venv
PIP="/autograder/venv/bin/pip"
"$PIP" install -q --upgrade pip
"$PIP" install -q --index-url https://download.pytorch.org/whl/cpu -c constraints.txt torch torchvision
"$PIP" install -q -c constraints.txt numpy torchsummary pyyaml matplotlib tqdm
# Fashion-MNIST: the Debian/Ubuntu package when the distribution has it, else torchvision's download.
cd /autograder/source
apt-get install -y -qq dataset-fashion-mnist > /dev/null 2>&1 || true
PYTHONPATH=/autograder/source /autograder/venv/bin/python -m autograder data --install

# NormLab: the two commands of the README.
#   make lab    builds, installs the Java kernel into .venv, fetches Fashion-MNIST, opens JupyterLab on notebooks/
#   make test   the same set-up, then unit tests and every notebook executed headless at smoke scale
SHELL := /bin/bash
VENV ?= $(or $(NORMLAB_VENV),.venv)
LAB_ARGS ?=
export NORMLAB_VENV := $(VENV)

.PHONY: lab test bootstrap build notebooks bench clean help

help:
	@echo "make lab   - set everything up and open JupyterLab on notebooks/"
	@echo "make test  - set everything up, run the unit tests and execute every notebook at smoke scale"
	@echo "make notebooks - re-execute notebooks/ in place at NORMLAB_SCALE (default: default) to refresh committed outputs"
	@echo "                 (NOTEBOOKS=notebooks/02-*.ipynb for some of them)"
	@echo "make bench - NormLab vs PyTorch (CPU, 2 threads): BN/LN/GN kernels, a LeNet-BN epoch, memory bandwidth; writes BENCHMARKS.md"
	@echo "make clean - remove target/ and build/ (keeps .venv and the data cache)"

bootstrap:
	@scripts/bootstrap.sh

lab: bootstrap
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" $(VENV)/bin/jupyter lab --notebook-dir=notebooks \
	  $$( [ "$$(id -u)" -eq 0 ] && echo --allow-root ) $(LAB_ARGS)

test: bootstrap
	@scripts/test.sh

notebooks: bootstrap
	rm -rf build/notebook-results
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" NORMLAB_SCALE=$${NORMLAB_SCALE:-default} NORMLAB_RESULTS="$(CURDIR)/build/notebook-results" \
	  $(VENV)/bin/python scripts/run_notebooks.py --out notebooks $(or $(NOTEBOOKS),notebooks/*.ipynb)

bench:
	@scripts/bench.sh

build:
	JAVA_HOME="$$(scripts/find-jdk.sh)" mvn -B -ntp -q package -DskipTests

clean:
	rm -rf target build

# NormLab: the two commands of the README.
#   make lab    builds, installs the Java kernel into .venv, fetches Fashion-MNIST, opens JupyterLab on notebooks/
#   make test   the same set-up, then unit tests and every notebook executed headless at smoke scale
SHELL := /bin/bash
VENV ?= $(or $(NORMLAB_VENV),.venv)
LAB_ARGS ?=
export NORMLAB_VENV := $(VENV)

.PHONY: lab test bootstrap build spark cluster-test bench-spark data notebooks report atlas bench clean help

help:
	@echo "make lab   - set everything up and open JupyterLab on notebooks/"
	@echo "make test  - set everything up, run the unit tests and execute every notebook at smoke scale"
	@echo "make report - execute every notebook at NORMLAB_SCALE (default: default) into build/report/index.html:"
	@echo "              one page per notebook, figures as PNG and SVG, wall time and kernel peak memory, the claims table"
	@echo "              (REPORT_RESULTS=dir reuses a results cache; NOTEBOOKS=... for some of them; HIDE_CODE=1 leaves the"
	@echo "              code cells out of the pages; PDF=1 also prints each page to PDF with headless Chromium). Below the"
	@echo "              README's scale (smoke) every page says its verdicts are a preview, not evidence; opens offline"
	@echo "make notebooks - the same run, also writing the executed notebooks back into notebooks/ and the README"
	@echo "                 claims table: committed outputs and the README come from one run"
	@echo "make atlas - every notebook at full scale (NOTEBOOKS=... for some), resumable; each one's runs are packed into"
	@echo "             atlas/runs/ and its wall time and kernel peak into atlas/notebooks.json as it finishes; commit them"
	@echo "             (make report NORMLAB_SCALE=full then rebuilds every page from atlas/ without computing a run)"
	@echo "make bench - NormLab vs PyPI torch 2.x (glibc malloc and jemalloc; 2 and 1 threads): norm kernels, LeNet-BN and MLP epochs; writes BENCHMARKS.md"
	@echo "make spark - build the Spark engine (spark/target/normlab-spark.jar; README: Running sweeps on a cluster)"
	@echo "make cluster-test - a real Spark standalone cluster on 127.0.0.1 (master + 2 workers): local vs cluster bit for"
	@echo "                    bit, a worker killed mid-sweep, every run stored once (part of make test)"
	@echo "make bench-spark - the same sweep on the local engine and on a cluster of 1 and 2 workers; per-task overhead"
	@echo "make data  - make sure Fashion-MNIST is there (Debian's dataset-fashion-mnist, else the official download)"
	@echo "make clean - remove target/ and build/ (keeps .venv and the data cache)"

bootstrap:
	@scripts/bootstrap.sh

lab: bootstrap
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" $(VENV)/bin/jupyter lab --notebook-dir=notebooks \
	  $$( [ "$$(id -u)" -eq 0 ] && echo --allow-root ) $(LAB_ARGS)

test: bootstrap
	@scripts/test.sh

# One runner for both (scripts/report.py): fresh results unless REPORT_RESULTS, SVG figures for papers, README block.
REPORT = JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" $(VENV)/bin/python scripts/report.py \
  --scale $${NORMLAB_SCALE:-default} $(if $(REPORT_RESULTS),--results "$(REPORT_RESULTS)") \
  $(if $(filter 1 yes true,$(HIDE_CODE)),--hide-code) $(if $(filter 1 yes true,$(PDF)),--pdf) $(NOTEBOOKS)

report: bootstrap
	$(REPORT)

notebooks: bootstrap
	$(REPORT) --write-back notebooks

# Full scale, one notebook at a time, resumable; runs packed into atlas/ after each (scripts/atlas.py). Commit as they land.
atlas: bootstrap
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" $(VENV)/bin/python scripts/atlas.py run $(NOTEBOOKS)

bench:
	@scripts/bench.sh

build:
	JAVA_HOME="$$(scripts/find-jdk.sh)" mvn -B -ntp -q package -DskipTests

# The Spark engine compiles against this checkout's target/normlab.jar (spark/pom.xml).
spark: build
	JAVA_HOME="$$(scripts/find-jdk.sh)" mvn -B -ntp -q -f spark/pom.xml package -DskipTests

cluster-test: bootstrap spark
	@JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter" $(VENV)/bin/python scripts/cluster_test.py

bench-spark: spark
	@scripts/bench-spark.sh

data: build
	@scripts/ensure-data.sh "$$(scripts/find-jdk.sh)"

clean:
	rm -rf target build

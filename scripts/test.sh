#!/usr/bin/env bash
# `make test` after the bootstrap: the JUnit suite (mvn install = verify + ~/.m2), the Spark engine's (spark/) with
# its real-cluster test, then pytest: every notebook executed headless with the real JJava kernel at smoke scale
# (executed copies land in build/notebooks; committed notebooks stay untouched), the Binder config check
# (tests/config) and the quickstart in JupyterLab in headless Chromium (tests/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk-env.sh
export JUPYTER_PATH="$PWD/${NORMLAB_VENV:-.venv}/share/jupyter" NORMLAB_SCALE=${NORMLAB_SCALE:-smoke}

# Notebooks and CLI tests compute every run afresh: no results stored by an earlier session are reused.
export NORMLAB_RESULTS="$PWD/build/test-results"
rm -rf "$NORMLAB_RESULTS" build/studies

# Debian tools the checks need: shellcheck (Binder scripts) and chromium (the browser test; Playwright never
# downloads a browser of its own). Installed only when missing; where that cannot be done, the tests that need them
# fail with a message saying so, and the others still run.
scripts/ensure-apt.sh shellcheck=shellcheck chromium=chromium || echo "test: continuing without them" >&2

mvn -B -ntp install
# The Spark engine (spark/, against the jar just built), then a real standalone cluster on 127.0.0.1: local vs cluster
# bit for bit, a worker killed mid-sweep (scripts/cluster_test.py; Spark itself comes from scripts/ensure-spark.sh).
# A failure there still lets the notebooks run; the exit status reports it.
cluster=0
{ mvn -B -ntp -f spark/pom.xml verify && "${NORMLAB_VENV:-.venv}/bin/python" scripts/cluster_test.py; } || cluster=$?
# mvn install (verify, then the jar into ~/.m2 for the README's %maven line) rebuilt the jar the kernel loads; the kernelspec points at it, so the notebooks test this build.
"${NORMLAB_VENV:-.venv}/bin/python" -m pytest -v -p no:cacheprovider tests
exit "$cluster"

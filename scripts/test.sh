#!/usr/bin/env bash
# `make test` after the bootstrap: the JUnit suite (mvn verify), then every notebook executed headless with the
# real JJava kernel at smoke scale. Executed copies land in build/notebooks; committed notebooks stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk-env.sh
export JUPYTER_PATH="$PWD/${NORMLAB_VENV:-.venv}/share/jupyter" NORMLAB_SCALE=${NORMLAB_SCALE:-smoke}

# Notebooks and CLI tests compute every run afresh: no results stored by an earlier session are reused.
export NORMLAB_RESULTS="$PWD/build/test-results"
rm -rf "$NORMLAB_RESULTS" build/studies

mvn -B -ntp verify
# mvn verify rebuilt the jar the kernel loads; the kernelspec points at it, so the notebooks test this build.
"${NORMLAB_VENV:-.venv}/bin/python" -m pytest -v -p no:cacheprovider tests

#!/usr/bin/env bash
# Prints the home of an Apache Spark distribution (bin/spark-class, bin/spark-submit, jars/) for the Spark engine and
# the cluster test; installs it the first time: PyPI's pyspark, which ships the whole JVM side, into a venv of its own
# in the user cache (kept across `make clean` and fresh clones, like Fashion-MNIST). Only `make cluster-test`,
# `make bench-spark` and bin/normlab-spark call this: `make lab` and the notebooks never need Spark.
# The version must be the one spark/pom.xml compiles against.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' spark/pom.xml)
[ -n "$version" ] || { echo "ensure-spark: no <spark.version> in spark/pom.xml" >&2; exit 1; }
cache=${NORMLAB_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/normlab}
venv="$cache/spark-$version"

# Found by path: importing pyspark would need py4j, which is not installed.
home() { local d; for d in "$venv"/lib/python3*/site-packages/pyspark; do [ -d "$d" ] && { echo "$d"; return 0; }; done; return 1; }

if [ -x "$venv/bin/python" ] && h=$(home) && [ -x "$h/bin/spark-class" ] && [ -f "$h/jars/spark-core_2.13-$version.jar" ]; then
  echo "$h"; exit 0
fi
python=""
for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11 python3.10; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    python=$candidate; break
  fi
done
[ -n "$python" ] || { echo "ensure-spark: pyspark $version needs Python 3.10+; none found (set PYTHON=...)" >&2; exit 1; }
echo "ensure-spark: installing pyspark $version (Spark's jars and launch scripts, ~450 MB) into $venv" >&2
rm -rf "$venv"
mkdir -p "$cache"
"$python" -m venv "$venv" >&2 || { echo "ensure-spark: '$python -m venv' failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
# Only the JVM side is used: no py4j or pandas.
"$venv/bin/python" -m pip install --disable-pip-version-check -q --no-deps "pyspark==$version" >&2
h=$(home) || true
if [ -z "$h" ] || [ ! -x "$h/bin/spark-class" ]; then
  echo "ensure-spark: pyspark $version installed but $h/bin/spark-class is missing" >&2; exit 1
fi
echo "$h"

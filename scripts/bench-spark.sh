#!/usr/bin/env bash
# `make bench-spark`: the same sweep on the local engine and on a Spark standalone cluster of 1 and 2 workers on
# 127.0.0.1; per-task overhead and the predicted atlas wall time on N workers (scripts/bench_spark.py writes the
# bench-spark section of BENCHMARKS.md). Needs target/normlab.jar and spark/target/normlab-spark.jar (make spark).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench_spark.py "$@"

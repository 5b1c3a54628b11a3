#!/usr/bin/env bash
# `make bench`: NormLab's layer and training-step timings on this machine (a measurement, not a test).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk-env.sh
mvn -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java --enable-native-access=ALL-UNNAMED -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" org.normlab.bench.NormBench "$@"

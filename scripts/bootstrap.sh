#!/usr/bin/env bash
# Everything `make lab` and `make test` need, in order, each step idempotent and fast when already done:
# JDK >= 21, Maven, the jar (rebuilt only when sources changed), .venv with pinned packages, the `java`
# kernelspec wired to our JDK and jar, and Fashion-MNIST.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s%N)
step() { printf '== bootstrap: %s\n' "$*"; }

. scripts/jdk-env.sh
step "JDK $("$jdk/bin/java" -version 2>&1 | head -n1 | sed 's/.*version //') at $jdk"

if ! command -v mvn >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    step "installing Maven (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven >/dev/null; }
  else
    echo "bootstrap: Maven (mvn) is not on PATH; install it (apt-get install maven, brew install maven, conda install maven)." >&2
    exit 1
  fi
fi

if [ ! -f target/normlab.jar ] || [ ! -d target/lib ] || [ -n "$(find pom.xml src/main -newer target/normlab.jar -print -quit)" ]; then
  step "building target/normlab.jar"
  mvn -B -ntp -q package -DskipTests
else
  step "target/normlab.jar is up to date"
fi

scripts/venv.sh
scripts/install-kernel.sh "$jdk"
scripts/ensure-data.sh "$jdk"
awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "== bootstrap: done in %.1f s\n", (e - s) / 1e9 }'

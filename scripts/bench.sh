#!/usr/bin/env bash
# `make bench`: NormLab and PyTorch (CPU) side by side on this machine, same shapes, float32, same thread count,
# in one run; writes BENCHMARKS.md (generated: never edit it by hand). A measurement, not a test.
#   scripts/bench.sh [threads=2] [seconds per case=0.6]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
BUDGET="${2:-0.6}"

# PyTorch: Debian's python3-torch (CPU only, small), else pip's torch in build/bench-venv as a fallback.
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
    echo "bench: installing Debian's python3-torch" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy >/dev/null || true
  fi
fi
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "bench: no Debian torch; installing pip's torch into build/bench-venv" >&2
  [ -x build/bench-venv/bin/python ] || python3 -m venv build/bench-venv
  build/bench-venv/bin/python -c 'import torch, numpy' 2>/dev/null || build/bench-venv/bin/pip install -q torch numpy
  PY=build/bench-venv/bin/python
fi
echo "bench: PyTorch $("$PY" -c 'import torch; print(torch.__version__)') from $("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')"

. scripts/jdk-env.sh
# package (tests compiled, not run): the jar is what ensure-data.sh runs to find, install or fetch Fashion-MNIST,
# which the LeNet-BN epoch trains on; a fresh machine has none of it.
mvn -B -ntp -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
scripts/ensure-data.sh "$jdk"
mkdir -p build/bench
echo "bench: NormLab ($THREADS kernel threads)"
# The kernel's heap (scripts/install-kernel.sh, NORMLAB_KERNEL_HEAP): NormLab as the notebooks run it. Without a cap
# the JVM takes a quarter of the machine's memory, grows its young generation while a training loop that reuses its
# buffers allocates little, and lands each new batch on never-touched pages (~10 µs each on a VM).
java -Xmx"${NORMLAB_KERNEL_HEAP:-1g}" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  org.normlab.bench.NormBench build/bench/normlab.tsv "$THREADS" "$BUDGET"
DATA_DIR="$(sed -n 's/^#data\t//p' build/bench/normlab.tsv)"
echo "bench: PyTorch ($THREADS threads)"
"$PY" scripts/bench/torch_bench.py build/bench/torch.tsv "$THREADS" "$BUDGET" "$DATA_DIR"
"$PY" scripts/bench/report.py build/bench/normlab.tsv build/bench/torch.tsv BENCHMARKS.md
echo "bench: wrote BENCHMARKS.md"

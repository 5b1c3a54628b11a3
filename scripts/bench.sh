#!/usr/bin/env bash
# `make bench`: NormLab and PyTorch (CPU) side by side on this machine, same shapes, float32, same thread count,
# in one run; writes BENCHMARKS.md (generated: never edit it by hand). A measurement, not a test.
#   scripts/bench.sh [threads=2] [seconds per case=0.6]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
BUDGET="${2:-0.6}"

# PyTorch: the pinned official build from PyPI in build/bench-venv, installed once (again only when the pin changes).
# PyPI serves only the CUDA build for Linux (≈ 5 GB with its nvidia-* packages); with --no-deps it does not import
# (torch/__init__.py preloads libcudart and cuBLAS), so the whole wheel set is installed. It runs on the CPU here.
TORCH_PIN=2.15.0
VENV=build/bench-venv
PY="$VENV/bin/python"
if ! "$PY" -c "import torch, numpy, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_PIN')" 2>/dev/null; then
  echo "bench: installing torch==$TORCH_PIN from PyPI into $VENV (once; a few minutes)" >&2
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "torch==$TORCH_PIN" numpy
fi
echo "bench: PyTorch $("$PY" -c 'import torch; print(torch.__version__)') from $("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')"

# jemalloc (Debian's libjemalloc2), preloaded for the second PyTorch run only: the allocator PyTorch's CPU
# performance guide recommends, so that column is torch as a user who tunes it runs it.
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ ! -e "$JEMALLOC" ] && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  echo "bench: installing Debian's libjemalloc2" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjemalloc2 >/dev/null || true
fi
[ -e "$JEMALLOC" ] || { echo "bench: $JEMALLOC missing (apt-get install libjemalloc2); the jemalloc column stays empty" >&2; JEMALLOC=""; }

. scripts/jdk-env.sh
# package (tests compiled, not run): the jar is what ensure-data.sh runs to find, install or fetch Fashion-MNIST,
# which the LeNet-BN epoch trains on; a fresh machine has none of it.
mvn -B -ntp -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
scripts/ensure-data.sh "$jdk"
mkdir -p build/bench
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
# Each side at THREADS threads, then at 1 thread (a sweep that runs several runs at once gives each one thread).
for t in "$THREADS" 1; do
  echo "bench: NormLab ($t kernel threads)"
  # The kernel's heap (scripts/install-kernel.sh, NORMLAB_KERNEL_HEAP): NormLab as the notebooks run it. Without a
  # cap the JVM takes a quarter of the machine's memory, grows its young generation while a training loop that
  # reuses its buffers allocates little, and lands each new batch on never-touched pages (~10 µs each on a VM).
  java -Xmx"${NORMLAB_KERNEL_HEAP:-1g}" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "$CP" \
    org.normlab.bench.NormBench "build/bench/normlab-$t.tsv" "$t" "$BUDGET"
  DATA_DIR="$(sed -n 's/^#data\t//p' "build/bench/normlab-$t.tsv")"
  echo "bench: PyTorch ($t threads, glibc malloc)"
  "$PY" scripts/bench/torch_bench.py "build/bench/torch-$t.tsv" "$t" "$BUDGET" "$DATA_DIR"
  rm -f "build/bench/torch-jemalloc-$t.tsv"
  if [ -n "$JEMALLOC" ]; then
    echo "bench: PyTorch ($t threads, jemalloc)"
    LD_PRELOAD="$JEMALLOC" "$PY" scripts/bench/torch_bench.py "build/bench/torch-jemalloc-$t.tsv" "$t" "$BUDGET" "$DATA_DIR"
  fi
done
"$PY" scripts/bench/report.py BENCHMARKS.md build/bench "$THREADS"
echo "bench: wrote BENCHMARKS.md"

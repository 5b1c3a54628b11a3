#!/usr/bin/env bash
# NormLab against itself: the same NormBench cases (norm kernels, the LeNet-BN epoch) for two commits, run
# interleaved A B, B A, A B, … in one session so that the host's drift hits both alike; prints, per row, the best
# (minimum) time of each side over the rounds, their ratio B / A, which decides the flag (another process on the
# host only ever adds time, so the minimum is the estimate it disturbs least), and each round's own ratio. The
# memory-skeleton and copy rows run the same code on both sides: their ratios show how noisy the run was. A
# measurement, not a test: it changes nothing in the repository.
#   scripts/bench-ab.sh REV_A REV_B [rounds=3] [--no-lenet]      (BENCH_THREADS=1 for the one-thread table; default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/bench-ab.sh REV_A REV_B [rounds=3] [--no-lenet]" >&2; exit 2; }
A="$1" B="$2" ROUNDS="${3:-3}" LENET="${4:-}"
case "$ROUNDS" in ''|*[!0-9]*) echo "bench-ab: rounds must be a whole number, got '$ROUNDS'" >&2; exit 2;; esac
. scripts/jdk-env.sh
scripts/ensure-data.sh "$jdk" >/dev/null
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/a" 2>/dev/null; git worktree remove --force "$work/b" 2>/dev/null; rm -rf "$work"' EXIT
for side in a b; do
  rev=$([ "$side" = a ] && echo "$A" || echo "$B")
  git worktree add -q --detach "$work/$side" "$rev"
  echo "bench-ab: building $side = $(git rev-parse --short "$rev")" >&2
  (cd "$work/$side" && mvn -B -ntp -q package -DskipTests -Dcheckstyle.skip dependency:build-classpath \
     -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
done
for r in $(seq 1 "$ROUNDS"); do
  order="a b"; [ $((r % 2)) -eq 0 ] && order="b a"
  for side in $order; do
    echo "bench-ab: round $r, $side" >&2
    (cd "$work/$side" && java -Xmx"${NORMLAB_KERNEL_HEAP:-1g}" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
       -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
       org.normlab.bench.NormBench "$work/$side-$r.tsv" "${BENCH_THREADS:-2}" 0.6 $LENET >/dev/null)
  done
done
python3 - "$work" "$ROUNDS" "$(git rev-parse --short "$A")" "$(git rev-parse --short "$B")" <<'PY'
import statistics, sys
work, rounds, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def rows(side):
    out = {}
    for r in range(1, rounds + 1):
        for line in open(f"{work}/{side}-{r}.tsv"):
            if line.startswith("#"): continue
            f = line.rstrip("\n").split("\t")
            out.setdefault(" ".join(f[1:4]), []).append(float(f[4]))
    return out
ra, rb = rows("a"), rows("b")
print(f"{'row':<52} {'A ' + a + ' min ms':>16} {'B ' + b + ' min ms':>16} {'B / A':>7} {'median':>7}  per-round B / A")
slower, rows_compared, controls = 0, 0, []
for k in ra:
    if k not in rb or len(ra[k]) != len(rb[k]): continue
    ma, mb = min(ra[k]), min(rb[k])
    per_round = [y / x for x, y in zip(ra[k], rb[k])]
    ratio = mb / ma
    control = k.startswith("memory skeleton") or k.startswith("System.arraycopy")
    if control:
        controls.append(ratio)
        flag = "  (same code on both sides)"
    else:
        rows_compared += 1
        slower += ratio > 1.05
        flag = "  slower by more than 5%" if ratio > 1.05 else ""
    spread = " ".join(f"{x:.2f}" for x in per_round)
    print(f"{k:<52} {ma:>16.3f} {mb:>16.3f} {ratio:>7.3f} {statistics.median(per_round):>7.3f}  {spread}{flag}")
noise = max(abs(c - 1) for c in controls) if controls else float("nan")
print(f"bench-ab: {rounds} interleaved rounds; {slower} of {rows_compared} rows slower by more than 5% (best of each side); "
      f"the same-code rows differ by up to {noise:.0%}, the noise of this run")
PY

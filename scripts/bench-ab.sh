#!/usr/bin/env bash
# NormLab against itself: the same NormBench cases (norm kernels, the LeNet-BN epoch) for two commits, run
# interleaved A, B, A, B, … in one session so that the host's drift hits both alike; prints, per row, the median
# time of each and the ratio B / A. A measurement, not a test: it changes nothing in the repository.
#   scripts/bench-ab.sh REV_A REV_B [rounds=3] [--no-lenet]
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
  for side in a b; do
    echo "bench-ab: round $r, $side" >&2
    (cd "$work/$side" && java -Xmx"${NORMLAB_KERNEL_HEAP:-1g}" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
       -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
       org.normlab.bench.NormBench "$work/$side-$r.tsv" 2 0.6 $LENET >/dev/null)
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
print(f"{'row':<52} {'A ' + a + ' ms':>14} {'B ' + b + ' ms':>14} {'B / A':>7}")
slower = 0
for k in ra:
    if k not in rb: continue
    ma, mb = statistics.median(ra[k]), statistics.median(rb[k])
    ratio = mb / ma
    flag = "  slower by more than 5%" if ratio > 1.05 else ""
    slower += ratio > 1.05
    print(f"{k:<52} {ma:>14.3f} {mb:>14.3f} {ratio:>7.3f}{flag}")
print(f"bench-ab: {rounds} interleaved rounds; {slower} of {len([k for k in ra if k in rb])} rows slower by more than 5%")
PY

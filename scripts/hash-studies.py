#!/usr/bin/env python3
"""Hashes every study's smoke-scale result tables, so that a refactor can show it changed no number.

Runs `normlab study NAME --scale smoke` for each registered study (fresh results folder each time), then prints one
line per CSV the study wrote: `study/file sha256`. Columns that are not results are dropped before hashing: the run
key (a storage name, free to change with the cache-key format) and wall-clock times. Rows are hashed in file order.

    scripts/hash-studies.py                      # hash with target/normlab.jar, print
    scripts/hash-studies.py --out hashes.txt     # also write them
    scripts/hash-studies.py --check docs/decisions/study-hashes-smoke.txt   # exit 1 on any difference
"""
import argparse
import csv
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

NOT_RESULTS = {"key", "wall_s", "mean wall time per run (s)"}


def table_hash(path: Path) -> str:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        return hashlib.sha256(b"").hexdigest()
    keep = [i for i, name in enumerate(rows[0]) if name not in NOT_RESULTS]
    h = hashlib.sha256()
    for row in rows:
        h.update(("\x1f".join(row[i] if i < len(row) else "" for i in keep) + "\n").encode("utf-8"))
    return h.hexdigest()


def java() -> str:
    home = subprocess.run(["scripts/find-jdk.sh"], capture_output=True, text=True, check=True).stdout.strip()
    return str(Path(home) / "bin" / "java")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default="target/normlab.jar")
    ap.add_argument("--out", help="write the hashes to this file")
    ap.add_argument("--check", help="compare with this file; exit 1 on a difference")
    ap.add_argument("studies", nargs="*", help="studies to hash (default: every registered study)")
    args = ap.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    cmd = [java(), "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-jar", args.jar]
    names = args.studies or [line.split()[0] for line in subprocess.run(
        cmd + ["list"], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.strip()]
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            out = Path(tmp) / name
            env = dict(os.environ, NORMLAB_SCALE="smoke")
            r = subprocess.run(cmd + ["study", name, "--scale", "smoke", "--out", str(out), "--threads", "2"],
                               capture_output=True, text=True, env=env)
            if r.returncode != 0:
                print(f"hash-studies: study {name} failed (exit {r.returncode}):\n{r.stderr[-2000:]}", file=sys.stderr)
                return 2
            for csv_file in sorted(out.glob("*.csv")):
                lines.append(f"{name}/{csv_file.name} {table_hash(csv_file)}")
            print(f"hash-studies: {name} done", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        Path(args.out).write_text(text)
    if args.check:
        want = dict(l.rsplit(" ", 1) for l in Path(args.check).read_text().split("\n") if l.strip())
        got = dict(l.rsplit(" ", 1) for l in lines)
        if args.studies:  # a partial run is checked against those studies only
            want = {k: v for k, v in want.items() if k.split("/", 1)[0] in names}
        bad = [k for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
        for k in bad:
            print(f"hash-studies: {k}: expected {want.get(k, '(absent)')}, got {got.get(k, '(absent)')}", file=sys.stderr)
        print(f"hash-studies: {len(got) - len([k for k in bad if k in got])} of {len(want)} tables identical", file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

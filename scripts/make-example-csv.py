#!/usr/bin/env python3
"""Writes docs/examples/three-blobs.csv: 300 rows, features x1..x4, label 0..2 (three overlapping Gaussian blobs),
the same bytes on every run (seeded stdlib random). The own-data example of README "Use NormLab in your own notebook"."""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "examples" / "three-blobs.csv"
CENTRES = [(0.0, 0.0, 5.0, -2.0), (2.0, 1.0, 3.0, 0.0), (0.5, 2.5, 4.0, 2.0)]
rng = random.Random(20261203)
rows = ["x1,x2,x3,x4,label"]
for i in range(300):
    label = i % 3
    rows.append(",".join(f"{c + rng.gauss(0, 1.0):.4f}" for c in CENTRES[label]) + f",{label}")
OUT.write_text("\n".join(rows) + "\n")
print(f"wrote {OUT} ({len(rows) - 1} rows)")

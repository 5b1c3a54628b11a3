#!/usr/bin/env python3
"""`make atlas`: every notebook at full scale, resumable, its runs kept compact in atlas/ and committed as they finish.

Usage: atlas.py run [NOTEBOOK...] [--again]     execute notebooks at full scale (default: every notebook not yet in
                                                the atlas at its current source), one at a time
       atlas.py unpack DIR                      extract every stored run of the atlas into DIR (a results folder)
       atlas.py status                          what the atlas holds: per notebook wall time, peak memory, date; size

How a run goes, per notebook: the runs already in atlas/runs/ are unpacked into the working results folder
(build/atlas/results, ATLAS_RESULTS overrides) unless it holds them already, so a fresh clone or another machine
resumes where the atlas stopped; the notebook runs top to bottom in a fresh kernel (scripts/report.py, scale full,
that results folder: a killed run resumes from the runs it stored); then every sweep folder is packed into
atlas/runs/<sweep>.tar.xz (sorted entries, no dates or owners, so the same runs give the same bytes and a rerun
replaces a file rather than adding one), the executed notebook is written back into notebooks/ and
atlas/notebooks.json records its wall time, kernel peak memory, status, date and source digest. Commit atlas/ and
the notebook then: the whole atlas may take several sessions and machines.

`make report NORMLAB_SCALE=full` rebuilds every page from the atlas without computing a run: report.py unpacks it
and sets NORMLAB_RESULTS_READONLY=1, so a run the atlas lacks is an error naming its sweep.
"""
import argparse
import hashlib
import io
import json
import lzma
import os
import subprocess
import sys
import tarfile
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ATLAS = Path(os.environ.get("NORMLAB_ATLAS") or ROOT / "atlas")  # another folder for tests or a private atlas
RUNS = ATLAS / "runs"
INDEX = ATLAS / "notebooks.json"
STORED = (".run.csv", ".points.csv")  # what a finished run consists of (claims and .part files are not results)


def source_digest(path):
    """SHA-256 of a notebook's code cells: a notebook whose code changed is not done, whatever its outputs say."""
    nb = nbformat.read(path, as_version=4)
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode("utf-8") + b"\x00")
    return h.hexdigest()


def pack_folder(folder):
    """The sweep folder's finished runs as deterministic tar.xz bytes (None when it holds none)."""
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.name.endswith(STORED))
    if not files:
        return None
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for f in files:
            data = f.read_bytes()
            info = tarfile.TarInfo(f"{folder.name}/{f.name}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return lzma.compress(raw.getvalue(), format=lzma.FORMAT_XZ, preset=6)


def pack(results):
    """Every sweep folder under results into atlas/runs/; returns the archives written or replaced."""
    RUNS.mkdir(parents=True, exist_ok=True)
    changed = []
    for folder in sorted(p for p in results.iterdir() if p.is_dir()):
        data = pack_folder(folder)
        if data is None:
            continue
        target = RUNS / f"{folder.name}.tar.xz"
        if target.exists() and target.read_bytes() == data:
            continue
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed.append(target)
    return changed


def unpack(into):
    """Extracts every archive of atlas/runs/ into `into` (a file that is there already is kept); the count of runs."""
    into.mkdir(parents=True, exist_ok=True)
    runs = 0
    for archive in sorted(RUNS.glob("*.tar.xz")):
        with tarfile.open(archive, mode="r:xz") as tar:
            for member in tar.getmembers():
                name = Path(member.name)
                if member.isfile() and len(name.parts) == 2 and name.name.endswith(STORED) and ".." not in name.parts:
                    target = into / name
                    if name.name.endswith(".run.csv"):
                        runs += 1
                    if target.exists():
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tmp = target.with_name(target.name + ".part")
                    tmp.write_bytes(tar.extractfile(member).read())
                    tmp.replace(target)
                else:
                    raise SystemExit(f"atlas: {archive.relative_to(ROOT)} holds {member.name!r}, expected <sweep>/<key>.run.csv "
                                     f"or .points.csv only")
    return runs


def load_index():
    return json.loads(INDEX.read_text()) if INDEX.exists() else {}


def save_index(index):
    ATLAS.mkdir(exist_ok=True)
    tmp = INDEX.with_suffix(".part")
    tmp.write_text(json.dumps(dict(sorted(index.items())), indent=2) + "\n")
    tmp.replace(INDEX)


def size_text():
    total = sum(p.stat().st_size for p in RUNS.glob("*.tar.xz"))
    return f"{len(list(RUNS.glob('*.tar.xz')))} sweep archives, {total / 1e6:.1f} MB"


def run(args):
    results = Path(os.environ.get("ATLAS_RESULTS", ROOT / "build" / "atlas" / "results"))
    out = ROOT / "build" / "atlas" / "report"
    index = load_index()
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    todo = [p for p in paths if args.again or args.notebooks or index.get(p.stem, {}).get("status") != "ok"
            or index[p.stem].get("source_sha256") != source_digest(p)]
    print(f"atlas: {len(todo)} of {len(paths)} notebooks to run at full scale; runs in {results}; {size_text()}", flush=True)
    if RUNS.exists():
        print(f"atlas: {unpack(results)} stored runs available in {results}", flush=True)
    failed = 0
    for path in todo:
        before = sum(1 for _ in results.rglob("*.run.csv")) if results.exists() else 0
        started = time.time()
        code = subprocess.call([sys.executable, str(ROOT / "scripts" / "report.py"), str(path), "--scale", "full", "--results", str(results),
                                "--out", str(out), "--write-back", args.write_back, "--readme", "never", "--timeout", str(args.timeout)])
        facts = json.loads((out / "report.json").read_text())["notebooks"][0]
        after = sum(1 for _ in results.rglob("*.run.csv"))
        changed = pack(results)
        index[path.stem] = {"status": facts["status"], "seconds": round(facts["seconds"], 1), "peak_mib": facts["peak_mib"] and round(facts["peak_mib"], 1),
                            "runs_computed": after - before, "finished": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "source_sha256": source_digest(path), "scale": "full"}
        save_index(index)
        print(f"atlas: {path.stem} {facts['status']} in {time.time() - started:.0f} s, {after - before} runs computed, "
              f"{len(changed)} archives written; {size_text()}. Commit {ATLAS.name}/ and the notebook now.", flush=True)
        if code != 0:
            failed += 1
    return 1 if failed else 0


def status(_args):
    index = load_index()
    total = 0.0
    for name, f in index.items():
        total += f.get("seconds") or 0
        print(f"{name:40s} {f['status']:7s} {f['seconds']:9.1f} s  peak {f['peak_mib']} MiB  {f['runs_computed']} runs  {f['finished']}")
    print(f"atlas: {len(index)} notebooks, {total / 3600:.2f} h of wall time recorded; {size_text()}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("notebooks", nargs="*")
    r.add_argument("--again", action="store_true", help="run notebooks the atlas already holds at their current source")
    r.add_argument("--timeout", type=int, default=6 * 3600, help="seconds per cell")
    r.add_argument("--write-back", default=str(ROOT / "notebooks"), help="where executed notebooks go (default: notebooks/)")
    r.set_defaults(func=run)
    u = sub.add_parser("unpack")
    u.add_argument("dir")
    u.set_defaults(func=lambda a: print(f"atlas: {unpack(Path(a.dir))} runs in {a.dir}") or 0)
    s = sub.add_parser("status")
    s.set_defaults(func=status)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

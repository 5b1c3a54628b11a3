#!/usr/bin/env python3
"""Execute notebooks headless with the real `java` (JJava) kernel.

Usage: run_notebooks.py NOTEBOOK... [--out DIR] [--timeout SECONDS]

Each notebook runs top to bottom in a fresh kernel; the executed copy (with outputs, and with the error if a cell
failed) is written to DIR (default build/notebooks), never over the source. Exit status 1 if any notebook failed.
Ends with a line `N passed, N failed`.
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "java"


def execute(path, out_dir, timeout=900):
    """Runs one notebook; returns (executed notebook, error message or None, seconds)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    start = time.monotonic()
    error = None
    try:
        client.execute()
    except CellExecutionError as e:
        error = str(e)
    except Exception as e:  # kernel died, timeout, no such kernel: all failures of this notebook
        error = f"{type(e).__name__}: {e}"
    seconds = time.monotonic() - start
    out = Path(out_dir) / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return nb, error, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default="build/notebooks")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    passed = failed = 0
    for nb_path in args.notebooks:
        _, error, seconds = execute(nb_path, args.out, args.timeout)
        if error:
            failed += 1
            print(f"FAILED {nb_path} ({seconds:.1f} s)\n{error}", flush=True)
        else:
            passed += 1
            print(f"ok     {nb_path} ({seconds:.1f} s)", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

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


def kernel_peak_mib(client):
    """Peak resident memory of the kernel process so far (Linux /proc VmHWM), in MiB; None where unknown."""
    try:
        pid = client.km.provisioner.pid
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (AttributeError, OSError, ValueError):
        pass
    return None


def execute(path, out_dir, timeout=900, stats=None):
    """Runs one notebook; returns (executed notebook, error message or None, seconds).

    If `stats` is a dict, it receives the kernel's peak memory ("peak_mib", read after every cell).
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    if stats is not None:
        def after_cell(**_):
            peak = kernel_peak_mib(client)
            if peak is not None:
                stats["peak_mib"] = max(stats.get("peak_mib", 0), peak)
        client.on_cell_complete = after_cell
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
        stats = {}
        _, error, seconds = execute(nb_path, args.out, args.timeout, stats)
        peak = f", kernel peak {stats['peak_mib']:.0f} MiB" if "peak_mib" in stats else ""
        if error:
            failed += 1
            print(f"FAILED {nb_path} ({seconds:.1f} s{peak})\n{error}", flush=True)
        else:
            passed += 1
            print(f"ok     {nb_path} ({seconds:.1f} s{peak})", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

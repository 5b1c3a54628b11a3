"""Every notebook under notebooks/ executed headless with the real JJava kernel (scale from NORMLAB_SCALE)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

import run_notebooks

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "notebooks"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_executed = {}


def executed(path):
    """Executes a notebook once per session and returns (notebook, error)."""
    if path not in _executed:
        nb, error, _ = run_notebooks.execute(path, OUT)
        _executed[path] = (nb, error)
    return _executed[path]


def outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def test_there_are_notebooks():
    assert any(p.name.startswith("00-quickstart") for p in NOTEBOOKS), NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path):
    nb, error = executed(path)
    assert error is None, error
    errors = [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not errors, errors
    assert (OUT / path.name).exists()


def test_quickstart_auto_displays_a_figure_and_a_table():
    path = next(p for p in NOTEBOOKS if p.name.startswith("00-quickstart"))
    nb, error = executed(path)
    assert error is None, error
    data = [o.get("data", {}) for o in outputs(nb) if o.get("output_type") in ("execute_result", "display_data")]
    pngs = [d["image/png"] for d in data if "image/png" in d]
    tables = [d["text/html"] for d in data if "<table" in d.get("text/html", "")]
    assert pngs, "no image/png output: the XChart renderer did not run"
    assert len(pngs[0]) > 10_000, "the PNG is suspiciously small"
    assert tables, "no HTML table output: the Tablesaw renderer did not run"


def test_a_failing_cell_fails_the_run(tmp_path):
    failing = ROOT / "tests" / "notebooks" / "fixtures" / "failing-cell.ipynb"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), str(failing), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "deliberately broken cell" in proc.stdout
    assert proc.stdout.strip().endswith("0 passed, 1 failed")
    # The executed copy keeps the error for the reader, and the source notebook is untouched.
    executed_copy = json.loads((tmp_path / failing.name).read_text())
    assert any(o.get("output_type") == "error" for c in executed_copy["cells"] for o in c.get("outputs", []))
    assert not any(c.get("outputs") for c in json.loads(failing.read_text())["cells"] if c["cell_type"] == "code")


def test_kernel_runs_on_jdk_21_or_newer_with_normlab_on_its_classpath():
    km, kc = start_new_kernel(kernel_name="java", startup_timeout=120)
    results = []

    def keep(msg):
        if msg["msg_type"] == "execute_result":
            results.append(msg["content"]["data"]["text/plain"])

    try:
        reply = kc.execute_interactive('Runtime.version().feature() + " " + org.normlab.NormLab.VERSION',
                                       timeout=120, output_hook=keep)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert results, "the kernel returned no value"
    feature, version = results[0].strip('"').split()
    assert int(feature) >= 21
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)

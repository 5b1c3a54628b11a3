"""Every notebook under notebooks/ executed headless with the real JJava kernel (scale from NORMLAB_SCALE)."""
import json
import os
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


def test_sweep_notebook_shows_progress_and_figures_by_auto_display():
    path = next(p for p in NOTEBOOKS if p.name.startswith("90-"))
    nb, error = executed(path)
    assert error is None, error
    displays = [o for o in outputs(nb) if o.get("output_type") == "display_data"]
    progress = [o for o in displays if "normlab-progress" in str(o.get("transient", {})) or "<progress" in o["data"].get("text/html", "")]
    assert progress, "no progress display"
    assert "runs" in progress[0]["data"]["text/plain"] and "done in" in progress[0]["data"]["text/plain"], progress[0]["data"]
    results = [o.get("data", {}) for o in outputs(nb) if o.get("output_type") == "execute_result"]
    assert sum("image/png" in d for d in results) >= 2
    # The card names its criterion's registration: declared before the runs, or changed after results (and why).
    verdicts = [d["text/html"] for d in results if re.search(r"criterion \((declared before the runs|changed after results)", d.get("text/html", ""))]
    assert verdicts and re.search(r"SUPPORTED|NOT SUPPORTED|INCONCLUSIVE", verdicts[0])
    specs = [d for d in results if d.get("text/plain", "").startswith("model ")]
    assert specs and "<th style=\"text-align:left\">model</th>" in specs[0].get("text/html", ""), "sweep.base() shows as a table of settings"


def run_cli(*args, **kwargs):
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    return subprocess.Popen([java, "--enable-native-access=ALL-UNNAMED", "-jar", str(ROOT / "target" / "normlab.jar"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def test_cli_gives_the_same_table_as_the_notebook(tmp_path):
    """The notebook 90 saved its report under build/studies/lr-grid-demo-<scale>; the CLI must produce the same table."""
    path = next(p for p in NOTEBOOKS if p.name.startswith("90-"))
    executed(path)
    scale = os.environ.get("NORMLAB_SCALE", "default")
    notebook_csv = ROOT / "build" / "studies" / f"lr-grid-demo-{scale}" / "results.csv"
    proc = run_cli("study", "lr-grid-demo", "--scale", scale, "--out", str(tmp_path / "cli"))
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out
    assert (tmp_path / "cli" / "results.csv").read_text() == notebook_csv.read_text()
    assert (tmp_path / "cli" / "train-loss-vs-lr.svg").exists() and (tmp_path / "cli" / "train-loss-vs-lr.png").exists()


def test_a_killed_cli_sweep_resumes_without_recomputing(tmp_path):
    """Kill `normlab study` after a few runs are stored, rerun it: stored runs are kept, the table equals an uninterrupted run's."""
    import time
    args = ["study", "lr-grid-demo", "--scale", "default", "--threads", "1"]
    runs = tmp_path / "killed" / "runs"
    proc = run_cli(*args, "--out", str(tmp_path / "killed"))
    deadline = time.monotonic() + 600
    stored = []
    while time.monotonic() < deadline and proc.poll() is None:
        stored = sorted(runs.rglob("*.run.csv")) if runs.exists() else []
        if len(stored) >= 3:
            break
        time.sleep(0.05)
    proc.kill()
    proc.communicate()
    assert 3 <= len(stored) < 18, f"{len(stored)} runs stored when killed"
    before = {p: p.stat().st_mtime_ns for p in stored}
    resumed = run_cli(*args, "--out", str(tmp_path / "killed"))
    out, _ = resumed.communicate(timeout=900)
    assert resumed.returncode == 0, out
    assert f"{len(stored)} of 18 runs already stored" in out or "already stored" in out, out
    assert all(p.stat().st_mtime_ns == t for p, t in before.items()), "a stored run was recomputed"
    fresh = run_cli(*args, "--out", str(tmp_path / "fresh"))
    out2, _ = fresh.communicate(timeout=900)
    assert fresh.returncode == 0, out2
    assert (tmp_path / "killed" / "results.csv").read_text() == (tmp_path / "fresh" / "results.csv").read_text()


def _cpu_seconds(pid):
    """User + system CPU time of a process and its children (Linux /proc), in seconds."""
    total = 0.0
    pids = [pid]
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(p.name))
            except (OSError, ValueError, IndexError):
                pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


def test_kernel_interrupt_cancels_a_sweep(tmp_path):
    """Kernel → Interrupt during a sweep: the cell ends within seconds saying how many runs are stored, CPU falls to
    idle, and no further run is stored."""
    import time
    env = dict(os.environ, NORMLAB_RESULTS=str(tmp_path))
    km, kc = start_new_kernel(kernel_name="java", startup_timeout=120, env=env)
    errors = []
    try:
        cell = kc.execute('import org.normlab.experiment.*; import org.normlab.nn.Activation; import org.normlab.norm.Norm;'
                   'Sweep.of("interrupt", RunSpec.mlp(List.of(256), Activation.Kind.RELU).withEpochs(50))'
                   '.vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2).run();')
        time.sleep(20)  # the kernel has started and the runs are training
        km.interrupt_kernel()
        t0 = time.monotonic()
        while True:
            msg = kc.get_iopub_msg(timeout=30)
            if msg["msg_type"] in ("error", "stream", "display_data", "update_display_data"):
                errors.append(json.dumps(msg["content"], ensure_ascii=False))
            # The interrupt request has its own busy/idle pair: wait for the cell's own idle.
            if (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
                    and msg["parent_header"].get("msg_id") == cell):
                break
        assert time.monotonic() - t0 < 5, "the cell took more than 5 s to end after the interrupt"
        stored = len(list(tmp_path.rglob("*.run.csv")))
        pid = km.provisioner.process.pid
        c0 = _cpu_seconds(pid)
        time.sleep(3)
        assert _cpu_seconds(pid) - c0 < 0.5, "the kernel keeps computing after the interrupt"
        assert len(list(tmp_path.rglob("*.run.csv"))) == stored, "a run was stored after the interrupt"
        # JJava reports the interrupt itself ("Evaluation interrupted."); before that, the sweep's progress display is
        # updated with how many runs are stored (the sweep says it before JJava's interrupt of the cell returns).
        assert any("nterrupted" in e for e in errors), errors
        told = [json.loads(e) for e in errors if "runs are stored" in e]
        assert told, errors
        assert f"interrupted: {stored} of 4 runs are stored" in told[0]["data"]["text/plain"], told
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

"""`make report` / `make notebooks` (scripts/report.py) on a small notebook made here: a chart and a verdict, no training,
so the whole pipeline (kernel, SVG on request, pages, figures, verdict data, write-back, README block) runs in seconds."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat

import claims

ROOT = Path(__file__).resolve().parents[2]

CHART = """import org.normlab.plot.Charts;
import org.normlab.experiment.*;
var chart = Charts.xy("a tiny chart", "x", "y");
chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
chart"""
VERDICT = 'Verdict.Criterion.above("C0", "x − y", 0).judge(Summary.of(1.0, 1.1, 0.9))'


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "java", "display_name": "Java (NormLab)", "language": "java"}})
    nb.cells = [nbformat.v4.new_markdown_cell("# fixture")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def report(tmp_path, *notebooks):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Claims and verdicts\n\n{claims.BEGIN}\n{claims.END}\n")
    (tmp_path / "wb").mkdir(exist_ok=True)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "report.py"), *map(str, notebooks), "--scale", "smoke",
                           "--out", str(tmp_path / "out"), "--results", str(tmp_path / "results"), "--write-back", str(tmp_path / "wb"),
                           "--readme-file", str(readme)], capture_output=True, text=True, timeout=600)
    return proc, readme


def test_report_writes_pages_figures_verdicts_memory_and_the_readme_block(tmp_path):
    nb = notebook(tmp_path / "50-fixture.ipynb", CHART, VERDICT)
    proc, readme = report(tmp_path, nb)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok     " in proc.stdout and "kernel peak" in proc.stdout and proc.stdout.strip().endswith("1 passed, 0 failed")
    out = tmp_path / "out"
    index = (out / "index.html").read_text()
    assert "50-fixture.html" in index and "C0" in index and "SUPPORTED" in index and "MiB" in index
    page = (out / "50-fixture.html").read_text()
    assert "data:image/png;base64," in page and "a tiny chart" in page
    png, svg = sorted((out / "figures").glob("50-fixture--01-a-tiny-chart.*"))
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text()
    facts = json.loads((out / "report.json").read_text())
    assert facts["notebooks"][0]["peak_mib"] > 50 and facts["notebooks"][0]["seconds"] > 0
    assert facts["claims"][0]["claim"] == "C0" and facts["claims"][0]["verdict"] == "SUPPORTED" and facts["claims"][0]["n"] == 3
    # Written back without the SVGs (committed notebooks stay small), with the verdict data and the scale stamped.
    back = nbformat.read(tmp_path / "wb" / "50-fixture.ipynb", as_version=4)
    data = [o.get("data", {}) for c in back.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in d for d in data) and not any("image/svg+xml" in d for d in data)
    assert claims.scale_of(back) == "smoke" and [v["verdict"] for v in claims.verdicts(back)] == ["SUPPORTED"]
    block = claims.current_block(readme.read_text())
    assert block == claims.readme_block({str(tmp_path / "wb" / "50-fixture.ipynb"): back}) and "| C0 |" in block


def test_a_failing_notebook_fails_the_report_and_is_not_written_back(tmp_path):
    nb = notebook(tmp_path / "51-broken.ipynb", 'throw new IllegalStateException("deliberately broken cell");')
    proc, _ = report(tmp_path, nb)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED" in proc.stdout and "deliberately broken cell" in proc.stdout
    assert not (tmp_path / "wb" / "51-broken.ipynb").exists()
    assert "FAILED" in (tmp_path / "out" / "index.html").read_text()

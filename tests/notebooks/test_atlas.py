"""`make atlas` and `make report NORMLAB_SCALE=full` (scripts/atlas.py, scripts/report.py) on a notebook made here
that trains a two-run sweep: the atlas stores its runs compactly and deterministically, records the notebook's wall
time and memory, and a report rebuilt from the atlas shows the same numbers without computing a run, or fails
naming the sweep when the atlas lacks one."""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

import atlas

ROOT = Path(__file__).resolve().parents[2]

SWEEP = """import org.normlab.experiment.*;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import java.util.List;
var base = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withTrainSize(256).withTestSize(100).withLogEvery(4);
var result = Sweep.of("atlas-fixture", base).vary(Axes.NORM, %s).seeds(1).run();
System.out.println("TABLE\\n" + result.table().printAll());"""


def notebook(path, norms):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "java", "display_name": "Java (NormLab)", "language": "java"}})
    nb.cells = [nbformat.v4.new_markdown_cell("# atlas fixture"), nbformat.v4.new_code_cell(SWEEP % norms)]
    nbformat.write(nb, path)
    return path


def table(executed):
    nb = nbformat.read(executed, as_version=4)
    text = "".join(o.get("text", "") for o in nb.cells[1].outputs if o.get("output_type") == "stream")
    return text[text.index("TABLE"):]


def script(tmp_path, *args):
    env = dict(os.environ, NORMLAB_ATLAS=str(tmp_path / "atlas"), ATLAS_RESULTS=str(tmp_path / "results"))
    env.pop("NORMLAB_RESULTS_READONLY", None)
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=900, env=env)


def test_the_atlas_keeps_runs_and_a_full_report_rebuilds_from_it_without_computing(tmp_path):
    nb = notebook(tmp_path / "60-atlas.ipynb", "Norm.NONE, Norm.BN")
    (tmp_path / "wb").mkdir()
    made = script(tmp_path, ROOT / "scripts" / "atlas.py", "run", nb, "--write-back", tmp_path / "wb")
    assert made.returncode == 0, made.stdout + made.stderr
    archive = tmp_path / "atlas" / "runs" / "atlas-fixture.tar.xz"
    assert archive.exists(), made.stdout
    index = json.loads((tmp_path / "atlas" / "notebooks.json").read_text())["60-atlas"]
    assert index["status"] == "ok" and index["runs_computed"] == 2 and index["scale"] == "full"
    assert index["seconds"] > 0 and index["peak_mib"] > 0
    computed = table(tmp_path / "wb" / "60-atlas.ipynb")

    # The same runs pack to the same bytes: a rerun replaces nothing.
    before = archive.read_bytes()
    atlas.RUNS = tmp_path / "atlas" / "runs"
    assert atlas.pack(tmp_path / "results") == [] and archive.read_bytes() == before

    # From the atlas alone (no results folder): the same table, and nothing computed.
    report = script(tmp_path, ROOT / "scripts" / "report.py", nb, "--scale", "full", "--out", tmp_path / "out", "--readme", "never")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "2 runs unpacked from atlas/runs" in report.stdout and "read-only" in report.stdout
    assert table(tmp_path / "out" / "notebooks" / "60-atlas.ipynb") == computed
    assert sorted(p.name for p in (tmp_path / "atlas-results" / "atlas-fixture").iterdir()) == sorted(
        p.name for p in (tmp_path / "results" / "atlas-fixture").iterdir() if p.name.endswith((".run.csv", ".points.csv")))

    # A run the atlas lacks is an error naming the sweep, not a silent computation.
    wider = notebook(tmp_path / "61-atlas.ipynb", "Norm.NONE, Norm.BN, Norm.LN")
    missing = script(tmp_path, ROOT / "scripts" / "report.py", wider, "--scale", "full", "--out", tmp_path / "out", "--readme", "never")
    assert missing.returncode == 1
    errors = [o for o in nbformat.read(tmp_path / "out" / "notebooks" / "61-atlas.ipynb", as_version=4).cells[1].outputs
              if o.get("output_type") == "error"]
    assert errors and "Sweep atlas-fixture: 1 of 3 runs are not in the read-only store" in errors[0]["evalue"], missing.stdout
    assert not any(p.name.endswith(".claim") for p in (tmp_path / "atlas-results" / "atlas-fixture").iterdir())

"""`make report` / `make notebooks` (scripts/report.py) on a small notebook made here: a chart and a verdict, no training,
so the whole pipeline (kernel, SVG on request, pages, figures, verdict data, write-back, README block) runs in seconds.
The pages are checked as a reader gets them: the preview banner at smoke scale, the claim's words beside its ID, links
between notebooks, no code with --hide-code, nothing from the network (MathJax typeset offline in Chromium, PDFs), no
paths of this machine."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import claims
import report as report_script

ROOT = Path(__file__).resolve().parents[2]

CHART = """import org.normlab.plot.Charts;
import org.normlab.experiment.*;
var chart = Charts.xy("a tiny chart", "x", "y");
chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
chart"""
VERDICT = 'Verdict.Criterion.above("C2 (fixture)", "x − y", 0).judge(Summary.of(1.0, 1.1, 0.9))'
# What a notebook shows of this machine: the data cache under the home folder, the results folder, this checkout.
# (The checkout's path comes from the environment, so that only the output holds it, not the code.)
PATHS = ('System.getProperty("user.home") + "/.cache/normlab/fashion-mnist | " + System.getenv("NORMLAB_RESULTS") + "/runs | " '
         '+ System.getenv("FIXTURE_EXAMPLES")')
PROSE = """# fixture

The normalized value $\\hat x = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}$ of each unit.

Links: [this notebook's chart](50-fixture.ipynb#a-tiny-chart), [a notebook not in the report](99-elsewhere.ipynb)."""


def notebook(path, *sources, prose="# fixture"):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "java", "display_name": "Java (NormLab)", "language": "java"}})
    nb.cells = [nbformat.v4.new_markdown_cell(prose)] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def report(tmp_path, *notebooks, options=()):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Claims and verdicts\n\n{claims.BEGIN}\n{claims.END}\n")
    (tmp_path / "wb").mkdir(exist_ok=True)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "report.py"), *map(str, notebooks), "--scale", "smoke",
                           "--out", str(tmp_path / "out"), "--results", str(tmp_path / "results"), "--write-back", str(tmp_path / "wb"),
                           "--readme-file", str(readme), *options], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, FIXTURE_EXAMPLES=str(ROOT / "docs" / "examples")))
    return proc, readme


def text_of(page):
    return re.sub(r"<[^>]+>", "", page)


def scripts_fetched(page):
    """The http(s) addresses a page's scripts and stylesheets would fetch (src, href of <link>, import() in a script)."""
    tags = re.findall(r"<script\b[^>]*>.*?</script>|<link\b[^>]*>", page, flags=re.S | re.I)
    return [url for tag in tags for url in re.findall(r"""https?://[^\s"'<>)]+""", tag)]


def test_report_writes_pages_figures_verdicts_memory_and_the_readme_block(tmp_path):
    nb = notebook(tmp_path / "50-fixture.ipynb", CHART, VERDICT, PATHS, prose=PROSE)
    proc, readme = report(tmp_path, nb)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok     " in proc.stdout and "kernel peak" in proc.stdout and proc.stdout.strip().endswith("1 passed, 0 failed")
    out = tmp_path / "out"
    index = (out / "index.html").read_text()
    assert "50-fixture.html" in index and "C2 (fixture)" in index and "SUPPORTED" in index and "MiB" in index
    page = (out / "50-fixture.html").read_text()
    assert "data:image/png;base64," in page and "a tiny chart" in page
    # Smoke scale, below the README's default: the index and every page say so before anything else.
    for html in (index, page):
        assert "Preview, not evidence." in html and "<b>smoke</b> scale" in html and "<b>default</b> scale" in html
        assert html.index("Preview, not evidence.") < html.index("a tiny chart" if html is page else "<h2>Notebooks</h2>")
    # The claim's words beside its ID, as docs/claims.md states them.
    assert "BN speeds up convergence" in claims.claim_texts()["C2"] and "| C2 | BN speeds up convergence |" in (ROOT / "docs" / "claims.md").read_text()
    assert re.search(r"<td>C2 \(fixture\)</td><td>BN speeds up convergence</td>", index), index
    # Code shown by default; a link to a notebook of the report points at its page, one to another notebook is left.
    assert "Charts.xy(" in text_of(page) and 'class="highlight' in page
    assert 'href="50-fixture.html#a-tiny-chart"' in page and 'href="99-elsewhere.ipynb"' in page and 'href="50-fixture.ipynb' not in page
    # Nothing from the network: no CDN script or stylesheet, MathJax from the report's own folder, and only where math is.
    assert scripts_fetched(page) == [] and scripts_fetched(index) == []
    assert 'src="mathjax/MathJax.js' in page and (out / "mathjax" / "MathJax.js").is_file()
    # No path of this machine: home, results folder and checkout are shown as ~, $NORMLAB_RESULTS and a relative path.
    for html in (page, (tmp_path / "wb" / "50-fixture.ipynb").read_text()):
        assert "~/.cache/normlab/fashion-mnist | $NORMLAB_RESULTS/runs | docs/examples" in html
        assert str(tmp_path) not in html and str(ROOT) not in html and str(Path.home()) + "/" not in html
    png, svg = sorted((out / "figures").glob("50-fixture--01-a-tiny-chart.*"))
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text()
    facts = json.loads((out / "report.json").read_text())
    assert facts["notebooks"][0]["peak_mib"] > 50 and facts["notebooks"][0]["seconds"] > 0
    assert facts["claims"][0]["claim"] == "C2 (fixture)" and facts["claims"][0]["verdict"] == "SUPPORTED" and facts["claims"][0]["n"] == 3
    assert facts["preview"] is True and facts["reference_scale"] == "default"
    # Written back without the SVGs (committed notebooks stay small), with the verdict data and the scale stamped.
    back = nbformat.read(tmp_path / "wb" / "50-fixture.ipynb", as_version=4)
    data = [o.get("data", {}) for c in back.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in d for d in data) and not any("image/svg+xml" in d for d in data)
    assert claims.scale_of(back) == "smoke" and [v["verdict"] for v in claims.verdicts(back)] == ["SUPPORTED"]
    block = claims.current_block(readme.read_text())
    assert block == claims.readme_block({str(tmp_path / "wb" / "50-fixture.ipynb"): back}) and "| C2 (fixture) |" in block


def test_a_failing_notebook_fails_the_report_and_is_not_written_back(tmp_path):
    nb = notebook(tmp_path / "51-broken.ipynb", 'throw new IllegalStateException("deliberately broken cell");')
    proc, _ = report(tmp_path, nb)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED" in proc.stdout and "deliberately broken cell" in proc.stdout
    assert not (tmp_path / "wb" / "51-broken.ipynb").exists()
    assert "FAILED" in (tmp_path / "out" / "index.html").read_text()


def test_the_preview_banner_follows_the_scale_the_readme_verdicts_come_from(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"{claims.BEGIN}\nScale: `full`. **Claims** …\n{claims.END}\n")
    assert report_script.reference_scale(readme) == "full"
    readme.write_text(f"{claims.BEGIN}\nScale: `smoke`. **Claims** …\n{claims.END}\n")
    assert report_script.reference_scale(readme) == "default"  # never below default: smoke is never evidence
    assert report_script.reference_scale(tmp_path / "missing.md") == "default"
    assert report_script.preview_banner("default", "default") is None and report_script.preview_banner("full", "default") is None
    assert "Preview, not evidence." in report_script.preview_banner("default", "full")
    assert "Preview, not evidence." in report_script.preview_banner("smoke", "default")


@pytest.mark.skipif(not os.access(report_script.CHROMIUM, os.X_OK), reason=f"no Chromium at {report_script.CHROMIUM}")
def test_hide_code_and_pdf_pages_that_render_offline(tmp_path):
    from playwright.sync_api import sync_playwright
    nb = notebook(tmp_path / "50-fixture.ipynb", CHART, prose=PROSE)
    proc, _ = report(tmp_path, nb, options=("--hide-code", "--pdf"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "report: 2 PDFs printed\n" in proc.stdout, proc.stdout
    out = tmp_path / "out"
    page = (out / "50-fixture.html").read_text()
    assert "Charts.xy(" not in text_of(page) and 'class="highlight' not in page and "The normalized value" in page and "data:image/png;base64," in page
    for name in ("index", "50-fixture"):
        assert (out / f"{name}.pdf").read_bytes()[:5] == b"%PDF-" and (out / f"{name}.pdf").stat().st_size > 5000
    # Opened from disk with every http(s) request refused: MathJax still typesets the formula, nothing was asked for.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=report_script.CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        asked = []
        tab.route(re.compile(r"^https?://"), lambda route: (asked.append(route.request.url), route.abort()))
        tab.goto((out / "50-fixture.html").as_uri(), wait_until="load")
        tab.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        typeset = tab.evaluate("document.querySelectorAll('.MathJax, .MathJax_Display').length")
        browser.close()
    assert typeset >= 1 and asked == [], (typeset, asked)

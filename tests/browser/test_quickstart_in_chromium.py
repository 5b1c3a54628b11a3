"""The real client: JupyterLab from the project venv on localhost, driven by headless Chromium (Debian's `chromium`,
through Playwright for Python; Playwright's own browser downloads are never used). Opens 00-quickstart, runs all cells,
and checks that the XChart figure shows as an image and the Tablesaw table as an HTML table; then, in JupyterLab's dark
theme, runs a small sweep and checks that its progress moves while a run trains, that its figure is drawn on a
transparent background, and that with interactive charts on (Charts.interactive) the figure is drawn by Plotly's
renderer from the plotly package. Screenshots: build/browser/quickstart.png, build/browser/live-dark.png. The scale comes from
NORMLAB_SCALE (smoke in `make test`)."""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "browser"
CHROMIUM = os.environ.get("NORMLAB_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]
TIMEOUT_MS = 600_000  # a busy 2-core machine: kernel start plus a smoke-scale run can take minutes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings(directory, theme):
    """User settings for a clean, quiet lab: every cell kept in the page (no windowing), no news or update checks."""
    for plugin, values in {"@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
                           "@jupyterlab/apputils-extension/themes": {"theme": theme},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False}}.items():
        package, name = plugin.rsplit("/", 1)
        path = directory / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


LIVE_CELLS = [f"""import java.nio.file.Path;
import java.util.List;
import org.normlab.data.*;
import org.normlab.experiment.*;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.train.Trainer;
Dataset.Split data = CsvData.read(Path.of("{ROOT}/docs/examples/three-blobs.csv"), "label").split(0.8, new Rng(0));
RunSpec spec = RunSpec.mlp(List.of(64, 64), Activation.Kind.RELU).sizedFor(data.train()).withBatchSize(4).withEpochs(300).withLogEvery(40);
var result = Sweep.of("live", spec).vary(Axes.NORM, Norm.NONE, Norm.BN).run(data.train(), data.test(), ResultStore.none(), Progress.auto(), 1);""",
              "result.curves(Trainer.TRAIN_LOSS)",
              """import org.normlab.plot.Charts;
Charts.interactive(true);
result.curves(Trainer.TRAIN_LOSS)"""]


@pytest.fixture
def lab(tmp_path, request):
    """JupyterLab on 127.0.0.1 with a token, in the light or the dark theme, serving a copy of the quickstart without its
    committed outputs (so what the test sees was computed now, and autosave never touches notebooks/) and a small
    sweep notebook (live.ipynb)."""
    work = tmp_path / "work"
    work.mkdir()
    nb = json.loads((ROOT / "notebooks" / "00-quickstart.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    (work / "00-quickstart.ipynb").write_text(json.dumps(nb))
    live = dict(nb, cells=[{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None} for c in LIVE_CELLS])
    (work / "live.ipynb").write_text(json.dumps(live))
    theme = getattr(request, "param", "JupyterLab Light")
    settings(tmp_path / "settings", theme)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    env.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    args = [str(Path(sys.prefix) / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
            # window.jupyterapp, so the test can ask the notebook's own session whether its kernel is connected
            "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
                time.sleep(0.5)
        yield base, token, tmp_path, theme
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


CELLS_STARTED = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
                          .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""

# The execution indicator reads "idle" before the notebook's session has a kernel; Run All in that window makes
# JupyterLab ask for a kernel (the Select Kernel dialog). Ready means: the open notebook's own session has a kernel and
# its websocket is connected. The kernel's status may still read "unknown": with JJava it stays so until the first
# cell runs (seen here for a minute after connecting; the cause was not traced), so waiting for "idle" would hang.
KERNEL_READY = """() => {
    const panel = window.jupyterapp?.shell.currentWidget;
    const kernel = panel?.sessionContext?.session?.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && ['idle', 'unknown'].includes(kernel.status);
}"""

STARTED_OR_DIALOG = f"""() => ({CELLS_STARTED})() || !!document.querySelector('.jp-Dialog')"""


def wait_for_kernel(page):
    page.wait_for_function(KERNEL_READY, polling=250)


def run_all_until_started(page, attempts=3):
    """Run ▸ Run All Cells, repeated only if no cell has started (a queued or numbered prompt) a minute later. A dialog
    instead of started cells fails the test at once, with the dialog's text."""
    for attempt in range(attempts):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(STARTED_OR_DIALOG, timeout=60_000, polling=250)
        except Exception:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise
            continue
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            raise AssertionError("Run All Cells opened a dialog instead of running: " + " | ".join(dialog.first.inner_text().split("\n")))
        return


def test_quickstart_runs_in_jupyterlab_in_headless_chromium(lab):
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium (scripts/ensure-apt.sh)"
    base, token, tmp, _ = lab
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(str(tmp / "chromium-profile"), executable_path=CHROMIUM, headless=True,
                                                        args=FLAGS, viewport={"width": 1400, "height": 1000})
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            indicator = page.locator(".jp-Notebook-ExecutionIndicator")
            page.goto(f"{base}/lab/tree/00-quickstart.ipynb?reset&token={token}")
            notebook.locator(".jp-Notebook .jp-Cell").first.wait_for()
            # The kernel named in the notebook (java) has started and its websocket is connected.
            wait_for_kernel(page)
            run_all_until_started(page)
            # Lab renders long notebooks progressively: wait until every code cell of the file is on the page.
            n = sum(c["cell_type"] == "code" for c in json.loads((ROOT / "notebooks" / "00-quickstart.ipynb").read_text())["cells"])
            page.wait_for_function(
                "(n) => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell').length === n", arg=n)
            # Every code cell has run (an execution count in its prompt) and the kernel is idle again.
            page.wait_for_function(
                """(n) => {
                    const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
                    const done = prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length;
                    const idle = document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') === 'idle';
                    return prompts.length === n && done === n && idle;
                }""", arg=n, polling=500)
            error_cells = notebook.locator(".jp-Cell-outputArea .jp-OutputArea-output pre:has-text('Exception')")
            assert error_cells.count() == 0, error_cells.first.inner_text()
            image = notebook.locator(".jp-OutputArea-output img[src^='data:image/png']").first
            image.wait_for()
            image.scroll_into_view_if_needed()
            width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
            assert width >= 400, f"the XChart PNG did not render (naturalWidth {width})"
            table = notebook.locator(".jp-OutputArea-output.jp-RenderedHTMLCommon table").first
            table.wait_for()
            assert table.locator("td").count() >= 4, "the Tablesaw table has no cells"
            page.screenshot(path=str(OUT / "quickstart.png"))
            assert indicator.get_attribute("data-status") == "idle"
        except Exception:
            page.screenshot(path=str(OUT / "quickstart-failure.png"))
            raise
        finally:
            browser.close()
    assert (OUT / "quickstart.png").stat().st_size > 20_000


@pytest.mark.parametrize("lab", ["JupyterLab Dark"], indirect=True)
def test_live_progress_and_a_figure_in_the_dark_theme(lab):
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium (scripts/ensure-apt.sh)"
    base, token, tmp, _ = lab
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(str(tmp / "chromium-profile"), executable_path=CHROMIUM, headless=True,
                                                        args=FLAGS, viewport={"width": 1400, "height": 1000})
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            page.goto(f"{base}/lab/tree/live.ipynb?reset&token={token}")
            notebook.locator(".jp-Notebook .jp-Cell").first.wait_for()
            wait_for_kernel(page)
            assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false", "JupyterLab is in its dark theme"
            # Every text the progress output's running line shows is recorded as the page changes, so the check below does
            # not depend on the browser polling fast enough to catch a short sweep mid-run.
            page.evaluate("""() => {
                window.normlabRunning = [];
                new MutationObserver(() => {
                    for (const r of document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .normlab-running')) {
                        if (!window.normlabRunning.includes(r.textContent)) window.normlabRunning.push(r.textContent);
                    }
                }).observe(document.body, {subtree: true, childList: true, characterData: true});
            }""")
            run_all_until_started(page)
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
                          .every(p => /\\[\\d+\\]/.test(p.textContent))
                         && document.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') === 'idle'""",
                polling=500)
            # While a run trained, the progress output showed its step count, and the count moved.
            seen = page.evaluate("() => window.normlabRunning")
            assert seen and all("step" in t and "/" in t for t in seen), seen
            assert len(seen) >= 2, f"the running line never changed while the sweep trained: {seen}"
            image = notebook.locator(".jp-OutputArea-output img[src^='data:image/png']").first
            image.wait_for()
            image.scroll_into_view_if_needed()
            corner_alpha = image.evaluate("""img => {
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                return g.getImageData(2, 2, 1, 1).data[3];
            }""")
            assert corner_alpha == 0, "the figure's background is transparent, not a white box on the dark page"
            # The last cell turned interactive charts on: its figure is drawn by Plotly (the output itself becomes the plot
            # div, with SVG inside and a line per arm).
            plot = notebook.locator(".jp-OutputArea-output.js-plotly-plot").first
            plot.wait_for()
            plot.scroll_into_view_if_needed()
            assert plot.locator("svg.main-svg").count() > 0, "Plotly drew no SVG"
            assert plot.locator(".scatterlayer .trace").count() >= 2, "Plotly drew fewer lines than the sweep has arms"
            page.screenshot(path=str(OUT / "live-dark.png"))
        except Exception:
            page.screenshot(path=str(OUT / "live-dark-failure.png"))
            raise
        finally:
            browser.close()

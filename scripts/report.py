#!/usr/bin/env python3
"""`make report` and `make notebooks`: execute notebooks at one scale and write the HTML write-up.

Usage: report.py [NOTEBOOK...] [--scale S] [--results DIR] [--out DIR] [--write-back DIR] [--readme auto|always|never]
                 [--hide-code] [--pdf]

Each notebook (default: every notebooks/*.ipynb, so new ones are picked up) runs top to bottom in a fresh `java`
kernel at NORMLAB_SCALE (--scale, default `default`) against a fresh results directory (--results reuses a cache;
at full scale without --results, the committed atlas's runs, read-only: nothing is computed, see scripts/atlas.py).
Written under --out (default build/report):
  index.html          the notebooks with wall time, kernel peak memory (budget check) and status, and the claims table
  NN-name.html        one page per notebook (nbconvert's HTML exporter, figures embedded; --hide-code leaves the code
                      cells out); links between notebooks point at these pages
  NN-name.pdf         with --pdf, each page printed by headless Chromium (NORMLAB_CHROMIUM, default /usr/bin/chromium)
  mathjax/            MathJax (from the jupyter-server-mathjax package) when a page has math: nothing loads from the
                      network, a report opens offline
  figures/            every figure as PNG and SVG (the kernel adds SVG because NORMLAB_FIGURE_SVG=1 here)
  notebooks/          the executed notebooks; report.json the same facts as data
--write-back DIR (make notebooks) also writes each executed notebook that ran cleanly into DIR, without the SVGs, so
committed outputs stay small. The README claims block is rewritten from the same run (see --readme).
A report at a scale below the one the README's verdicts come from (smoke, when they come from default) says on every
page that its verdicts are a preview, not evidence. Paths of this machine in outputs (the home folder, this checkout,
the results folder) are shown as ~, relative paths and $NORMLAB_RESULTS.
Exit status 1 if a notebook failed, 2 if a kernel's peak memory went over the budget at smoke/default scale.
"""
import argparse
import base64
import copy
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import atlas  # noqa: E402
import claims  # noqa: E402
import run_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Kernel peak memory allowed per notebook at default scale (the studies' budget; mybinder's cap is 2 GB in all).
PEAK_BUDGET_MIB = 1536
SCALES = ("smoke", "default", "full")  # smallest first
TEMPLATES = ROOT / "scripts" / "report-template"  # the "normlab" page template: nbconvert's lab, nothing from the network
MATHJAX = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
MATH = re.compile(r"\$\$|\$[^$\n]+\$|\\\(|\\\[|\\begin\{")
CHROMIUM = os.environ.get("NORMLAB_CHROMIUM", "/usr/bin/chromium")


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "figure"


def figures(nb):
    """(title, png bytes, svg text or None) for every figure output, in cell order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") in ("execute_result", "display_data") and "image/png" in data:
                m = re.search(r"'(.*)'", data.get("text/plain", ""))
                found.append((m.group(1) if m else "", base64.b64decode(data["image/png"]), data.get("image/svg+xml")))
    return found


def without_svg(nb):
    """A copy of the notebook without image/svg+xml outputs (committed notebooks and report pages carry the PNG)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            out.get("data", {}).pop("image/svg+xml", None)
    return nb


def reference_scale(readme_path):
    """The scale a report must reach to be evidence: the one the README's verdicts come from ('Scale: `default`.' in
    its claims block; the largest when it names several), never below default."""
    try:
        named = re.findall(r"`(\w+)`", re.search(r"Scale: ([^.]*)\.", claims.current_block(Path(readme_path).read_text())).group(1))
    except (OSError, ValueError, AttributeError):
        named = []
    return max([s for s in named if s in SCALES] + ["default"], key=SCALES.index)


def preview_banner(scale, reference):
    """The banner on every page of a report made below the reference scale (None at or above it)."""
    if scale in SCALES and SCALES.index(scale) >= SCALES.index(reference):
        return None
    return (f'<div class="normlab-preview" style="font-family:sans-serif;padding:10px 16px;background:#fff8c5;'
            f'border:1px solid #d4a72c;border-left:6px solid #bf8700;margin:0">'
            f'<b>Preview, not evidence.</b> This report ran at <b>{html.escape(scale)}</b> scale; the README\'s verdicts come '
            f'from <b>{html.escape(reference)}</b> scale. At {html.escape(scale)} scale a study runs few seeds on a small '
            f'budget: its verdicts show that the pipeline works and may contradict the README\'s; read those.</div>')


def has_math(nb):
    """Whether a markdown cell or a Markdown/LaTeX output holds TeX math ($…$, $$, \\( \\), \\[ \\], \\begin{…})."""
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            texts += [str(data[m]) for m in ("text/markdown", "text/latex") if m in data]
    return any(MATH.search(t) for t in texts)


def local_links(body, stems):
    """Links to another notebook (NN-name.ipynb, optionally ./ or ../notebooks/ before it) point at its page here."""
    def to_page(m):
        return f'href="{m.group(2)}.html{m.group(3) or ""}"' if m.group(2) in stems else m.group(0)
    return re.sub(r'href="(\./|\.\./notebooks/)?([^"/:#?]+)\.ipynb(#[^"]*)?"', to_page, body)


def neutral_paths(nb, results):
    """The notebook with this machine's paths in its outputs replaced: the results folder by $NORMLAB_RESULTS, this
    checkout by relative paths, the home folder by ~ (the quickstart shows where Fashion-MNIST is cached, say)."""
    def whole(path):  # the path itself or a path inside it, not /rootless for /root
        return re.compile(re.escape(str(path)) + r"(?![\w.-])")
    subs = [(whole(Path(results).resolve()), "$NORMLAB_RESULTS"), (re.compile(re.escape(str(ROOT) + os.sep)), ""),
            (whole(ROOT), ".")]
    if str(Path.home()) not in ("", os.sep):
        subs.append((whole(Path.home()), "~"))

    def clean(value):
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, str):
            for pattern, replacement in subs:
                value = pattern.sub(lambda m: replacement, value)
        return value

    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            for key in ("text", "evalue", "traceback"):
                if key in out:
                    out[key] = clean(out[key])
            for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                if mime in out.get("data", {}):
                    out["data"][mime] = clean(out["data"][mime])
    return nb


def page(nb, stem, facts, stems=(), hide_code=False, banner=None):
    """One notebook as a standalone HTML page: a header linking back to the index (and the preview banner, if any),
    links to other notebooks of the report pointing at their pages, MathJax from the report's own folder, no code
    cells with hide_code."""
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="normlab", extra_template_basedirs=[str(TEMPLATES)], embed_images=True,
                            exclude_input=hide_code, exclude_output_prompt=hide_code)
    body, _ = exporter.from_notebook_node(without_svg(nb), resources={"normlab_mathjax": MATHJAX if has_math(nb) else None})
    header = (f'<div style="font-family:sans-serif;padding:8px 16px;background:#f6f8fa;border-bottom:1px solid #d0d7de">'
              f'<a href="index.html">NormLab report</a> · <b>{html.escape(stem)}</b> · scale {html.escape(facts["scale"])} · '
              f'{facts["seconds"]:.1f} s · kernel peak {mib(facts["peak_mib"])}</div>') + (banner or "")
    return local_links(re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, body, count=1), set(stems))


def copy_mathjax(out):
    """MathJax 2 from the jupyter-server-mathjax package into OUT/mathjax (its translations left out)."""
    import jupyter_server_mathjax
    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(source, out / "mathjax", ignore=shutil.ignore_patterns("localization"))


def print_pdfs(out, names):
    """OUT/NAME.pdf for each OUT/NAME.html, printed by headless Chromium with every http(s) request refused."""
    from playwright.sync_api import sync_playwright
    refused = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        tab.route(re.compile(r"^https?://"), lambda route: (refused.append(route.request.url), route.abort()))
        for name in names:
            tab.goto((out / f"{name}.html").resolve().as_uri(), wait_until="load")
            tab.evaluate("() => new Promise(done => window.MathJax && MathJax.Hub ? MathJax.Hub.Queue(done) : done())")
            tab.pdf(path=str(out / f"{name}.pdf"), format="A4", print_background=True,
                    margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        browser.close()
    return refused


def shown(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def mib(v):
    return "n/a" if v is None else f"{v:.0f} MiB"


def index_html(scale, facts, rows, budget_applies, banner=None):
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}"
             ".SUPPORTED{color:#1a7f37}.NOT-SUPPORTED,.over,.FAILED{color:#cf222e}.INCONCLUSIVE{color:#9a6700}")
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>NormLab report ({html.escape(scale)})</title>"
           f"<style>{style}</style></head><body>{banner or ''}<h1>NormLab report</h1>",
           f"<p>Scale <code>{html.escape(scale)}</code>, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
           f"Each notebook ran top to bottom in a fresh JJava kernel; peak memory is the kernel's resident high-water "
           f"mark (VmHWM). Budget per notebook: {PEAK_BUDGET_MIB} MiB, the limit at default scale "
           f"{'(checked here)' if budget_applies else '(not checked at this scale)'}. Figures as PNG and SVG: "
           f"<a href='figures/'>figures/</a>.</p>",
           "<h2>Notebooks</h2><table><tr><th>notebook</th><th>status</th><th>wall time</th><th>kernel peak</th>"
           "<th>figures</th><th>verdicts</th></tr>"]
    for f in facts:
        over = budget_applies and f["peak_mib"] is not None and f["peak_mib"] > PEAK_BUDGET_MIB
        peak = mib(f["peak_mib"]) + (f" — over the {PEAK_BUDGET_MIB} MiB budget" if over else "")
        out.append(f"<tr><td><a href='{html.escape(f['name'])}.html'>{html.escape(f['name'])}</a></td>"
                   f"<td class='{f['status']}'>{f['status']}</td><td>{f['seconds']:.1f} s</td>"
                   f"<td class='{'over' if over else ''}'>{peak}</td><td>{f['figures']}</td><td>{f['verdicts']}</td></tr>")
    out.append("</table><h2>Claims and verdicts</h2>")
    if rows:
        out.append("<p>Raw verdicts, each claim's own test; the README's claims table adds the Holm-adjusted verdict "
                   "over the family of claims.</p>")
        out.append("<table><tr><th>claim</th><th>the claim, as usually stated (docs/claims.md)</th><th>kind</th>"
                   "<th>notebook</th><th>verdict</th><th>statistic</th><th>mean [95% interval] (n)</th><th>p</th></tr>")
        words = claims.claim_texts()
        for stem, v in rows:
            out.append(f"<tr><td>{html.escape(str(v['claim']))}</td>"
                       f"<td>{html.escape(words.get(claims.claim_id(v['claim']), ''))}</td>"
                       f"<td>{html.escape(str(v.get('kind') or 'claim'))}</td>"
                       f"<td><a href='{stem}.html'>{stem}</a></td>"
                       f"<td class='{slug(v['verdict']).upper()}'><b>{html.escape(v['verdict'])}</b></td>"
                       f"<td>{html.escape(v['statistic'])}</td><td>{html.escape(claims.value(v))}</td>"
                       f"<td>{html.escape(claims.fmt(v.get('p')))}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>No verdicts.</p>")
    out.append("</body></html>")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--scale", default=os.environ.get("NORMLAB_SCALE") or "default")
    parser.add_argument("--results", help="results cache to reuse (default: a fresh OUT/../report-results)")
    parser.add_argument("--out", default=str(ROOT / "build" / "report"))
    parser.add_argument("--write-back", help="also write the executed notebooks into this folder (make notebooks)")
    parser.add_argument("--readme", choices=("auto", "always", "never"), default="auto",
                        help="rewrite README.md's claims block: auto = with --write-back, or when every notebook ran at "
                             "default scale (the scale the committed notebooks carry)")
    parser.add_argument("--readme-file", default=str(ROOT / "README.md"), help=argparse.SUPPRESS)  # tests write elsewhere
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--hide-code", action="store_true", help="leave the code cells out of the HTML pages (outputs only)")
    parser.add_argument("--pdf", action="store_true", help="also print every page to PDF with headless Chromium "
                                                            "(NORMLAB_CHROMIUM, default /usr/bin/chromium)")
    args = parser.parse_args(argv)

    if args.pdf and not os.access(CHROMIUM, os.X_OK):
        parser.error(f"--pdf prints with Chromium, and {CHROMIUM} is not there (apt-get install chromium, or set NORMLAB_CHROMIUM)")
    all_notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    paths = [Path(p) for p in args.notebooks] or all_notebooks
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    (out / "figures").mkdir(parents=True)
    atlas_runs = sorted(atlas.RUNS.glob("*.tar.xz"))
    if args.results:
        results = Path(args.results)
    elif args.scale == "full" and atlas_runs:
        # The committed atlas (scripts/atlas.py): pages rebuilt from its runs, none computed (a missing run is an error).
        results = out.parent / "atlas-results"
        shutil.rmtree(results, ignore_errors=True)
        print(f"report: {atlas.unpack(results)} runs unpacked from atlas/runs ({len(atlas_runs)} sweeps); the store is read-only", flush=True)
        os.environ["NORMLAB_RESULTS_READONLY"] = "1"
    else:
        results = out.parent / "report-results"
        shutil.rmtree(results, ignore_errors=True)
    # The kernel inherits these: scale, where runs are stored, and charts as SVG too.
    os.environ.update(NORMLAB_SCALE=args.scale, NORMLAB_RESULTS=str(results.resolve()), NORMLAB_FIGURE_SVG="1")
    os.environ.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    budget_applies = args.scale in ("smoke", "default")
    reference = reference_scale(args.readme_file)
    banner = preview_banner(args.scale, reference)
    stems = {p.stem for p in paths}
    print(f"report: {len(paths)} notebooks at scale {args.scale}, results in {shown(results)}, output in {shown(out)}", flush=True)

    facts, executed, failed, over = [], {}, 0, []
    for path in paths:
        stats = {}
        nb, error, seconds = run_notebooks.execute(path, out / "notebooks", args.timeout, stats)
        nb = neutral_paths(nb, results)
        nb.metadata["normlab"] = {"scale": args.scale}
        nbformat.write(nb, out / "notebooks" / path.name)
        peak = stats.get("peak_mib")
        status = "FAILED" if error else "ok"
        figs = figures(nb)
        for k, (title, png, svg) in enumerate(figs, 1):
            base = out / "figures" / f"{path.stem}--{k:02d}-{slug(title)}"
            base.with_suffix(".png").write_bytes(png)
            if svg:
                base.with_suffix(".svg").write_text(svg)
        f = {"name": path.stem, "status": status, "seconds": seconds, "peak_mib": peak, "scale": args.scale,
             "figures": len(figs), "svg": sum(1 for *_, s in figs if s), "verdicts": len(claims.verdicts(nb)), "error": error}
        facts.append(f)
        (out / f"{path.stem}.html").write_text(page(nb, path.stem, f, stems, args.hide_code, banner))
        if has_math(nb) and not (out / "mathjax").exists():
            copy_mathjax(out)
        executed[str(path)] = nb
        if budget_applies and peak is not None and peak > PEAK_BUDGET_MIB:
            over.append(path.stem)
        print(f"{'ok    ' if not error else 'FAILED'} {shown(path)} ({seconds:.1f} s, kernel peak {mib(peak)}"
              f"{', OVER BUDGET' if path.stem in over else ''}; {len(figs)} figures, {f['verdicts']} verdicts)", flush=True)
        if error:
            failed += 1
            print(error, flush=True)
        elif args.write_back:
            nbformat.write(without_svg(nb), Path(args.write_back) / path.name)

    rows = claims.rows(executed)
    (out / "index.html").write_text(index_html(args.scale, facts, rows, budget_applies, banner))
    if args.pdf:
        refused = print_pdfs(out, ["index"] + [f["name"] for f in facts])
        print(f"report: {len(facts) + 1} PDFs printed" + (f"; refused to fetch {', '.join(refused)}" if refused else ""))
    if banner:
        print(f"report: at {args.scale} scale, below the README's {reference}: every page says its verdicts are a preview, not evidence")
    (out / "report.json").write_text(json.dumps({"scale": args.scale, "reference_scale": reference, "preview": banner is not None,
                                                 "peak_budget_mib": PEAK_BUDGET_MIB, "notebooks": facts,
                                                 "claims": [dict(v, notebook=stem) for stem, v in rows]}, indent=2))

    readme = Path(args.readme_file)
    every = {p.resolve() for p in all_notebooks} <= {p.resolve() for p in paths}
    if args.write_back:
        source = {str(p): nbformat.read(p, as_version=4) for p in sorted(Path(args.write_back).glob("*.ipynb"))}
    else:
        source = executed
    if args.readme == "always" or (args.readme == "auto" and not failed and (args.write_back or (every and args.scale == "default"))):
        changed = claims.rewrite_readme(readme, source)
        print(f"report: README claims block {'rewritten' if changed else 'unchanged'} ({len(claims.rows(source))} verdicts)")
    else:
        print("report: README claims block left as is (it follows the committed notebooks: default scale, all notebooks, "
              "no failure; --readme always overrides)")

    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"report: {shown(out / 'index.html')} ({size / 1e6:.1f} MB in {shown(out)}/); "
          f"{sum(f['figures'] for f in facts)} figures, {len(rows)} verdicts")
    print(f"{len(paths) - failed} passed, {failed} failed")
    if over:
        print(f"report: kernel peak memory over {PEAK_BUDGET_MIB} MiB in {', '.join(over)}")
    return 1 if failed else 2 if over else 0


if __name__ == "__main__":
    sys.exit(main())

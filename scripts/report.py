#!/usr/bin/env python3
"""`make report` and `make notebooks`: execute notebooks at one scale and write the HTML write-up.

Usage: report.py [NOTEBOOK...] [--scale S] [--results DIR] [--out DIR] [--write-back DIR] [--readme auto|always|never]

Each notebook (default: every notebooks/*.ipynb, so new ones are picked up) runs top to bottom in a fresh `java`
kernel at NORMLAB_SCALE (--scale, default `default`) against a fresh results directory (--results reuses a cache).
Written under --out (default build/report):
  index.html          the notebooks with wall time, kernel peak memory (budget check) and status, and the claims table
  NN-name.html        one page per notebook (nbconvert's HTML exporter, figures embedded)
  figures/            every figure as PNG and SVG (the kernel adds SVG because NORMLAB_FIGURE_SVG=1 here)
  notebooks/          the executed notebooks; report.json the same facts as data
--write-back DIR (make notebooks) also writes each executed notebook that ran cleanly into DIR, without the SVGs, so
committed outputs stay small. The README claims block is rewritten from the same run (see --readme).
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
import claims  # noqa: E402
import run_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Kernel peak memory allowed per notebook at default scale (the studies' budget; mybinder's cap is 2 GB in all).
PEAK_BUDGET_MIB = 1536


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


def page(nb, stem, facts):
    """One notebook as a standalone HTML page, with a header linking back to the index."""
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter(template_name="lab", embed_images=True).from_notebook_node(without_svg(nb))
    header = (f'<div style="font-family:sans-serif;padding:8px 16px;background:#f6f8fa;border-bottom:1px solid #d0d7de">'
              f'<a href="index.html">NormLab report</a> · <b>{html.escape(stem)}</b> · scale {html.escape(facts["scale"])} · '
              f'{facts["seconds"]:.1f} s · kernel peak {mib(facts["peak_mib"])}</div>')
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, body, count=1)


def shown(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def mib(v):
    return "n/a" if v is None else f"{v:.0f} MiB"


def index_html(scale, facts, rows, budget_applies):
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}"
             ".SUPPORTED{color:#1a7f37}.NOT-SUPPORTED,.over,.FAILED{color:#cf222e}.INCONCLUSIVE{color:#9a6700}")
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>NormLab report ({html.escape(scale)})</title>"
           f"<style>{style}</style></head><body><h1>NormLab report</h1>",
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
        out.append("<table><tr><th>claim</th><th>kind</th><th>notebook</th><th>verdict</th><th>statistic</th>"
                   "<th>mean [95% interval] (n)</th><th>p</th></tr>")
        for stem, v in rows:
            out.append(f"<tr><td>{html.escape(str(v['claim']))}</td><td>{html.escape(str(v.get('kind') or 'claim'))}</td>"
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
    args = parser.parse_args(argv)

    all_notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    paths = [Path(p) for p in args.notebooks] or all_notebooks
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    (out / "figures").mkdir(parents=True)
    if args.results:
        results = Path(args.results)
    else:
        results = out.parent / "report-results"
        shutil.rmtree(results, ignore_errors=True)
    # The kernel inherits these: scale, where runs are stored, and charts as SVG too.
    os.environ.update(NORMLAB_SCALE=args.scale, NORMLAB_RESULTS=str(results.resolve()), NORMLAB_FIGURE_SVG="1")
    os.environ.setdefault("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    budget_applies = args.scale in ("smoke", "default")
    print(f"report: {len(paths)} notebooks at scale {args.scale}, results in {shown(results)}, output in {shown(out)}", flush=True)

    facts, executed, failed, over = [], {}, 0, []
    for path in paths:
        stats = {}
        nb, error, seconds = run_notebooks.execute(path, out / "notebooks", args.timeout, stats)
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
        (out / f"{path.stem}.html").write_text(page(nb, path.stem, f))
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
    (out / "index.html").write_text(index_html(args.scale, facts, rows, budget_applies))
    (out / "report.json").write_text(json.dumps({"scale": args.scale, "peak_budget_mib": PEAK_BUDGET_MIB, "notebooks": facts,
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

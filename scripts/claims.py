"""Verdicts as data, read from executed notebooks, and the README's claims and checks tables made from them.

A verdict that is a cell's value carries its numbers as `application/vnd.normlab.verdict+json` (the JJava extension
puts it next to the HTML), so nothing here reads prose. The tables themselves (Holm across the family of empirical
claims, raw and adjusted verdicts, checks apart, demos left out) are computed by the Java engine
(`org.normlab.experiment.ClaimsTable`, through `normlab claims RECORDS.csv`): this module only collects the records
and hands them over. `make report` / `make notebooks` (scripts/report.py) write the README block between the
markers; tests/config/test_readme_claims.py checks that it equals the committed notebooks'.
"""
import csv
import os
import re
import subprocess
import tempfile
from pathlib import Path

VERDICT_MIME = "application/vnd.normlab.verdict+json"
ANCHOR_MIME = "application/vnd.normlab.anchor+json"
BEGIN, END = "<!-- claims:begin -->", "<!-- claims:end -->"
ANCHORS_BEGIN, ANCHORS_END = "<!-- anchors:begin -->", "<!-- anchors:end -->"
ROOT = Path(__file__).resolve().parents[1]
# The columns `normlab claims` reads (ProtocolCommands.Claims), in order.
COLUMNS = ["source", "claim", "kind", "verdict", "statistic", "test", "mean", "lo", "hi", "p", "n", "missing", "measured",
           "seeds_needed", "plan_test", "plan_a", "plan_b", "plan_c", "budget", "registration"]


def claim_texts(path=None):
    """{'C2': 'BN speeds up convergence', …}: each claim in words, as the table of docs/claims.md states it (the claims
    the studies' criteria and verdicts name by ID; the words live only there)."""
    texts = {}
    for line in Path(path or ROOT / "docs" / "claims.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]
        if len(cells) > 3 and cells[0] == "" and re.fullmatch(r"C\d+", cells[1]):
            texts.setdefault(cells[1], cells[2])
    return texts


def claim_id(label):
    """'C2' for a verdict's claim label such as 'C2 (MLP)'; None when it names no claim."""
    m = re.match(r"C\d+\b", str(label or ""))
    return m.group(0) if m else None


def records(nb, mime):
    """The records of one MIME type an executed notebook (nbformat node or dict) carries, in cell order."""
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") in ("execute_result", "display_data") and mime in data:
                found.append(dict(data[mime]))
    return found


def verdicts(nb):
    """The verdict records of an executed notebook, in cell order."""
    return records(nb, VERDICT_MIME)


def anchors(nb):
    """The anchor records (a published result beside ours, org.normlab.experiment.Anchor) of an executed notebook."""
    return records(nb, ANCHOR_MIME)


def scale_of(nb):
    """The scale a notebook's outputs were computed at, as scripts/report.py stamped it (None if never stamped)."""
    return nb.get("metadata", {}).get("normlab", {}).get("scale")


def rows(notebooks):
    """[(notebook stem, verdict record)] over notebooks given as {path: nb}, in path order."""
    return [(Path(p).stem, v) for p, nb in sorted(notebooks.items(), key=lambda kv: Path(kv[0]).name) for v in verdicts(nb)]


def fmt(x):
    return "–" if x is None else f"{x:.3g}"


def value(v):
    """'0.0412 [0.0301, 0.0523] (n=3)': the statistic's mean, 95% interval and number of seeds."""
    lo, hi = interval95(v)
    return f"{fmt(v.get('mean'))} [{fmt(lo)}, {fmt(hi)}] (n={v.get('n')})"


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def interval95(v):
    """The estimate's interval as the README shows it, by the rule of ClaimsTable.Row.of: a sign test's estimate is a
    share, so its interval is the test's exact one (the record's "interval"), never a t interval on 0/1 values
    ("ci"); every other claim shows the t interval of the per-seed statistic."""
    if plan_test(v) == "sign" and v.get("kind") != "check" and v.get("interval"):
        return v["interval"][0], v["interval"][1]
    return tuple(v.get("ci") or [None, None])


def plan_test(v):
    return (v.get("plan") or {}).get("test")


def record_row(stem, v):
    """One CSV row for `normlab claims`: empty cells where a notebook computed before a field existed."""
    plan = v.get("plan") or {}
    lo, hi = interval95(v)
    cells = {"source": stem, "claim": v.get("claim"), "kind": v.get("kind"), "verdict": v.get("verdict"),
             "statistic": v.get("statistic"), "test": v.get("test"), "mean": v.get("mean"), "lo": lo, "hi": hi,
             "p": v.get("p"), "n": v.get("n"), "missing": v.get("missing", 0), "measured": v.get("measured"),
             "seeds_needed": v.get("seeds_needed"), "plan_test": plan.get("test"), "plan_a": plan.get("a"),
             "plan_b": plan.get("b"), "plan_c": plan.get("c"), "budget": v.get("budget"), "registration": v.get("registration")}
    return ["" if cells[c] is None else cells[c] for c in COLUMNS]


def java():
    home = os.environ.get("JAVA_HOME") or subprocess.run([str(ROOT / "scripts" / "find-jdk.sh")], check=True,
                                                         capture_output=True, text=True).stdout.strip()
    return str(Path(home) / "bin" / "java")


def tables_markdown(table, scales):
    """The claims and checks tables in Markdown, computed by `normlab claims` from [(stem, record)]."""
    jar = ROOT / "target" / "normlab.jar"
    if not jar.exists():
        raise RuntimeError(f"claims: {jar} is missing; build it first (`make build`)")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8", delete=False) as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for stem, v in table:
            w.writerow(record_row(stem, v))
        path = f.name
    try:
        out = subprocess.run([java(), "-jar", str(jar), "claims", path, "--scales", scales], check=True,
                             capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    return out.stdout.rstrip("\n")


def _generated(begin, end, source, records, empty, body):
    """A generated README block: its markers, the do-not-edit comment naming the tool and the records it is made
    from, then `body` (a list of lines) or the `empty` line when there is nothing to show yet."""
    lines = [begin, f"<!-- Generated by `make notebooks` / `make report` ({source}) from the {records} the notebooks computed; "
                    "do not edit by hand. -->"]
    return "\n".join(lines + (body or [empty]) + [end])


def readme_block(notebooks):
    """The Markdown between the claims markers (markers included) for notebooks given as {path: nb}."""
    table = rows(notebooks)
    scales = sorted({scale_of(nb) or "unknown" for nb in notebooks.values() if verdicts(nb)})
    return _generated(BEGIN, END, "scripts/report.py, through `normlab claims`", "verdicts",
                      "_No computed verdicts in the committed notebooks yet: `make notebooks` fills this table._",
                      [tables_markdown(table, ", ".join(scales))] if table else [])


SHAPE_ORDER = {"yes": 0, "partly": 1, "no": 2}


def anchors_block(notebooks):
    """The Markdown between the anchors markers: each published anchor beside our reproduction, from the notebooks'
    anchor records (the shape is the Java engine's judgement over the anchor's declared features, never typed here)."""
    table = sorted(((Path(p).stem, a) for p, nb in notebooks.items() for a in anchors(nb)),
                   key=lambda r: (int(re.sub(r"\D", "", r[1].get("claim", "0")) or 0), r[0]))
    scales = sorted({scale_of(nb) or "unknown" for nb in notebooks.values() if anchors(nb)})
    body = []
    if table:
        counts = {s: sum(1 for _, a in table if a.get("shape") == s) for s in SHAPE_ORDER}
        body += [f"Scale: `{', '.join(scales)}`. Shape matched: {counts['yes']} yes, {counts['partly']} partly, {counts['no']} no "
                 f"(of {len(table)} anchors). A shape is matched when every feature holds, partly when some do.", "",
                 "| claim | published (source) | ours | shape matched | features (✓ holds on our runs) | notebook |", "|---|---|---|---|---|---|"]
        for stem, a in table:
            features = "; ".join(("✓ " if f.get("holds") else "✗ ") + f.get("rule", "") for f in a.get("features", []))
            body.append(f"| {_cell(a.get('claim'))} | {_cell(a.get('published'))} ({_cell(a.get('source'))}) | {_cell(a.get('ours'))} | "
                        f"**{_cell(a.get('shape'))}** | {_cell(features)} | [`{stem}`](notebooks/{stem}.ipynb) |")
    return _generated(ANCHORS_BEGIN, ANCHORS_END, "scripts/report.py", "anchors",
                      "_No anchors in the committed notebooks yet: `make notebooks` fills this table._", body)


def _block(readme_text, begin, end):
    m = re.search(re.escape(begin) + r".*?" + re.escape(end), readme_text, flags=re.S)
    if not m:
        raise ValueError(f"README.md has no {begin} … {end} block")
    return m.group(0)


def current_block(readme_text):
    """The claims block as it stands in README.md (markers included); ValueError if the markers are missing."""
    return _block(readme_text, BEGIN, END)


def current_anchors_block(readme_text):
    """The anchors block as it stands in README.md (markers included); ValueError if the markers are missing."""
    return _block(readme_text, ANCHORS_BEGIN, ANCHORS_END)


def rewrite_readme(readme_path, notebooks):
    """Replaces the claims block (and the anchors block, where README.md has its markers); True when the text changed."""
    path = Path(readme_path)
    text = path.read_text()
    new = text.replace(current_block(text), readme_block(notebooks))
    if ANCHORS_BEGIN in new:
        new = new.replace(current_anchors_block(new), anchors_block(notebooks))
    if new != text:
        path.write_text(new)
    return new != text

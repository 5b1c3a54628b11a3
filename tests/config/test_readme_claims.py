"""The README's claims table is generated (scripts/report.py), never typed: it must equal the verdicts that the
committed notebooks' outputs carry as data (application/vnd.normlab.verdict+json). Edit one without the other and this
fails; `make notebooks` rewrites both from one run."""
from pathlib import Path

import nbformat

import claims

ROOT = Path(__file__).resolve().parents[2]


def committed():
    return {str(p): nbformat.read(p, as_version=4) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}


def test_readme_claims_table_equals_the_committed_notebooks_verdicts():
    readme = (ROOT / "README.md").read_text()
    assert claims.current_block(readme) == claims.readme_block(committed()), \
        "README.md's claims table differs from the verdicts in notebooks/*.ipynb: run `make notebooks` (never edit it by hand)"


def test_the_block_sits_under_its_heading():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("## Claims and verdicts") < readme.index(claims.BEGIN) < readme.index(claims.END)


def verdict_notebook(claim="C2", verdict="SUPPORTED", mean=0.0412, ci=(0.0301, 0.0523), n=3):
    nb = nbformat.v4.new_notebook(metadata={"normlab": {"scale": "default"}})
    cell = nbformat.v4.new_code_cell("report.verdicts().get(0)")
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
        "text/plain": "prose that is never read",
        claims.VERDICT_MIME: {"claim": claim, "statistic": "loss(none) − loss(BN) | at step 100", "mean": mean,
                              "ci": list(ci), "n": n, "verdict": verdict}})]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    return nb


def test_block_is_made_from_the_verdict_data_only():
    block = claims.readme_block({"notebooks/01-x.ipynb": verdict_notebook()})
    row = next(line for line in block.splitlines() if line.startswith("| C2 |"))
    assert row == ("| C2 | [`01-x`](notebooks/01-x.ipynb) | **INCONCLUSIVE** | SUPPORTED | loss(none) − loss(BN) \\| at step 100 | "
                   " | 0.0412 [0.0301, 0.0523] | – | 1.00 | 3 |  |"), row
    assert "Scale: `default`" in block and "prose" not in block
    assert "Holm" in block and "no p-value" in block, "a record without p enters the family with p = 1, and the block says so"


def test_the_family_is_adjusted_by_holm_and_checks_stand_apart():
    def nb(*records):
        n = verdict_notebook()
        n.cells[1].outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
            "text/plain": "x", claims.VERDICT_MIME: r}) for r in records]
        return n

    def rec(claim, verdict, p, kind="claim"):
        return {"claim": claim, "statistic": "s", "mean": 1.0, "ci": [0.5, 1.5], "n": 3, "missing": 0, "verdict": verdict,
                "kind": kind, "test": "Student t", "p": p, "seeds_needed": 0, "budget": "b", "registration": "declared before the runs"}

    block = claims.readme_block({"notebooks/01-x.ipynb": nb(rec("A", "SUPPORTED", 0.01), rec("B", "SUPPORTED", 0.04), rec("C", "SUPPORTED", 0.03),
                                                            rec("K", "PASS", None, kind="check"))})
    rows = {line.split(" | ")[0][2:]: line for line in block.splitlines() if line.startswith("| A |") or line.startswith("| B |")
            or line.startswith("| K |")}
    # Holm on (0.01, 0.04, 0.03): 3 · 0.01 = 0.03, then max(0.03, 2 · 0.03) = 0.06 for C and B (statsmodels multipletests).
    assert "| **SUPPORTED** | SUPPORTED |" in rows["A"] and "| 0.0300 |" in rows["A"], rows["A"]
    assert "| **INCONCLUSIVE** | SUPPORTED |" in rows["B"] and "| 0.0600 |" in rows["B"], rows["B"]
    assert "**PASS**" in rows["K"] and block.index("**Checks**") < block.index("| K |")


def test_a_changed_verdict_or_number_changes_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Claims and verdicts\n\n{claims.BEGIN}\n{claims.END}\n\ntail\n")
    nbs = {"notebooks/01-x.ipynb": verdict_notebook()}
    assert claims.rewrite_readme(readme, nbs)
    assert claims.current_block(readme.read_text()) == claims.readme_block(nbs)
    assert readme.read_text().endswith("\n\ntail\n")
    assert not claims.rewrite_readme(readme, nbs), "same verdicts, same text"
    for changed in (verdict_notebook(verdict="INCONCLUSIVE"), verdict_notebook(mean=0.05), verdict_notebook(n=5)):
        assert claims.readme_block({"notebooks/01-x.ipynb": changed}) != claims.current_block(readme.read_text())


def test_a_sign_test_claim_shows_its_exact_interval_not_a_t_interval_on_shares():
    """As ClaimsTable.Row.of does in a kernel: 8 of 8 seeds decided shows Clopper-Pearson's [0.631, 1], never the
    zero-width t interval [1, 1] on 0/1 values; a paired-t claim keeps its t interval."""
    sign = verdict_notebook(mean=1.0, ci=(1.0, 1.0), n=8)
    record = sign.cells[1].outputs[0]["data"][claims.VERDICT_MIME]
    record.update(kind="claim", plan={"test": "sign", "a": 8.0, "b": 8.0, "c": 0.0}, interval=[0.6305833524471808, 1.0, 0.95])
    assert "| 1.00 [0.631, 1.00] |" in claims.readme_block({"notebooks/02-y.ipynb": sign})
    assert claims.value(record) == "1 [0.631, 1] (n=8)"
    record.update(plan={"test": "paired_t"}, interval=[0.2, 0.3, 0.95])
    assert "| 1.00 [1.00, 1.00] |" in claims.readme_block({"notebooks/02-y.ipynb": sign})


def test_missing_interval_ends_show_as_dashes():
    nb = verdict_notebook(ci=(None, None), n=1, verdict="INCONCLUSIVE")
    assert "| 0.0412 [–, –] | – | 1.00 | 1 |" in claims.readme_block({"notebooks/02-y.ipynb": nb})


def test_readme_anchors_table_equals_the_committed_notebooks_anchors():
    readme = (ROOT / "README.md").read_text()
    assert claims.current_anchors_block(readme) == claims.anchors_block(committed()), \
        "README.md's anchors table differs from the anchors in notebooks/*.ipynb: run `make notebooks` (never edit it by hand)"


def test_anchors_block_is_made_from_the_anchor_data_only():
    nb = nbformat.v4.new_notebook(metadata={"normlab": {"scale": "full"}})
    cell = nbformat.v4.new_code_cell("report.anchor()")
    record = {"claim": "C8", "source": "Wu & He 2018, Fig. 1", "published": "BN 23.6% → 34.7%", "ours": "BN 12% → 20%; GN 13% → 13.5%",
              "shape": "partly", "features": [{"rule": "BN rises ≥ 3 points", "ours": "BN 12% → 20%", "holds": True},
                                               {"rule": "GN | flat within 2 points", "ours": "GN 13% → 13.5%", "holds": False}]}
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={"text/plain": "prose never read", claims.ANCHOR_MIME: record})]
    nb.cells = [cell]
    block = claims.anchors_block({"notebooks/05-b.ipynb": nb})
    row = next(line for line in block.splitlines() if line.startswith("| C8 |"))
    assert row == ("| C8 | BN 23.6% → 34.7% (Wu & He 2018, Fig. 1) | BN 12% → 20%; GN 13% → 13.5% | **partly** | "
                   "✓ BN rises ≥ 3 points; ✗ GN \\| flat within 2 points | [`05-b`](notebooks/05-b.ipynb) |"), row
    assert "Scale: `full`" in block and "0 yes, 1 partly, 0 no (of 1 anchors)" in block and "prose" not in block

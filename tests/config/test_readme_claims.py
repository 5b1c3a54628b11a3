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
    assert block.splitlines()[-2] == ("| C2 | [`01-x`](notebooks/01-x.ipynb) | **SUPPORTED** | loss(none) − loss(BN) \\| at step 100 | "
                                      "0.0412 [0.0301, 0.0523] (n=3) |")
    assert "Scale: `default`" in block and "prose" not in block


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


def test_missing_interval_ends_show_as_dashes():
    nb = verdict_notebook(ci=(None, None), n=1, verdict="INCONCLUSIVE")
    assert "0.0412 [–, –] (n=1)" in claims.readme_block({"notebooks/02-y.ipynb": nb})

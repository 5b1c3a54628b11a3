"""README "Use NormLab in your own notebook", cell by cell, in a plain JJava kernel: a scratch kernelspec made from
the jjava package's own kernel files (its launcher, `java` from PATH), with no JJAVA_CLASSPATH, so the library comes
only from the README's `%jars` (or `%maven`) line."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[2]
JJAVA = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "java"
VERSION = re.search(r"<artifactId>normlab</artifactId>\s*<version>([^<]+)</version>", (ROOT / "pom.xml").read_text()).group(1)


def readme_cells():
    """The fenced blocks of the README section, in order: (language, text) with the clone's path filled in."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use NormLab in your own notebook", 1)[1].split("\n## ", 1)[0]
    return [(lang, body.replace("/path/to/normlab", str(ROOT))) for lang, body in re.findall(r"```(\w*)\n(.*?)```", section, re.S)]


def plain_kernel(tmp_path, jvm_opts=""):
    """The jjava package's kernel.json as it ships (launcher, `java` on PATH), on this machine's JDK 21+."""
    jdk = subprocess.run([str(ROOT / "scripts" / "find-jdk.sh")], capture_output=True, text=True, check=True).stdout.strip()
    spec_dir = tmp_path / "kernels" / "plain-java"
    spec_dir.mkdir(parents=True)
    for jar in ("jjava.jar", "jjava-launcher.jar"):
        shutil.copy(JJAVA / jar, spec_dir / jar)
    env = {"PATH": f"{jdk}/bin{os.pathsep}{os.environ['PATH']}", "JJAVA_JVM_OPTS": f"-Xmx1g {jvm_opts}".strip()}
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": ["java", "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar", "{connection_file}"],
        "display_name": "Java", "language": "java", "interrupt_mode": "message", "env": env}))
    assert "JJAVA_CLASSPATH" not in (spec_dir / "kernel.json").read_text()
    return KernelManager(kernel_name="plain-java", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir.parent)]))


def run_cells(km, cwd, cells):
    """Executes each cell; returns per cell its execute_result / display_data bundles. Fails on the first error."""
    env = {k: v for k, v in os.environ.items() if k not in ("NORMLAB_RESULTS", "NORMLAB_DEFAULT_RESULTS", "JJAVA_CLASSPATH")}
    km.start_kernel(cwd=str(cwd), env=env)
    kc = km.client()
    kc.start_channels()
    shown = []
    try:
        kc.wait_for_ready(timeout=120)
        for cell in cells:
            out = []
            reply = kc.execute_interactive(cell, timeout=300, output_hook=lambda m: out.append(m["content"])
                                           if m["msg_type"] in ("execute_result", "display_data", "error", "stream") else None)
            errors = [o for o in out if "ename" in o]
            assert reply["content"]["status"] == "ok" and not errors, (cell, reply["content"], errors)
            shown.append([o.get("data", {}) for o in out if "data" in o])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return shown


@pytest.fixture(scope="module", autouse=True)
def built():
    if not (ROOT / "target" / "normlab.jar").is_file() or not (ROOT / "target" / "lib").is_dir():
        pytest.fail("target/normlab.jar or target/lib is missing: build first (mvn package)")


def test_the_readme_cells_run_in_a_plain_kernel_with_jars(tmp_path):
    blocks = readme_cells()
    assert blocks[0][0] == "bash" and "mvn -B -ntp install" in blocks[0][1]
    assert blocks[1] == ("", f"%maven org.normlab:normlab:{VERSION}\n"), "the README's %maven line names this version"
    cells = [body for lang, body in blocks[2:] if lang == "java"]
    assert cells[0].startswith("%jars ") and len(cells) == 4, cells
    shown = run_cells(plain_kernel(tmp_path), tmp_path, cells)

    assert "Dataset three-blobs.csv: 240 examples [240, 4], 3 classes" in shown[1][0]["text/plain"], shown[1]
    for summary in (shown[2], shown[3]):
        html = summary[-1]["text/html"]
        assert "<table" in html, "the display extension came with the jar: the table renders as HTML"
        rows = re.findall(r"<tr>\s*<td>(none|BN)</td>(.*?)</tr>", html, re.S)
        assert [r[0] for r in rows] == ["none", "BN"], html
        for _, cells_html in rows:
            runs, diverged, failed, n, mean = (float(v) for v in re.findall(r"<td>([0-9.]+)</td>", cells_html)[:5])
            assert (runs, diverged, failed, n) == (2, 0, 0, 2), html
            assert 0.6 < mean <= 1.0, f"three separable blobs, chance 1/3: mean test accuracy {mean}\n{html}"
    stored = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert stored == ["my-blobs", "my-blobs-runner"], stored
    assert len(list((tmp_path / "results" / "my-blobs").glob("*.run.csv"))) == 4


def test_the_readme_maven_line_resolves_offline_from_the_local_repository(tmp_path):
    repo = Path.home() / ".m2" / "repository"
    installed = repo / "org" / "normlab" / "normlab" / VERSION / f"normlab-{VERSION}.jar"
    if not installed.is_file():
        pytest.skip(f"{installed} is missing: `mvn install` puts it there")
    home = tmp_path / "home"
    (home / ".m2").mkdir(parents=True)
    (home / ".m2" / "settings.xml").write_text(f"<settings><offline>true</offline><localRepository>{repo}</localRepository></settings>")
    maven_line = readme_cells()[1][1]
    shown = run_cells(plain_kernel(tmp_path, f"-Duser.home={home}"), tmp_path,
                      [maven_line, "org.normlab.data.CsvData.class.getProtectionDomain().getCodeSource().getLocation().toString()",
                       "org.normlab.NormLab.about()"])
    assert str(repo) in shown[1][0]["text/plain"], shown[1]
    assert "<table" in shown[2][0]["text/html"]

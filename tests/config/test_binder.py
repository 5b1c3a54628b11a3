"""The Binder (repo2docker) configuration, checked without Docker: its files parse, its scripts pass shellcheck, and the
kernel wiring postBuild writes is run against a scratch prefix and the kernel it wires is started and used."""
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
SCRIPTS = [p for p in (BINDER / "postBuild", BINDER / "start") if p.exists()]
VENV = Path(os.environ.get("NORMLAB_VENV", ROOT / ".venv"))
if not VENV.is_absolute():
    VENV = ROOT / VENV


def test_binder_files_are_the_ones_repo2docker_reads():
    names = {p.name for p in BINDER.iterdir()}
    assert names <= {"environment.yml", "apt.txt", "postBuild", "start"}, names
    assert yaml.safe_load((BINDER / "environment.yml").read_text())["dependencies"]
    assert [l for l in (BINDER / "apt.txt").read_text().splitlines() if l.strip() and not l.startswith("#")] == ["dataset-fashion-mnist"]


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_binder_scripts_are_executable_bash_and_pass_shellcheck(script):
    assert os.access(script, os.X_OK), f"{script} must be executable (repo2docker runs it directly)"
    assert script.read_text().startswith("#!/usr/bin/env bash\n")
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: scripts/test.sh installs it (scripts/ensure-apt.sh)"
    proc = subprocess.run([shellcheck, "-x", "-S", "style", str(script.relative_to(ROOT))], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_shellcheck_would_catch_a_broken_script(tmp_path):
    bad = tmp_path / "postBuild"
    bad.write_text("#!/usr/bin/env bash\nrm -rf $HOME/$dir\n")
    proc = subprocess.run([shutil.which("shellcheck") or "shellcheck", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0 and "SC2086" in proc.stdout


def data_dir():
    """Where this machine's Fashion-MNIST is (NormLab's own lookup), so the scratch HOME needs no download."""
    jdk = subprocess.run([str(ROOT / "scripts" / "find-jdk.sh")], capture_output=True, text=True, check=True).stdout.strip()
    out = subprocess.run([f"{jdk}/bin/java", "--enable-native-access=ALL-UNNAMED", "-jar", str(ROOT / "target" / "normlab.jar"), "data"],
                         capture_output=True, text=True, env=dict(os.environ, NORMLAB_OFFLINE="1"), check=True).stdout
    return re.search(r"ready in (\S+)", out).group(1)


def test_postbuild_wires_a_kernel_that_runs_normlab(tmp_path):
    """postBuild against a scratch environment prefix (as repo2docker's /srv/conda/envs/notebook): the jjava package's
    kernel files and a python, nothing else. The jar is already built (make test built it), so postBuild does not rebuild;
    HOME is scratch too, so its clean-up can touch nothing of this machine."""
    prefix = tmp_path / "env"
    (prefix / "bin").mkdir(parents=True)
    os.symlink(VENV / "bin" / "python", prefix / "bin" / "python")
    spec_dir = prefix / "share" / "jupyter" / "kernels" / "java"
    shutil.copytree(VENV / "share" / "jupyter" / "kernels" / "java", spec_dir)
    (spec_dir / "kernel.json").unlink()  # postBuild must write it
    env = {k: v for k, v in os.environ.items() if k not in ("CONDA_PREFIX", "NORMLAB_VENV", "NORMLAB_KERNEL_HEAP")}
    env.update(NB_PYTHON_PREFIX=str(prefix), HOME=str(tmp_path / "home"), NORMLAB_DATA=data_dir())
    (tmp_path / "home").mkdir()
    proc = subprocess.run(["bash", str(BINDER / "postBuild")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "heap 1g" in proc.stdout, proc.stdout

    spec = KernelSpecManager(kernel_dirs=[str(prefix / "share" / "jupyter" / "kernels")]).get_kernel_spec("java")
    assert "-Xmx1g" in spec.argv, "the kernel heap must leave room for JupyterLab in mybinder's 2 GB"
    jars = spec.env["JJAVA_CLASSPATH"].split(os.pathsep)
    assert jars[0] == str(ROOT / "target" / "normlab.jar") and all(Path(j).is_file() for j in jars)
    # stored runs go to the project's git-ignored results/, not into notebooks/ where the kernel starts
    assert spec.env["NORMLAB_DEFAULT_RESULTS"] == str(ROOT / "results"), spec.env

    km = KernelManager(kernel_name="java", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(prefix / "share" / "jupyter" / "kernels")]))
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    shown = []
    try:
        kc.wait_for_ready(timeout=180)
        reply = kc.execute_interactive("org.normlab.NormLab.about()", timeout=180,
                                       output_hook=lambda m: shown.append(m["content"].get("data", {})) if m["msg_type"] == "execute_result" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert shown and "<table" in shown[0].get("text/html", ""), shown
    heap = re.search(r"max heap</td>\s*<td>(\d+) MiB", shown[0]["text/html"])
    assert heap and int(heap.group(1)) <= 1024, shown[0]["text/html"]


def test_binder_badge_opens_the_quickstart():
    readme = (ROOT / "README.md").read_text()
    badges = re.findall(r"\(https://mybinder\.org/v2/gh/([^/\s]+)/([^/\s]+)/([^?\s]+)\?labpath=([^)\s]+)\)", readme)
    assert len(badges) == 1, "one Binder badge, the one place that names the GitHub repository"
    owner, repo, ref, labpath = badges[0]
    assert (ROOT / unquote(labpath)).is_file() and unquote(labpath).startswith("notebooks/00-quickstart")

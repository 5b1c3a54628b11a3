"""One source of truth for versions: requirements.txt. environment.yml (local conda users, and Binder through the
binder/environment.yml link) must carry the same pip pins, and `make lab` / `make test` must install exactly that file."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def requirement_lines(name="requirements.txt"):
    return [l for l in (x.strip() for x in (ROOT / name).read_text().splitlines()) if l and not l.startswith("#")]


def pins_from_requirements(name="requirements.txt"):
    return {l.split("==")[0].lower(): l.split("==")[1] for l in requirement_lines(name) if not l.startswith("-r ")}


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_dependencies():
    return [d for d in environment()["dependencies"] if isinstance(d, str)]


def test_every_requirement_is_pinned_to_one_version():
    for line in requirement_lines() + [l for l in requirement_lines("requirements-dev.txt") if not l.startswith("-r ")]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.\-]+", line), f"requirements.txt: '{line}' is not pinned with =="


def test_environment_yml_pins_equal_requirements_txt():
    pip = next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert {p.split("==")[0].lower(): p.split("==")[1] for p in pip} == pins_from_requirements()


def test_what_the_tools_import_is_pinned():
    # jjava: the kernel itself; PyYAML: this test; nbconvert: make report; playwright: the browser test.
    assert {"jjava", "jupyterlab"} <= set(pins_from_requirements())
    assert {"pyyaml", "nbconvert", "playwright", "nbclient", "pytest"} <= set(pins_from_requirements("requirements-dev.txt"))


def test_the_binder_image_carries_no_test_tools():
    assert not {"playwright", "pytest", "nbconvert", "nbclient", "pyyaml"} & set(pins_from_requirements())
    assert "-r requirements.txt" in requirement_lines("requirements-dev.txt")


def test_make_lab_and_make_test_install_exactly_requirements_txt():
    venv = (ROOT / "scripts" / "venv.sh").read_text()
    assert "pip install" in venv and "-r requirements-dev.txt" in venv
    assert "scripts/venv.sh" in (ROOT / "scripts" / "bootstrap.sh").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab: bootstrap", makefile, re.M) and re.search(r"^test: bootstrap", makefile, re.M)


def test_binder_uses_the_same_environment_file():
    link = ROOT / "binder" / "environment.yml"
    assert link.is_symlink() and link.resolve() == (ROOT / "environment.yml").resolve()
    assert "dataset-fashion-mnist" in (ROOT / "binder" / "apt.txt").read_text().split()


def test_conda_environment_has_the_jdk_maven_and_python_normlab_needs():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    deps = {d.split("=")[0]: d.split("=", 1)[1] if "=" in d else None for d in conda_dependencies()}
    assert int(deps["openjdk"]) >= 21, deps
    assert "maven" in deps and "pip" in deps
    assert tuple(int(x) for x in deps["python"].split(".")[:2]) >= (3, 10), deps

"""One source of truth for versions: requirements.txt, and environment.yml (Binder and conda) must agree."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def pins_from_requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return {l.split("==")[0].lower(): l.split("==")[1] for l in (x.strip() for x in lines) if l and not l.startswith("#")}


def test_environment_yml_pins_equal_requirements_txt():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert {p.split("==")[0].lower(): p.split("==")[1] for p in pip} == pins_from_requirements()


def test_binder_uses_the_same_environment_file():
    assert (ROOT / "binder" / "environment.yml").resolve() == (ROOT / "environment.yml").resolve()
    assert "dataset-fashion-mnist" in (ROOT / "binder" / "apt.txt").read_text().split()


def test_conda_jdk_meets_the_minimum():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    openjdk = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("openjdk"))
    assert int(openjdk.split("=")[1]) >= 21

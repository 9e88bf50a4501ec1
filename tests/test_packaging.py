"""Packaging (issue 9, item 9): pyproject declares compatible ranges that admit the exact lock, and the built
wheel installed into a fresh venv gives a working `piaqa` command.

The fresh venv gets the real wheel, built and installed offline (--no-index --no-deps); its dependencies are
borrowed from the project's venv (a .pth line) instead of being resolved and installed again: a full install
fetches ~2 GB (torch, transformers, gradio) and takes minutes on two cores. That the declared ranges admit
every locked version is checked separately, from pyproject.toml and requirements.txt."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import CORPUS, ROOT


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lock(name: str = "requirements.txt") -> dict[str, str]:
    """A lock file (requirements.txt, requirements-ray.txt) as name -> exact version."""
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "-")):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def _declared() -> list[Requirement]:
    project = _pyproject()["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def test_declared_ranges_admit_the_lock():
    lock = _lock()
    for req in _declared():
        name = canonicalize_name(req.name)
        assert name in lock, f"{req} is declared but not locked in requirements.txt"
        assert req.specifier.contains(lock[name]), f"{req} does not admit the locked {name}=={lock[name]}"
        assert not any(s.operator in ("==", "===") for s in req.specifier), f"{req}: declare a range, not a pin"
    assert "mcp" in {canonicalize_name(r.name) for r in _declared()}
    gradio = next(r for r in _declared() if r.name == "gradio")
    assert gradio.extras == {"mcp"}
    assert (ROOT / "constraints.txt").read_text(encoding="utf-8").split() == [f"torch=={lock['torch']}"]


def test_the_ray_extra_is_pinned_to_its_lock():
    ray_lock, lock = _lock("requirements-ray.txt"), _lock()
    (ray,) = [Requirement(r) for r in _pyproject()["project"]["optional-dependencies"]["ray"]]
    assert ray.name == "ray" and ray.extras == {"data"} and str(ray.specifier) == f"=={ray_lock['ray']}"
    assert not set(ray_lock) & set(lock), "requirements-ray.txt adds to the main lock, never re-pins it"
    assert "requirements-ray.txt" in (ROOT / "Makefile").read_text(encoding="utf-8")  # make setup installs it


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built offline from a copy of the sources (setuptools writes build/ next to them)."""
    src = tmp_path_factory.mktemp("src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copytree(ROOT / "piaqa", src / "piaqa", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--disable-pip-version-check", "-q", "-w", str(out), str(src)], check=True)
    (built,) = out.glob("piaqa-*.whl")
    return built


def test_wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(info).decode("utf-8"))
        entry = z.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode("utf-8")
    declared = {str(r) for r in _declared()[:len(_pyproject()["project"]["dependencies"])]}
    required = meta.get_all("Requires-Dist")
    assert {str(Requirement(r)) for r in required if "extra ==" not in r} == declared
    assert sorted(meta.get_all("Provides-Extra")) == ["ray", "test"]
    assert {str(Requirement(r.split(";")[0])) for r in required if 'extra == "test"' in r} == \
        {str(Requirement(r)) for r in _pyproject()["project"]["optional-dependencies"]["test"]}
    assert "piaqa = piaqa.cli:main" in entry
    assert "piaqa/understand/en_ja.tsv" in names and "piaqa/ui/mcp_tools.py" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "corpus/"))]


def test_fresh_venv_gets_a_working_piaqa_command(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py, piaqa = venv / "bin" / "python", venv / "bin" / "piaqa"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--disable-pip-version-check",
                    str(wheel)], check=True)
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "piaqa-test-lock.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", PIAQA_CORPUS_DIR=str(CORPUS))
    where = subprocess.run([str(py), "-c", "import piaqa; print(piaqa.__file__)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(site)  # the installed wheel, not the repository's sources
    res = subprocess.run([str(piaqa), "--help"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert res.returncode == 0 and "{index,add,ask,batch,fields,feedback}" in res.stdout, res.stderr
    res = subprocess.run([str(piaqa), "fields", "--city", "Kurashiki", "--label", "委託先名", "--csv"], cwd=tmp_path,
                         env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = res.stdout.strip().splitlines()
    assert rows[0].startswith("doc,city,section") and len(rows) == 2
    assert rows[1].startswith("000_2b92446a3e503446.txt,倉敷市,") and ",富士通Japan株式会社岡山支社," in rows[1]

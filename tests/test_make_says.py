"""`make site` and `make test` say what they are doing: a line before each install that pip
works through silently (what, and about how long), then the build's stages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID, copy_registry

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
VENV = Path(sys.prefix)
SAID = re.compile(r"make: (installing|downloading) .+ into .+: (about \d+ s|a few seconds)")


def test_each_silent_install_is_announced_with_how_long_it_takes(tmp_path: Path) -> None:
    """The Makefile's install recipes, run with pip replaced by the shell's no-op ':' (so
    every line runs, and make prints each as it does), into a throw-away folder."""
    venv = tmp_path / "venv"
    venv.mkdir()
    result = subprocess.run(
        ["make", "-B", "-C", str(ROOT), f"VENV={venv}", "PYTHON=true", "PIP=:",
         f"{venv}/.dev-installed", f"{venv}/.zensical-installed"],
        capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("make[")]
    pip = [index for index, line in enumerate(lines) if line.startswith(": ")]
    firsts = [index for index in pip if index - 1 not in pip]  # each install's first pip line
    assert len(firsts) == 3, lines  # the build tools, the test tools, Zensical
    for index in firsts:
        assert SAID.fullmatch(lines[index - 1]), lines[index - 1:index + 1]


@pytest.mark.slow
def test_make_site_prints_its_stages(tmp_path: Path) -> None:
    """`make site` in a registry, the install left out (-o: this environment is it)."""
    root = copy_registry(tmp_path / "registry")
    (root / "pledges" / "acme.yaml").write_text(VALID, encoding="utf-8")
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-C", str(root),
         f"VENV={VENV}", "-o", f"{VENV}/.site-installed", "site"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
        timeout=300)  # one stream, in the order said
    assert result.returncode == 0, result.stdout
    said = [line for line in result.stdout.splitlines()
            if line.startswith((f"{VENV}/bin/socialmission", "validating", "rendering",
                                "generating", "mkdocs:", "filling", "publishing", "built"))]
    assert [re.sub(r"\d+ pages", "N pages", line) for line in said] == [
        f"{VENV}/bin/socialmission derived", f"{VENV}/bin/socialmission validate",
        f"{VENV}/bin/socialmission build ", "validating 1 pledge",
        "rendering 2 badge folders (0 unchanged)", "generating 1 signatory page and the others",
        "mkdocs: building N pages", "filling N pages", "publishing the site (1 badge folder)",
        f"built {root / 'public'} with mkdocs: 1 signatories, N pages"]

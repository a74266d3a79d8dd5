"""The package's layers (pyproject.toml's import-linter contract) hold, and the contract
is not vacuous: an import that runs up a layer, or across from check to render, breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGE = ROOT / "scripts" / "socialmission"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"),
                           "--no-cache"], cwd=root, capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONPATH": str(root / "scripts")})


def test_the_layers_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "bad_import"), [
    ("check/rules.py", "from socialmission.render import shaping"),  # across
    ("render/svg.py", "from socialmission.check import rules"),  # across
    ("model/pledge.py", "from socialmission.site import pages"),  # up
    ("site/pages.py", "from socialmission.mkdocs import plugin"),  # up
    ("errors.py", "from socialmission.model import paths"),  # up, from the bottom
])
def test_an_import_against_the_layers_breaks_the_contract(tmp_path: Path, module: str,
                                                          bad_import: str) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "scripts" / "socialmission",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "scripts" / "socialmission" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}  # noqa\n",
                      encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "0 kept, 1 broken" in result.stdout


def test_every_module_has_a_layer(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "scripts" / "socialmission",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts" / "socialmission" / "stray.py").write_text('"""No layer."""\n')
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "stray" in result.stdout + result.stderr

"""The validator as a contributor runs it: pre-commit installs this repository's hook
(`.pre-commit-hooks.yaml`) into its own environment and runs it on a registry.

pre-commit installs the package alone, without the `site` extra: the hook proves the
base install is the whole validator. It installs from `.cache/wheelhouse` (which
`make test` fills from requirements/hook.lock) with no package index, so the test
reaches no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


def git(cwd: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                   "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd.parent)}
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                          text=True, env=environment).stdout.strip()


@pytest.mark.slow
def test_the_hook_installs_the_validator_alone_and_checks_pledges(tmp_path: Path) -> None:
    assert (WHEELHOUSE / ".complete").is_file(), (
        f"no {WHEELHOUSE}: `make test` downloads the hook's wheels there first")
    # The hook's repository: this project's package, committed as a contributor's
    # pre-commit would clone it.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in HOOK_FILES:
        shutil.copy(ROOT / name, hooks / name)
    shutil.copytree(ROOT / "scripts", hooks / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    git(hooks, "init", "-q", "-b", "main")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "-m", "hooks")
    revision = git(hooks, "rev-parse", "HEAD")
    # A contributor's registry, with the hook configured.
    registry = tmp_path / "registry"
    (registry / "pledges").mkdir(parents=True)
    for name in ("mission.yaml", "registry.yaml"):
        shutil.copy(ROOT / name, registry / name)
    (registry / "pledges" / "example-media.yaml").write_text(VALID, encoding="utf-8")
    (registry / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {revision}\n    hooks:\n"
        "      - id: socialmission-validate\n", encoding="utf-8")
    git(registry, "init", "-q", "-b", "main")
    git(registry, "add", "-A")
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
                   "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
                   "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE),
                   "PIP_DISABLE_PIP_VERSION_CHECK": "1", "SOURCE_DATE_EPOCH": "1780000000",
                   "GIT_CONFIG_NOSYSTEM": "1"}

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--verbose"],
                              cwd=registry, capture_output=True, text=True, check=False,
                              env=environment, timeout=600)

    clean = pre_commit()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "1 file checked: all good." in clean.stdout
    # the site extra is not there: the one check that needs it says it was skipped
    assert "whether each name fits its badge is not checked here" in clean.stdout
    (registry / "pledges" / "second.yaml").write_text(
        VALID.replace("kind: organisation", "kind: club"), encoding="utf-8")
    git(registry, "add", "-A")
    broken = pre_commit()
    assert broken.returncode == 1
    assert "pledges/second.yaml:2:7: 'kind' must be one of organisation, individual: got " \
           "'club'" in broken.stdout
    assert "has the same website as pledges/example-media.yaml" in broken.stdout
    environments = list((tmp_path / "pre-commit-home").glob("repo*/py_env-*"))
    assert environments, "pre-commit made no environment for the hook"
    installed = subprocess.run([str(environments[0] / "bin" / "python"), "-c",
                                "import importlib.util as u; print(u.find_spec('uharfbuzz'), "
                                "u.find_spec('mkdocs'), u.find_spec('cairosvg'))"],
                               capture_output=True, text=True, check=True).stdout
    assert installed.strip() == "None None None"

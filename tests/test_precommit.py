"""The validator as a contributor runs it: pre-commit runs this repository's hook
(`.pre-commit-hooks.yaml`), which makes its own environment from requirements/hook.lock
with --require-hashes (scripts/precommit_hook.py), on a registry.

The hook installs the package alone, without the `site` extra: the hook proves the
base install is the whole validator. It installs from `.cache/wheelhouse` (which
`make test` fills from requirements/hook.lock) with no package index, so the test
reaches no network."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "requirements/hook.lock")


def git(cwd: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                   "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd.parent)}
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                          text=True, env=environment).stdout.strip()


def hook_repository(tmp_path: Path, lock: str | None = None) -> tuple[Path, str]:
    """This project's hook, committed as a contributor's pre-commit would clone it (with
    another requirements/hook.lock when `lock` is given): its folder and commit."""
    hooks = tmp_path / "hooks"
    (hooks / "requirements").mkdir(parents=True)
    for name in HOOK_FILES:
        shutil.copy(ROOT / name, hooks / name)
    if lock is not None:
        (hooks / "requirements" / "hook.lock").write_text(lock, encoding="utf-8")
    shutil.copytree(ROOT / "scripts", hooks / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    git(hooks, "init", "-q", "-b", "main")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "-m", "hooks")
    return hooks, git(hooks, "rev-parse", "HEAD")


def registry_with_the_hook(tmp_path: Path, hooks: Path, revision: str
                           ) -> tuple[Path, dict[str, str]]:
    """A contributor's registry with the hook configured, and the environment pre-commit
    runs in (no package index: the wheelhouse only)."""
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
    return registry, environment


def run_pre_commit(registry: Path, environment: dict[str, str]
                   ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PRE_COMMIT), "run", "--all-files", "--verbose"],
                          cwd=registry, capture_output=True, text=True, check=False,
                          env=environment, timeout=600)


def lock_pins() -> dict[str, str]:
    """name: version of every package requirements/hook.lock pins."""
    text = (ROOT / "requirements" / "hook.lock").read_text(encoding="utf-8")
    return {m[1].lower(): m[2] for m in re.finditer(r"(?m)^([A-Za-z0-9._-]+)==(\S+)", text)}


@pytest.mark.slow
def test_the_hook_installs_the_validator_alone_and_checks_pledges(tmp_path: Path) -> None:
    assert (WHEELHOUSE / ".complete").is_file(), (
        f"no {WHEELHOUSE}: `make test` downloads the hook's wheels there first")
    hooks, revision = hook_repository(tmp_path)
    registry, environment = registry_with_the_hook(tmp_path, hooks, revision)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return run_pre_commit(registry, environment)

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
    (made,) = (tmp_path / "pre-commit-home").glob("repo*/.hook-env/.complete")
    python = made.parent / "bin" / "python"
    installed = subprocess.run([str(python), "-c",
                                "import importlib.util as u; print(u.find_spec('uharfbuzz'), "
                                "u.find_spec('mkdocs'), u.find_spec('cairosvg'))"],
                               capture_output=True, text=True, check=True).stdout
    assert installed.strip() == "None None None"
    # every package the hook runs is the version the lock pins
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"],
                            capture_output=True, text=True, check=True).stdout
    versions = {p["name"].lower(): p["version"] for p in json.loads(listed)}
    for name, version in lock_pins().items():
        assert versions[name] == version, f"{name}: {versions[name]}, the lock pins {version}"


@pytest.mark.slow
def test_the_hook_refuses_a_file_whose_hash_is_not_the_locks(tmp_path: Path) -> None:
    """A download that is not the file the lock names (a tampered mirror, a substituted
    release) is refused, and nothing half-installed is kept for the next run."""
    assert (WHEELHOUSE / ".complete").is_file(), (
        f"no {WHEELHOUSE}: `make test` downloads the hook's wheels there first")
    lock = (ROOT / "requirements" / "hook.lock").read_text(encoding="utf-8")
    tampered = re.sub(r"(?m)^(pyyaml==\S+ \\\n)((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
                      lambda m: m[1] + re.sub(r"[0-9a-f]{64}", "0" * 64, m[2]), lock)
    assert tampered != lock
    hooks, revision = hook_repository(tmp_path, tampered)
    registry, environment = registry_with_the_hook(tmp_path, hooks, revision)
    refused = run_pre_commit(registry, environment)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "DO NOT MATCH THE HASHES" in refused.stdout + refused.stderr
    assert "could not install requirements/hook.lock with --require-hashes" in refused.stdout
    assert list((tmp_path / "pre-commit-home").glob("repo*/.hook-env")) == []

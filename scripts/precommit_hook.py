#!/usr/bin/env python3
"""The pre-commit hook (`.pre-commit-hooks.yaml`): the registry's validator in an
environment of its own, installed from requirements/hook.lock with --require-hashes, so
every package the hook runs is the version the lock pins, with the hash of its file.

pre-commit runs this file from its clone of the hook's repository (`language: script`), in
the registry being committed to. The environment is made once per clone, beside this
file, with the Python that runs it (3.11 or later); it is used only once it is complete
(the marker is written last), so an install that failed or was stopped half-way is
removed and made again on the next run, never used. Standard library only: nothing is
installed before the lock's hashes are checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Final

HOOK_ROOT: Final = Path(__file__).resolve().parent.parent  # the hook repository's clone
LOCK: Final = HOOK_ROOT / "requirements" / "hook.lock"
ENVIRONMENT: Final = HOOK_ROOT / ".hook-env"
COMPLETE: Final = ENVIRONMENT / ".complete"  # written last; holds the Python it was made with
MINIMUM_PYTHON: Final = (3, 11)


def _python(environment: Path) -> Path:
    return environment / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _pip_install(environment: Path, *args: str) -> None:
    subprocess.run([str(_python(environment)), "-m", "pip", "--disable-pip-version-check",
                    "--quiet", "install", "--no-input", *args], check=True)


def _stamp() -> str:
    """What the environment was made with: a different Python means a new environment."""
    return f"{sys.implementation.name} {sys.version.split()[0]} {sys.executable}\n"


def ensure_environment() -> Path:
    """The hook's environment, made now unless a complete one is there: its Python."""
    if COMPLETE.is_file() and COMPLETE.read_text(encoding="utf-8") == _stamp():
        return _python(ENVIRONMENT)
    shutil.rmtree(ENVIRONMENT, ignore_errors=True)
    try:
        venv.EnvBuilder(with_pip=True).create(ENVIRONMENT)
        # Every dependency, pinned with hashes; pip refuses a file whose hash differs.
        _pip_install(ENVIRONMENT, "--require-hashes", "-r", str(LOCK))
        # The validator itself from this clone, built with the locked setuptools: no
        # dependency is resolved and nothing is downloaded.
        _pip_install(ENVIRONMENT, "--no-deps", "--no-build-isolation", "--no-index",
                     str(HOOK_ROOT))
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(ENVIRONMENT, ignore_errors=True)
        raise
    COMPLETE.write_text(_stamp(), encoding="utf-8")
    return _python(ENVIRONMENT)


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print(f"socialmission hook: needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or "
              f"later as `python3`, found {sys.version.split()[0]}", file=sys.stderr)
        return 1
    try:
        python = ensure_environment()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"socialmission hook: could not install {LOCK.relative_to(HOOK_ROOT)} with "
              f"--require-hashes ({error}); nothing was kept, the next run tries again",
              file=sys.stderr)
        return 1
    return subprocess.run([str(python), "-m", "socialmission", "validate", *argv],
                          check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

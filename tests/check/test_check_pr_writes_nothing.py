"""check-pr reads a pull request's head from git objects and validates it there: it writes
no file, folder or cache while it judges (the head is untrusted, and the trusted job's disk
is not its to write)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT
from git_support import ACME, ALICE, Repo, new_pledge

# The audit events (python -X importtime aside) by which Python changes a file system.
_CHANGES = frozenset({"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate",
                      "os.symlink", "os.link", "os.chmod", "os.chown", "os.utime",
                      "shutil.copyfile", "shutil.rmtree", "tempfile.mkdtemp",
                      "tempfile.mkstemp"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_seen: list[tuple[str, str]] | None = None  # while watching: each change, as (event, path)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _seen is None:
        return
    if event in _CHANGES:
        _seen.append((event, str(args[0]) if args else ""))
    # a pipe's end (an open descriptor) and the null device are no file of anyone's
    elif event == "open" and isinstance(args[2], int) and args[2] & _WRITE_FLAGS and \
            not isinstance(args[0], int) and args[0] != os.devnull:
        _seen.append((event, str(args[0])))


sys.addaudithook(_audit)  # a hook stays for the process: it records only while watching


@contextmanager
def _writes() -> Iterator[list[tuple[str, str]]]:
    global _seen  # noqa: PLW0603 - the audit hook's one switch
    _seen = []
    try:
        yield _seen
    finally:
        _seen = None


def test_check_pr_writes_nothing_while_it_judges(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    """A new pledge with its logo, a changed pledge and one over its size cap: each is
    read, validated and judged without a byte written (imports write no bytecode here)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    empty = tmp_path / "tmp"
    empty.mkdir()
    monkeypatch.setenv("TMPDIR", str(empty))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    logo = next(iter(sorted((ROOT / "pledges" / "logos").glob("*.png")))).read_bytes()
    (repo.root / "pledges" / "logos" / "zeta.png").write_bytes(logo)
    repo.write("pledges/zeta.yaml", new_pledge("Zeta Works", "zeta.example.org", "- login: alice",
                                           "  id: 100") + "logo: logos/zeta.png\n")
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.write("pledges/huge.yaml", "#" * (1 << 20))
    repo.commit()
    with _writes() as seen:
        verdict = repo.verdict(ALICE)
    assert seen == []
    assert list(empty.iterdir()) == []
    sizes = [p.message for p in verdict.refusals if p.path == "pledges/huge.yaml"
             and p.message.startswith(f"the file is {1 << 20} bytes")]
    assert len(sizes) == 1  # its size seen, its bytes never read
    assert [p for p in verdict.refusals if "zeta" in p.path] == []  # its logo read and sound
    assert "pledges/zeta.yaml" in verdict.changed


def test_the_watch_sees_a_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The test above can fail: a file written while watching is seen."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    written = Path(tempfile.gettempdir(), "written")
    with _writes() as seen:
        written.write_bytes(b"")
    written.unlink()
    assert seen == [("open", str(written))]

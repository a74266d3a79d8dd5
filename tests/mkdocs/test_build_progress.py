"""What `socialmission build` says while it works: a line a stage with its count when
stderr is not a terminal (CI), the same updated in place on a terminal, errors only with
--quiet, and on a Ctrl-C whether the output is as it was or holds the new site."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import VALID, copy_registry
from process_support import sigint_as_in_a_terminal
from socialmission.cli import main
from socialmission.mkdocs import publish
from socialmission.render.cache import JOURNAL

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
WAIT = 180.0  # s at most for anything the test waits for


def registry_of(tmp_path: Path, signers: int) -> Path:
    """A registry of `signers` pledges, each with its revocation index (a credential each)."""
    root = copy_registry(tmp_path / "registry")
    for number in range(signers):
        (root / "pledges" / f"org-{number:02}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", f"Org {number:02}")
            .replace("www.example.net", f"org{number:02}.example.org")
            + f"status_index: {100 + number}\n", encoding="utf-8")
    return root


def build(root: Path, *args: str) -> list[str]:
    return [str(BIN / "socialmission"), "--root", str(root), "build", *args]


def our_lines(stderr: str) -> list[str]:
    """stderr without the engine's own lines and the placeholder notice."""
    return [line for line in stderr.splitlines() if not line.startswith(("INFO", "  - "))
            and "notice:" not in line]


def test_without_a_terminal_each_stage_is_one_line_with_its_count(tmp_path: Path) -> None:
    root = registry_of(tmp_path, 2)
    result = subprocess.run(build(root, "--out", str(tmp_path / "public")),
                            capture_output=True, text=True, check=False, timeout=WAIT)
    assert result.returncode == 0, result.stderr
    lines = our_lines(result.stderr)
    expected = [r"validating 2 pledges", r"signing 3 credentials \(0 unchanged\)",
                r"rendering 3 badge folders \(0 unchanged\)",
                r"generating 2 signatory pages and the others", r"mkdocs: building \d+ pages",
                r"filling \d+ pages", r"publishing the site \(2 badge folders\)"]
    assert len(lines) == len(expected), lines
    assert all(re.fullmatch(e, line) for e, line in zip(expected, lines, strict=True)), lines
    assert "\r" not in result.stderr
    assert result.stdout.startswith(f"built {tmp_path / 'public'} with mkdocs: 2 signatories")
    again = subprocess.run(build(root, "--force", "--out", str(tmp_path / "public")),
                           capture_output=True, text=True, check=False, timeout=WAIT)
    assert "badges: 3 folders, all unchanged" in our_lines(again.stderr)
    assert "credentials: 3 signed documents, all unchanged" in our_lines(again.stderr)


def test_on_a_terminal_the_stage_and_count_are_updated_in_place(tmp_path: Path) -> None:
    root = registry_of(tmp_path, 2)
    leader, follower = pty.openpty()
    command = subprocess.Popen(build(root, "--out", str(tmp_path / "public")),
                               stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    said = bytearray()

    def read() -> None:
        with contextlib.suppress(OSError):  # EIO once the command has closed the pty
            while chunk := os.read(leader, 4096):
                said.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    out, _ = command.communicate(timeout=WAIT)
    reader.join(timeout=WAIT)
    os.close(leader)
    assert command.returncode == 0, said
    text = said.decode()
    # each stage drawn over the last, the count moving on the same line, then cleared
    assert "\r\x1b[Kvalidating 2 pledges\r\x1b[Ksigning 3 credentials (0 unchanged): 0/3" \
        in text
    assert "\r\x1b[Krendering 3 badge folders (0 unchanged): 0/3" in text
    assert "rendering 3 badge folders (0 unchanged): 3/3" in text
    assert re.search(r"\r\x1b\[Kmkdocs: building \d+ pages\r?\n", text)  # kept above the engine's
    assert re.search(r"\r\x1b\[Kfilling (\d+) pages: \1/\1", text)
    assert text.endswith("\r\x1b[K") or "\r\x1b[Ksocialmission: notice" in text
    assert out.decode().startswith("built ")


def test_quiet_prints_errors_only(tmp_path: Path) -> None:
    root = registry_of(tmp_path, 2)
    out = tmp_path / "public"
    quiet = subprocess.run(build(root, "--quiet", "--out", str(out)), capture_output=True,
                           text=True, check=False, timeout=WAIT)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (out / "index.html").is_file()
    (root / "pledges" / "org-00.yaml").write_text(VALID.replace("organisation", "club"),
                                                  encoding="utf-8")
    failed = subprocess.run(build(root, "--quiet", "--out", str(out)), capture_output=True,
                            text=True, check=False, timeout=WAIT)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert "'kind' must be one of organisation, individual: got 'club'" in failed.stderr
    assert "validating" not in failed.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="sends Ctrl-C to a process group")
def test_a_ctrl_c_while_rendering_says_the_output_is_as_it_was(tmp_path: Path) -> None:
    root = registry_of(tmp_path, 12)
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("the previous site")
    command = subprocess.Popen(build(root, "--out", str(out)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=sigint_as_in_a_terminal)  # noqa: PLW1509
    try:
        deadline = time.monotonic() + WAIT
        while not (root / ".cache" / "badges" / JOURNAL).is_file() or \
                not (root / ".cache" / "badges" / JOURNAL).read_bytes().strip():
            assert command.poll() is None, command.communicate()
            assert time.monotonic() < deadline, "no badge was ever rendered"
            time.sleep(0.02)
        os.killpg(command.pid, signal.SIGINT)  # as a terminal's Ctrl-C
        _, err = command.communicate(timeout=WAIT)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(command.pid, signal.SIGKILL)
        command.wait()
    assert command.returncode == 130, err
    assert err.splitlines()[-1] == ("socialmission: build interrupted (Ctrl-C): "
                                    f"{out} is as it was: the new site was not published")
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text() == "the previous site"


def test_a_ctrl_c_after_the_swap_says_the_output_holds_the_new_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = registry_of(tmp_path, 1)
    out = tmp_path / "public"

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # as a Ctrl-C lands just after the new site is in place

    monkeypatch.setattr(publish, "_write_records", interrupted)
    assert main(["--root", str(root), "build", "--quiet", "--out", str(out)]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"socialmission: build interrupted (Ctrl-C): {out} holds the new site, complete (it "
        "was published before the Ctrl-C)")
    assert (out / "signatories" / "org-00" / "index.html").is_file()


@pytest.mark.parametrize("exchange", [True, False])  # renameat2, or two renames
def test_a_ctrl_c_during_the_swap_lands_after_it(tmp_path: Path, exchange: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    new, target = tmp_path / "new", tmp_path / "public"
    for folder, text in ((new, "new"), (target, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    seen: list[str] = []

    def swapped() -> None:
        os.kill(os.getpid(), signal.SIGINT)  # a Ctrl-C in the middle of the swap
        seen.append((target / "index.html").read_text())  # still runs: it waits

    with pytest.raises(KeyboardInterrupt):
        publish.replace_folder(new, target, swapped=swapped)
    assert seen == ["new"]
    assert (target / "index.html").read_text() == "new"

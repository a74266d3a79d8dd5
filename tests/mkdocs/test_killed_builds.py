"""`socialmission build` killed with SIGKILL half-way through a cold render, then run again:
no folder left beside the output, no worker left running, and only what had not been
rendered is rendered."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import VALID, copy_registry
from socialmission.render.cache import JOURNAL, MANIFEST

pytestmark = pytest.mark.slow
SIGNERS = 40  # enough that the kill lands while the workers are busy
KILL_AFTER = 3  # folders the journal must show before the build is killed
WAIT = 180.0  # s at most for anything the test waits for


def socialmission(root: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "socialmission"), "--root", str(root), *args]


def alive(pid: int) -> bool:
    """Whether `pid` is a process that still runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def group_members(group: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group:
                    members.add(int(entry.name))
            except OSError:
                continue
    return members


def journal_keys(cache: Path) -> list[str]:
    try:
        lines = (cache / JOURNAL).read_bytes().split(b"\n")[:-1]
    except FileNotFoundError:
        return []
    keys = []
    for line in lines:
        try:
            keys.append(json.loads(line)["key"])
        except ValueError:
            continue
    return keys


def stamps(cache: Path) -> dict[str, set[tuple[str, int]]]:
    """Each badge folder's files, by (name, inode): a file rendered again is a new inode."""
    return {folder.name: {(f.name, f.stat().st_ino) for f in folder.iterdir()}
            for folder in cache.iterdir() if folder.is_dir()}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_build_killed_mid_render_leaves_nothing_and_loses_nothing(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    for index in range(SIGNERS):
        (root / "pledges" / f"signer-{index:02d}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", f"Signer {index:02d}")
            .replace("www.example.net", f"s{index:02d}.example.org"), encoding="utf-8")
    out = tmp_path / "public"
    cache = root / ".cache" / "badges"
    # What earlier builds left: one whose build is gone, one whose build still runs (this
    # test holds its lock), and a file that only shares the prefix.
    gone = tmp_path / ".public.old-999999-abc"
    (gone / "sub").mkdir(parents=True)
    running = tmp_path / ".public.new-1-xyz"
    running.mkdir()
    lock = os.open(running, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    unrelated = tmp_path / ".public.new-notes.txt"
    unrelated.write_text("not a folder")

    build = subprocess.Popen(socialmission(root, "build", "--out", str(out)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while len(journal_keys(cache)) < KILL_AFTER:
            assert build.poll() is None, build.communicate()[1]
            assert time.monotonic() < deadline, "the journal never showed a rendered folder"
            time.sleep(0.02)
        workers = group_members(build.pid) - {build.pid}
        assert workers, "the build rendered without worker processes"
        build.send_signal(signal.SIGKILL)  # the build alone: its workers must follow
        build.wait(timeout=WAIT)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=WAIT)
        assert build.stderr is not None
        build.stderr.close()

    journalled = set(journal_keys(cache))
    everything = {"mission", *(f"signer-{i:02d}" for i in range(SIGNERS))}
    assert KILL_AFTER <= len(journalled) < len(everything), "the kill came too late"
    assert not (cache / MANIFEST).exists()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public.new-")
                       and p != running and p.is_dir())
    assert len(leftovers) == 1, leftovers  # what the kill left, for the next build
    before = stamps(cache)

    again = subprocess.run(socialmission(root, "build", "--out", str(out)),
                           capture_output=True, text=True, check=False, timeout=WAIT * 3)
    os.close(lock)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public")) == \
        sorted([running.name, unrelated.name])
    after = stamps(cache)
    assert set(after) == everything
    rendered_again = {key for key in after if after[key] != before.get(key)}
    assert rendered_again == everything - journalled
    assert not (cache / JOURNAL).exists()
    assert sorted(json.loads((cache / MANIFEST).read_text())["folders"]) == sorted(everything)
    assert (out / "signatories" / "signer-39" / "index.html").is_file()

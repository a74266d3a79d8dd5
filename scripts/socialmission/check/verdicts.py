"""The logo check's verdicts, kept by content so that a logo is decoded once, not on
every run: `.cache/logos/verdicts.jsonl` under the registry.

One JSON line a verdict, `{"key": ..., "problem": ...}`, where the key is the SHA-256 of
the logo's bytes and the checker's version, and `problem` is null for a sound logo. The
file is only ever appended to, one `write` with O_APPEND a line, so validator processes
running at once (on the cores of one run, or two runs) never mix their lines; a line
that does not parse (a run killed mid-write, a damaged file) is ignored, and the logo it
was about is decoded again. Each process reads the file once, then only what others
have appended since, and only when it meets a logo it has no verdict for.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

VERDICTS_FILE = "verdicts.jsonl"


def verdict_key(data: bytes, version: int) -> str:
    return f"{hashlib.sha256(data).hexdigest()}-v{version}"


class VerdictLog:
    """The verdicts in one cache folder, as this process has read them."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / VERDICTS_FILE
        self._verdicts: dict[str, str | None] = {}
        self._read_to = 0  # bytes of the file read so far
        self._file_id: tuple[int, int] | None = None  # (device, inode) of the file read

    def get(self, key: str) -> tuple[bool, str | None]:
        """(True, the problem or None) when a verdict is known for `key`, else (False, None)."""
        if key not in self._verdicts:
            self._catch_up()
        if key in self._verdicts:
            return True, self._verdicts[key]
        return False, None

    def put(self, key: str, problem: str | None) -> None:
        """Record a verdict, here and in the file (when the file can be written at all: a
        cache that cannot be kept only costs time)."""
        self._verdicts[key] = problem
        line = json.dumps({"key": key, "problem": problem}, ensure_ascii=True) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("ascii"))
            finally:
                os.close(fd)
        except OSError:
            pass

    def _catch_up(self) -> None:
        """Read what was appended since the last read (all of it if the file was replaced)."""
        try:
            with self.path.open("rb") as file:
                info = os.fstat(file.fileno())
                file_id = (info.st_dev, info.st_ino)
                if file_id != self._file_id or info.st_size < self._read_to:
                    self._file_id, self._read_to = file_id, 0
                file.seek(self._read_to)
                data = file.read()
        except OSError:
            return
        complete = data.rfind(b"\n") + 1  # a line still being written is read next time
        self._read_to += complete
        for line in data[:complete].splitlines():
            self._learn(line)

    def _learn(self, line: bytes) -> None:
        try:
            entry = json.loads(line)
        except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
            return
        if not isinstance(entry, dict):
            return
        key, problem = entry.get("key"), entry.get("problem", 0)
        if isinstance(key, str) and (problem is None or isinstance(problem, str)):
            self._verdicts[key] = problem


_logs: dict[Path, VerdictLog] = {}  # this process's logs, by cache folder


def verdict_log(folder: Path) -> VerdictLog:
    if folder not in _logs:
        _logs[folder] = VerdictLog(folder)
    return _logs[folder]


def forget() -> None:
    """Drop what this process has read (as a new process would start): for the tests."""
    _logs.clear()

"""What a long command says while it works, on stderr: the stage it is in and its count.

- On a terminal (stderr is a tty): one line, rewritten in place as the stage and its count
  move ("rendering badge folders 120/612"), at most every REDRAW seconds, and cleared
  before anything else is written and when the command ends.
- Elsewhere (CI, a pipe, a file): one line when a stage starts, with its count; nothing
  for each step (a log of 10,000 counts says no more than the stage's line).
- Quiet (--quiet): nothing.
Never on stdout and never in any file a command writes: the output does not depend on it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

REDRAW = 0.1  # s at least between two rewrites of the line on a terminal
_CLEAR = "\r\x1b[K"  # back to the line's start, and erase it


class Progress:
    """Stages and counts, said as the stream allows (see the module's docstring)."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.clock = clock
        self.what = ""
        self.total = 0
        self.done = 0
        self.drawn = -REDRAW  # when the line was last written
        self.shown = False  # whether the line is on the terminal now

    def stage(self, what: str, total: int = 0) -> None:
        """A stage begins: `what` it does, and `total` steps to count (0: not counted)."""
        self.what, self.total, self.done = what, total, 0
        if self.quiet:
            return
        if not self.live:
            self.stream.write(f"{what}\n")
            self.stream.flush()
            return
        self._draw()

    def step(self, count: int = 1) -> None:
        """`count` more steps of the stage are done."""
        self.done += count
        if self.live and (self.done >= self.total or self.clock() - self.drawn >= REDRAW):
            self._draw()

    def note(self, text: str) -> None:
        """A notice that stays, on a line of its own (on a terminal, above the stage's
        line, which is drawn again under it); nothing when quiet."""
        if self.quiet:
            return
        self.clear()
        self.stream.write(f"{text}\n")
        self.stream.flush()
        if self.live and self.what:
            self._draw()

    def keep(self) -> None:
        """Leave the stage's line on a terminal (before a program that writes lines of its
        own): the next stage starts on a line of its own."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False

    def clear(self) -> None:
        """Erase the line from the terminal (before a message, or at the end)."""
        if self.shown:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self.shown = False

    def _draw(self) -> None:
        line = f"{self.what}: {self.done}/{self.total}" if self.total else self.what
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError):
            width = 0
        if width > 1:  # 0: a terminal that does not say its width
            line = line[:width - 1]  # a line that wraps is not rewritten by a carriage return
        self.stream.write(_CLEAR + line)
        self.stream.flush()
        self.drawn = self.clock()
        self.shown = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.clear()


SILENT = Progress(quiet=True)  # for callers that say nothing (tests, benchmarks, serve)

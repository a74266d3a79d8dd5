"""Lines typed at a terminal, read so that a Ctrl-C is never lost.

`input()` writes its prompt, then waits in read(2). A Ctrl-C that comes between the two (a
quick hand, a busy machine) runs Python's signal handler, which can only take note of it:
the read then waits for more typing, and the Ctrl-C seems ignored (python/cpython#112585).
Here every signal that Python handles also writes to a pipe (`signal.set_wakeup_fd`),
which is watched beside the terminal, and the terminal is read through a descriptor of
its own that never blocks (a Ctrl-C empties the line being typed, even one the wait has
just seen): so a Ctrl-C at any moment ends the wait with KeyboardInterrupt, as it does
input()'s when it comes in time.
"""

from __future__ import annotations

import os
import select
import signal
import sys
from types import TracebackType

from socialmission.errors import UsageError

# Bytes read at a time. On a terminal in its usual (canonical) mode one read returns at
# most one line, and Linux keeps at most 4096 bytes of a line.
READ_SIZE = 4096


class TerminalInput:
    """input() on the terminal at `fd`, for the `with` block (in the main thread, where
    Python runs its signal handlers)."""

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        self._terminal = self._wake_read = self._wake_write = -1
        self._previous_wakeup = -1
        self._pending = b""  # read past the line returned (a terminal not in line mode)

    def __enter__(self) -> TerminalInput:
        # The terminal opened again, so that not blocking is this descriptor's alone and
        # not the shell's, which shares standard input's.
        try:
            self._terminal = os.open(os.ttyname(self.fd),
                                     os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as error:
            raise UsageError(f"new cannot open its terminal again to read the answers "
                             f"({error.strerror}): give them as flags, with --no-input "
                             f"(socialmission new --help)") from None
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._previous_wakeup = signal.set_wakeup_fd(self._wake_write,
                                                     warn_on_full_buffer=False)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        signal.set_wakeup_fd(self._previous_wakeup)
        for fd in (self._terminal, self._wake_read, self._wake_write):
            os.close(fd)

    def __call__(self, prompt: str) -> str:
        """Show `prompt` and return the line typed, without its newline. EOFError at
        Ctrl-D on an empty line (or when the terminal is gone), KeyboardInterrupt at
        Ctrl-C."""
        sys.stdout.flush()
        sys.stderr.write(prompt)  # where input() writes it on a terminal
        sys.stderr.flush()
        while (end := self._pending.find(b"\n")) < 0:
            ready, _, _ = select.select([self._terminal, self._wake_read], [], [])
            # A signal that woke select has its handler run by Python before the loop
            # goes round: a Ctrl-C raises KeyboardInterrupt, and the wait ends.
            if self._wake_read in ready:
                _drain(self._wake_read)
            if self._terminal not in ready:
                continue
            try:
                data = os.read(self._terminal, READ_SIZE)
            except BlockingIOError:
                continue  # the line was emptied after select saw it (by a Ctrl-C)
            except OSError:
                data = b""  # the terminal hung up: the end of the input
            if not data:  # Ctrl-D: what was typed before it, or the end of the input
                if not self._pending:
                    raise EOFError
                line, self._pending = self._pending, b""
                return _text(line)
            self._pending += data
        line, self._pending = self._pending[:end], self._pending[end + 1:]
        return _text(line)


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 256):
                return
        except BlockingIOError:
            return


def _text(line: bytes) -> str:
    """The line in the terminal's encoding. A byte that is not of it is kept as a lone
    surrogate (surrogateescape), which the answer's rules refuse, saying where: never a
    crash, and never a character the signatory did not type, as U+FFFD would be."""
    return line.decode(sys.stdin.encoding or "utf-8", "surrogateescape")

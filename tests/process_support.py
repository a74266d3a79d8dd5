"""Commands run in a session of their own, as from a terminal: SIGINT as a terminal's
jobs get it, and what a command leaves running once it has ended."""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path


def sigint_as_in_a_terminal() -> None:
    """In a child, before it runs the command: SIGINT neither ignored nor blocked (as a
    shell or make may leave it for the jobs they run, and the child would inherit)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def session(leader: int) -> list[str]:
    """The live processes in the session `leader` started, but `leader` ('pid state
    command'): what it left behind, holding its terminal or not."""
    found = []
    for stat in sorted(Path("/proc").glob("[0-9]*/stat")):
        with contextlib.suppress(OSError, ValueError, IndexError):
            state, _, _, sid = stat.read_text().rpartition(")")[2].split()[:4]
            pid = int(stat.parent.name)
            if int(sid) == leader and pid != leader and state != "Z":
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                found.append(f"{pid} {state} {command.decode(errors='replace').strip()}")
    return found

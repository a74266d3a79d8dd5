"""Worker processes forked for a pool: they end with the command that started them, and
leave a Ctrl-C to it.

A terminal sends a Ctrl-C's SIGINT to its whole foreground process group, forked workers
included. A worker that KeyboardInterrupt interrupts while it sends a result back leaves
half a message in the pool's pipe: the pool's thread then waits for the rest for ever, and
the command, which joins it, with it, holding the terminal. So a worker ignores SIGINT
(the command stops the pool), and holds it back from its fork until it does.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL = 1.0  # s between a worker's checks that its parent is alive, without prctl


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Around what forks the workers: SIGINT is held back in this thread, so a worker
    starts with it held back until `start_worker` ignores it. A Ctrl-C meanwhile is the
    command's once the block ends."""
    held_back = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # Every object the command holds is moved out of reach of the workers' cycle
    # collections, which would otherwise walk (and so copy, page by page) the whole heap
    # they share with it at fork: the fonts, the suffix list, the confusables.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        signal.pthread_sigmask(signal.SIG_SETMASK, held_back)


def start_worker(parent: int) -> None:
    """A worker's first step (a pool's initializer): a Ctrl-C is for `parent`, the
    command, to handle, and the worker ends when the command does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """A worker's initializer: end the worker when the command that started it ends, even
    by SIGKILL, which gives the command no chance to stop its workers."""
    if not _parent_death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                         name="watch-parent").start()
    if os.getppid() != parent:  # the command was gone before the signal was asked for
        os._exit(1)


def _parent_death_signal(number: int) -> bool:
    """Ask Linux to send `number` to this process when its parent ends; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0) == 0)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL)
    os._exit(1)

"""What a long command says while it works: in place on a terminal, a line a stage
elsewhere, nothing when quiet."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import termios

from socialmission.model.progress import REDRAW, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_elsewhere_one_line_a_stage_and_nothing_for_each_step() -> None:
    stream = io.StringIO()
    with Progress(stream) as said:
        said.stage("validating 3 pledges")
        said.stage("rendering 3 badge folders (0 unchanged)", 3)
        for _ in range(3):
            said.step()
        said.keep()
    assert stream.getvalue() == "validating 3 pledges\nrendering 3 badge folders (0 unchanged)\n"


def test_on_a_terminal_the_line_is_rewritten_at_most_every_redraw_and_cleared() -> None:
    stream, clock = Terminal(), Clock()
    with Progress(stream, clock=clock) as said:
        said.stage("rendering 3 badge folders", 3)
        said.step()  # at once: not redrawn
        clock.now += 2 * REDRAW
        said.step()
        said.step()  # the last: always drawn
        said.stage("engine")
        said.keep()  # the engine's lines follow on lines of their own
        said.stage("filling 2 pages", 2)
    assert stream.getvalue() == (
        "\r\x1b[Krendering 3 badge folders: 0/3" "\r\x1b[Krendering 3 badge folders: 2/3"
        "\r\x1b[Krendering 3 badge folders: 3/3" "\r\x1b[Kengine\n"
        "\r\x1b[Kfilling 2 pages: 0/2" "\r\x1b[K")


def test_quiet_says_nothing_even_on_a_terminal() -> None:
    stream = Terminal()
    with Progress(stream, quiet=True) as said:
        said.stage("validating 3 pledges")
        said.stage("rendering", 2)
        said.step(2)
        said.keep()
    assert stream.getvalue() == ""


def test_a_line_wider_than_the_terminal_is_cut_so_that_it_never_wraps() -> None:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 20, 0, 0))
    with os.fdopen(follower, "w") as stream, Progress(stream) as said:
        said.stage("rendering 1000 badge folders (0 unchanged)", 1000)
    written = os.read(leader, 1024).decode()
    os.close(leader)
    assert written.startswith("\r\x1b[Krendering 1000 badg\r\x1b[K")  # 19 of 20 columns


def test_a_note_stays_on_a_line_of_its_own_and_the_stage_is_drawn_again() -> None:
    stream = Terminal()
    with Progress(stream) as said:
        said.stage("signing 2 credentials", 2)
        said.note("socialmission: a notice")
    assert stream.getvalue() == ("\r\x1b[Ksigning 2 credentials: 0/2\r\x1b[K"
                                 "socialmission: a notice\n"
                                 "\r\x1b[Ksigning 2 credentials: 0/2\r\x1b[K")
    plain, quiet = io.StringIO(), io.StringIO()
    Progress(plain).note("socialmission: a notice")
    Progress(quiet, quiet=True).note("socialmission: a notice")
    assert plain.getvalue() == "socialmission: a notice\n"
    assert quiet.getvalue() == ""

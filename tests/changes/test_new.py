"""`socialmission new` writes a valid pledge, checks every answer as soon as it can be
known, never overwrites, and stops cleanly at Ctrl-D or Ctrl-C.

The prompts are driven for real: the command runs in a pseudo-terminal (`pty`), answers
are typed into it and its screen is read back. Without a terminal it refuses to prompt
and says which flags to pass.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from conftest import MISSION_NAME, NAME_FITS, ROOT, VALID, Registry
from process_support import session, sigint_as_in_a_terminal
from sample_registry import write_png
from socialmission.changes import new
from socialmission.changes.new import kind_word, logo_source_problem, run_new, yes_or_no
from socialmission.changes.terminal import TerminalInput
from socialmission.check.schema import EDITOR_LINE
from socialmission.check.template import template_text
from socialmission.check.validate import validate
from socialmission.cli import build_parser, main
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import statuslist
from socialmission.model.slugs import suggest_slug
from socialmission.model.yamlread import Mapping, parse

SOCIALMISSION = Path(sys.executable).parent / "socialmission"
FLAGS = ["--name", "Café Olé Ltd", "--kind", "organisation", "--website",
         "https://cafe-ole.example.org/", "--signed", "2024-06-01", "--maintainers",
         "cafe-ole:101, barista:102", "--country", "FR", "--sector", "hospitality",
         "--statement", 'We say "bonjour" to everyone: even trolls.', "--no-input"]
# A pledge already in the registry, which answers must not clash with.
EXISTING = VALID.replace("https://www.example.net/", "https://www.example.net/")


# --- flags ----------------------------------------------------------------------------------
def test_flags_write_a_pledge_that_validates(registry: Registry) -> None:
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 0
    written = registry.pledges / "cafe-ole-ltd.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../site/schema/pledge.schema.json")
    assert 'statement: >-\n  We say "bonjour" to everyone: even trolls.\n' in text
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    (pledge,) = report.pledges
    assert (pledge.name, pledge.maintainers) == ("Café Olé Ltd", ("cafe-ole", "barista"))


def test_flags_take_a_logo_and_profiles(registry: Registry, tmp_path: Path) -> None:
    logo = tmp_path / "my logo.png"
    write_png(logo, 128)
    assert main(["--root", str(registry.root), "new", *FLAGS, "--logo", str(logo),
                 "--social", "mastodon=https://mastodon.social/@cafe",
                 "--social", "x=https://x.com/cafe"]) == 0
    assert (registry.pledges / "logos" / "cafe-ole-ltd.png").read_bytes() == logo.read_bytes()
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    (pledge,) = report.pledges
    assert pledge.logo == "logos/cafe-ole-ltd.png"
    assert [(n, u.text) for n, u in pledge.social] == [
        ("mastodon", "https://mastodon.social/@cafe"), ("x", "https://x.com/cafe")]


def test_never_overwrites(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    existing = registry.write("cafe-ole-ltd", VALID)
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == VALID


def test_a_bad_flag_is_refused_with_the_rule(registry: Registry,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*FLAGS]
    flags[flags.index("https://cafe-ole.example.org/")] = "http://localhost"
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    assert "--website: 'website' uses the scheme 'http'" in capsys.readouterr().err
    assert list(registry.pledges.glob("*.yaml")) == []


def test_cross_file_rules_apply_before_writing_and_name_no_temporary_path(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    registry.write("first", VALID.replace("https://www.example.net/",
                                          "https://cafe-ole.example.org/"))
    before = set(registry.root.iterdir())
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 1
    err = capsys.readouterr().err
    target = registry.pledges / "cafe-ole-ltd.yaml"
    assert re.search(rf"{re.escape(str(target))}:\d+:\d+: has the same website as "
                     rf"{re.escape(str(registry.pledges / 'first.yaml'))}", err), err
    assert f"Nothing was written: {target} would have these problems." in err
    # every path it names is one the signatory knows: no scratch folder
    named = set(re.findall(r"(/[^\s:]+\.yaml)", err))
    assert named == {str(target), str(registry.pledges / "first.yaml")}
    assert not target.exists() and set(registry.root.iterdir()) == before


def test_every_maintainer_is_given_with_its_id(registry: Registry,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*FLAGS]
    flags[flags.index("cafe-ole:101, barista:102")] = "cafe-ole:101, barista"
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    assert ("--maintainers: 'maintainers' needs each account's id, as login:id, such as "
            "octocat:583231 (https://api.github.com/users/barista shows the id): got "
            "'barista'") in capsys.readouterr().err
    assert list(registry.pledges.glob("*.yaml")) == []


@pytest.mark.parametrize(("flag_and_value", "code", "says"), [
    (("--slug", "com1"), 2, "'com1' is a device name on Windows, where no checkout can hold a "
                          "file of that name"),
    (("--name", "Socially-M"), 1, "'name' is, or looks like, the issuer's name, 'Socially-M'"),
    (("--website", "https://news.example.net/"), 1, "has a website on the same site as "),
])
def test_a_new_pledge_takes_no_reserved_slug_registry_name_or_others_site(
        registry: Registry, capsys: pytest.CaptureFixture[str],
        flag_and_value: tuple[str, str], code: int, says: str) -> None:
    flag, value = flag_and_value
    registry.write("first", VALID.replace("Harbour Media Ltd", "First"))  # www.example.net
    flags = [*FLAGS, flag, value] if flag == "--slug" else \
        [value if item == FLAGS[FLAGS.index(flag) + 1] else item for item in FLAGS]
    assert main(["--root", str(registry.root), "new", *flags]) == code
    assert says in capsys.readouterr().err
    assert [p.name for p in registry.pledges.glob("*.yaml")] == ["first.yaml"]


def test_the_kind_may_be_said_in_other_words(registry: Registry) -> None:
    flags = [*FLAGS]
    flags[flags.index("organisation")] = "Organization"
    assert main(["--root", str(registry.root), "new", *flags]) == 0
    assert "\nkind: organisation\n" in (registry.pledges / "cafe-ole-ltd.yaml").read_text()


@pytest.mark.parametrize(("name", "slug"), [
    ("Café Olé Ltd", "cafe-ole-ltd"), ("  ACME -- Corp.  ", "acme-corp"), ("株式会社", ""),
])
def test_suggest_slug(name: str, slug: str) -> None:
    assert suggest_slug(name) == slug


def test_non_latin_name_needs_a_slug(registry: Registry,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*FLAGS]
    flags[1] = "株式会社さくら"
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    assert "add --slug VALUE" in capsys.readouterr().err
    assert main(["--root", str(registry.root), "new", *flags, "--slug", "sakura"]) == 0
    assert Path(registry.pledges / "sakura.yaml").is_file()
    assert isinstance(build_parser(), argparse.ArgumentParser)


def test_no_input_lists_every_missing_flag(registry: Registry,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(registry.root), "new", "--no-input", "--name", "Zoë"]) == 2
    err = capsys.readouterr().err
    assert "every required answer must be a flag: add --kind VALUE --website VALUE " \
           "--maintainers VALUE" in err


def test_a_ctrl_c_while_writing_leaves_nothing_half_written(
        registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A Ctrl-C between the logo's file and the pledge's writes neither."""
    logo = tmp_path / "logo.png"
    write_png(logo, 128)
    create = new._create

    def interrupted_after(*args: Any) -> None:
        create(*args)
        os.kill(os.getpid(), signal.SIGINT)  # as a Ctrl-C does, just after the logo

    monkeypatch.setattr(new, "_create", interrupted_after)
    assert main(["--root", str(registry.root), "new", *FLAGS, "--logo", str(logo)]) == 130
    assert capsys.readouterr().err == "socialmission: interrupted\n"
    assert sorted(p.name for p in registry.pledges.iterdir()) == ["logos"]
    assert list((registry.pledges / "logos").iterdir()) == []


def test_a_terminal_that_cannot_be_opened_again_is_said(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_name(fd: int) -> str:
        raise OSError(errno.ENOTTY, os.strerror(errno.ENOTTY))

    monkeypatch.setattr(os, "ttyname", no_name)
    with pytest.raises(UsageError, match=re.escape(
            f"new cannot open its terminal again to read the answers "
            f"({os.strerror(errno.ENOTTY)}): give them as flags, with --no-input")), \
            TerminalInput(0):
        pass


# --- the answers' readers ---------------------------------------------------------------------
@pytest.mark.parametrize(("answer", "kind", "nearest"), [
    ("organisation", "organisation", None), ("Organisation", "organisation", None),
    ("organization", "organisation", None), ("ORG", "organisation", None),
    (" Individual ", "individual", None), ("person", "individual", None),
    ("PERSON", "individual", None),
    ("orgnisation", None, "organisation"), ("indiviual", None, "individual"),
    ("persn", None, "individual"), ("company", None, None), ("", None, None),
    ("<script>", None, None),
])
def test_kind_words(answer: str, kind: str | None, nearest: str | None) -> None:
    assert kind_word(answer) == (kind, nearest)


@pytest.mark.parametrize(("answer", "default", "meaning"), [
    ("yes", False, True), ("Y", False, True), (" YES ", False, True), ("n", True, False),
    ("No", True, False), ("", True, True), ("", False, False), ("yep", True, None),
    ("0", True, None), ("ja", False, None),
])
def test_yes_or_no(answer: str, default: bool, meaning: bool | None) -> None:
    assert yes_or_no(answer, default) is meaning


def test_a_logo_is_checked_by_the_validators_rules(tmp_path: Path) -> None:
    good, small, text = tmp_path / "good.png", tmp_path / "small.png", tmp_path / "x.png"
    write_png(good, 128)
    write_png(small, 16)
    text.write_text("<svg onload=alert(1)>", encoding="utf-8")
    big = tmp_path / "big.png"
    big.write_bytes(good.read_bytes() + b"\0" * (c.LOGO_MAX_BYTES + 1))
    link = tmp_path / "link.png"
    link.symlink_to(good)
    assert logo_source_problem(good) is None
    assert logo_source_problem(tmp_path / "none.png") == (
        f"there is no file at {tmp_path / 'none.png'}: give the path to your logo, a PNG file")
    assert logo_source_problem(tmp_path) == (
        f"{tmp_path} is a folder: give the path to the logo's PNG file in it")
    assert "16x16 pixels; each side must be 64 to 1024: resize it" in str(
        logo_source_problem(small))
    assert "export it again as PNG" in str(logo_source_problem(text))
    assert "the limit is" in str(logo_source_problem(big))
    assert "not a link" in str(logo_source_problem(link))


STATEMENT = ("We signed because our community deserves care, not campaigns, and because we "
             "want to be held to it in public, by everyone who reads this.")


def template_filled(registry: Registry, values: dict[str, str]) -> str:
    """The template with each field of `values` (YAML after its colon) in place of its
    sample, the fields not answered left out, under the written pledge's own header."""
    kept = [f"{EDITOR_LINE}\n# A signatory's pledge. Guide: site/sign.md"]
    for block in template_text(registry.mission, MISSION_NAME).rstrip("\n").split("\n\n")[1:]:
        lines = block.split("\n")
        entry = next((i for i, line in enumerate(lines) if not line.startswith("#")), None)
        if entry is None:
            kept += [block] if block.startswith(("# Required", "# Optional")) else []
            continue
        key = lines[entry].split(":")[0]
        if key in values:
            gap = "" if values[key].startswith("\n") else " "
            kept.append("\n".join([*lines[:entry], f"{key}:{gap}{values[key]}"]))
    return "\n\n".join(kept) + "\n"


def test_the_written_pledge_is_the_template_filled_with_the_answers(
        registry: Registry, tmp_path: Path) -> None:
    """Its keys in the template's order, under the template's sections and notes; plain
    values where they read back unchanged (a bare NO would not), the statement folded."""
    logo = tmp_path / "logo.png"
    write_png(logo, 128)
    assert main(["--root", str(registry.root), "new", "--no-input",
                 "--name", "Zoë: Example #1", "--kind", "individual",
                 "--website", "https://zoe.example.com/", "--signed", "2024-06-01",
                 "--maintainers", "zoe:1, carol:2", "--country", "no", "--sector", "media",
                 "--statement", STATEMENT, "--statement-url",
                 "https://zoe.example.com/we-signed", "--logo", str(logo),
                 "--social", "mastodon=https://mastodon.social/@zoe",
                 "--social", "x=https://x.com/zoe", "--slug", "zoe"]) == 0
    written = (registry.pledges / "zoe.yaml").read_text(encoding="utf-8")
    assert written == template_filled(registry, {
        "name": '"Zoë: Example #1"',  # plain, it would not read back as typed
        "kind": "individual", "website": "https://zoe.example.com/",
        "signed": "2024-06-01", "mission_version": "1",
        "maintainers": "\n  - login: zoe\n    id: 1\n  - login: carol\n    id: 2",
        "country": '"NO"', "sector": "media",
        "statement": ">-\n  We signed because our community deserves care, not campaigns, "
                     "and because we\n  want to be held to it in public, by everyone who "
                     "reads this.",
        "statement_url": "https://zoe.example.com/we-signed", "logo": "logos/zoe.png",
        "social": "\n  mastodon: https://mastodon.social/@zoe\n  x: https://x.com/zoe"}) + (
        # not in the template (the tools write it): the revocation index, last, which is
        # model/statuslist.py's first choice for zoe's signature 1
        "\n# Your signature's place in the registry's revocation list, picked for you: never"
        "\n# change it.\nstatus_index: 11421\n")
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.problems == [] and report.warnings == []
    (zoe,) = report.pledges
    assert zoe.status_indexes == (statuslist.first_choice("zoe", 1),)
    assert (zoe.name, zoe.country, zoe.statement) == ("Zoë: Example #1", "NO", STATEMENT)


# --- prompts, in process ---------------------------------------------------------------------
def test_prompts_ask_again_until_the_answer_is_valid(
        registry: Registry, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["Zoë Example", "", "person", "ftp://zoe", "https://zoe.example.com",
                    "", "", "@zoe", "zoe", "zoe:1", "", "", "", "", "", "", ""])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    args = build_parser().parse_args(["new"])
    assert run_new(args, registry.pledges, registry.mission, NAME_FITS,
                   ask=lambda _: next(answers)) == 0
    errors = capsys.readouterr().err
    assert "'website' uses the scheme 'ftp'" in errors
    assert "write the login without '@'" in errors
    assert "'maintainers' needs each account's id, as login:id" in errors
    assert (registry.pledges / "zoe-example.yaml").is_file()
    assert "\nkind: individual\n" in (registry.pledges / "zoe-example.yaml").read_text()
    assert validate([registry.pledges], registry.mission, name_fits=NAME_FITS).ok


# --- prompts, on a real terminal -------------------------------------------------------------
STARTED: list[Terminal] = []


@pytest.fixture(autouse=True)
def _no_command_left_running() -> Iterator[None]:
    yield
    while STARTED:
        STARTED.pop().stop()


def _controlling_terminal() -> None:
    """In the child, after setsid: the pty becomes its terminal, so Ctrl-C there is SIGINT
    to its foreground process group, and SIGINT is as a terminal's jobs get it."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    sigint_as_in_a_terminal()


class Terminal:
    """`socialmission new` in a pseudo-terminal: what it shows, and what is typed."""

    def __init__(self, registry: Registry, *args: str, stderr: int | None = None,
                 env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen(
            [str(SOCIALMISSION), "--root", str(registry.root), "new", *args],
            stdin=slave, stdout=slave, stderr=slave if stderr is None else stderr,
            cwd=registry.root, start_new_session=True,
            preexec_fn=_controlling_terminal,  # noqa: PLW1509
            env={**os.environ, "SOURCE_DATE_EPOCH": "1780272000",  # 2026-06-01
                 **(env or {})})
        os.close(slave)
        self.screen = ""
        self.seen = 0  # how much of the screen `expect` has passed
        STARTED.append(self)

    def ended(self) -> bool:
        """Whether the command has ended, without reaping it: until it is reaped its
        process id, which is its group's and session's, cannot be anyone else's."""
        return self.process.returncode is not None or os.waitid(
            os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None

    def stop(self) -> None:
        """End the command and everything it started (its process group), if a failed
        test left them running."""
        if self.process.returncode is None:  # not reaped: the group is still its own
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            end = time.monotonic() + 60
            while session(self.process.pid) and time.monotonic() < end:
                time.sleep(0.01)  # the rest of the group, dying
            self.process.wait(timeout=60)
        with contextlib.suppress(OSError):
            os.close(self.master)

    def _read(self, timeout: float) -> bool:
        """Read what the terminal shows; False once nothing holds it open any more."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: every process has closed the terminal
            return False
        if not data:
            return False
        self.screen += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str, timeout: float = 30) -> str:
        """Wait until `text` shows after what was expected last; what came before it."""
        end = time.monotonic() + timeout
        while (at := self.screen.find(text, self.seen)) < 0:
            if time.monotonic() > end or not self._read(0.2):
                raise AssertionError(f"never showed {text!r}; the screen:\n"
                                     f"{self.screen[self.seen:]}")
        shown = self.screen[self.seen:at]
        self.seen = at + len(text)
        return shown

    def answer(self, prompt: str, text: str) -> str:
        shown = self.expect(prompt)
        os.write(self.master, text.encode("utf-8") + b"\n")
        return shown

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """Wait for the command to end and its terminal to close, then its status and
        what it showed. After `timeout` seconds, or if it left a process behind, fail
        saying which, and kill its process group."""
        end = time.monotonic() + timeout
        while self._read(0.2):
            if time.monotonic() > end:
                held = (f"ended, but its terminal is still held open by "
                        f"{session(self.process.pid)}" if self.ended() else
                        "is still running")
                self.stop()
                raise AssertionError(f"the command {held} after {timeout} s; the "
                                     f"screen:\n{self.screen[self.seen:]}")
        while not self.ended():  # closing the terminal is not yet exiting
            if time.monotonic() > end:
                self.stop()
                raise AssertionError(f"the command closed its terminal but is still "
                                     f"running after {timeout} s; the screen:\n"
                                     f"{self.screen[self.seen:]}")
            time.sleep(0.01)
        if left := session(self.process.pid):
            self.stop()
            raise AssertionError(f"the command ended and left running: {left}")
        code = self.process.wait()
        self.stop()
        return code, self.screen[self.seen:]


# What a command may leave behind, and what the harness then says (within `finish`'s time).
LEFT_BEHIND = {
    "holds the terminal": ("trap '' HUP; sleep 300 &",
                           "ended, but its terminal is still held open by ['"),
    "lets go of the terminal": ("trap '' HUP; sleep 300 </dev/null >/dev/null 2>&1 &",
                                "ended and left running: ['"),
    "never ends": ("sleep 300", "is still running after 3 s"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(LEFT_BEHIND))
def test_the_harness_fails_clearly_and_kills_what_a_command_left(
        registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        case: str) -> None:
    """A command that does not end, or leaves a process behind, fails its test with what
    is left, instead of hanging it; and nothing of it is left running."""
    script, says = LEFT_BEHIND[case]
    program = tmp_path / "program"
    program.write_text(f"#!/bin/sh\necho started\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys.modules[__name__], "SOCIALMISSION", program)
    term = Terminal(registry)
    with pytest.raises(AssertionError, match=re.escape(says)):
        term.finish(timeout=3)
    assert session(term.process.pid) == []


@pytest.fixture
def neighbour(registry: Registry) -> Path:
    return registry.write("example-media", VALID)


HOSTILE_NAME = 'Zoë "Z" <b>&amp;</b> {{ 7*7 }} \\ Co'
HOSTILE_STATEMENT = 'We say "hi" & <script>alert(1)</script>: {% raw %} ]]> \\n'


@pytest.mark.slow
def test_a_terminal_session_checks_each_answer_when_it_can_be_known(
        registry: Registry, neighbour: Path, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    write_png(logo, 128)
    not_png = tmp_path / "logo.txt"
    not_png.write_text("GIF89a", encoding="utf-8")
    term = Terminal(registry)
    # each answer's feedback shows before the next prompt: what `answer` returns
    term.answer("Name to show (organisation or person): ", "")
    shown = term.answer("Name to show", "Harbour Media Ltd")  # the neighbour's own name
    assert "'name' is required." in shown
    shown = term.answer("Name to show", "\u041d\u0430rbour Media Ltd")  # Cyrillic Н and а
    assert ("'name' has the same name as pledges/example-media.yaml: each signatory signs "
            "once; if this is the same signatory, update that pledge instead") in shown
    shown = term.answer("Name to show", "SOCIALLY-M")
    assert "'name' has a name that looks like the one in pledges/example-media.yaml" in shown
    shown = term.answer("Name to show", HOSTILE_NAME)
    assert "'name' is, or looks like, the issuer's name, 'Socially-M'" in shown
    # the file name is asked next, from the name, and checked at once
    shown = term.answer("which becomes your page's address [zoe-z-b-amp-b-7-7-co]: ",
                        "example-media")
    assert "'name'" not in shown
    shown = term.answer("File name (slug)", "Zoe_Co")
    assert ("pledges/example-media.yaml already exists: choose another file name, or edit "
            "that pledge if it is yours") in shown
    shown = term.answer("File name (slug)", "zoe-co")
    assert "the file name (slug) is the signatory's address in the registry" in shown
    term.answer("Kind (organisation or individual): ", "orgnisation")
    shown = term.answer("Kind", "Org")
    assert "did you mean 'organisation'?" in shown
    term.answer("Website (https://...): ", "https://www.example.net/")
    shown = term.answer("Website", "https://shop.example.net/")
    assert "'website' has the same website as pledges/example-media.yaml" in shown
    shown = term.answer("Website", "https://zoe.example.com/")
    assert "'website' has a website on the same site as pledges/example-media.yaml" in shown
    # a date before the mission version is found once the version is answered
    term.answer("Date signed (YYYY-MM-DD) [2026-06-01]: ", "2020-01-01")
    shown = term.answer("Mission version [1]: ", "")
    assert "before" not in shown  # nothing is said of the date before the version is known
    shown = term.answer("Date signed (YYYY-MM-DD) [2020-01-01]: ", "2024-02-03")
    assert "'signed' (2020-01-01) is before mission version 1 was published" in shown
    assert "asking again from there (press Enter to keep an answer)" in shown
    term.answer("Mission version [1]: ", "")
    term.answer("GitHub accounts who may update this pledge", "@zoe")
    shown = term.answer("GitHub accounts who may update this pledge", "zoe")
    assert "write the login without '@'" in shown
    shown = term.answer("GitHub accounts who may update this pledge", "zoe:12345")
    assert "'maintainers' needs each account's id, as login:id" in shown
    term.answer("Country, its name or ISO code such as GB (optional): ", "korea")
    shown = term.answer("Country", "gb")  # a code in any case, written in capitals
    assert ("'country' 'korea' may mean KP (Korea, Democratic People's Republic of) or KR "
            "(Korea, Republic of): give the code of the one you mean") in shown
    term.answer("Sector, one of", "")
    term.answer("Why you signed, at most 500 characters (optional): ", HOSTILE_STATEMENT)
    term.answer("Page on your website announcing it (optional): ",
                "https://zoe.example.net/we-signed")
    shown = term.answer("Page on your website announcing it (optional): ",
                        "https://news.zoe.example.com/we-signed")
    assert "'statement_url' must be on the website's own domain (example.com)" in shown
    term.answer("Logo: the path to a PNG", str(tmp_path / "missing.png"))
    shown = term.answer("Logo: the path to a PNG", str(not_png))
    assert f"there is no file at {tmp_path / 'missing.png'}" in shown
    shown = term.answer("Logo: the path to a PNG", str(logo))
    assert "export it again as PNG" in shown
    term.answer("which networks?", "mastodn, X")
    shown = term.answer("which networks?", "Mastodon, X")
    assert "there is no network 'mastodn' here: did you mean 'mastodon'?" in shown
    term.answer("mastodon profile address", "https://mastodon.social/@zoe")
    term.answer("x profile address", "https://evil.example.org/@zoe")
    shown = term.answer("x profile address", "https://x.com/zoe")
    assert "'social.x' must be on x.com" in shown
    shown = term.answer("Write pledges/zoe-co.yaml? (yes/no) [yes]: ", "YES")
    assert "profile address" not in shown  # only the networks named are asked
    assert "  country: GB\n" in shown and "  social.x: https://x.com/zoe\n" in shown
    code, rest = term.finish()
    assert code == 0, rest
    assert "wrote pledges/zoe-co.yaml and pledges/logos/zoe-co.png" in rest
    assert "Traceback" not in term.screen and "/tmp" not in term.screen.replace(
        str(tmp_path), "")
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.problems == []
    zoe = next(p for p in report.pledges if p.slug == "zoe-co")
    assert (zoe.name, zoe.kind, zoe.statement) == (HOSTILE_NAME, "organisation",
                                                   HOSTILE_STATEMENT)
    assert (zoe.signed.isoformat(), zoe.maintainers, zoe.logo) == (
        "2024-02-03", ("zoe",), "logos/zoe-co.png")
    assert "  - login: zoe\n    id: 12345\n" in (registry.pledges / "zoe-co.yaml").read_text()
    root = parse((registry.pledges / "zoe-co.yaml").read_text(encoding="utf-8"))
    assert isinstance(root, Mapping) and "kind" in root.items


@pytest.mark.slow
def test_a_terminal_session_says_what_it_asks_reads_answers_kindly_and_sums_up(
        registry: Registry) -> None:
    term = Terminal(registry)
    shown = term.answer("Name to show (organisation or person): ", "Zoë Example")
    assert shown == ("This asks 7 questions to write your pledge in pledges/, then 6 "
                     "optional ones (press Enter to skip one); each answer is checked as you "
                     "give it, and nothing is written until you say yes at the end. Ctrl-C "
                     "stops at any time.\n")
    term.answer("File name (slug)", "")
    term.answer("Kind (organisation or individual): ", "Person")
    shown = term.answer("Website (https://...): ", "zoe.example.com")
    assert shown.split("\n", 1)[1] == "  'kind' taken as individual\n"  # after the answer's echo
    shown = term.answer("Date signed", "")
    assert shown.split("\n", 1)[1] == "  'website' taken as https://zoe.example.com/\n"
    term.answer("Mission version", "")
    term.answer("GitHub accounts who may update this pledge", "zoe:1")
    term.answer("Country, its name or ISO code such as GB (optional): ", "United Kingdom")
    shown = term.answer("Sector, one of", "Arts and Culture")
    assert shown.split("\n", 1)[1] == "  'country' taken as GB (United Kingdom)\n"
    for prompt in ("Why you signed", "Page on your website", "Logo"):
        term.answer(prompt, "")
    term.answer("Profiles on social networks: which networks? (bluesky, facebook, "
                "instagram, linkedin, mastodon, threads, tiktok, x, youtube; "
                "comma-separated, Enter for none): ", "x")
    shown = term.answer("x profile address (https://...) (Enter: none): ", "https://x.com/zoe")
    assert "profile address" not in shown  # the one network named, and no other
    shown = term.answer("Write pledges/zoe-example.yaml? (yes/no) [yes]: ", "")
    assert shown.split("\n", 1)[1] == (
        "Your pledge, pledges/zoe-example.yaml:\n  name: Zoë Example\n  kind: individual\n"
        "  website: https://zoe.example.com/\n  signed: 2026-06-01\n  mission_version: 1\n"
        "  maintainers: zoe:1\n  country: GB\n  sector: arts-and-culture\n"
        "  social.x: https://x.com/zoe\n")
    code, rest = term.finish()
    assert code == 0, rest
    assert "(optional) (optional)" not in term.screen
    assert "\ncountry: GB\nsector: arts-and-culture\n" in (
        registry.pledges / "zoe-example.yaml").read_text(encoding="utf-8").replace(
        "\n\n", "\n").replace(
        "# One of: agency, arts-and-culture, charity, consulting, education, finance,\n"
        "# government, healthcare, hospitality, manufacturing, media, nonprofit,\n"
        "# professional-services, public-sector, retail, sport, technology, travel, other\n",
        "")


@pytest.mark.slow
@pytest.mark.parametrize(("key", "code", "message"), [
    (b"\x04", 1, "socialmission: new: stopped at the end of the input (Ctrl-D): nothing "
                 "was written"),
    (b"\x03", 130, "socialmission: new: interrupted (Ctrl-C): nothing was written"),
])
def test_ctrl_d_and_ctrl_c_stop_cleanly_and_write_nothing(
        registry: Registry, neighbour: Path, key: bytes, code: int, message: str) -> None:
    term = Terminal(registry)
    term.answer("Name to show", "Zoë Example")
    term.answer("File name (slug)", "")
    term.answer("Kind", "person")
    term.expect("Website (https://...): ")
    term.press(key)
    status, rest = term.finish()
    assert status == code
    lines = [line for line in rest.splitlines() if line.strip() not in {"", "^C", "^D"}]
    assert lines == [message]
    assert "Traceback" not in term.screen
    assert sorted(p.name for p in registry.pledges.iterdir()) == ["example-media.yaml", "logos"]
    assert list((registry.pledges / "logos").iterdir()) == []


def _full_pipe() -> tuple[int, int]:
    """A pipe (read end, write end) whose write end cannot take one more byte."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # the smallest, a page
    os.set_blocking(write_end, False)
    with contextlib.suppress(BlockingIOError):
        while True:
            os.write(write_end, b"." * 512)
    os.set_blocking(write_end, True)
    return read_end, write_end


def _wait_blocked_writing_to_a_pipe(term: Terminal, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while "pipe_write" not in Path(f"/proc/{term.process.pid}/wchan").read_text():
        assert not term.ended(), f"the command ended; the screen:\n{term.screen}"
        assert time.monotonic() < end, "the command never blocked writing its first prompt"
        time.sleep(0.01)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux's /proc")
def test_a_ctrl_c_between_the_prompt_and_the_read_is_not_lost(registry: Registry) -> None:
    """A Ctrl-C typed as the prompt is written, before the answer is read, ends the command
    as surely as a later one: the race a quick hand or a busy machine runs. Held there
    deterministically: the prompts go to a full pipe, so the command blocks writing the
    first, and the Ctrl-C comes then. input() lost it: the signal only set a flag, and
    the read that followed waited for more typing."""
    errors, held = _full_pipe()
    term = Terminal(registry, stderr=held)
    os.close(held)
    _wait_blocked_writing_to_a_pipe(term)
    term.press(b"\x03")
    shown = b""
    end = time.monotonic() + 30
    while select.select([errors], [], [], max(0, end - time.monotonic()))[0]:
        if not (data := os.read(errors, 4096)):
            break
        shown += data
    os.close(errors)
    status, _ = term.finish(timeout=30)
    assert status == 130, shown
    assert shown.decode().splitlines()[-1] == \
        "socialmission: new: interrupted (Ctrl-C): nothing was written"
    assert sorted(p.name for p in registry.pledges.iterdir()) == ["logos"]


@pytest.mark.slow
def test_bytes_that_are_not_utf8_are_refused_by_the_rule_not_a_crash(
        registry: Registry) -> None:
    """Typed in a UTF-8 locale such as en_US.UTF-8, where Python reads standard input
    strictly (as PYTHONIOENCODING says here, whatever this machine's locales)."""
    term = Terminal(registry, env={"PYTHONIOENCODING": "utf-8:strict"})
    term.expect("Name to show (organisation or person): ")
    term.press(b"Zo\xff\n")
    shown = term.expect("Name to show (organisation or person): ")
    assert "'name' contains a lone surrogate (U+DCFF) at character 3: delete it" in shown
    term.press(b"\x04")
    status, _ = term.finish()
    assert status == 1
    assert "Traceback" not in term.screen


@pytest.mark.slow
def test_saying_no_at_the_end_writes_nothing(registry: Registry) -> None:
    term = Terminal(registry, "--name", "Zoë Example", "--kind", "individual",
                    "--website", "https://zoe.example.com/", "--maintainers", "zoe:1")
    for prompt in ("File name (slug)", "Date signed", "Mission version", "Country",
                   "Sector", "Why you signed", "Page on your website", "Logo"):
        term.answer(prompt, "")
    term.answer("which networks?", "")
    term.answer("Write pledges/zoe-example.yaml? (yes/no) [yes]: ", "no")
    code, rest = term.finish()
    assert (code, rest.strip().splitlines()) == (1, ["no", "Nothing was written."])
    assert list(registry.pledges.glob("*.yaml")) == []


def test_without_a_terminal_it_says_which_flags_to_pass(registry: Registry) -> None:
    result = subprocess.run([str(SOCIALMISSION), "--root", str(registry.root), "new"],
                            input="Zoë Example\nindividual\n", capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr == (
        "socialmission: new asks its questions on a terminal, and standard input is not "
        "one: run it in a terminal, or give the answers as flags: add --name VALUE --kind "
        "VALUE --website VALUE --maintainers VALUE (and any of the optional ones: "
        "socialmission new --help)\n")
    assert "is required" not in result.stderr
    assert list(registry.pledges.glob("*.yaml")) == []


def test_the_refusal_in_process(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Zoë\n"))
    assert main(["--root", str(registry.root), "new", "--website", "https://z.example.com/"]) \
        == 2
    assert "add --name VALUE --kind VALUE --maintainers VALUE" in capsys.readouterr().err


def test_a_logo_of_any_proportions_is_asked_for_and_shown_whole(
        registry: Registry, tmp_path: Path) -> None:
    """The validator takes a logo of any proportions, so neither the question nor the
    template asks for a square one, and the directory letterboxes it (the signatory
    page and the wall already scale it in its proportions), never stretching it."""
    wide = tmp_path / "wide.png"
    Image.new("RGB", (300, 100), (20, 90, 200)).save(wide)  # a 3:1 wordmark
    assert logo_source_problem(wide) is None
    asked = {key: prompt for key, prompt, _ in new.questions()}
    template = template_text(registry.mission, MISSION_NAME)
    assert "square" not in asked["logo"] and "square" not in template
    css = (ROOT / "site" / "assets" / "registry.css").read_text(encoding="utf-8")
    assert re.search(r"\.sm-logo \{ object-fit: contain; \}", css)


def test_the_help_names_no_marker_and_says_optional_once(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "{sectors}" not in shown and "(optional) on one of" not in shown
    assert "--social NETWORK=URL a profile address (https://...) on one of" in shown

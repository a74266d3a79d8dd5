"""`new` given the website of a withdrawn pledge: that signatory signs once, so it offers
to sign that pledge again (on a terminal, driven through a pty) or says the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_new import (
    FLAGS,
    Terminal,
    _no_command_left_running,  # noqa: F401 - its clean-up, here too
)

from conftest import OWNED, Registry
from socialmission.cli import main

WITHDRAWN = OWNED + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
SIGNED_AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + (
    # the terminal's day; the revocation index, model/statuslist.py's first choice
    "signed_again:\n  - signed: 2026-06-01\n    mission_version: 1\n"
    "    status_index: 113585\n")


@pytest.fixture
def withdrawn(registry: Registry) -> Path:
    return registry.write("harbour-media", WITHDRAWN)  # www.example.net


def start(registry: Registry) -> Terminal:
    """A terminal session of `new` up to its website question, answered with the
    withdrawn pledge's website (without www: the same site)."""
    term = Terminal(registry)
    term.answer("Name to show", "Harbour Media")
    term.answer("File name (slug)", "")  # its own name's: that file is there
    shown = term.answer("File name (slug)", "harbour")
    assert ("pledges/harbour-media.yaml already exists: choose another file name, or edit "
            "that pledge if it is yours (pledges are never overwritten); it is withdrawn: to "
            "sign it again, give its website, or run socialmission sign-again harbour-media"
            ) in shown
    term.answer("Kind", "organisation")
    term.answer("Website (https://...): ", "https://example.net/")
    return term


@pytest.mark.slow
def test_new_offers_to_sign_a_withdrawn_pledge_again_and_does_it(
        registry: Registry, withdrawn: Path) -> None:
    term = start(registry)
    shown = term.answer("Sign pledges/harbour-media.yaml again, today (2026-06-01), for "
                        "mission version 1? (yes/no) [yes]: ", "")
    assert shown.split("\n", 1)[1] == (
        "  pledges/harbour-media.yaml has this website, and was withdrawn on 2025-01-31 by "
        "its maintainers: each signatory signs once. Signing it again keeps its own answers "
        "(to change them afterwards: socialmission update harbour-media).\n")
    code, rest = term.finish()
    assert code == 0, rest
    assert "signed the pledge again on 2026-06-01 (mission version 1) in " \
           "pledges/harbour-media.yaml: commit it and open a pull request" in rest
    assert withdrawn.read_text(encoding="utf-8") == SIGNED_AGAIN
    assert sorted(p.name for p in registry.pledges.glob("*.yaml")) == ["harbour-media.yaml"]


@pytest.mark.slow
def test_saying_no_asks_for_another_website(registry: Registry, withdrawn: Path) -> None:
    term = start(registry)
    term.answer("(yes/no) [yes]: ", "maybe")
    shown = term.answer("(yes/no) [yes]: ", "no")
    assert "answer yes or no (y or n)" in shown
    shown = term.answer("Website (https://...): ", "https://harbour.example.org/")
    assert "then give another website: a new pledge never takes a signatory's website " \
           "(Ctrl-C stops)" in shown
    term.expect("Date signed")
    term.press(b"\x03")
    code, _ = term.finish()
    assert code == 130
    assert withdrawn.read_text(encoding="utf-8") == WITHDRAWN


@pytest.mark.slow
def test_a_registry_withdrawal_is_not_offered(registry: Registry) -> None:
    path = registry.write("harbour-media", WITHDRAWN + "withdrawn_by: registry\n")
    term = start(registry)
    shown = term.expect("Website (https://...): ")
    assert shown.split("\n", 1)[1] == (
        "  pledges/harbour-media.yaml has this website, and was withdrawn on 2025-01-31 by "
        "the registry's maintainers: each signatory signs once, and only the registry's "
        "maintainers sign it again: ask them, or give another website\n")
    assert "again, today" not in shown
    term.press(b"\x03")
    assert term.finish()[0] == 130
    assert path.read_text(encoding="utf-8") == WITHDRAWN + "withdrawn_by: registry\n"


def flags_with_website(website: str) -> list[str]:
    return [website if item == "https://cafe-ole.example.org/" else item for item in FLAGS]


@pytest.mark.parametrize(("extra", "says"), [
    ("", "--website: pledges/harbour-media.yaml has this website, and was withdrawn on "
         "2025-01-31 by its maintainers: each signatory signs once; to sign that pledge "
         "again, run socialmission sign-again harbour-media"),
    ("withdrawn_by: registry\n",
     "--website: pledges/harbour-media.yaml has this website, and was withdrawn on "
     "2025-01-31 by the registry's maintainers: each signatory signs once, and only the "
     "registry's maintainers sign it again: ask them, or give another website"),
])
def test_without_prompts_it_names_the_command(
        registry: Registry, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, extra: str, says: str) -> None:
    path = registry.write("harbour-media", WITHDRAWN + extra)
    monkeypatch.chdir(registry.root)
    assert main(["new", *flags_with_website("https://www.example.net/")]) == 2
    assert capsys.readouterr().err == f"socialmission: {says}\n"
    assert path.read_text(encoding="utf-8") == WITHDRAWN + extra
    assert sorted(p.name for p in registry.pledges.glob("*.yaml")) == ["harbour-media.yaml"]


def test_a_second_pledge_for_a_withdrawn_one_is_told_to_sign_it_again(
        registry: Registry) -> None:
    registry.write("harbour-media", WITHDRAWN)
    registry.write("harbour-again", OWNED.replace("Harbour Media Ltd", "Harbour Again"))
    messages = {name: message for name, _, _, message in registry.problems()}
    assert messages["harbour-again.yaml"] == (
        f"has the same website as {registry.pledges}/harbour-media.yaml: each signatory "
        "signs once; if this is the same signatory, sign that pledge again instead: "
        "socialmission sign-again harbour-media, or the change form's 'Sign again'")
    assert messages["harbour-media.yaml"].endswith("if this is the same signatory, update "
                                                   "that pledge instead")


def test_a_second_pledge_for_one_the_registry_withdrew_is_told_to_ask_them(
        registry: Registry) -> None:
    registry.write("harbour-media", WITHDRAWN + "withdrawn_by: registry\n")
    registry.write("harbour-again", OWNED.replace("Harbour Media Ltd", "Harbour Again"))
    messages = {name: message for name, _, _, message in registry.problems()}
    assert messages["harbour-again.yaml"].endswith(
        "each signatory signs once; if this is the same signatory, ask the registry's "
        "maintainers, who withdrew that pledge and alone sign it again")

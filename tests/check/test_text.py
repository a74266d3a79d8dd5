"""The Unicode rules for what signatories type, checked against Unicode's own data."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from importlib import resources

import pytest
import regex

from socialmission.check import text
from socialmission.check.rules import run, url
from socialmission.check.text import (
    JOINERS,
    fold,
    forbidden_character,
    forbidden_in_url,
    host_skeleton,
    most_marks,
    skeleton,
)
from socialmission.model.constants import MAX_MARKS
from socialmission.model.ignorables import DEFAULT_IGNORABLE
from socialmission.model.yamlread import Scalar

EVERY_CODE_POINT = "".join(map(chr, range(sys.maxunicode + 1)))  # surrogates included
DI: list[str] = regex.findall(r"\p{DI}", EVERY_CODE_POINT)
BIDI_CONTROLS: list[str] = regex.findall(r"\p{Bidi_Control}", EVERY_CODE_POINT)
VARIATION_SELECTORS = [chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]]


def confusables() -> dict[str, str]:
    """confusables.txt read here on its own: source character -> prototype."""
    data = resources.files("socialmission.check").joinpath("data", "confusables.txt")
    table = {}
    for line in data.read_text(encoding="utf-8-sig").splitlines():
        if line.strip() and not line.startswith("#"):
            source, prototype = line.split(";")[:2]
            table[chr(int(source, 16))] = "".join(chr(int(h, 16)) for h in prototype.split())
    return table


def uts39_skeleton(value: str, table: dict[str, str]) -> str:
    """UTS #39 section 4's skeleton, as written there."""
    nfd = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFD", "".join(table.get(c, c) for c in nfd))


# --- the invisible characters ------------------------------------------------------------
def test_the_default_ignorables_are_exactly_unicodes() -> None:
    ours = DEFAULT_IGNORABLE.findall(EVERY_CODE_POINT)
    assert ours == DI
    assert set(BIDI_CONTROLS) <= set(DI)
    assert len(BIDI_CONTROLS) == 12


def test_every_default_ignorable_is_refused_in_a_name() -> None:
    allowed_here = set(JOINERS)  # between two letters, as in Persian: tested below
    for char in DI:
        if char in allowed_here:
            continue
        for value in (f"Northwind{char} Media", f"Nor{char}thwind", f"Media{char}"):
            found = forbidden_character(value)
            assert found is not None, f"U+{ord(char):04X} in {value!r}"
            assert found[0] == value.index(char)
            assert f"U+{ord(char):04X}" in found[1]


def test_names_meet_without_the_characters_that_draw_as_nothing() -> None:
    for char in DI:
        assert fold(f"Northwind{char} Media") == fold("Northwind Media"), hex(ord(char))
        assert skeleton(f"Nor{char}thwind Media") == skeleton("Northwind Media"), \
            hex(ord(char))


@pytest.mark.parametrize(("value", "message"), [
    ("Northwind Media\u3164", "an invisible character (U+3164 HANGUL FILLER)"),
    ("Nor\u034fthwind Media", "an invisible character (U+034F COMBINING GRAPHEME JOINER)"),
    ("Green Valley FC\u115f", "an invisible character (U+115F HANGUL CHOSEONG FILLER)"),
    ("Green\ufe00 Valley FC", "a variation selector (U+FE00) that does not follow a Han "
                              "character"),
    ("I \u2764\ufe0f Acme", "a variation selector (U+FE0F) that does not follow a Han "
                            "character"),
    ("\U0001f468\u200d\U0001f469 Family", "a zero-width joiner (U+200D) that does not join "
                                          "two letters"),
    ("\u845b\U000e0100\U000e0101", "a variation selector (U+E0101) that does not follow a "
                                   "Han character"),
])
def test_the_review_examples_are_refused(value: str, message: str) -> None:
    found = forbidden_character(value)
    assert found is not None
    assert found[1] == message


@pytest.mark.parametrize("value", [
    "\u845b\U000e0100\u57ce",  # an ideographic variation sequence: 葛 with a glyph picked
    "\u8279\ufe00",  # a standardised variation sequence on a Han character
    "\u06a9\u200c\u0647",  # Persian: ZWNJ between two letters
    "\u0915\u094d\u200d\u0937",  # Devanagari: ZWJ after a virama (a mark) asks a half form
])
def test_what_scripts_need_is_kept(value: str) -> None:
    assert forbidden_character(value) is None


def test_every_variation_selector_is_allowed_after_han_only() -> None:
    for char in VARIATION_SELECTORS:
        assert forbidden_character(f"\u6f22{char}\u5b57") is None
        assert forbidden_character(f"Acme{char}") is not None
        assert forbidden_character(f"\u6f22{char}{char}") is not None  # doubled


def test_every_bidi_control_is_refused_in_every_url() -> None:
    for char in BIDI_CONTROLS:
        for value in (f"https://example.org/{char}gro.elpmaxe", f"https://exa{char}mple.org/",
                      f"https://mastodon.social/@{char}you"):
            found = forbidden_in_url(value)
            assert found is not None and found[0] == value.index(char), hex(ord(char))
            findings, clean = run(url("website", Scalar(1, 10, value, plain=True,
                                                        value=value)))
            assert clean is None
            assert [f.message.split(" at character")[0] for f in findings] == [
                f"'website' contains {found[1]}"]


def test_every_default_ignorable_is_refused_in_a_url() -> None:
    for char in DI:  # joiners too: an address has no word to join
        assert forbidden_in_url(f"https://exa{char}mple.org/") is not None, hex(ord(char))


# --- combining marks ---------------------------------------------------------------------
def test_the_marks_cap_leaves_room_for_every_script_the_badges_draw() -> None:
    from names_by_script import NAMES

    deepest = max(most_marks(name)[1] for name in NAMES.values())
    assert deepest == 2  # Vietnamese, counted decomposed: the cap's measurement
    assert deepest * 4 <= MAX_MARKS < 30  # well above real text, below stream-safe's 30


def test_marks_are_counted_decomposed_per_character() -> None:
    assert most_marks("Nguyễn") == (4, 2)
    assert most_marks("Nguye\u0323\u0302n") == (4, 2)
    assert most_marks("a" + "\u0301" * 98) == (0, 98)
    assert most_marks("ab" + "\u0301" * 3 + "c" + "\u0301" * 5) == (5, 5)
    assert most_marks("\u0301\u0301x") == (0, 2)  # marks with no base count too
    assert most_marks("plain ASCII") == (-1, 0)



def marks_one_by_one(value: str) -> tuple[int, int]:
    """most_marks as its docstring says it: each character with the marks after it, and
    every mark counted decomposed, one character at a time."""
    clusters: list[list[int]] = []  # [index of the first character, marks]
    for index, char in enumerate(value):
        marks = sum(unicodedata.category(c)[0] == "M"
                    for c in unicodedata.normalize("NFD", char))
        if clusters and unicodedata.category(char)[0] == "M":
            clusters[-1][1] += marks
        else:
            clusters.append([index, marks])
    first, most = max(clusters, key=lambda cluster: cluster[1], default=[-1, 0])
    return (first, most) if most else (-1, 0)


MARKS = [chr(code) for code in range(sys.maxunicode + 1)
         if unicodedata.category(chr(code))[0] == "M"]
CARRIERS = [chr(code) for code in range(sys.maxunicode + 1)
            if unicodedata.category(chr(code))[0] != "M"
            and unicodedata.normalize("NFD", chr(code)) != chr(code)]


@pytest.mark.parametrize("chars", [MARKS, CARRIERS], ids=["marks", "precomposed"])
def test_marks_are_counted_as_one_character_at_a_time(chars: list[str]) -> None:
    for char in chars:
        for value in (char, f"a{char}", f"a{char}{char}b", f"{char}x{char}{char}", f"é{char}"):
            assert most_marks(value) == marks_one_by_one(value), ascii(value)


# --- look-alikes -------------------------------------------------------------------------
def test_the_shipped_confusables_file_is_the_one_the_readme_names() -> None:
    folder = resources.files("socialmission.check").joinpath("data")
    data = folder.joinpath("confusables.txt").read_bytes()
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert b"# Version: 13.0.0" in data
    assert "**version 13.0.0**" in readme
    assert hashlib.sha256(data).hexdigest() in readme
    assert "UNICODE LICENSE V3" in folder.joinpath("LICENSE-Unicode.txt").read_text(
        encoding="utf-8")


def test_every_multi_character_confusable_meets_its_prototype() -> None:
    table = confusables()
    multi = {source: prototype for source, prototype in table.items() if len(prototype) > 1}
    assert len(multi) > 2000  # the file's own count, not a hand list
    checked = 0
    for source, prototype in multi.items():
        if uts39_skeleton(source, table) != uts39_skeleton(prototype, table):
            continue  # NFD takes a few precomposed sources past their entry (ơ)
        checked += 1
        assert skeleton(f"Acme {source} Ltd") == skeleton(f"Acme {prototype} Ltd"), \
            f"U+{ord(source):04X} -> {prototype!r}"
    assert checked > 2000


def test_what_uts39_confuses_always_meets_on_a_sample_of_the_data() -> None:
    table = confusables()
    for source in sorted(table)[::7]:  # single- and multi-character prototypes alike
        prototype = table[source]
        if uts39_skeleton(source, table) == uts39_skeleton(prototype, table):
            assert skeleton(source) == skeleton(prototype), f"U+{ord(source):04X}"
    assert skeleton("Microsoft Social") == skeleton("Rnicrosoft Social")
    assert host_skeleton("rnicrosoft.com") == host_skeleton("microsoft.com")


def test_the_docstring_examples_are_true() -> None:
    table = confusables()
    assert skeleton("ACME Inc.") == skeleton("АСМЕ Inc")  # Cyrillic capitals
    assert skeleton("ＡＣＭＥ") == skeleton("Acme")
    assert table["м"] == "ʍ" and skeleton("Асме Inc") != skeleton("Acme Inc")
    assert host_skeleton("gооgle.com") == host_skeleton("google.com")  # Cyrillic о
    assert host_skeleton("ab-c.org") != host_skeleton("abc.org")
    assert text.skeleton.__doc__ is not None and "'м' to 'ʍ'" in text.skeleton.__doc__

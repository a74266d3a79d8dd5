"""The default-ignorable code points are declared once, as Unicode has them, and the
validator and the badge renderer both go by that declaration."""

from __future__ import annotations

import sys

import regex

from socialmission.check.text import forbidden_in_url
from socialmission.model.ignorables import DEFAULT_IGNORABLE, DEFAULT_IGNORABLE_RANGES
from socialmission.render.shaping import is_default_ignorable

EVERY_CODE_POINT = "".join(map(chr, range(sys.maxunicode + 1)))  # surrogates included
DI: list[str] = regex.findall(r"\p{Default_Ignorable_Code_Point}", EVERY_CODE_POINT)
# The code points just outside each range, which are not default-ignorable.
BESIDE = sorted({chr(code) for low, high in DEFAULT_IGNORABLE_RANGES
                 for code in (low - 1, high + 1)} - set(DI))


def test_the_declaration_is_unicodes_property() -> None:
    assert DEFAULT_IGNORABLE.findall(EVERY_CODE_POINT) == DI
    assert "".join(chr(low) for low, _ in DEFAULT_IGNORABLE_RANGES) == "".join(
        run[0] for run in regex.findall(r"\p{DI}+", EVERY_CODE_POINT))


def test_the_badge_renderer_skips_exactly_the_default_ignorables() -> None:
    # It once left out U+FFF0-FFF8 (unassigned, and default-ignorable all the same).
    assert [c for c in DI if not is_default_ignorable(c)] == []
    assert [c for c in BESIDE if is_default_ignorable(c)] == []
    assert all(is_default_ignorable(chr(code)) for code in range(0xFFF0, 0xFFF9))


def test_the_validator_refuses_them_and_not_their_neighbours() -> None:
    # In a URL every default-ignorable is refused; the characters beside them that are
    # printable are not.
    assert all(forbidden_in_url(f"https://a{c}b.org/") for c in DI)
    printable = [c for c in BESIDE if c.isprintable()]
    assert printable
    assert not [c for c in printable if forbidden_in_url(f"https://a{c}b.org/")]

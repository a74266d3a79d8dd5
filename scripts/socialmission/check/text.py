"""Unicode rules for what signatories type, and the keys that find look-alike names."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

# Joiners that some scripts need inside words (Persian, Devanagari, emoji sequences). They
# are allowed only between two letters or marks, never at an edge or doubled.
JOINERS = frozenset({"\u200c", "\u200d"})
# General categories never allowed: controls, format characters (bidirectional overrides,
# zero-width spaces, BOM...), surrogates, private use, unassigned, line and paragraph
# separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_CATEGORY_NAMES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character (bidirectional or zero-width)",
    "Cs": "a lone surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def forbidden_character(text: str, allow_newlines: bool = False) -> tuple[int, str] | None:
    """The index and description of the first character a signatory may not type."""
    # str.isprintable() is False exactly for the forbidden categories (joiners are Cf)
    # and for spaces other than ' ', so printable text needs no look at each character.
    if (text.replace("\n", "") if allow_newlines else text).isprintable():
        return None
    for index, char in enumerate(text):
        if allow_newlines and char == "\n":
            continue
        category = unicodedata.category(char)
        if char in JOINERS:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if before and after and unicodedata.category(before)[0] in "LM" \
                    and unicodedata.category(after)[0] in "LM":
                continue
            return index, (f"a zero-width joiner (U+{ord(char):04X}) that does not join "
                           "two letters")
        if category in FORBIDDEN_CATEGORIES:
            return index, f"{_CATEGORY_NAMES[category]} (U+{ord(char):04X})"
    return None


def has_visible_character(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


def fold(text: str) -> str:
    """Case- and compatibility-folded form: 'ＡＣＭＥ  Ltd' and 'acme ltd' fold alike."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.translate(_NO_JOINERS)
    return " ".join(folded.split())


_NO_JOINERS = dict.fromkeys(map(ord, JOINERS))


@cache
def _prototypes() -> dict[str, str]:
    """Map each confusable character to one representative of its look-alike class.

    The data is Unicode's confusables list (UTS #39) as shipped by confusable-homoglyphs;
    its pairs are joined into classes, each represented by its ASCII member where there is
    one, else its smallest code point.
    """
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    pairs: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        root = char
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(char, char) != root:  # path compression
            parent[char], char = root, parent[char]
        return root

    def better(a: str, b: str) -> str:
        return min(a, b, key=lambda c: (not c.isascii(), ord(c)))

    for char, homoglyphs in pairs.items():
        if len(char) != 1:
            continue
        for entry in homoglyphs:
            other = entry["c"]
            if len(other) != 1:
                continue
            a, b = find(char), find(other)
            if a != b:
                keep = better(a, b)
                parent[a] = parent[b] = keep
                parent[keep] = keep
    return {char: find(char) for char in parent}


def skeleton(text: str) -> str:
    """A look-alike key: names with the same skeleton are hard to tell apart on screen.

    UTS #39's skeleton (NFD, map to prototypes, NFD) over the folded name, ignoring
    spaces and punctuation, so 'Acme Inc.' and 'ACME Inc' and 'Асме Inc' (Cyrillic) meet.
    """
    # Map before folding case (Cyrillic 'А' looks like 'A', not like 'a'), then fold
    # and map again so both cases of a letter meet.
    once = _nfd(unicodedata.normalize("NFKC", text)).translate(_prototype_table())
    return _nfd(once.casefold()).translate(_SKELETON_TABLE)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@cache
def _prototype_table() -> dict[int, str]:
    """_prototypes() as a str.translate() table."""
    return {ord(char): prototype for char, prototype in _prototypes().items()}


class _SkeletonTable(dict[int, str]):
    """A str.translate() table, filled as characters are met: each character's prototype,
    or nothing for joiners, spaces and punctuation, which a skeleton leaves out."""

    def __missing__(self, code: int) -> str:
        char = _prototypes().get(chr(code), chr(code))
        keep = char not in JOINERS and not char.isspace() \
            and unicodedata.category(char)[0] != "P"
        self[code] = char if keep else ""
        return self[code]


_SKELETON_TABLE = _SkeletonTable()

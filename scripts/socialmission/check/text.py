"""Unicode rules for what signatories type, and the keys that find look-alike names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import resources

from socialmission.model.ignorables import DEFAULT_IGNORABLE

# Joiners that some scripts need inside words (Persian's ZWNJ, Devanagari's half forms).
# They are allowed only between two letters or marks, never at an edge or doubled; so
# emoji ZWJ sequences (joiners between symbols) are refused, as are emoji presentation
# selectors (see VARIATION_SELECTORS).
JOINERS = frozenset({"\u200c", "\u200d"})
# Variation selectors are allowed only where a script needs them: after a Han character,
# where an ideographic variation sequence picks a registered glyph of it. Anywhere else
# (after a Latin letter, or an emoji) they change nothing a reader can see.
VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
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


# The UTS #39 confusables data this checkout ships (see data/README.md for its version).
CONFUSABLES_FILE = "confusables.txt"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def forbidden_character(text: str, allow_newlines: bool = False) -> tuple[int, str] | None:
    """The index and description of the first character a signatory may not type."""
    # str.isprintable() is False exactly for the forbidden categories (joiners are Cf)
    # and for spaces other than ' '; the default-ignorable characters it misses (a
    # Hangul filler, a variation selector...) are found by one search.
    if (text.replace("\n", "") if allow_newlines else text).isprintable() \
            and not DEFAULT_IGNORABLE.search(text):
        return None
    for index, char in enumerate(text):
        if allow_newlines and char == "\n":
            continue
        before = text[index - 1] if index else ""
        if char in JOINERS:
            after = text[index + 1] if index + 1 < len(text) else ""
            if before and after and unicodedata.category(before)[0] in "LM" \
                    and unicodedata.category(after)[0] in "LM":
                continue
            return index, (f"a zero-width joiner (U+{ord(char):04X}) that does not join "
                           "two letters")
        if VARIATION_SELECTORS.match(char):
            if _is_han(before):
                continue
            return index, (f"a variation selector (U+{ord(char):04X}) that does not follow "
                           "a Han character")
        if invisible := _invisible(char):
            return index, invisible
    return None


def _invisible(char: str) -> str | None:
    """What a control, format or other invisible character is, as a message names it."""
    category = unicodedata.category(char)
    if category in FORBIDDEN_CATEGORIES:
        return f"{_CATEGORY_NAMES[category]} (U+{ord(char):04X})"
    if DEFAULT_IGNORABLE.match(char):
        return f"an invisible character (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
    return None


def forbidden_in_url(text: str) -> tuple[int, str] | None:
    """The index and description of the first invisible or control character in a URL.

    A web address has no use for any of them (not even a joiner): a bidirectional
    override would reverse the address as the page shows it.
    """
    if text.isprintable() and not DEFAULT_IGNORABLE.search(text):
        return None
    for index, char in enumerate(text):
        if invisible := _invisible(char):
            return index, invisible
    return None


def _is_han(char: str) -> bool:
    # The Han ideographs are exactly the characters Unicode names 'CJK UNIFIED
    # IDEOGRAPH-...' or 'CJK COMPATIBILITY IDEOGRAPH-...'.
    return bool(char) and unicodedata.name(char, "").startswith(
        ("CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"))


def most_marks(text: str) -> tuple[int, int]:
    """The index of the character that carries the most combining marks, and how many.

    Marks are counted decomposed (NFD), so 'ễ' carries two, however it was typed; a
    character's marks are the marks that follow it. (-1, 0) when there are none.
    """
    if text.isascii():
        return -1, 0
    counts = text.translate(_MARK_COUNTS)
    if len(counts) == len(text):  # no mark stands alone: each character's are its own
        most = max(counts)
        return (counts.index(most), ord(most)) if most != "\0" else (-1, 0)
    best_index, best, run, base = -1, 0, 0, 0
    for index, char in enumerate(text):
        is_mark, marks = _MARKS[char]
        if is_mark and index:
            run += marks
        else:
            run, base = marks, index
        if run > best:
            best_index, best = base, run
    return best_index, best


class _Marks(dict[str, tuple[bool, int]]):
    """Each character met: whether it is a combining mark, and the marks it carries
    decomposed (NFD), itself included."""

    def __missing__(self, char: str) -> tuple[bool, int]:
        marks = sum(unicodedata.category(c)[0] == "M"
                    for c in unicodedata.normalize("NFD", char))
        self[char] = found = (unicodedata.category(char)[0] == "M", marks)
        return found


class _MarkCounts(dict[int, str]):
    """A str.translate() table, filled as characters are met: each character that is not
    a combining mark as chr(the marks it carries decomposed); a mark as nothing."""

    def __missing__(self, code: int) -> str:
        is_mark, marks = _MARKS[chr(code)]
        self[code] = counted = "" if is_mark else chr(marks)
        return counted


_MARKS = _Marks()
_MARK_COUNTS = _MarkCounts()


def has_visible_character(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LNPS" and not DEFAULT_IGNORABLE.match(c)
               for c in text)


def fold(text: str) -> str:
    r"""Case- and compatibility-folded form, without the characters that draw as nothing:
    'ＡＣＭＥ  Ltd', 'acme ltd' and 'ac\u200cme ltd' fold alike."""
    folded = DEFAULT_IGNORABLE.sub("", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


@cache
def _prototypes() -> dict[int, str]:
    """UTS #39's confusables: each source character's prototype, as a str.translate() table.

    A prototype may be several characters ('m' → 'rn'); sources are single code points.
    """
    source = resources.files("socialmission.check").joinpath("data", CONFUSABLES_FILE)
    table: dict[int, str] = {}
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue  # a comment or a blank line
        table[int(fields[0], 16)] = "".join(chr(int(code, 16)) for code in fields[1].split())
    return table


def skeleton(text: str) -> str:
    """A look-alike key: names with the same skeleton are hard to tell apart on screen.

    UTS #39's skeleton (NFD, map each character to its prototype, NFD), then folded for
    compatibility and case and mapped again, ignoring spaces, punctuation and characters
    that draw as nothing. So two names UTS #39 calls confusable always meet: 'ACME Inc.'
    and 'АСМЕ Inc' (Cyrillic capitals), 'Microsoft' and 'Rnicrosoft' ('m' is confusable
    with 'rn'), 'ＡＣＭＥ' and 'Acme'. But 'Асме' with a small Cyrillic em (м) does not
    meet 'Acme': UTS #39 maps 'м' to 'ʍ', not to 'm'.
    """
    return _fold_and_map(_uts39_skeleton(text), _NAME_TABLE, str.casefold)


def host_skeleton(host: str) -> str:
    """The look-alike key of a host name in Unicode form: 'gооgle.com' with Cyrillic 'о's
    meets 'google.com'. Dots and hyphens are kept: 'ab-c.org' is not 'abc.org'; and case
    is lowered, not folded: 'straße.de' is not 'strasse.de' (IDNA 2008 tells them apart)."""
    return _fold_and_map(_uts39_skeleton(host), _HOST_TABLE, str.lower)


def _uts39_skeleton(text: str) -> str:
    return _nfd(_nfd(text).translate(_prototypes()))


def _fold_and_map(skeleton: str, table: _SkeletonTable, fold_case: Callable[[str], str]) -> str:
    # Folding after the first mapping keeps every pair UTS #39 confuses together, and
    # mapping again lets both cases of a letter meet (Cyrillic 'М' maps to 'M', which
    # folds to 'm', which maps to 'rn').
    return _nfd(_nfd(fold_case(unicodedata.normalize("NFKC", skeleton))).translate(table))


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class _SkeletonTable(dict[int, str]):
    """A str.translate() table, filled as characters are met: each character's prototype,
    without what the skeleton leaves out."""

    def __init__(self, drop_spacing: bool) -> None:
        super().__init__()
        self.drop_spacing = drop_spacing  # spaces and punctuation, for names

    def __missing__(self, code: int) -> str:
        char = chr(code)
        prototype = _prototypes().get(code, char)
        kept = "" if DEFAULT_IGNORABLE.match(char) else "".join(
            c for c in prototype if not DEFAULT_IGNORABLE.match(c)
            and not (self.drop_spacing and (c.isspace() or unicodedata.category(c)[0] == "P")))
        self[code] = kept
        return kept


_NAME_TABLE = _SkeletonTable(drop_spacing=True)
_HOST_TABLE = _SkeletonTable(drop_spacing=False)

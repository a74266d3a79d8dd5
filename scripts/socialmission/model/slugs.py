"""A signatory's slug: the pledge's file name and its page's address."""

from __future__ import annotations

import unicodedata

from socialmission.model import constants as c


def slug_problem(slug: str) -> str | None:
    """A slug is 2-64 lower-case letters, digits and single hyphens, neither a name the
    site keeps for its own pages nor a device name Windows reserves (con, prn, aux, nul,
    com0-com9, lpt0-lpt9). What is wrong with `slug`, as the end of a sentence about it,
    or None.

    The one slug rule: the validator, both issue forms, the life-cycle commands and `new`
    all ask it."""
    if not (c.SLUG_MIN <= len(slug) <= c.SLUG_MAX) or not c.SLUG_RE.match(slug):
        return (f"must be {c.SLUG_MIN}-{c.SLUG_MAX} lower-case letters, digits and single "
                "hyphens")
    if slug in c.RESERVED_SLUGS:
        return "is reserved for the registry's own pages"
    if slug in c.WINDOWS_DEVICE_SLUGS:
        return ("is a device name on Windows, where no checkout can hold a file of that "
                "name")
    return None


def suggest_slug(text: str) -> str:
    """An ASCII slug from a display name or a bad file name: 'Café Olé Ltd' -> 'cafe-ole-ltd'.

    Accents are dropped (NFKD, then ASCII only); every other run of non-alphanumeric
    characters becomes one hyphen. The result may be empty (a name in a script with no
    ASCII letters) or reserved: callers check it like any slug."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    return "-".join(words)[: c.SLUG_MAX].strip("-")

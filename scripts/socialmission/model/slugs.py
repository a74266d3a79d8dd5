"""A signatory's slug: the pledge's file name and its page's address."""

from __future__ import annotations

import unicodedata

from socialmission.model import constants as c


def suggest_slug(text: str) -> str:
    """An ASCII slug from a display name or a bad file name: 'Café Olé Ltd' -> 'cafe-ole-ltd'.

    Accents are dropped (NFKD, then ASCII only); every other run of non-alphanumeric
    characters becomes one hyphen. The result may be empty (a name in a script with no
    ASCII letters) or reserved: callers check it like any slug."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    return "-".join(words)[: c.SLUG_MAX].strip("-")

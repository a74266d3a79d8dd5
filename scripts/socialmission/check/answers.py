"""Forgiving answers, strict files: what a signatory types, read as the value a pledge holds.

One normaliser a field, each a function whose docstring says what it accepts, declared
here once and used by every route that takes typed answers: `socialmission new`'s flags
and prompts (changes/new.py), the sign form (changes/issueform.py) and the change form
(changes/changeform.py). A normaliser never decides whether a value is valid: the field's
rule (check/rules.py) still judges what it returns, so an answer it does not understand is
returned as typed and refused there with the rule's own message. The file always holds
the strict form (`country: GB`, never `gb` or `United Kingdom`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from socialmission.model import constants as c
from socialmission.model.mission import Mission


@dataclass(frozen=True)
class Reading:
    """An answer as the file will hold it. `value` is the answer as typed when it is not
    understood (the field's rule then says why) or ambiguous; `candidates` lists, for an
    ambiguous answer, each value it may mean with what it is ("KR (Korea, Republic of)")."""

    value: str
    candidates: tuple[str, ...] = ()
    meaning: str = ""  # what a value read from other words stands for ("Viet Nam")

    @property
    def said(self) -> str:
        """The value as said back to the signatory: "VN (Viet Nam)", or the value."""
        return f"{self.value} ({self.meaning})" if self.meaning else self.value

    def ambiguous_message(self, key: str, typed: str) -> str:
        """What to say of an ambiguous answer: the candidates to choose from."""
        return (f"'{key}' {typed!r} may mean {' or '.join(self.candidates)}: give the "
                "code of the one you mean")


# Words for a kind beside the kinds themselves, in any case.
KIND_WORDS: Final[Mapping[str, str]] = {"organization": "organisation",
                                        "org": "organisation", "person": "individual"}
# What people call a country, in any case, where ISO 3166-1 and its English names do not
# (UK is a code ISO reserves for GB; the nations of the United Kingdom are GB).
COUNTRY_ALIASES: Final[Mapping[str, str]] = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "usa": "US",
    "america": "US", "uae": "AE", "holland": "NL", "ivory coast": "CI", "cape verde": "CV",
    "turkey": "TR", "drc": "CD", "dr congo": "CD", "swaziland": "SZ", "burma": "MM",
}
NAME_SEARCH_MIN: Final = 3  # letters: a shorter name is a code, never a part of a name
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _folded(text: str) -> str:
    """Text compared without case, accents or extra spaces ("Côte" is "cote")."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).split())


@cache
def _country_names() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each country's code, with its English names (name, official and common) and its
    three-letter code, folded."""
    import pycountry  # noqa: PLC0415 - its data loads only when a country is typed

    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for country in pycountry.countries:
        names = [getattr(country, attribute, None)
                 for attribute in ("name", "official_name", "common_name", "alpha_3")]
        found[country.alpha_2] = tuple((_folded(name), name) for name in names if name)
    return found


def _named(code: str) -> Reading:
    return Reading(code, meaning=_country_names()[code][0][1])


def country(answer: str, mission: Mission) -> Reading:
    """A country: its ISO 3166-1 alpha-2 code in any case (`gb`), its alpha-3 code (`DEU`),
    a name of COUNTRY_ALIASES (`UK`, `England`), or its English name in any case and with
    or without accents, whole (`united kingdom`, `Viet Nam`, `Vietnam`, `Cote d'Ivoire`)
    or the start of words in just one country's names (`Britain`, `Russia`); a name in
    several countries' (`Korea`) is ambiguous, with each of them as a candidate."""
    typed = answer.strip()
    names = _country_names()
    if typed.upper() in names:
        return Reading(typed.upper())
    folded = _folded(typed)
    if folded in COUNTRY_ALIASES:
        return _named(COUNTRY_ALIASES[folded])
    if len(folded) < NAME_SEARCH_MIN:
        return Reading(answer)
    exact = [code for code, known in names.items() if any(f == folded for f, _ in known)]
    words = re.compile(rf"(?<!\w){re.escape(folded)}")
    near = exact or [code for code, known in names.items()
                     if any(words.search(f) for f, _ in known)]
    if len(near) == 1:
        return _named(near[0])
    return Reading(answer, tuple(_named(code).said for code in sorted(near)))


def kind(answer: str, mission: Mission) -> Reading:
    """A kind in any case (`Organisation`), or one of KIND_WORDS (`organization`, `org`,
    `person`)."""
    word = answer.strip().casefold()
    if word in c.KINDS:
        return Reading(word)
    return Reading(KIND_WORDS.get(word, answer))


def sector(answer: str, mission: Mission) -> Reading:
    """One of the mission's sectors in any case, spaces for hyphens (`Arts and Culture`)."""
    word = "-".join(answer.strip().casefold().split())
    return Reading(word if word in mission.sectors else answer)


def web_address(answer: str, mission: Mission) -> Reading:
    """An https address, or one without its scheme: a bare domain (`example.org`) is read
    as `https://example.org/`, and a domain with a path (`example.org/news`) gets
    `https://` before it. Anything with a scheme (`http://`) is left to the rule."""
    typed = answer.strip()
    if not typed or _SCHEME.match(typed) or any(ch.isspace() for ch in typed):
        return Reading(answer)
    host, slash, _ = typed.partition("/")
    if "." not in host or ":" in host or "@" in host:
        return Reading(answer)
    return Reading(f"https://{typed}" if slash else f"https://{typed}/")


Normaliser = Callable[[str, Mission], Reading]
# The fields whose answers are read by a normaliser; every other answer is taken as typed.
NORMALISERS: Final[Mapping[str, Normaliser]] = {
    "kind": kind, "website": web_address, "country": country, "sector": sector,
    "statement_url": web_address,
}


def normalise(key: str, answer: str, mission: Mission) -> Reading:
    """The answer to the field `key` as the file will hold it (see Reading)."""
    reader = NORMALISERS.get(key)
    return reader(answer, mission) if reader is not None else Reading(answer)

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

    def ambiguous_message(self, key: str, typed: str) -> str:
        """What to say of an ambiguous answer: the candidates to choose from."""
        return (f"'{key}' {typed!r} may mean {' or '.join(self.candidates)}: give the "
                "code of the one you mean")


# Words for a kind beside the kinds themselves, in any case.
KIND_WORDS: Final[Mapping[str, str]] = {"organization": "organisation",
                                        "org": "organisation", "person": "individual"}
# Codes people type that ISO 3166-1 reserves for a country it codes otherwise.
COUNTRY_ALIASES: Final[Mapping[str, str]] = {"UK": "GB"}
NAME_SEARCH_MIN: Final = 3  # letters: a shorter name is a code, never a part of a name
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@cache
def _country_names() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each country's code, with its English names (name, official and common) folded."""
    import pycountry  # noqa: PLC0415 - its data loads only when a country is typed

    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for country in pycountry.countries:
        names = [getattr(country, attribute, None)
                 for attribute in ("name", "official_name", "common_name")]
        found[country.alpha_2] = tuple((name.casefold(), name) for name in names if name)
    return found


def country(answer: str, mission: Mission) -> Reading:
    """A country: its ISO 3166-1 alpha-2 code in any case (`gb`; `UK` for GB), or its
    English name in any case, whole (`united kingdom`, `Viet Nam`, `Vietnam`) or the start
    of words in just one country's names (`Britain`, `Russia`); a name in several
    countries' (`Korea`) is ambiguous, with each of them as a candidate."""
    typed = answer.strip()
    code = COUNTRY_ALIASES.get(typed.upper(), typed.upper())
    names = _country_names()
    if code in names:
        return Reading(code)
    folded = " ".join(typed.casefold().split())
    if len(folded) < NAME_SEARCH_MIN:
        return Reading(answer)
    exact = [code for code, known in names.items() if any(f == folded for f, _ in known)]
    if len(exact) == 1:
        return Reading(exact[0])
    words = re.compile(rf"(?<!\w){re.escape(folded)}")
    near = exact or [code for code, known in names.items()
                     if any(words.search(f) for f, _ in known)]
    if len(near) == 1:
        return Reading(near[0])
    return Reading(answer, tuple(f"{code} ({names[code][0][1]})" for code in sorted(near)))


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

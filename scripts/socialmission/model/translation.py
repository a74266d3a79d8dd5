"""A translation of the mission: what it holds, its language's tag and its direction.

A translation is one file a published version and language,
`translations/v<N>/<language>.yaml` (model/paths.py: `translation_file`), read and
checked by check/translations.py, whose field table says what each key holds. Only the
mission's text is translated; the signed text is always the original, which a
translation names by its version.

A language is a BCP 47 tag (RFC 5646). `parse_tag` checks it strictly: the tag's grammar
(RFC 5646, section 2.1), written in its conventional case (`pt-BR`, `zh-Hant`, `sr-Latn`),
with a primary language subtag that ISO 639 knows (its two-letter code where it has one),
a script that ISO 15924 knows, a region that ISO 3166-1 or the UN M.49 areas IANA
registers know (pycountry's data, which the validator already reads for countries); no
extended language subtag (write `yue`, not `zh-yue`), private-use or grandfathered tag,
and no variant or extension given twice. Two tags are the same language when they are
equal ignoring case (`same_language`): `fr` and `fr-CA` are two languages, as their
readers are.

Its direction (`direction`, the `dir` its pages carry) follows its script, by one rule:
right to left when the tag's script subtag is a right-to-left script (RTL_SCRIPTS), or,
without one, when the language is written right to left by default (RTL_LANGUAGES:
Arabic, Hebrew, Persian, Urdu...); left to right otherwise. A language written in a
right-to-left script only sometimes says so with its script (`pa-Arab`, `az-Arab`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final, Literal

import pycountry

Direction = Literal["ltr", "rtl"]

# ISO 15924's right-to-left scripts: those Unicode encodes (their letters' bidirectional
# class is R or AL, which tests/check/test_translations.py checks over every letter of each
# script Unicode knows), and those it does not encode as such: ISO 15924's variants of
# Arabic and Syriac (Aran, Syre, Syrj, Syrn), Book Pahlavi (Phlv), and Garay (Gara, Unicode
# 16, after Python 3.11's Unicode data).
RTL_SCRIPTS: Final = frozenset({
    "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Gara", "Hatr", "Hebr",
    "Hung", "Khar", "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo",
    "Orkh", "Ougr", "Palm", "Phli", "Phlp", "Phlv", "Phnx", "Prti", "Rohg", "Samr", "Sarb",
    "Sogd", "Sogo", "Syrc", "Syre", "Syrj", "Syrn", "Thaa", "Yezi"})
# The languages written right to left when their tag names no script: those whose
# Unicode CLDR locale without a script runs right to left (the test compares the two, on
# every locale CLDR has, through babel's copy of it).
RTL_LANGUAGES: Final = frozenset({
    "apc", "ar", "bal", "bgn", "ckb", "dv", "fa", "he", "ks", "lrc", "mzn", "nqo", "ps",
    "rhg", "sd", "sdh", "skr", "syr", "trw", "ug", "ur", "yi"})
# The UN M.49 areas IANA registers as region subtags (a country is its ISO 3166-1 code).
M49_AREAS: Final = frozenset({
    "001", "002", "003", "005", "009", "011", "013", "014", "015", "017", "018", "019",
    "021", "029", "030", "034", "035", "039", "053", "054", "057", "061", "142", "143",
    "145", "150", "151", "154", "155", "202", "419"})
TAG_MAX: Final = 35  # characters: what RFC 5646 (4.4.1) asks every implementation to take

# RFC 5646's langtag, in parts; subtags are ASCII letters and digits between hyphens.
_LANGUAGE = r"(?P<language>[A-Za-z]{2,3})(?P<extlang>(?:-[A-Za-z]{3}){1,3})?"
_SCRIPT = r"(?:-(?P<script>[A-Za-z]{4}))?"
_REGION = r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
_VARIANTS = r"(?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)"
_EXTENSIONS = r"(?P<extensions>(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*)"
_PRIVATE = r"(?P<private>-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
LANGTAG: Final = re.compile(
    _LANGUAGE + _SCRIPT + _REGION + _VARIANTS + _EXTENSIONS + _PRIVATE)
# The tags parse_tag takes, as the schema says them (an ECMA-262 expression that means the
# same in Python): LANGTAG in its conventional case, without extended language or
# private-use subtags. What ISO's lists know, and no subtag twice, only the validator says.
TAG_PATTERN: Final = (r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?"
                      r"(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(-[0-9a-wyz](-[a-z0-9]{2,8})+)*$")
# A tag made only of private-use subtags, or one of RFC 5646's grandfathered tags.
_PRIVATE_ONLY = re.compile(r"[Xx](?:-[A-Za-z0-9]{1,8})+")
_GRANDFATHERED: Final = frozenset(tag.casefold() for tag in (
    "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon",
    "i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR",
    "sgn-BE-NL", "sgn-CH-DE", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu",
    "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang"))
TAG_RULE: Final = (
    "a BCP 47 language tag in its conventional case, such as fr, pt-BR, zh-Hant or "
    "sr-Latn: an ISO 639 language (its two-letter code where it has one), then, if "
    "needed, an ISO 15924 script and an ISO 3166-1 region")


@dataclass(frozen=True)
class Tag:
    """A language tag, checked: its subtags as the tag writes them."""

    text: str
    language: str
    script: str | None
    region: str | None


class TagError(ValueError):
    """Why a text is not a language tag the registry takes: the message says what to
    write instead."""


def parse_tag(text: str) -> Tag:
    """`text` as a language tag (the module's docstring says which), or TagError."""
    found = LANGTAG.fullmatch(text) if len(text) <= TAG_MAX else None
    if text.casefold() in _GRANDFATHERED or _PRIVATE_ONLY.fullmatch(text):
        raise TagError(f"{text!r} is a grandfathered or private-use tag, which names no "
                       f"language every reader knows: write {TAG_RULE}")
    if found is None:
        raise TagError(f"{text[:TAG_MAX + 5]!r} is not a BCP 47 language tag: write {TAG_RULE}")
    if found["extlang"] or found["private"]:
        raise TagError(f"{text!r} has an extended language or private-use subtag: write the "
                       "language's own ISO 639 code (yue, not zh-yue) and nothing private")
    variants = found["variants"].casefold().split("-")[1:]
    # after the language, a one-character subtag is an extension's singleton
    singletons = [part for part in text.casefold().split("-")[1:] if len(part) == 1]
    if len(set(variants)) != len(variants) or len(set(singletons)) != len(singletons):
        raise TagError(f"{text!r} gives a variant or an extension twice: give each once")
    tag = Tag(text, found["language"], found["script"], found["region"])
    if text != conventional_case(text):
        raise TagError(f"write the tag {text!r} in its conventional case, "
                       f"{conventional_case(text)!r}: the language in lower case, the "
                       "script with a capital, the region in capitals")
    if problem := _unknown_subtag(tag):
        raise TagError(problem)
    return tag


def conventional_case(text: str) -> str:
    """The tag in RFC 5646's conventional case (2.1.1): lower case, but a four-letter
    script subtag with a capital and a two-letter region in capitals (after the first
    subtag, and before any singleton)."""
    parts = text.split("-")
    out = [parts[0].lower()]
    singleton = False
    for part in parts[1:]:
        singleton = singleton or len(part) == 1
        if not singleton and len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif not singleton and len(part) == 2:
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _unknown_subtag(tag: Tag) -> str | None:
    """What ISO 639, ISO 15924, ISO 3166-1 or M.49 does not know in `tag`, or None."""
    language = pycountry.languages.get(alpha_2=tag.language) if len(tag.language) == 2 \
        else pycountry.languages.get(alpha_3=tag.language)
    if language is None:
        return (f"{tag.text!r}: ISO 639 has no language {tag.language!r}: write {TAG_RULE}")
    if len(tag.language) == 3 and hasattr(language, "alpha_2"):
        return (f"{tag.text!r}: write {language.name} with its two-letter code, "
                f"{language.alpha_2!r}, as BCP 47 asks")
    if tag.script is not None and pycountry.scripts.get(alpha_4=tag.script) is None:
        return f"{tag.text!r}: ISO 15924 has no script {tag.script!r}: write {TAG_RULE}"
    if tag.region is not None and not (
            tag.region in M49_AREAS if tag.region.isdigit()
            else pycountry.countries.get(alpha_2=tag.region) is not None):
        return f"{tag.text!r}: there is no region {tag.region!r}: write {TAG_RULE}"
    return None


def direction(tag: Tag) -> Direction:
    """Which way the language's text runs: its script's way when the tag names one, else
    the language's usual way (the module's docstring gives the rule)."""
    if tag.script is not None:
        return "rtl" if tag.script in RTL_SCRIPTS else "ltr"
    return "rtl" if tag.language.lower() in RTL_LANGUAGES else "ltr"


def same_language(one: str, other: str) -> bool:
    """Whether two tags name the same language: equal, ignoring case (RFC 5646, 2.1.1)."""
    return one.casefold() == other.casefold()


@dataclass(frozen=True)
class Translation:
    """A translation of one published mission version, checked (check/translations.py):
    its text mirrors the version's, principle for principle, in order."""

    version: int  # the mission version it translates
    language: str  # its BCP 47 tag, as its file's name gives it: the pages' `lang`
    direction: Direction  # the pages' `dir`
    language_name: str  # the language's name in itself ('Français'): the language switch
    title: str  # the version's title, translated
    principles: tuple[str, ...]  # as many as the version has, in its order
    translator: str  # who translated it, by name
    reviewer: str  # who reviewed it, another person, by name
    updated: dt.date  # the day its text last changed
    path: str  # its file, relative to the registry's root

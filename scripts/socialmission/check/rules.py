"""The rules for one pledge, one small check per field.

Each check is a generator: it yields `Problem`s (where, and what to fix) and returns the
field's clean value. The fields themselves (order, required, the rule as published) are
declared in model/fields.py; this module holds only the code, by field name, and refuses
to load if the two name different fields. `check_fields` runs them all and never stops at
the first problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from socialmission.check.template import entry
from socialmission.check.text import (
    forbidden_character,
    forbidden_in_url,
    has_visible_character,
    most_marks,
    nfc,
)
from socialmission.model import constants as c
from socialmission.model import fields, paths
from socialmission.model.constants import MAX_MARKS
from socialmission.model.ignorables import DEFAULT_IGNORABLE
from socialmission.model.mission import Mission
from socialmission.model.pledge import Signature
from socialmission.model.problems import Problem
from socialmission.model.urls import Url, UrlError, parse_https_url, same_site, site_key
from socialmission.model.yamlread import Mapping, Node, Scalar, Sequence, parse


@dataclass(frozen=True)
class Context:
    slug: str
    pledges_dir: Path
    mission: Mission
    today: dt.date


Result = Generator[Problem, None, Any]
FieldCheck = Callable[[str, Node, Context], Result]


def at(node: Node, message: str) -> Problem:
    return Problem("", node.line, node.column, message)


def quote(value: object, limit: int = 60) -> str:
    """A value as the message shows it: repr-quoted, cut short, invisible characters shown."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return ascii(text) if not text.isprintable() or DEFAULT_IGNORABLE.search(text) \
        else f"'{text}'"


# --- shapes ----------------------------------------------------------------------------
def _kind_of(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping of keys"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    value = node.value
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {node.text!r}"
    if isinstance(value, int | float):
        return f"the number {node.text!r}"
    return "text"


def text(key: str, node: Node, *, empty_ok: bool = False) -> Result:
    """A text field must be a single string (quoted if it would read as a number)."""
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return node.value
    if isinstance(node, Scalar) and node.value is None:
        yield at(node, f"'{key}' is empty: give a value or delete the line")
        return None
    what = _kind_of(node)
    fix = " put it in quotes" if isinstance(node, Scalar) else " write it on one line"
    yield at(node, f"'{key}' must be text, but YAML reads {what} here:{fix}")
    return None


def clean_text(key: str, node: Node, limit: int, *, multiline: bool = False) -> Result:
    """Text of at most `limit` characters after NFC, with no invisible or control characters."""
    value = yield from text(key, node)
    if value is None:
        return None
    value = nfc(value)
    if multiline:
        value = value.strip()
    if not multiline and ("\n" in value or value != value.strip()):
        yield at(node, f"'{key}' must be one line without leading or trailing spaces: "
                       f"{quote(value)}")
        return None
    if bad := forbidden_character(value, allow_newlines=multiline):
        index, description = bad
        yield at(node, f"'{key}' contains {description} at character {index + 1}: "
                       "delete it")
        return None
    if not has_visible_character(value):
        yield at(node, f"'{key}' has no visible characters: write it out")
        return None
    index, marks = most_marks(value)
    if marks > MAX_MARKS:
        yield at(node, f"'{key}' stacks {marks} combining marks on character {index + 1}; "
                       f"the limit is {MAX_MARKS} a character: remove the extra accents")
        return None
    if len(value) > limit:
        yield at(node, f"'{key}' is {len(value)} characters long; the limit is {limit}: "
                       "shorten it")
        return None
    return value


def choice(key: str, node: Node, options: tuple[str, ...]) -> Result:
    """The value must be one of a fixed list."""
    value = yield from text(key, node)
    if value is None:
        return None
    if value not in options:
        close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        yield at(node, f"'{key}' must be one of {', '.join(options)}: {hint}"
                       f"got {quote(value)}")
        return None
    return value


def date(key: str, node: Node) -> Result:
    """A date written YYYY-MM-DD."""
    value = yield from text(key, node)
    if value is None:
        return None
    if not c.DATE_RE.match(value):
        yield at(node, f"'{key}' must be a date written YYYY-MM-DD: got {quote(value)}")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        yield at(node, f"'{key}' is not a real date: {quote(value)}")
        return None


def url(key: str, node: Node) -> Result:
    """An https URL on a public host name, without invisible or control characters."""
    value = yield from text(key, node)
    if value is None:
        return None
    if bad := forbidden_in_url(value):
        index, description = bad
        yield at(node, f"'{key}' contains {description} at character {index + 1}: delete "
                       f"it: got {quote(value)}")
        return None
    try:
        return parse_https_url(value)
    except UrlError as error:
        yield at(node, f"'{key}' {error}: got {quote(value)}")
        return None


# --- fields ----------------------------------------------------------------------------
def name(key: str, node: Node, ctx: Context) -> Result:
    """'name': the display name, within the field table's length, any script, no invisible
    characters."""
    return (yield from clean_text(key, node, c.NAME_MAX))


def kind(key: str, node: Node, ctx: Context) -> Result:
    """'kind': organisation or individual."""
    return (yield from choice(key, node, c.KINDS))


def website(key: str, node: Node, ctx: Context) -> Result:
    """'website': an https URL on a public host name."""
    return (yield from url(key, node))


def past_date(key: str, node: Node, ctx: Context) -> Result:
    """'signed' and 'withdrawn': a date written YYYY-MM-DD, not in the future."""
    value = yield from date(key, node)
    if value is not None and value > ctx.today:
        yield at(node, f"'{key}' is in the future ({value}): use today's date or earlier")
        return None
    return value


def _integer(node: Node) -> int | None:
    """The node's value when it is an integer (YAML's `true` is not one), else None."""
    if isinstance(node, Scalar) and isinstance(node.value, int) \
            and not isinstance(node.value, bool):
        return node.value
    return None


def mission_version(key: str, node: Node, ctx: Context) -> Result:
    """'mission_version': the number of a published version of the mission."""
    numbers = ctx.mission.numbers
    options = ", ".join(str(n) for n in numbers)
    if (number := _integer(node)) is not None:
        if number in numbers:
            return number
        yield at(node, f"'{key}' {number} does not exist: the published versions are "
                       f"{options}")
        return None
    hint = " (write it without quotes)" if isinstance(node, Scalar) and \
        str(node.value).strip() in {str(n) for n in numbers} else ""
    yield at(node, f"'{key}' must be a version number ({options}){hint}: "
                   f"got {_kind_of(node)}")
    return None


def reaffirmed(key: str, node: Node, ctx: Context) -> Result:
    """'reaffirmed': the newer mission versions reaffirmed, each '- version: N' with
    '  date: YYYY-MM-DD' under it (how they relate to the rest is checked between fields)."""
    if not isinstance(node, Sequence) or not node.items:
        yield at(node, f"'{key}' must be a list of reaffirmations, each '  - version: 2' "
                       "with '    date: YYYY-MM-DD' under it (socialmission reaffirm writes "
                       f"it): got {_kind_of(node)}")
        return None
    entries: list[tuple[int, dt.date, Node]] = []
    clean = True
    for item in node.items[: len(ctx.mission.versions) + 1]:
        if not isinstance(item, Mapping):
            clean = False
            yield at(item, f"each '{key}' entry must be 'version: N' and 'date: YYYY-MM-DD': "
                           f"got {_kind_of(item)}")
            continue
        for name, (key_node, _) in item.items.items():
            if name not in ("version", "date"):
                clean = False
                yield at(key_node, f"'{key}' entries have only 'version' and 'date': delete "
                                   f"{quote(name)}")
        missing = [name for name in ("version", "date") if name not in item.items]
        for name in missing:
            clean = False
            yield at(item, f"this '{key}' entry has no '{name}': add it")
        if missing:
            continue
        number = yield from mission_version(f"{key}' entry 'version", item.items["version"][1],
                                            ctx)
        day = yield from past_date(f"{key}' entry 'date", item.items["date"][1], ctx)
        if number is None or day is None:
            clean = False
            continue
        entries.append((number, day, item))
    if len(node.items) > len(ctx.mission.versions):
        yield at(node, f"'{key}' lists {len(node.items)} reaffirmations; the mission has "
                       f"only {len(ctx.mission.versions)} versions")
        return None
    if not clean:
        return None
    for (before, before_day, _), (number, day, item) in itertools.pairwise(entries):
        if number <= before:
            yield at(item, f"'{key}' must list versions oldest first, each once: version "
                           f"{number} comes after version {before}")
            return None
        if day < before_day:
            yield at(item, f"'{key}': version {number} is reaffirmed on {day}, before "
                           f"version {before} ({before_day}): check the dates")
            return None
    return tuple((number, day) for number, day, _ in entries)


def maintainers(key: str, node: Node, ctx: Context) -> Result:
    """'maintainers': distinct GitHub accounts who may change this pledge, as many as the
    field table allows, each a login with the account's numeric id ('- login: octocat' and
    '  id: 583231')."""
    if not isinstance(node, Sequence):
        yield at(node, f"'{key}' must be a list of GitHub accounts, each as "
                       "'  - login: your-login' with '    id: 1234567' under it: got "
                       + _kind_of(node))
        return None
    if not c.MAINTAINERS_MIN <= len(node.items) <= c.MAINTAINERS_MAX:
        yield at(node, f"'{key}' must list {c.MAINTAINERS_MIN} to {c.MAINTAINERS_MAX} "
                       f"GitHub logins: it lists {len(node.items)}")
    logins: list[str] = []
    seen: dict[str, int] = {}
    ids: dict[int, int] = {}
    for item in node.items[: c.MAINTAINERS_MAX * 2]:
        if isinstance(item, Mapping):
            login = yield from _account(key, item, ids)
            login_node: Node = item.items["login"][1] if "login" in item.items else item
        else:
            login = yield from text(f"{key}' entry '", item)
            login_node = item
        if login is None:
            continue
        if login.startswith("@") and c.GITHUB_LOGIN_RE.match(login[1:]):
            yield at(login_node, f"'{key}' lists {quote(login)}: write the login without '@'")
            continue
        if not c.GITHUB_LOGIN_RE.match(login):
            yield at(login_node, f"'{key}' lists {quote(login)}, which is not a GitHub login "
                                 "(1-39 letters, digits or single hyphens, no hyphen at "
                                 "either end)")
            continue
        if login.lower() in seen:
            yield at(login_node, f"'{key}' lists {quote(login)} twice (first on line "
                                 f"{seen[login.lower()]}): keep one")
            continue
        seen[login.lower()] = item.line
        logins.append(login)
    return tuple(logins)


_ACCOUNT_KEYS = ("login", "id")


def _account(key: str, item: Mapping, ids: dict[int, int]) -> Result:
    """One maintainers entry written as a mapping: its login, once its id is checked."""
    clean = True
    for name, (key_node, _) in item.items.items():
        if name not in _ACCOUNT_KEYS:
            clean = False
            yield at(key_node, f"'{key}' entries have only 'login' and 'id': delete "
                               f"{quote(name)}")
    if "id" not in item.items:
        clean = False
        yield at(item, f"this '{key}' entry has no 'id': add '  id: ' and the account's "
                       "number (https://api.github.com/users/LOGIN shows it)")
    else:
        number = item.items["id"][1]
        value = number.value if isinstance(number, Scalar) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            clean = False
            yield at(number, f"'{key}' ids are GitHub account numbers such as 583231: got "
                             f"{_kind_of(number)}")
        elif value in ids:
            clean = False
            yield at(number, f"'{key}' lists the account {value} twice (first on line "
                             f"{ids[value]}): keep one")
        else:
            ids[value] = number.line
    if "login" not in item.items:
        yield at(item, f"this '{key}' entry has no 'login': add '  login: ' and the "
                       "account's GitHub login")
        return None
    login = yield from text(f"{key}' entry 'login", item.items["login"][1])
    return login if clean else None


@cache
def _countries() -> frozenset[str]:
    import pycountry  # noqa: PLC0415 - its data loads only when a country is checked

    return frozenset(country.alpha_2 for country in pycountry.countries)


def country(key: str, node: Node, ctx: Context) -> Result:
    """'country': an ISO 3166-1 alpha-2 code in capitals, such as NO or GB."""
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        yield at(node, f"'{key}' reads as the boolean {node.text!r} in some YAML readers: "
                       f"put the code in quotes ('{key}: \"{node.text.upper()}\"')")
        return None
    value = yield from text(key, node)
    if value is None:
        return None
    if value.upper() in _countries() and value != value.upper():
        yield at(node, f"'{key}' must be written in capitals: {value.upper()}")
        return None
    if value not in _countries():
        hint = " (the United Kingdom is GB)" if value.upper() == "UK" else ""
        yield at(node, f"'{key}' must be an ISO 3166-1 alpha-2 country code such as "
                       f"'GB' or 'NO'{hint}: got {quote(value)}")
        return None
    return value


def sector(key: str, node: Node, ctx: Context) -> Result:
    """'sector': one of the sectors mission.yaml lists."""
    return (yield from choice(key, node, ctx.mission.sectors))


def statement(key: str, node: Node, ctx: Context) -> Result:
    """'statement': why you signed, plain text, within the field table's limit."""
    return (yield from clean_text(key, node, c.STATEMENT_MAX, multiline=True))


def statement_url(key: str, node: Node, ctx: Context) -> Result:
    """'statement_url': an https URL on the website's domain that announces the signature."""
    return (yield from url(key, node))


def logo(key: str, node: Node, ctx: Context) -> Result:
    """'logo': 'logos/<slug>.png', a PNG file in pledges/logos/ named after the pledge's own
    file (its content is checked later)."""
    value = yield from text(key, node)
    if value is None:
        return None
    if not c.SLUG_RE.match(ctx.slug):  # the file's name is refused already: no cascade
        return value if c.LOGO_RE.match(value) else None
    own = paths.logo_path(ctx.slug)
    if value != own:
        # No pledge may show another's logo, nor a file outside pledges/logos/.
        yield at(node, f"'{key}' must be '{own}', named after this pledge's file: name the "
                       f"logo pledges/{own} and write that here: got {quote(value)}")
        return None
    return value


# Networks known by a former name, and the key they go under now.
FORMER_NETWORKS = {"twitter": "x"}


def social(key: str, node: Node, ctx: Context) -> Result:
    """'social': profile URLs by network, each https on that network's host."""
    if not isinstance(node, Mapping):
        yield at(node, f"'{key}' must be a mapping of network to profile URL, such as "
                       f"'  mastodon: https://mastodon.social/@you': got {_kind_of(node)}")
        return None
    profiles: dict[str, Url] = {}
    for network, (key_node, value_node) in node.items.items():
        if network not in c.SOCIAL_HOSTS:
            renamed = FORMER_NETWORKS.get(network.lower())
            hint = f" (it is now '{renamed}')" if renamed else \
                _did_you_mean(network, c.SOCIAL_HOSTS)
            yield at(key_node, f"'{key}' has the unknown network {quote(network)}{hint}: the "
                               f"networks are {', '.join(c.SOCIAL_HOSTS)}")
            continue
        profile = yield from url(f"{key}.{network}", value_node)
        if profile is None:
            continue
        hosts = c.SOCIAL_HOSTS[network]
        if hosts and profile.host not in hosts:  # no hosts listed: any public host
            yield at(value_node, f"'{key}.{network}' must be on {' or '.join(hosts)}: "
                                 f"got {quote(profile.host)}")
            continue
        profiles[network] = profile
    return profiles


def status(key: str, node: Node, ctx: Context) -> Result:
    """'status': active (the default) or withdrawn."""
    return (yield from choice(key, node, c.STATUSES))


def withdrawn_reason(key: str, node: Node, ctx: Context) -> Result:
    """'withdrawn_reason': why the signature was withdrawn, within the field table's limit."""
    return (yield from clean_text(key, node, c.WITHDRAWN_REASON_MAX, multiline=True))


def withdrawn_by(key: str, node: Node, ctx: Context) -> Result:
    """'withdrawn_by': `registry`, when a registry maintainer withdrew the signature."""
    return (yield from choice(key, node, (c.WITHDRAWN_BY_REGISTRY,)))


def status_index(key: str, node: Node, ctx: Context) -> Result:
    """'status_index': the signature's place in the revocation list, an integer from 0 to
    one less than the list's size (that no two signatures share is checked across files)."""
    top = c.STATUS_LIST_SIZE - 1
    index = _integer(node)
    if index is None:
        yield at(node, f"'{key}' must be an integer from 0 to {top}, written without quotes "
                       f"(the tools write it): got {_kind_of(node)}")
    elif not 0 <= index <= top:
        yield at(node, f"'{key}' {index} is outside the revocation list: it must be from 0 "
                       f"to {top}; the tools write it, so put back the one they wrote")
    else:
        return index
    return None


def signed_again(key: str, node: Node, ctx: Context) -> Result:
    """'signed_again': the later signatures, oldest first, each a mapping of the first
    signature's fields ('signed' and 'mission_version' at least), each by its own rule
    and by the rules within one signature; each signed on or after the day the one before
    was withdrawn, and every one but the last withdrawn (the first signature's part of
    these is checked between fields)."""
    if not isinstance(node, Sequence) or not node.items:
        yield at(node, f"'{key}' must be a list of signatures, each '  - signed: YYYY-MM-DD' "
                       "with '    mission_version: N' under it (socialmission sign-again "
                       f"writes it): got {_kind_of(node)}")
        return None
    found: list[tuple[Signature, Mapping]] = []
    clean = True
    for item in node.items:
        findings, signature = run(_signature_entry(key, item, ctx))
        yield from findings
        if signature is None or not isinstance(item, Mapping):
            clean = False
        else:
            found.append((signature, item))
    if not clean:
        return None
    for (before, _), (after, item) in itertools.pairwise(found):
        yield from _after_withdrawal(before, after, item)
    if any(before.withdrawn is None for before, _ in found[:-1]):
        return None
    return tuple(signature for signature, _ in found)


def _signature_entry(key: str, item: Node, ctx: Context) -> Result:
    """One entry of 'signed_again': a Signature, or None with the problems said."""
    if not isinstance(item, Mapping):
        yield at(item, f"each '{key}' entry must be a signature, '- signed: YYYY-MM-DD' with "
                       f"'  mission_version: N' under it: got {_kind_of(item)}")
        return None
    values: dict[str, Any] = {}
    clean = True
    meant = {_close(name, c.SIGNATURE_FIELDS) for name in item.items}  # misspelt, said once
    for name, (key_node, value_node) in item.items.items():
        if name not in c.SIGNATURE_FIELDS:
            clean = False
            yield at(key_node, f"a signature in '{key}' has only "
                               f"{', '.join(c.SIGNATURE_FIELDS)}: delete {quote(name)}"
                               f"{_did_you_mean(name, c.SIGNATURE_FIELDS)}")
            continue
        findings, value = checked_field(name, value_node, ctx)
        yield from findings
        clean = clean and not findings
        if not findings:
            values[name] = value
    for name in ("signed", "mission_version"):
        if name not in item.items:
            clean = False
            if name not in meant:
                yield at(item, f"this signature in '{key}' has no '{name}': add it")
    within = list(within_signature(item, values, ctx))
    yield from within
    if not clean or within:
        return None
    return Signature(**values)


def _after_withdrawal(before: Signature, after: Signature,
                      item: Mapping) -> Generator[Problem, None, None]:
    """A signature follows the withdrawal of the one before: on or after its day."""
    if before.withdrawn is None:
        yield at(item, "a signature follows only a withdrawn one: the signature before this "
                       "has no 'withdrawn' date (socialmission withdraw writes it)")
    elif after.signed < before.withdrawn:
        yield at(item.items["signed"][1],
                 f"'signed' ({after.signed}) is before the signature before it was withdrawn "
                 f"({before.withdrawn}): check the dates")


Check = Callable[[str, Node, Context], Result]


# --- the template's examples -------------------------------------------------------------
def placeholder_kept(key: str, node: Node, value: Any, ctx: Context) -> list[Problem]:
    """A value the field table marks as only the template's example (a free-form sample:
    the name, website, statement, announcement page, each social profile, the example
    maintainer, the logo) is refused at its line, compared as the field's rule reads it:
    addresses by their parsed form, text whatever its case and spacing."""
    examples = _examples.get(key)
    if examples is None:
        examples = _examples[key] = _example_parts(_TABLE[key], ctx)
    fix = "write your own" if _TABLE[key].required else "write your own or delete the line"
    return [at(where, f"'{label}' is still the template's example {quote(_said(where))}: "
                      f"{fix}")
            for where, (label, part) in _parts(key, node, value, examples.sites)
            if (label, part) in examples.parts]


def example_warned(key: str, value: Any) -> str | None:
    """A value the field table marks as the template's example to warn of (the date
    signed, which may be the real one) is said as a warning, compared as the field's rule
    reads it (check/across.py, `examples_left`)."""
    field = _TABLE.get(key)
    if field is None:
        return None
    if field.placeholder != "warning" or value is None or \
            _compared(str(value)) != _compared(_sample_said(key)):
        return None
    return f"'{key}' is still the template's example {quote(field.sample)}: write the " \
           "day you signed"


@cache
def _sample_said(key: str) -> str:
    """The sample of a field whose sample the mission does not change, as YAML reads it."""
    root = parse(entry(_TABLE[key]))
    assert isinstance(root, Mapping)
    return _said(root.items[key][1])


def checked_field(key: str, node: Node, ctx: Context) -> tuple[list[Problem], Any]:
    """A field's own check, then `placeholder_kept` on a value that passed it, when the
    field table marks its sample as a placeholder to refuse: the problems and the value."""
    findings, value = run(CHECKS[key](key, node, ctx))
    if not findings and value is not None and key in _REFUSED_EXAMPLES:
        findings = placeholder_kept(key, node, value, ctx)
    return findings, value


def _checked(key: str, node: Node, ctx: Context) -> Result:
    """`checked_field` as a check (what FIELDS holds for callers that run one field)."""
    findings, value = checked_field(key, node, ctx)
    yield from findings
    return value


_TABLE = {field.name: field for field in fields.FIELDS}
_REFUSED_EXAMPLES = frozenset(name for name, field in _TABLE.items()
                              if field.placeholder == "error")
# The fields whose example is warned of, never refused (check/across.py, examples_left).
WARNED_EXAMPLES = tuple(name for name, field in _TABLE.items()
                        if field.placeholder == "warning")


def _said(node: Node) -> str:
    return str(node.value) if isinstance(node, Scalar) else ""


def _compared(value: object, sites: frozenset[str] = frozenset()) -> object:
    """What two values are compared by: an address by its site (its host, 'www.' folded,
    as websites are compared), path (with or without its last '/') and query; text by its
    words, whatever their case. An address on none of `sites` is its site alone (no
    example is there, so its path need not be read)."""
    if isinstance(value, Url):
        site = site_key(value)
        if site not in sites:
            return site
        parts = urlsplit(value.text)
        return site, parts.path.rstrip("/"), parts.query
    return " ".join(str(value).casefold().split())


def _parts(key: str, node: Node, value: Any, sites: frozenset[str] = frozenset()
           ) -> Iterator[tuple[Node, tuple[str, object]]]:
    """Each part of a clean value a signatory writes on a line of its own, where it is:
    each social profile, each maintainer's login, or the whole value (`sites`: the sites
    of the addresses compared in full)."""
    if isinstance(value, dict) and isinstance(node, Mapping):
        for network, profile in value.items():
            yield node.items[network][1], (f"{key}.{network}", _compared(profile, sites))
    elif isinstance(value, tuple) and isinstance(node, Sequence):
        for item in node.items:
            login = item.items["login"][1] if isinstance(item, Mapping) else item
            yield login, (key, _compared(_said(login)))
    elif value is not None:
        yield node, (key, _compared(value, sites))


@dataclass(frozen=True)
class _Examples:
    """A placeholder's parts as its field's rule reads them, and the sites of its
    addresses."""

    parts: frozenset[tuple[str, object]]
    sites: frozenset[str]


# Each placeholder's parts, worked out at its first use: the free-form samples name nothing
# of a mission, nor of a day.
_examples: dict[str, _Examples] = {}


def _example_parts(field: fields.Field, ctx: Context) -> _Examples:
    """The template's sample of `field`, read by the field's own check, in parts (`ctx`
    named after the pledge the logo sample is)."""
    logo = _TABLE["logo"].sample
    own = dataclasses.replace(ctx, slug=logo.removeprefix(f"{paths.LOGO_DIR}/")
                              .removesuffix(".png"))
    root = parse(entry(field))
    assert isinstance(root, Mapping)
    node = root.items[field.name][1]
    findings, value = run(CHECKS[field.name](field.name, node, own))
    assert not findings, f"the template's {field.name} fails its own rule: {findings}"
    every = [value] if not isinstance(value, dict) else list(value.values())
    sites = frozenset(site_key(url) for url in every if isinstance(url, Url))
    return _Examples(frozenset(part for _, part in _parts(field.name, node, value, sites)),
                     sites)


# The code of each field's rule, by name; model/fields.py declares the fields themselves.
CHECKS: dict[str, Check] = {
    "name": name, "kind": kind, "website": website, "signed": past_date,
    "mission_version": mission_version, "reaffirmed": reaffirmed,
    "maintainers": maintainers, "country": country,
    "sector": sector, "statement": statement, "statement_url": statement_url, "logo": logo,
    "social": social, "status": status, "withdrawn": past_date,
    "withdrawn_reason": withdrawn_reason, "withdrawn_by": withdrawn_by,
    "status_index": status_index, "signed_again": signed_again, "redacted": past_date,
}


def in_field_order(checks: dict[str, Check],
                   table: tuple[fields.Field, ...]) -> dict[str, Check]:
    """The checks in the table's order; an error unless both name exactly the same fields."""
    names = [field.name for field in table]
    if sorted(checks) != sorted(names) or len(set(names)) != len(names):
        raise RuntimeError(
            "check/rules.py and model/fields.py list different fields: only rules "
            f"{sorted(set(checks) - set(names))}, only fields "
            f"{sorted(set(names) - set(checks))}, "
            f"repeated {sorted({n for n in names if names.count(n) > 1})}")
    return {name: checks[name] for name in names}


# The pledge's fields, in the order the template and the schema give them.
FIELDS: dict[str, Check] = in_field_order(dict.fromkeys(CHECKS, _checked), fields.FIELDS)
REQUIRED = tuple(field.name for field in fields.FIELDS if field.required)


def _close(word: str, options: Iterable[str]) -> str:
    """The option closest to a misspelt word, or ''."""
    close = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return close[0] if close else ""


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = _close(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def check_fields(root: Node, ctx: Context, failed: Collection[str] | None = None
                 ) -> Generator[Problem, None, tuple[dict[str, Any], bool]]:
    """Check every field of a pledge, then the rules between fields.

    Returns the clean value of every field that passed its own check, and whether the
    whole pledge is clean (so the later phases can check what is known of a pledge with
    problems elsewhere). `failed`: when the file did not parse as a whole, the fields
    whose entries did not read; none of them is missing, and the rules between fields
    wait for the file to parse.
    """
    if not isinstance(root, Mapping):
        yield at(root, f"a pledge must be a mapping of fields ('name: ...'), but this file "
                       f"holds {_kind_of(root)}: start from pledges/{paths.TEMPLATE_NAME}")
        return {}, False
    values: dict[str, Any] = {}
    clean = failed is None
    # the fields given, in an entry that did not read or under a misspelt name
    meant = {_close(name, FIELDS) or name for name in failed or ()}
    for key, (key_node, node) in root.items.items():
        if key not in FIELDS:
            clean = False
            close = _close(key, FIELDS)
            if close in REQUIRED and close not in root.items:
                meant.add(close)  # said once, as a misspelling, not also as missing
            hint = f" (did you mean '{close}'?)" if close else ""
            yield at(key_node, f"unknown field {quote(key)}{hint}: "
                               f"the fields are {', '.join(FIELDS)}")
            continue
        findings, value = checked_field(key, node, ctx)
        yield from findings
        if findings:
            clean = False
        else:
            values[key] = value
    missing = list(_missing(root, meant))
    yield from missing
    if failed is not None:
        return values, False
    between = list(between_fields(root, values, ctx))
    yield from between
    return values, clean and not missing and not between


def _missing(root: Mapping, meant: set[str]) -> Generator[Problem, None, None]:
    """Each required field the pledge lacks (a redacted one needs only its dates)."""
    tombstone = "redacted" in root.items
    for key in REQUIRED:
        if key not in root.items and key not in meant \
                and not (tombstone and key not in c.TOMBSTONE_FIELDS):
            yield at(root, f"the required field '{key}' is missing: add a '{key}:' line "
                           f"(see pledges/{paths.TEMPLATE_NAME})")


def run(result: Result) -> tuple[list[Problem], Any]:
    """Drain a check: its findings, and the value it returned."""
    findings: list[Problem] = []
    while True:
        try:
            findings.append(next(result))
        except StopIteration as stop:
            return findings, stop.value


def between_fields(root: Mapping, values: dict[str, Any],
                   ctx: Context) -> Generator[Problem, None, None]:
    """Rules that tie two fields together, between the fields of `root` whose clean
    values are in `values` (`socialmission new` runs them on the answers so far)."""
    yield from within_signature(root, values, ctx)  # the first signature
    yield from _in_force(root, values)
    yield from _tombstone(root, values)
    site, announcement = values.get("website"), values.get("statement_url")
    if site is not None and announcement is not None and not same_site(site, announcement):
        yield at(root.items["statement_url"][1],
                 f"'statement_url' must be on the website's own domain "
                 f"({site.registrable}): got {quote(announcement.host)}")


def within_signature(node: Mapping, values: dict[str, Any],
                     ctx: Context) -> Generator[Problem, None, None]:
    """Within one signature (the pledge's top level, or an entry of 'signed_again'):
    not signed before its mission version was published; each reaffirmation of a newer
    version, after 'signed'; not withdrawn before 'signed', nor reaffirmed after
    'withdrawn'; 'withdrawn_by' only with a withdrawal."""
    version = ctx.mission.get(values.get("mission_version", 0))
    signed_on = values.get("signed")
    if version is not None and signed_on is not None and signed_on < version.date:
        yield at(node.items["signed"][1], f"'signed' ({signed_on}) is before mission version "
                                          f"{version.version} was published ({version.date}): "
                                          "check the date or the version")
    yield from _reaffirmations(node, values, ctx)
    withdrawn_on = values.get("withdrawn")
    if withdrawn_on is not None and signed_on is not None and withdrawn_on < signed_on:
        yield at(node.items["withdrawn"][1], f"'withdrawn' ({withdrawn_on}) is before "
                                             f"'signed' ({signed_on}): check the dates")
    later = values.get("reaffirmed") or ()
    if withdrawn_on is not None and later and later[-1][1] > withdrawn_on:
        yield at(node.items["reaffirmed"][1],
                 f"'reaffirmed': version {later[-1][0]} is reaffirmed on {later[-1][1]}, after "
                 f"the signature was withdrawn ({withdrawn_on}): check the dates")
    for key in ("withdrawn_reason", "withdrawn_by"):
        if key in node.items and "withdrawn" not in node.items:
            yield at(node.items[key][0], f"'{key}' is only for a withdrawn signature: add "
                                         "'withdrawn: YYYY-MM-DD' or delete this line")


def _in_force(root: Mapping, values: dict[str, Any]) -> Generator[Problem, None, None]:
    """'status' is the current signature's: `withdrawn` exactly when the last signature
    (the last of 'signed_again', else the first) has a 'withdrawn' date; a pledge signs
    again only after its first signature was withdrawn, and on or after that day."""
    again = "signed_again" in root.items
    if again and "withdrawn" not in root.items:
        yield at(root.items["signed_again"][0],
                 "a pledge signs again only after its first signature was withdrawn: the "
                 "first signature needs its 'withdrawn: YYYY-MM-DD' (socialmission withdraw "
                 "writes it)")
    later = values.get("signed_again")
    first_withdrawn = values.get("withdrawn")
    if later and first_withdrawn is not None and later[0].signed < first_withdrawn:
        entry_node = root.items["signed_again"][1]
        assert isinstance(entry_node, Sequence)
        yield at(entry_node.items[0], f"'signed' ({later[0].signed}) is before the first "
                                      f"signature was withdrawn ({first_withdrawn}): check "
                                      "the dates")
    if ("status" in root.items and "status" not in values) or (again and not later):
        return  # the status, or the signatures, are wrong: say nothing more about them
    state = values.get("status", "active")
    current_withdrawn = later[-1].withdrawn is not None if later else "withdrawn" in root.items
    if state == "withdrawn" and not current_withdrawn:
        where = " to the last signature of 'signed_again'" if again else ""
        yield at(root.items["status"][1], "a withdrawn pledge needs the date it was "
                                          f"withdrawn: add 'withdrawn: YYYY-MM-DD'{where}")
    elif state != "withdrawn" and current_withdrawn:
        if not again:
            for key in ("withdrawn", "withdrawn_reason"):
                if key in root.items:
                    yield at(root.items[key][0], f"'{key}' is only for withdrawn pledges: "
                                                 "add 'status: withdrawn' or delete this line")
        else:
            yield at(root.items["signed_again"][0],
                     "the last signature is withdrawn, so the pledge is: add "
                     "'status: withdrawn'")


def _reaffirmations(node: Mapping, values: dict[str, Any],
                    ctx: Context) -> Generator[Problem, None, None]:
    """Each reaffirmation is of a version after the one first signed, on a day after
    `signed` and not before that version was published."""
    entries = values.get("reaffirmed")
    first, signed_on = values.get("mission_version"), values.get("signed")
    if not entries or first is None:
        return
    listed = node.items["reaffirmed"][1]
    assert isinstance(listed, Sequence)
    for (number, day), item in zip(entries, listed.items, strict=False):
        if number <= first:
            yield at(item, f"'reaffirmed' version {number} is not after the version first "
                           f"signed ({first}): list only newer versions")
            return
        published = ctx.mission.get(number)
        if published is not None and day < published.date:
            yield at(item, f"'reaffirmed': version {number} is reaffirmed on {day}, before "
                           f"it was published ({published.date}): check the date")
            return
        if signed_on is not None and day < signed_on:
            yield at(item, f"'reaffirmed': version {number} is reaffirmed on {day}, before "
                           f"'signed' ({signed_on}): check the dates")
            return


def _tombstone(root: Mapping, values: dict[str, Any]) -> Generator[Problem, None, None]:
    """A redacted pledge is a withdrawn one that keeps only its dates and versions, in
    each of its signatures."""
    if "redacted" not in root.items:
        return
    status_known = "status" in values or "status" not in root.items
    if status_known and (values.get("status") != "withdrawn" or "withdrawn" not in root.items):
        yield at(root.items["redacted"][0], "only a withdrawn pledge is redacted: add "
                                            "'status: withdrawn' and 'withdrawn: YYYY-MM-DD'")
    for key, (key_node, _) in root.items.items():
        if key not in c.TOMBSTONE_FIELDS and key in FIELDS:
            yield at(key_node, f"a redacted pledge keeps only "
                               f"{', '.join(c.TOMBSTONE_FIELDS)}: delete '{key}'")
    later = root.items.get("signed_again")
    for item in later[1].items if later and isinstance(later[1], Sequence) else ():
        kept = item.items.get("withdrawn_reason") if isinstance(item, Mapping) else None
        if kept is not None:
            yield at(kept[0], "a redacted pledge keeps no 'withdrawn_reason': delete it")
    redacted_on, withdrawn_on = values.get("redacted"), values.get("withdrawn")
    if redacted_on is not None and withdrawn_on is not None and redacted_on < withdrawn_on:
        yield at(root.items["redacted"][1], f"'redacted' ({redacted_on}) is before "
                                            f"'withdrawn' ({withdrawn_on}): check the dates")

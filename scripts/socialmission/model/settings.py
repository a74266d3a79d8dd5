"""The registry's own settings: `registry.yaml` at its root (and `site_url`, which is
MkDocs' and so stays in mkdocs.yml).

Each setting is declared once, as an attribute of `Settings` below: its key, its type,
its kind of value, whether it is required, its description and its default (`SETTINGS`
lists them as records). The reader, its messages and the published JSON Schema
(`site/schema/registry.schema.json`, written by `socialmission schema`) are all derived
from those declarations, so they cannot say different things.

`registry.yaml` is read by the pledges' reader (model/yamlread.py: YAML 1.2, positions,
no anchors, tags or duplicate keys), and every problem is reported at once as
`registry.yaml:LINE:COL: message`, the way the validator reports a pledge's.

`maintainers` are the registry's maintainers, each a GitHub login and the account's
numeric id (a login can be renamed and taken by someone else; the id cannot): the only
accounts that may change anything outside `pledges/`, and who may edit or withdraw any
pledge (ownership/judge.py judges that against the base branch's copy of this file).
`translators`, accounts listed the same way, may change the mission's translations
(`translations/`) and nothing else, judged the same way.

`app_login` is the login of the registry's GitHub App (`<slug>[bot]`): the pull requests
it opens for signatures sent from the issue form are judged on behalf of the issue's
author (github/verdict.py). `domain_proof` makes a pull request that adds a pledge wait
for a proof that its website confirms it; with it on, `automerge` merges pledge-only pull
requests the verdict allows. `new_pledges_per_pull_request` caps the new pledges in a
pull request whose author is not a registry maintainer. `linkedin_organization_id`
names the issuer in the "Add to LinkedIn" links (site/linkedin.py). `home_wall` and
`home_wall_min_age` choose the home page's wall of recent signatories (site/pages.py).
`notify_new_versions`, `notify_per_hour`, `notify_repository` and `notify_close_days` turn
on, pace and place the issues that tell signatories of a new mission version
(github/notify.py). `issuer_keys` are the public keys of the signed Open Badges 3.0
credentials, which credentials/issuer.py matches the build's seed against.

Planned keys, each to be declared here by the issue whose code reads it (none is
declared before something reads it):

- `deploy`: where the built site is published (the deploy target).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final, Protocol

import yaml

from socialmission.errors import EXIT_PROBLEMS, UsageError
from socialmission.model import paths, yamlread
from socialmission.model.accounts import Account
from socialmission.model.constants import GITHUB_LOGIN_PATTERN, GITHUB_LOGIN_RE
from socialmission.model.fields import HTTPS_PATTERN  # the pledge schema's own
from socialmission.model.filetree import FileTree
from socialmission.model.paths import MKDOCS_FILE as CONFIG_FILE
from socialmission.model.problems import Problem
from socialmission.model.translation import TAG_RULE, TagError, parse_tag
from socialmission.model.urls import UrlError, parse_https_url

NAME_MAX: Final = 100  # characters of the issuer's name
EMAIL_MAX: Final = 254  # characters of an e-mail address (RFC 5321's path limit)

# One line of text, without leading or trailing spaces. JSON Schema patterns are
# ECMA-262 expressions; this one means the same in Python.
ONE_LINE_PATTERN: Final = r"^\S(?:[^\n\r\u2028\u2029]*\S)?$"
# An e-mail address as HTML's <input type=email> accepts it, with a dot in the domain.
EMAIL_PATTERN: Final = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


@dataclass(frozen=True)
class Kind:
    """A kind of setting value: how a message names it, its JSON Schema, and its rule
    (which returns what is wrong with a text, or None). A kind whose value is not one
    line of text reads its node itself (`read`: the value and its problems)."""

    name: str
    schema: dict[str, Any]
    problem: Callable[[str], str | None]
    read: Callable[[str, yamlread.Node], tuple[Any, list[Problem]]] | None = None


def _one_line(text: str) -> str | None:
    if not re.fullmatch(ONE_LINE_PATTERN, text):
        return "must be one line without leading or trailing spaces"
    if len(text) > NAME_MAX:
        return f"is {len(text)} characters long; the limit is {NAME_MAX}"
    return None


def _email(text: str) -> str | None:
    if len(text) > EMAIL_MAX or not re.fullmatch(EMAIL_PATTERN, text):
        return "must be an e-mail address such as registry@example.org"
    return None


def _https(text: str) -> str | None:
    try:
        parse_https_url(text)
    except UrlError as error:
        return str(error)
    return None


MAINTAINERS_MAX: Final = 50  # registry maintainers


class _Placed(Protocol):
    line: int
    column: int


def _at(where: _Placed, message: str) -> Problem:
    """A problem at a node of the file (its path is given when the problems are raised)."""
    return Problem("", where.line, where.column, message)


def _accounts(who: str) -> Callable[[str, yamlread.Node], tuple[Any, list[Problem]]]:
    """The reader of a list of GitHub accounts (`who` they are, for its message)."""
    def read(key: str, node: yamlread.Node) -> tuple[Any, list[Problem]]:
        return _account_list(key, node, who)
    return read


def _account_list(key: str, node: yamlread.Node, who: str) -> tuple[Any, list[Problem]]:
    """A list of GitHub accounts, each '- login: x' with '  id: N' (ids are required here:
    these accounts are given rights over the registry's files)."""
    if not isinstance(node, yamlread.Sequence) or not node.items:
        return None, [_at(node, f"'{key}' must list {who}, each as '  - login: x' with "
                                "'    id: 1234567' under it")]
    problems: list[Problem] = []
    found: list[Account] = []
    seen: set[int] = set()
    for item in node.items[:MAINTAINERS_MAX + 1]:
        login = item.items.get("login", (None, None))[1] \
            if isinstance(item, yamlread.Mapping) else None
        number = item.items.get("id", (None, None))[1] \
            if isinstance(item, yamlread.Mapping) else None
        extra = sorted(set(item.items) - {"login", "id"}) \
            if isinstance(item, yamlread.Mapping) else []
        if not (isinstance(login, yamlread.Scalar) and isinstance(login.value, str)
                and GITHUB_LOGIN_RE.match(login.value)) or extra or not (
                isinstance(number, yamlread.Scalar) and isinstance(number.value, int)
                and not isinstance(number.value, bool) and number.value > 0):
            problems.append(_at(item, f"each of '{key}' is a GitHub login and the account's "
                                      "numeric id, as '- login: x' with '  id: 1234567' "
                                      "under it (and nothing else)"))
            continue
        if number.value in seen:
            problems.append(_at(item, f"'{key}' lists the account {number.value} twice: keep one"))
            continue
        seen.add(number.value)
        found.append(Account(login.value, number.value, item.line))
    if len(node.items) > MAINTAINERS_MAX:
        problems.append(_at(node, f"'{key}' lists more than {MAINTAINERS_MAX} accounts"))
    return tuple(found), problems


def _boolean(key: str, node: yamlread.Node) -> tuple[Any, list[Problem]]:
    """`true` or `false`, unquoted (YAML 1.2's booleans; a quoted "true" is text)."""
    if isinstance(node, yamlread.Scalar) and isinstance(node.value, bool):
        return node.value, []
    return None, [_at(node, f"'{key}' must be true or false, without quotes")]


COUNT_MAX: Final = 1000  # any count a setting gives: more than any pull request holds
WALL_MAX: Final = 100  # signatories on the home page's wall: a page, not a directory
AGE_MAX: Final = 365  # days a signature may wait before the home page's wall shows it


def _whole_number(low: int, high: int) -> Callable[[str, yamlread.Node],
                                                   tuple[Any, list[Problem]]]:
    """The reader of a whole number from `low` to `high`, unquoted."""
    def read(key: str, node: yamlread.Node) -> tuple[Any, list[Problem]]:
        if isinstance(node, yamlread.Scalar) and isinstance(node.value, int) and \
                not isinstance(node.value, bool) and low <= node.value <= high:
            return node.value, []
        return None, [_at(node, f"'{key}' must be a whole number from {low} "
                                               f"to {high}, without quotes")]
    return read


def _whole(low: int, high: int) -> Kind:
    """A kind of whole number from `low` to `high`: its schema and its reader say alike."""
    return Kind("a whole number", {"type": "integer", "minimum": low, "maximum": high},
                lambda text: "must be a whole number", _whole_number(low, high))


LIST_MAX: Final = 50  # entries of a list of words (keywords)
WORD_MAX: Final = 40  # characters of one such entry


def _word_list(key: str, node: yamlread.Node, pattern: str,
               rule: str) -> tuple[Any, list[Problem]]:
    """A list of distinct words, each one line matching `pattern` (`rule` says how)."""
    if not isinstance(node, yamlread.Sequence) or not node.items:
        return None, [_at(node, f"'{key}' must be a list, such as "
                                               f"'{key}: [a, b]' or '- a' lines under it")]
    problems: list[Problem] = []
    found: list[str] = []
    for item in node.items[:LIST_MAX + 1]:
        value = item.value if isinstance(item, yamlread.Scalar) else None
        if not isinstance(value, str) or len(value) > WORD_MAX or \
                not re.fullmatch(pattern, value):
            problems.append(_at(item, f"each of '{key}' must be {rule}, at "
                                                     f"most {WORD_MAX} characters"))
        elif value in found:
            problems.append(_at(item, f"'{key}' lists {value!r} twice: keep one"))
        else:
            found.append(value)
    if len(node.items) > LIST_MAX:
        problems.append(_at(node, f"'{key}' lists more than {LIST_MAX} entries"))
    return tuple(found), problems


# A proof's name: lower-case words joined by single hyphens (it is a file name and a DNS
# label: nothing else fits both).
PROOF_NAME_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PROOF_NAME_RULE: Final = "lower-case letters and digits, words joined by single hyphens"


def _keywords(key: str, node: yamlread.Node) -> tuple[Any, list[Problem]]:
    return _word_list(key, node, ONE_LINE_PATTERN, "one line of text")


PROOF_NAME_MAX: Final = 40  # characters: '_' and it make one DNS label (63 at most)


def _proof_name(text: str) -> str | None:
    if len(text) > PROOF_NAME_MAX or not re.fullmatch(PROOF_NAME_PATTERN, text):
        return (f"must be {PROOF_NAME_RULE}, at most {PROOF_NAME_MAX} characters, such as "
                "example-pledge")
    return None


APP_LOGIN_PATTERN: Final = GITHUB_LOGIN_PATTERN.removesuffix("$") + r"\[bot\]$"


def _app_login(text: str) -> str | None:
    if not re.fullmatch(APP_LOGIN_PATTERN, text):
        return ("must be the login of the registry's GitHub App, its slug and '[bot]', "
                "such as example-registry[bot]")
    return None


def _account_kind(who: str) -> Kind:
    """A kind of list of GitHub accounts, each with its id: its schema and its reader say
    alike (`who` they are, for its message)."""
    return Kind("a list of GitHub accounts", {
        "type": "array", "minItems": 1, "maxItems": MAINTAINERS_MAX, "items": {
            "type": "object", "required": ["login", "id"], "additionalProperties": False,
            "properties": {"login": {"type": "string", "pattern": GITHUB_LOGIN_PATTERN},
                           "id": {"type": "integer", "minimum": 1}}}},
        lambda text: "must be a list", _accounts(who))


ACCOUNTS = _account_kind("the registry's maintainers")
TRANSLATOR_ACCOUNTS = _account_kind("the registry's translators")

TEXT = Kind("one line of text", {"type": "string", "minLength": 1, "maxLength": NAME_MAX,
                                 "pattern": ONE_LINE_PATTERN}, _one_line)
EMAIL = Kind("an e-mail address", {"type": "string", "maxLength": EMAIL_MAX,
                                   "pattern": EMAIL_PATTERN, "format": "email"}, _email)
HTTPS = Kind("an https address", {"type": "string", "pattern": HTTPS_PATTERN,
                                  "format": "uri"}, _https)

BOOLEAN = Kind("true or false", {"type": "boolean"}, lambda text: "must be true or false",
               _boolean)
COUNT = _whole(1, COUNT_MAX)
# A LinkedIn organisation's numeric id (the number in its page's admin address): twelve
# digits, more than any has today.
LINKEDIN_ID_MAX: Final = 999_999_999_999
LINKEDIN_ID = _whole(1, LINKEDIN_ID_MAX)
WALL_SIZE = _whole(0, WALL_MAX)
DAYS = _whole(0, AGE_MAX)
# GitHub lets an account create about 500 pieces of content (issues, comments) an hour,
# shared by everything the App does: no setting may ask for more.
CONTENT_PER_HOUR_MAX: Final = 500
PER_HOUR = _whole(1, CONTENT_PER_HOUR_MAX)
OPEN_DAYS = _whole(1, AGE_MAX)
# A git branch name (git check-ref-format's rules, kept to the characters a branch of
# this kind needs): no '..', '//', leading or trailing '/' or '.', nor '.lock' at the end.
BRANCH_PATTERN: Final = (r"^(?!.*(?:\.\.|//|\.lock$))"
                         r"[A-Za-z0-9_](?:[A-Za-z0-9._/-]{0,98}[A-Za-z0-9_-])?$")


def _branch(text: str) -> str | None:
    if not re.fullmatch(BRANCH_PATTERN, text):
        return ("must be a git branch name such as main: letters, digits, '-', '_', '.' "
                "and '/', without '..' or '//'")
    return None


def _github_repository(text: str) -> str | None:
    if problem := _https(text):
        return problem
    if paths.github_repository(text) is None:
        return ("must be the registry's repository on GitHub, https://github.com/OWNER/NAME "
                "(signing goes through its issue forms and pull requests)")
    return None


GITHUB_REPOSITORY = Kind("a repository on GitHub", {
    "type": "string", "pattern": paths.GITHUB_REPOSITORY_PATTERN, "format": "uri"},
    _github_repository)
BRANCH = Kind("a branch name", {"type": "string", "pattern": BRANCH_PATTERN}, _branch)
APP_LOGIN = Kind("a GitHub App's login", {"type": "string", "pattern": APP_LOGIN_PATTERN},
                 _app_login)

KEYWORDS = Kind("a list of keywords", {
    "type": "array", "minItems": 1, "maxItems": LIST_MAX, "uniqueItems": True,
    "items": {"type": "string", "maxLength": WORD_MAX, "pattern": ONE_LINE_PATTERN}},
    lambda text: "must be a list", _keywords)
PROOF_NAME = Kind("a proof's name", {"type": "string", "maxLength": PROOF_NAME_MAX,
                                     "pattern": PROOF_NAME_PATTERN}, _proof_name)


# The issuer's signing keys (Open Badges 3.0): each an Ed25519 public key as Multikey's
# publicKeyMultibase ('z6Mk' and 44 base58 digits), named `key-<N>` (a generation number,
# never the key: it is the DID URL's fragment), the day from which it signs, and its state.
KEY_ID_PATTERN: Final = r"^key-[1-9][0-9]{0,5}$"
MULTIKEY_PATTERN: Final = r"^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$"
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
KEY_STATES: Final = ("current", "retired", "compromised")
KEYS_MAX: Final = 50  # keys ever listed: one a rotation
_KEY_FIELDS: Final = ("id", "public_key", "since", "state")


@dataclass(frozen=True)
class IssuerKey:
    """One of the issuer's keys: `current` signs; `retired` no longer signs but stays in
    the DID document, so what it signed still verifies; `compromised` is dropped from the
    DID document, so what it signed stops verifying."""

    id: str
    public_key: str
    since: dt.date
    state: str


def _key_values(item: yamlread.Node) -> dict[str, str] | None:
    """An issuer key's four values as text, or None unless it has exactly those keys."""
    if not isinstance(item, yamlread.Mapping) or set(item.items) != set(_KEY_FIELDS):
        return None
    values = {key: node.value for key, (_, node) in item.items.items()
              if isinstance(node, yamlread.Scalar) and isinstance(node.value, str)}
    return values if len(values) == len(_KEY_FIELDS) else None


def _issuer_key(key: str, item: yamlread.Node) -> IssuerKey | str:
    """One issuer key, or what is wrong with it."""
    values = _key_values(item)
    shape = (f"each of '{key}' is '- id: key-1' with 'public_key: z6Mk...', 'since: "
             f"YYYY-MM-DD' and 'state: {' | '.join(KEY_STATES)}' under it (and nothing else)")
    if values is None:
        return shape
    wrong = [name for name, pattern in (("id", KEY_ID_PATTERN), ("public_key", MULTIKEY_PATTERN),
                                        ("since", DATE_PATTERN))
             if not re.fullmatch(pattern, values[name])]
    if values["state"] not in KEY_STATES:
        wrong.append("state")
    try:
        since = dt.date.fromisoformat(values["since"])
    except ValueError:
        since, wrong = dt.date.min, [*wrong, "since"]
    if wrong:
        return f"{shape}: check its {' and '.join(sorted(set(wrong)))}"
    return IssuerKey(values["id"], values["public_key"], since, values["state"])


def _issuer_keys(key: str, node: yamlread.Node) -> tuple[Any, list[Problem]]:
    """The issuer's keys: at most one current; no id or public key listed twice."""
    if not isinstance(node, yamlread.Sequence) or not node.items:
        return None, [_at(node, f"'{key}' must list the issuer's keys, each as '  - id: "
                                "key-1' with its public_key, since and state under it")]
    problems: list[Problem] = []
    found: list[IssuerKey] = []
    for item in node.items[:KEYS_MAX + 1]:
        read = _issuer_key(key, item)
        if isinstance(read, str):
            problems.append(_at(item, read))
        elif any(read.id == other.id or read.public_key == other.public_key for other in found):
            problems.append(_at(item, f"'{key}' lists {read.id} or its public key twice: "
                                      "each key once, each with its own id"))
        else:
            found.append(read)
    if len(node.items) > KEYS_MAX:
        problems.append(_at(node, f"'{key}' lists more than {KEYS_MAX} keys"))
    if sum(k.state == "current" for k in found) > 1:
        problems.append(_at(node, f"'{key}' has more than one current key: the one that "
                                  "signs is current, the others retired or compromised"))
    return tuple(found), problems


ISSUER_KEYS = Kind("a list of the issuer's keys", {
    "type": "array", "minItems": 1, "maxItems": KEYS_MAX, "items": {
        "type": "object", "required": list(_KEY_FIELDS), "additionalProperties": False,
        "properties": {"id": {"type": "string", "pattern": KEY_ID_PATTERN},
                       "public_key": {"type": "string", "pattern": MULTIKEY_PATTERN},
                       "since": {"type": "string", "pattern": DATE_PATTERN, "format": "date"},
                       "state": {"enum": list(KEY_STATES)}}}},
    lambda text: "must be a list", _issuer_keys)


@dataclass(frozen=True)
class Setting:
    key: str
    kind: Kind
    required: bool
    description: str  # one sentence: the published schema's description
    example: str  # as a line of registry.yaml writes it, after the key
    default: Any = None  # for a setting that is not required
    schema_example: Any = None  # the example as the schema shows it, where not `example`


def _setting(kind: Kind, required: bool, description: str, example: str, *,
             default: Any = None, schema_example: Any = None) -> Any:
    """A setting of `Settings`, declared with its attribute: its `Setting` but the key
    (the attribute's name), and its default (none when it is required)."""
    return field(default=MISSING if required else default, metadata={"setting": {
        "kind": kind, "required": required, "description": description, "example": example,
        "default": default, "schema_example": schema_example}})


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The registry's settings, checked: each attribute is a setting, declared once here
    with its kind of value, whether it is required, its description and its default."""

    issuer_name: str = _setting(
        TEXT, True,
        "Who issues the badges: the name of the Open Badges issuer profile and of "
        "the feed's author.", "Example Foundation")
    issuer_email: str = _setting(
        EMAIL, True,
        "The issuer's contact e-mail address, published in its Open Badges issuer "
        "profile (which Open Badges 2.0 requires to have one).",
        "registry@example.org")
    issuer_url: str = _setting(
        HTTPS, True,
        "The issuer's website: the 'url' of its Open Badges issuer profile.",
        "https://www.example.org/")
    repository: str = _setting(
        GITHUB_REPOSITORY, True,
        "The registry's repository, where signatories open their pull requests: the "
        "sign-up page links to it.",
        "https://github.com/example/pledge-registry")
    maintainers: tuple[Account, ...] = _setting(
        ACCOUNTS, True,
        "The registry's maintainers, each a GitHub login and the account's numeric id: "
        "the only accounts that may change anything outside pledges/, and who may edit "
        "or withdraw any pledge.",
        "[{login: example-admin, id: 1234567}]",
        schema_example=[{"login": "example-admin", "id": 1234567}])
    translators: tuple[Account, ...] = _setting(
        TRANSLATOR_ACCOUNTS, False,
        f"The registry's translators, each a GitHub login and the account's numeric id: "
        f"besides the maintainers, the only accounts that may change the mission's "
        f"translations ({paths.TRANSLATIONS_DIR}/), and nothing else.",
        "[{login: example-translator, id: 7654321}]", default=(),
        schema_example=[{"login": "example-translator", "id": 7654321}])
    # --- the mission's words: every text the registry says about its mission -------------
    mission_name: str = _setting(
        TEXT, True,
        "The mission's name as a sentence says it after 'the' ('signed the Example "
        "Pledge'; 'Example Pledge signatory'): page descriptions, <title>s and alt "
        "texts, the Open Badges, the feed, the forms, the schemas and the App's "
        "commits.", "Example Pledge")
    badge_label: str = _setting(
        TEXT, True,
        "What every badge says of the mission: the compact badge's left half, and the "
        "card's heading in capitals; the build refuses one too wide for either.",
        "Example Pledge")
    mission_aim: str = _setting(
        TEXT, True,
        "What the principles are for, as a sentence says it after 'Ten principles': "
        "the home page's lede, the site's description, the Open Badges' description.",
        "for doing business fairly")
    badge_aim: str = _setting(
        TEXT, True,
        "mission_aim in a few words, after 'Ten principles' on the generic badge (the "
        "press kit's), which the card must fit.", "for fair business")
    commitment: str = _setting(
        TEXT, True,
        "What signing means, as a sentence says it after 'The signatory': the Open "
        "Badges criteria ('The signatory commits to the principles of <title>').",
        "commits to the principles of")
    issuer_description: str = _setting(
        TEXT, True,
        "The issuer's description in its Open Badges issuer profile.",
        "Publisher of the Example Pledge and keeper of its registry of signatories.")
    keywords: tuple[str, ...] = _setting(
        KEYWORDS, True,
        "The Open Badges' tags, with mission_name after them.", "[business, ethics]",
        schema_example=["business", "ethics"])
    proof_name: str = _setting(
        PROOF_NAME, True,
        "The name of the proofs a signatory's website publishes: the file "
        "/.well-known/<proof_name>.txt and the DNS TXT record _<proof_name>.<domain>, "
        "holding '<proof_name>=<slug>'; the press kit's zip is <proof_name>-badges.zip. "
        "Never change it once signatures exist: every published proof would stop "
        "proving anything.", "example-pledge")
    check_name: str = _setting(
        TEXT, False,
        "The name of the App's check run, the verdict that branch protection requires "
        "by name. Set it before turning on branch protection and never change it: "
        "a renamed check never arrives and every pull request waits for it.",
        "Registry verdict", default="Registry verdict")
    default_branch: str = _setting(
        BRANCH, False,
        "The repository's default branch, which pull requests go to: the site's "
        "'Sign on GitHub' link proposes the new pledge there.",
        "main", default="main")
    app_login: str | None = _setting(
        APP_LOGIN, False,
        "The login of the registry's GitHub App (its slug and '[bot]'): a pull request "
        "it opens for a signature sent from the issue form is judged on behalf of the "
        "issue's author.", "example-registry[bot]")
    domain_proof: bool = _setting(
        BOOLEAN, False,
        "Whether a pull request that adds a pledge, or a new signature to a published "
        "one (a domain can change hands), passes only once the pledge's website "
        "confirms it (/.well-known/<proof_name>.txt on its host, or the DNS TXT record "
        "_<proof_name>.<domain>, naming the slug).",
        "false", default=False, schema_example=False)
    automerge: bool = _setting(
        BOOLEAN, False,
        "With domain_proof on: whether the registry's App merges a pull request that "
        "changes only pledges once the verdict allows it.",
        "false", default=False, schema_example=False)
    new_pledges_per_pull_request: int = _setting(
        COUNT, False,
        "How many new pledges a pull request may add when its author is not one of the "
        "registry's maintainers: each signatory signs in a pull request of its own.",
        "1", default=1, schema_example=1)
    linkedin_organization_id: int | None = _setting(
        LINKEDIN_ID, False,
        "The issuer's LinkedIn organisation id (the number in its LinkedIn page's admin "
        "address): an individual signatory's 'Add to LinkedIn' link names the issuer "
        "by it, so LinkedIn shows the issuer's logo and page; without it the link "
        "gives issuer_name, which LinkedIn shows as text.",
        "12345678", schema_example=12345678)
    # --- the home page ---------------------------------------------------------------------
    home_wall: int = _setting(
        WALL_SIZE, False,
        "How many of the most recent active signatories the home page shows, each with "
        "its logo or monogram, name and website's domain (newest signature first); 0 "
        "shows none.", "12", default=12, schema_example=12)
    home_wall_min_age: int = _setting(
        DAYS, False,
        "How many days old a signature must be, on the day the site is built, before "
        "the home page's wall shows it: a signature merged by mistake or in bad faith "
        "is then removed before it reaches the front page (the directory and its own "
        "page show it at once); 0 shows every signature at once.",
        "0", default=0, schema_example=0)
    # --- telling signatories of a new mission version (github/notify.py) -------------------
    notify_new_versions: bool = _setting(
        BOOLEAN, False,
        "Whether 'socialmission notify-version' opens an issue, on the registry's "
        "repository, for each active pledge that has not signed or reaffirmed a newly "
        "published mission version, mentioning its maintainers (everyone watching the "
        "repository receives every such issue).",
        "false", default=False, schema_example=False)
    notify_per_hour: int = _setting(
        PER_HOUR, False,
        "At most how many of those issues and their comments the App creates an hour: "
        "GitHub allows about 500 an hour for everything the App does, so leave room "
        "for signing.", "300", default=300, schema_example=300)
    notify_repository: str | None = _setting(
        GITHUB_REPOSITORY, False,
        "Where those issues are opened, when not on the registry's repository: a "
        "public repository of notices (the App installed on it too), whose watchers "
        "chose to receive them; the maintainers mentioned are told either way.",
        "https://github.com/example/pledge-registry-notices")
    notify_close_days: int = _setting(
        OPEN_DAYS, False,
        "How many days such an issue stays open when its pledge neither reaffirms nor "
        "withdraws: then the App closes it with a comment (it closes it at once when "
        "the pledge does either).", "60", default=60, schema_example=60)
    # --- the signed Open Badges 3.0 credentials (credentials/) ---------------------------
    issuer_keys: tuple[IssuerKey, ...] = _setting(
        ISSUER_KEYS, False,
        "The issuer's Ed25519 public keys for the signed Open Badges 3.0 credentials, "
        "each an id (key-1, key-2...), its publicKeyMultibase, the day it signs from and "
        "its state: current (the one the build's seed must be), retired (still listed in "
        "the DID document) or compromised (dropped from it). Without a current key, "
        "nothing is signed as the issuer: a build signs with the public test key.",
        "[{id: key-1, public_key: z6MkuzGuBSE4JgVnctXCDLk9AtvrZ5cgDrToVGybFAPuZRDo, "
        "since: '2026-01-01', state: current}]",
        default=(), schema_example=[{
            "id": "key-1", "public_key": "z6MkuzGuBSE4JgVnctXCDLk9AtvrZ5cgDrToVGybFAPuZRDo",
            "since": "2026-01-01", "state": "current"}])

    @property
    def proof_file(self) -> str:
        """The proof file's path on a signatory's website."""
        return f"/.well-known/{self.proof_name}.txt"

    @property
    def proof_record(self) -> str:
        """The proof's DNS TXT record's name, before the registrable domain."""
        return f"_{self.proof_name}"

    @property
    def proof_token(self) -> str:
        """What a TXT record's text starts with, before the slug."""
        return f"{self.proof_name}="

    @property
    def badge_heading(self) -> str:
        """The card badge's heading: the label in capitals."""
        return self.badge_label.upper()


SETTINGS: Final = tuple(Setting(entry.name, **entry.metadata["setting"])
                        for entry in fields(Settings))
_BY_KEY: Final = {setting.key: setting for setting in SETTINGS}


def default(key: str) -> Any:
    """A setting's default, as SETTINGS declares it (for a registry with no settings)."""
    return _BY_KEY[key].default


class SettingsError(UsageError):
    """registry.yaml has problems: the message lists each as `file:line:col: message`."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted({replace(p, path=path) for p in problems})
        count = "1 problem" if len(self.problems) == 1 else f"{len(self.problems)} problems"
        lines = [problem.as_text() for problem in self.problems]
        super().__init__("\n".join([f"the registry's settings have {count}:", *lines]))


def load_settings(root: Path, tree: FileTree | None = None) -> Settings:
    """Read and check `registry.yaml` (from `tree`, else from the disk), or raise
    UsageError (missing) or SettingsError."""
    path = root / paths.SETTINGS_FILE
    try:
        data = path.read_bytes() if tree is None else tree.read(path)
    except FileNotFoundError:
        raise UsageError(
            f"{path} is missing: the registry's settings live there. Create it with "
            f"the keys {', '.join(s.key for s in SETTINGS if s.required)} (each is "
            f"described in {paths.SETTINGS_SCHEMA_FILE})") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read it: {error.strerror}") from None
    return parse_settings(data, str(path))


def settings_if_present(root: Path) -> Settings | None:
    """The settings, checked as load_settings checks them, or None where the registry has
    no settings file (a trusted checkout without one: no App, nothing merged
    automatically)."""
    return load_settings(root) if (root / paths.SETTINGS_FILE).is_file() else None


def parse_settings(data: bytes, where: str) -> Settings:
    """The settings in `data` (registry.yaml's bytes), or SettingsError listing every
    problem; `where` names the file in the messages."""
    try:
        root = yamlread.parse(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SettingsError(where, [Problem(where, 1, 1, f"the file is not UTF-8 text (byte "
                                           f"{error.start + 1}): save it as UTF-8")]) from None
    except yamlread.YamlError as error:
        raise SettingsError(where, [_at(error, error.message)]) from None
    if not isinstance(root, yamlread.Mapping):
        raise SettingsError(where, [_at(root, (
            "the settings must be a mapping of keys such as 'issuer_name: Example "
            "Foundation', "
            f"but this file holds {_kind_of(root)}"))])
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, (key_node, node) in root.items.items():
        setting = _BY_KEY.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(_at(key_node, f"unknown setting {_quote(key)}{hint}: the settings are "
                             f"{', '.join(_BY_KEY)}"))
            continue
        if setting.kind.read is not None:
            value, found = setting.kind.read(key, node)
            problems.extend(found)
            if not found:
                values[key] = value
            continue
        value, problem = _check(setting, node)
        if problem is not None:
            problems.append(_at(node, problem))
        elif value is not None:
            values[key] = value
    for setting in SETTINGS:
        if setting.key not in root.items:
            if setting.required:
                problems.append(_at(root, f"the required setting '{setting.key}' is missing: add "
                                 f"a line such as '{setting.key}: {setting.example}'"))
            elif setting.default is not None:
                values[setting.key] = setting.default
    if values.get("automerge") and not values.get("domain_proof"):
        key_node = root.items["automerge"][0]
        problems.append(_at(key_node, "'automerge' needs 'domain_proof: true': a pull "
                                      "request is merged unread only once the pledge's "
                                      "website has confirmed it"))
    if problems:
        raise SettingsError(where, problems)
    return Settings(**values)


def _check(setting: Setting, node: yamlread.Node) -> tuple[str | None, str | None]:
    """The setting's value, or what is wrong with it."""
    key = setting.key
    if isinstance(node, yamlread.Scalar) and node.value is None:
        return None, f"'{key}' is empty: give {setting.kind.name} such as {setting.example}"
    if not isinstance(node, yamlread.Scalar) or not isinstance(node.value, str):
        fix = "put it in quotes" if isinstance(node, yamlread.Scalar) else \
            "write it on one line"
        return None, (f"'{key}' must be {setting.kind.name}, but YAML reads "
                      f"{_kind_of(node)} here: {fix}")
    if problem := setting.kind.problem(node.value):
        return None, f"'{key}' {problem}: got {_quote(node.value)}"
    return node.value, None


def _kind_of(node: yamlread.Node) -> str:
    if isinstance(node, yamlread.Mapping):
        return "a mapping of keys"
    if isinstance(node, yamlread.Sequence):
        return "a list"
    assert isinstance(node, yamlread.Scalar)
    if node.value is None:
        return "nothing"
    if isinstance(node.value, bool):
        return f"the boolean {node.text!r}"
    if isinstance(node.value, int | float):
        return f"the number {node.text!r}"
    return "text"


def _quote(text: str, limit: int = 80) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def schema() -> dict[str, Any]:
    """The published JSON Schema of registry.yaml, derived from SETTINGS."""
    properties: dict[str, Any] = {}
    for setting in SETTINGS:
        spec = {"title": setting.key.replace("_", " ").capitalize(),
                "description": setting.description, **setting.kind.schema,
                "examples": [setting.example if setting.schema_example is None
                             else setting.schema_example]}
        if setting.default is not None:
            spec["default"] = setting.default
        properties[setting.key] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": paths.SETTINGS_SCHEMA_PATH,
        "title": "Pledge registry settings",
        "description": (f"The registry's own settings: {paths.SETTINGS_FILE} at the root "
                        "of the registry. Check it with 'socialmission build'."),
        "type": "object",
        "required": [s.key for s in SETTINGS if s.required],
        "additionalProperties": False,
        "properties": properties,
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags such as !ENV or !!python/name: read them as plain values."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def _mkdocs_setting(root: Path, key: str, tree: FileTree | None = None) -> tuple[object, str]:
    """A top-level value of mkdocs.yml (from `tree`, else from the disk; None when it is not
    there), and how a message names it."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8") if tree is None else \
            tree.read(path).decode("utf-8")
        config = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot read it: {error}") from None
    return (config.get(key) if isinstance(config, dict) else None), f"{path}: '{key}'"


def setting_line(root: Path, key: str) -> str:
    """Where registry.yaml sets `key`, as `registry.yaml:LINE` for a message (line 1 when
    it is not set there or the file cannot be read)."""
    line = 1
    with contextlib.suppress(OSError, UnicodeDecodeError, yamlread.YamlError):
        found = yamlread.parse((root / paths.SETTINGS_FILE).read_text(encoding="utf-8"))
        if isinstance(found, yamlread.Mapping) and key in found.items:
            line = found.items[key][0].line
    return f"{paths.SETTINGS_FILE}:{line}"


def mkdocs_line(root: Path, key: str) -> str:
    """Where mkdocs.yml sets the top-level `key`, as `mkdocs.yml:LINE` (line 1 when it is
    not found)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        lines = (root / CONFIG_FILE).read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, start=1):
            if text.startswith(f"{key}:"):
                return f"{CONFIG_FILE}:{number}"
    return f"{CONFIG_FILE}:1"


def site_url(root: Path) -> str:
    """`site_url` with a trailing slash: every published URL is built on it."""
    url, what = _mkdocs_setting(root, "site_url")
    return base_url(url, what)


def site_name(root: Path, tree: FileTree | None = None) -> str:
    """`site_name`: the registry's name, as its pages' titles and its social cards show it."""
    name, what = _mkdocs_setting(root, "site_name", tree)
    if not isinstance(name, str) or not name.strip() or name != " ".join(name.split()):
        raise UsageError(f"{what} must be the registry's name on one line, without "
                         f"leading, trailing or repeated spaces (got {name!r})")
    return name


# The themes' language when mkdocs.yml's `theme` names none (Material's and Zensical's)
DEFAULT_SITE_LANGUAGE: Final = "en"


def site_language(root: Path) -> str:
    """`theme.language`: the language of the site, its interface and the mission's original
    text, as the themes write it in every page's <html lang>; the `hreflang` of the
    original beside its translations. A language tag model/translation.py takes."""
    theme, _ = _mkdocs_setting(root, "theme")
    language = theme.get("language", DEFAULT_SITE_LANGUAGE) if isinstance(theme, dict) \
        else DEFAULT_SITE_LANGUAGE
    try:
        if not isinstance(language, str):
            raise TagError(f"{language!r} is not text: write {TAG_RULE}")
        return parse_tag(language).text
    except TagError as error:
        raise UsageError(f"{mkdocs_line(root, 'theme')}: theme.language must be the "
                         f"site's language: {error}") from None


def site_description(root: Path) -> str | None:
    """`site_description`: the site's description, which the themes write on every page
    without one of its own (None when mkdocs.yml gives none)."""
    text, _ = _mkdocs_setting(root, "site_description")
    if text is not None and not isinstance(text, str):
        raise UsageError(f"{mkdocs_line(root, 'site_description')}: site_description must "
                         f"be the site's description, as text (got {text!r})")
    return text


def settings_names(root: Path, tree: FileTree | None = None) -> list[tuple[str, str]]:
    """The issuer's name and the site's name (from `tree`, else from the disk), each with
    what it is, which no pledge may take; a settings file that cannot be read gives none
    (the build says what is wrong)."""
    names: list[tuple[str, str]] = []
    with contextlib.suppress(UsageError):
        names.append(("the issuer's name", load_settings(root, tree).issuer_name))
    with contextlib.suppress(UsageError):
        names.append(("the site's name", site_name(root, tree)))
    return names


def base_url(url: object, what: str) -> str:
    """The registry's address as every URL is built on it: https, ending in '/'. `what`
    names where it came from, for the message when it is not such an address."""
    if not isinstance(url, str) or not url.startswith("https://") or \
            any(ch.isspace() or ch in "\"'<>\\`" for ch in url):
        raise UsageError(f"{what} must be the registry's https address, such as "
                         f"https://pledges.example.org/ (got {url!r})")
    return url if url.endswith("/") else f"{url}/"

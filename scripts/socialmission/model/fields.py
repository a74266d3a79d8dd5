"""The pledge's fields, declared once: everything else that lists them is derived from here.

One `Field` per key a pledge file may hold, in the order the template and the schema give
them. From this table come the validator's field order and required fields (check/rules.py,
which keeps the rule *code*, by field name), the published JSON Schema (check/schema.py),
the questions of `socialmission new` (changes/new.py), the template pledge
(check/template.py), the open data record (site/opendata.py) and the field table in
CONTRIBUTING.md, "The pledge format" (a test compares it). Numbers and lists come from
constants.py, never repeated here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from socialmission.model import constants as c
from socialmission.model.mission import Mission
from socialmission.model.problems import LevelName
from socialmission.model.urls import Url


class FromMission(enum.Enum):
    """A schema value only the mission file knows; check/schema.py fills it in."""

    VERSIONS = "the numbers of the published versions"
    CURRENT = "the number of the current version"
    SECTORS = "the sectors a pledge may name"
    SECTOR = "a sector, as an example"


# Where a field's texts (note, prompt, sample) name the mission's sectors: `filled` writes
# them in.
SECTORS_TEXT: Final = "{sectors}"
SECTOR_TEXT: Final = "{sector}"
# The sector the examples show, where the mission lists it (else its first).
SAMPLE_SECTOR: Final = "media"


def fill(value: Any, mission: Mission) -> Any:
    """A copy of a schema value with the mission's markers filled in."""
    if value is FromMission.VERSIONS:
        return list(mission.numbers)
    if value is FromMission.CURRENT:
        return mission.current.version
    if value is FromMission.SECTORS:
        return list(mission.sectors)
    if value is FromMission.SECTOR:
        return SAMPLE_SECTOR if SAMPLE_SECTOR in mission.sectors else mission.sectors[0]
    if isinstance(value, dict):
        return {key: fill(item, mission) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [fill(item, mission) for item in value]
    return value


def filled(field: Field, mission: Mission) -> Field:
    """The field with everything only the mission knows written in: its schema, examples,
    and the sectors its texts name."""
    def text(value: str) -> str:
        return value.replace(SECTORS_TEXT, ", ".join(mission.sectors)).replace(
            SECTOR_TEXT, fill(FromMission.SECTOR, mission))

    return dataclasses.replace(
        field, schema=fill(dict(field.schema), mission),
        examples=tuple(fill(list(field.examples), mission)),
        prompt=None if field.prompt is None else text(field.prompt),
        note=text(field.note), sample=text(field.sample))


# --- how open data shows a value -------------------------------------------------------
def as_is(value: Any) -> Any:
    """Text, numbers and None, unchanged."""
    return value


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def url_text(value: Url | None) -> str | None:
    return value.text if value is not None else None


def profiles(value: tuple[tuple[str, Url], ...]) -> dict[str, str]:
    return {network: profile.text for network, profile in value}


def reaffirmations(value: tuple[tuple[int, dt.date], ...]) -> list[dict[str, Any]]:
    return [{"version": number, "date": day.isoformat()} for number, day in value]


def signatures(value: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Later signatures (model/pledge.py's Signature), each as the file writes it."""
    shown = {"signed": iso_date, "mission_version": as_is, "reaffirmed": reaffirmations,
             "withdrawn": iso_date, "withdrawn_reason": as_is, "withdrawn_by": as_is}
    return [{name: show(getattr(signature, name)) for name, show in shown.items()}
            for signature in value]


Shown = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    # One sentence: the schema's description and the rule column of CONTRIBUTING.md's
    # field table. `code` marks literal values (Markdown, and readable as plain text in
    # editors' tooltips).
    rule: str
    # The JSON Schema of the value, "type" first, without title, description or examples.
    # A value may be a FromMission marker.
    schema: Mapping[str, Any]
    examples: tuple[Any, ...]
    required: bool = False
    # What `socialmission new` asks (it adds " (optional)"), or None when it does not ask.
    prompt: str | None = None
    # How the open data shows the value, or None when it is not published.
    shown: Shown | None = None
    # The template pledge: the comment above the line (wrapped there), and the value
    # exactly as written after "name:" (a leading newline starts a block).
    note: str = ""
    sample: str = ""
    # Whether the sample is only the template's example (a free-form value: every sample
    # but a closed list's), and what a pledge that keeps it gets: "error", refused at its
    # line; "warning", said but let through (a date that may be the real one); None, the
    # sample is a value a signatory may well mean (check/rules.py, `placeholder_kept`).
    placeholder: LevelName | None = None
    # In the template only as a commented-out line, for withdrawing later.
    on_withdrawal: bool = False
    # The command that writes the field (never typed by hand, so not in the template).
    command: str | None = None
    # What to run to change the field once signed, when a command of its own does (the
    # life-cycle commands' `update --set` refuses the field and says to run this).
    own_command: str | None = None
    # Asked by the issue forms (to sign, and to change a pledge): a value a signatory
    # types, which the registry does not fill in itself (the date, the version, the
    # submitter as maintainer) and which a form can carry (not a file, not a mapping).
    in_forms: bool = False

    @property
    def multiline(self) -> bool:
        """Whether the value may hold line breaks: its schema's pattern allows them."""
        return self.schema.get("pattern") == NO_INVISIBLES_MULTILINE


# Characters refused in one-line text (controls, bidirectional and zero-width formatting,
# line separators). JSON Schema patterns are ECMA-262 regular expressions in unicode mode:
# inside a character class only syntax characters may be escaped (so `"`, never `\"`).
NO_INVISIBLES: Final = (r"^[^\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f"
                        r"\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]*$")
NO_INVISIBLES_MULTILINE: Final = NO_INVISIBLES.replace(r"\u0000-\u001f",
                                                       r"\u0000-\u0009\u000b-\u001f")
_HOST_CHAR = r"""[^\s"'<>\\`{}|^@/:]"""
_PATH_CHAR = r"""[^\s"'<>\\`{}|^]"""
HTTPS_PATTERN: Final = rf"^https://{_HOST_CHAR}+\.{_HOST_CHAR}+(/{_PATH_CHAR}*)?$"
COUNTRY_PATTERN: Final = "^[A-Z]{2}$"


def _https() -> dict[str, Any]:
    return {"type": "string", "maxLength": c.URL_MAX, "pattern": HTTPS_PATTERN,
            "format": "uri"}


def _date() -> dict[str, Any]:
    return {"type": "string", "pattern": c.DATE_PATTERN, "format": "date"}


def _text(limit: int, pattern: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": pattern}


def _version() -> dict[str, Any]:
    return {"type": "integer", "enum": FromMission.VERSIONS}


def _reaffirmations() -> dict[str, Any]:
    return {"type": "array", "minItems": 1,
            "items": {"type": "object", "required": ["version", "date"],
                      "additionalProperties": False,
                      "properties": {"version": _version(), "date": _date()}}}


def _reason() -> dict[str, Any]:
    return _text(c.WITHDRAWN_REASON_MAX, NO_INVISIBLES_MULTILINE)


def _withdrawn_by() -> dict[str, Any]:
    return {"type": "string", "enum": [c.WITHDRAWN_BY_REGISTRY]}


def _status_index() -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": c.STATUS_LIST_SIZE - 1}


# The schema of each field of one signature: the first's, at the top level, and each later
# one's, in `signed_again`.
_SIGNATURE_SCHEMAS: Final = dict(zip(
    c.SIGNATURE_FIELDS,
    (_date, _version, _reaffirmations, _date, _reason, _withdrawn_by, _status_index),
    strict=True))


def _signatures() -> dict[str, Any]:
    return {"type": "array", "minItems": 1,
            "items": {"type": "object", "required": ["signed", "mission_version"],
                      "additionalProperties": False,
                      "properties": {name: schema()
                                     for name, schema in _SIGNATURE_SCHEMAS.items()}}}


def _profile(network: str) -> dict[str, Any]:
    hosts = c.SOCIAL_HOSTS[network]
    example = f"https://{hosts[0] if hosts else 'mastodon.social'}/@example"
    spec = _https()
    return {"type": spec.pop("type"), "title": f"{network} profile", **spec,
            "examples": [example]}


def _code_list(options: tuple[str, ...] | list[str], last: str) -> str:
    quoted = [f"`{option}`" for option in options]
    return f"{', '.join(quoted[:-1])} {last} {quoted[-1]}" if len(quoted) > 1 else quoted[0]


FIELDS: Final[tuple[Field, ...]] = (
    Field(
        "name", "Name",
        f"The display name: 1-{c.NAME_MAX} characters after NFC normalisation, any script, "
        "with no control, bidirectional or other invisible character (Unicode's "
        "Default_Ignorable_Code_Point: zero-width spaces, Hangul fillers, the combining "
        "grapheme joiner...) except a zero-width joiner or non-joiner between two letters, "
        "as Persian and Indic names need, and a variation selector after a Han character; "
        f"at most {c.MAX_MARKS} combining marks on one character, so no emoji sequences; "
        "and not the issuer's or the site's name, a mission version's title or `Redacted "
        "signatory`, nor a look-alike of one (refused on a new pledge, a warning on a "
        "published one).",
        _text(c.NAME_MAX, NO_INVISIBLES),
        ("Example Media Ltd", "Ana Pérez", "株式会社エグザンプル"),
        required=True, prompt="Name to show (organisation or person)", shown=as_is,
        note=f"How your name is shown: 1-{c.NAME_MAX} characters, any script.",
        sample="Example Media Ltd", placeholder="error", in_forms=True),
    Field(
        "kind", "Kind", f"Whether the signatory is {_code_list(c.KINDS, 'or')}.",
        {"type": "string", "enum": list(c.KINDS)}, ("organisation",),
        required=True, prompt=f"Kind ({' or '.join(c.KINDS)})", shown=as_is,
        note=" or ".join(c.KINDS), sample="organisation", in_forms=True),
    Field(
        "website", "Website",
        "An https URL on a public domain name (internationalised names by IDNA 2008 with "
        "UTS #46 mapping, so `straße.de` and `strasse.de` are two sites): no IP address, "
        "`localhost`, single-label host, user, password, port or invisible character; and "
        "not on the same site as another pledge's, one host being the other or a subdomain "
        "of it within one registrable domain (by the Public Suffix List), which is refused "
        "on a new pledge unless a registry maintainer adds it, and a warning on a published "
        "one.",
        _https(), ("https://www.example.org/",),
        required=True, prompt="Website (https://...)", shown=url_text,
        note="Your website: https, on your own domain name.",
        sample="https://www.example.org/", placeholder="error", in_forms=True),
    Field(
        "signed", "Date signed",
        "The day you signed, `YYYY-MM-DD`: not in the future, and not before the date of "
        "its mission version; once the pledge is published, only a registry maintainer "
        "changes it.",
        _date(), ("2024-05-17",),
        required=True, prompt="Date signed (YYYY-MM-DD)", shown=iso_date,
        note="The day you signed, YYYY-MM-DD; not in the future.", sample="2024-05-17",
        placeholder="warning"),
    Field(
        "mission_version", "Mission version",
        "The number of a published version of the mission, as `mission.yaml` lists them; "
        "once the pledge is published, only a registry maintainer changes it (a newer "
        "version is signed in `reaffirmed`).",
        _version(), (FromMission.CURRENT,),
        required=True, prompt="Mission version", shown=as_is,
        note="The version of the mission you sign (the site's Mission page lists them).",
        sample="1",
        # the version first signed stays; moving to a newer one is a reaffirmation
        own_command="socialmission reaffirm SLUG --version N"),
    Field(
        "reaffirmed", "Reaffirmations",
        "The newer mission versions the signatory reaffirmed, oldest first, each a "
        "`version` after `mission_version` and after the one before, with its `date` "
        "(`YYYY-MM-DD`: not in the future, not before that version was published, "
        "`signed` or the reaffirmation before, and not after `withdrawn`); "
        "`socialmission reaffirm` writes it, keeping `signed` and `mission_version`.",
        _reaffirmations(), ([{"version": 2, "date": "2026-03-01"}],),
        shown=reaffirmations, command="reaffirm",
        own_command="socialmission reaffirm SLUG"),
    Field(
        "maintainers", "Maintainers",
        f"{c.MAINTAINERS_MIN}-{c.MAINTAINERS_MAX} distinct GitHub accounts who may change "
        "this pledge, each a `login` with the account's numeric `id`, the author's with "
        "the author's own login (a login alone is refused on a new pledge, and read on a "
        "published one, with a warning, until its id is added).",
        {"type": "array", "minItems": c.MAINTAINERS_MIN, "maxItems": c.MAINTAINERS_MAX,
         "uniqueItems": True,
         "items": {"anyOf": [
             {"type": "object", "required": ["login", "id"], "additionalProperties": False,
              "properties": {"login": {"type": "string", "pattern": c.GITHUB_LOGIN_PATTERN},
                             "id": {"type": "integer", "minimum": 1}}},
             {"type": "string", "pattern": c.GITHUB_LOGIN_PATTERN}]}},
        ([{"login": "octocat", "id": 583231}],),
        required=True,
        prompt="GitHub accounts who may update this pledge, as login:id, comma-separated "
               "(https://api.github.com/users/LOGIN shows the id)",
        note=f"The GitHub accounts that may update or withdraw this pledge later: "
             f"{c.MAINTAINERS_MIN} to {c.MAINTAINERS_MAX}, each with its numeric id "
             "(https://api.github.com/users/LOGIN shows it), which stays the same when "
             "the login is renamed.",
        sample="\n  - login: octocat\n    id: 583231", placeholder="error"),
    Field(
        "country", "Country",
        "An ISO 3166-1 alpha-2 code in capitals, such as `GB` (`NO` means Norway here, "
        "not false).",
        {"type": "string", "pattern": COUNTRY_PATTERN}, ("GB", "NO"),
        prompt="Country, its name or ISO code such as GB", shown=as_is,
        note="Two-letter ISO 3166-1 code, in capitals. (Quote it if your tools read YAML "
             "1.1, where a bare NO means \"false\": country: \"NO\".)",
        sample="GB", in_forms=True),
    Field(
        "sector", "Sector", "One of the registry's sectors, as the schema and the template "
                            "list them.",
        {"type": "string", "enum": FromMission.SECTORS}, (FromMission.SECTOR,),
        prompt=f"Sector, one of {SECTORS_TEXT}", shown=as_is,
        note=f"One of: {SECTORS_TEXT}", sample=SECTOR_TEXT, in_forms=True),
    Field(
        "statement", "Statement",
        f"Why you signed: plain text, at most {c.STATEMENT_MAX} characters, with the "
        "character rules of `name`.",
        _text(c.STATEMENT_MAX, NO_INVISIBLES_MULTILINE),
        ("We signed because our community deserves our care.",),
        prompt=f"Why you signed, at most {c.STATEMENT_MAX} characters", shown=as_is,
        note=f"Why you signed: plain text, at most {c.STATEMENT_MAX} characters.",
        sample=">-\n  We signed because our community deserves care, not campaigns.",
        placeholder="error", in_forms=True),
    Field(
        "statement_url", "Public announcement",
        "An https URL on the website's own registrable domain that announces the "
        "signature, with the character rules of `website`.",
        _https(), ("https://www.example.org/news/we-signed",),
        prompt="Page on your website announcing it", shown=url_text,
        note="A page on your own website (same domain) that announces your signature.",
        sample="https://www.example.org/news/we-signed", placeholder="error", in_forms=True),
    Field(
        "logo", "Logo",
        f"`logos/<slug>.png`, named after the pledge's own file: a single-frame PNG in "
        f"`pledges/logos/`, {c.LOGO_MIN_PX}-{c.LOGO_MAX_PX} px a side, at most "
        f"{c.LOGO_MAX_BYTES // 1024} KB; the site publishes a re-encoded copy.",
        {"type": "string", "pattern": c.LOGO_PATTERN}, ("logos/example-media.png",),
        # Any proportions: the site shows a logo whole, letterboxed in its square.
        prompt=f"Logo: the path to a PNG on this computer, {c.LOGO_MIN_PX}-"
               f"{c.LOGO_MAX_PX} px a side, at most {c.LOGO_MAX_BYTES // 1024} KB (it is "
               "copied to pledges/logos/<slug>.png)",
        note=f"A PNG in pledges/logos/ named after this file (logos/<slug>.png), "
             f"{c.LOGO_MIN_PX} to {c.LOGO_MAX_PX} pixels a side, at most "
             f"{c.LOGO_MAX_BYTES // 1024} KB; any proportions (it is shown whole).",
        sample="logos/example-media.png", placeholder="error"),
    Field(
        "social", "Social profiles",
        f"Profile URLs by network ({', '.join(c.SOCIAL_HOSTS)}), each https on that "
        "network's host, with the character rules of `website`.",
        {"type": "object", "additionalProperties": False,
         "properties": {network: _profile(network) for network in c.SOCIAL_HOSTS}},
        ({"mastodon": "https://mastodon.social/@example"},),
        # asked once for each network the schema lists
        prompt="profile address (https://...)", shown=profiles,
        note=f"Profile URLs: {', '.join(c.SOCIAL_HOSTS)}.",
        sample="\n  mastodon: https://mastodon.social/@example"
               "\n  linkedin: https://www.linkedin.com/company/example",
        placeholder="error"),
    Field(
        "status", "Status",
        f"{_code_list(c.STATUSES, 'or')}, the default being `{c.STATUSES[0]}`; `withdrawn` "
        "needs the field `withdrawn` (a date) in the current signature (the last of "
        "`signed_again`, or the first when there is none) and may give `withdrawn_reason`; "
        "a withdrawn pledge is active again only by signing again (`signed_again`).",
        {"type": "string", "enum": list(c.STATUSES), "default": c.STATUSES[0]},
        ("active",),
        shown=as_is, sample="withdrawn", on_withdrawal=True,
        own_command="socialmission withdraw SLUG --reason TEXT"),
    Field(
        "withdrawn", "Date withdrawn",
        "The day the signature was withdrawn, `YYYY-MM-DD`: not in the future, and not "
        "before `signed`.",
        _date(), ("2025-01-31",),
        shown=iso_date, sample="2025-01-31", on_withdrawal=True,
        own_command="socialmission withdraw SLUG --reason TEXT --date YYYY-MM-DD"),
    Field(
        "withdrawn_reason", "Why it was withdrawn",
        f"Why the signature was withdrawn: plain text, at most {c.WITHDRAWN_REASON_MAX} "
        "characters.",
        _reason(), ("We closed the business.",),
        shown=as_is, sample="Why, in a sentence.", placeholder="error",
        on_withdrawal=True,
        own_command="socialmission withdraw SLUG --reason TEXT"),
    Field(
        "withdrawn_by", "Withdrawn by",
        f"`{c.WITHDRAWN_BY_REGISTRY}` when a registry maintainer withdrew the signature (an "
        "abuse report, a legal request) rather than the pledge's own maintainers: only "
        "registry maintainers write it, and only they sign such a pledge again.",
        _withdrawn_by(), (c.WITHDRAWN_BY_REGISTRY,),
        shown=as_is, command="withdraw",
        own_command="socialmission withdraw SLUG --reason TEXT --by-registry (registry "
                    "maintainers only)"),
    Field(
        "status_index", "Revocation index",
        "The signature's own place in the registry's revocation list (a W3C Bitstring "
        f"Status List of {c.STATUS_LIST_SIZE} entries), an integer from 0 to "
        f"{c.STATUS_LIST_SIZE - 1} that no other signature of any pledge has or had: the "
        "tools write it, picked at random, when a pledge is signed or signed again, and it "
        "never changes; withdrawing the signature revokes its credentials there.",
        _status_index(), (48213,),
        # `new` and the forms write the first's, `sign-again` each later one's. Not in the
        # open data: each credential carries its own, and the API stays as large as it was.
        note="Your signature's place in the registry's revocation list, picked for you: "
             "never change it.",
        command="sign-again",
        own_command="socialmission sign-again SLUG (an index never changes: a new one "
                    "comes only with a new signature)"),
    Field(
        "signed_again", "Signed again",
        "The later signatures, oldest first, each after the one before was withdrawn: "
        "its `signed`, `mission_version` and `status_index`, and as the first signature "
        "may, `reaffirmed`, `withdrawn`, `withdrawn_reason` and `withdrawn_by`, with the same "
        "rules; each is signed on or after the day the one before was withdrawn, every one "
        "but the last is withdrawn, and nothing of an earlier signature ever changes; "
        "`socialmission sign-again` writes it.",
        _signatures(),
        ([{"signed": "2026-03-01", "mission_version": FromMission.CURRENT,
           "status_index": 91544}],),
        shown=signatures, command="sign-again",
        own_command="socialmission sign-again SLUG"),
    Field(
        "redacted", "Date redacted",
        "The day the registry's maintainers redacted a withdrawn pledge, `YYYY-MM-DD`, not "
        "before `withdrawn`: the pledge then keeps only "
        f"{_code_list(c.TOMBSTONE_FIELDS, 'and')} (a tombstone); `socialmission redact` "
        "writes it.",
        _date(), ("2025-06-30",),
        shown=iso_date, command="redact",
        own_command="socialmission redact SLUG --reason TEXT (registry maintainers only)"),
)
# The fields whose text may run over several lines.
MULTILINE_FIELDS: Final = frozenset(field.name for field in FIELDS if field.multiline)
FORM_FIELDS: Final = tuple(field.name for field in FIELDS if field.in_forms)
# The later signatures' field: what the site and check-pr say of signing again.
SIGNED_AGAIN: Final = next(field for field in FIELDS if field.name == "signed_again")

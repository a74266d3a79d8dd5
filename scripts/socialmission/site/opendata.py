"""Machine-readable outputs: the JSON API and the directory's compact search data (the
Atom feed is feed.py's). Every value from a pledge goes through Jinja's HTML-safe JSON
emitter, never by hand."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from jinja2.utils import htmlsafe_json_dumps

from socialmission.model import constants as c
from socialmission.model import fields, openbadges, paths
from socialmission.model.mission import Mission
from socialmission.model.paths import page_url
from socialmission.model.pledge import Pledge
from socialmission.model.proofs import Proof, proof_kind, proof_of
from socialmission.model.urls import shown_domain

API = paths.API_PATH


def _htmlsafe(document: Any, **options: Any) -> str:
    """Deterministic JSON (sorted keys) with '<', '>', '&' and "'" written as \\u
    escapes: the same JSON value, and safe inline in HTML (a script or an attribute)."""
    return str(htmlsafe_json_dumps(document, dumps=json.dumps, sort_keys=True,
                                   ensure_ascii=False, **options))


def dumps(document: Any) -> bytes:
    """A published JSON file: HTML-safe, one space of indent, a final newline."""
    return (_safe(_indented(document)) + "\n").encode("utf-8")


def _safe(text: str) -> str:
    """`text` as _htmlsafe writes it: the same escapes, by the same function."""
    return str(htmlsafe_json_dumps(text, dumps=_as_is))


def _as_is(text: str) -> str:
    return text


class _Encoded(NamedTuple):
    """A value already written by `_indented` at the top level: written again as it is,
    indented to where it sits (json.dumps refuses it, so it is never written as a
    string)."""

    text: str


class _Unusual(Exception):
    """A value `_indented` does not write itself (json.dumps does)."""


_INFINITY = float("inf")
_JSON_CONSTANTS: Final = {None: "null", True: "true", False: "false"}


def _indented(document: Any) -> str:
    """Exactly json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1), in half
    the time: with an indent, json writes every value in pure Python, one generator per
    container. This writes the values the published files hold (dicts with str keys,
    lists, tuples, str, int, float, bool, None, and `_Encoded` text); given anything else,
    it leaves the whole document to json.dumps. Strings go through json's own (C)
    encoder; JSON text holds no raw newline, so `_Encoded` text indents by replacement."""
    parts: list[str] = []
    append, string = parts.append, json.encoder.encode_basestring

    def write(value: Any, newline: str) -> None:
        kind = type(value)
        if kind is str:
            append(string(value))
        elif kind is dict:
            if not value:
                append("{}")
                return
            inner = newline + " "
            separator = "{" + inner
            for key in sorted(value):  # json sorts the items: the keys are unique
                if type(key) is not str:
                    raise _Unusual
                append(separator)
                append(string(key))
                append(": ")
                write(value[key], inner)
                separator = "," + inner
            append(newline + "}")
        elif kind is list or kind is tuple:
            if not value:
                append("[]")
                return
            inner = newline + " "
            separator = "[" + inner
            for item in value:
                append(separator)
                write(item, inner)
                separator = "," + inner
            append(newline + "]")
        elif value is None or value is True or value is False:
            append(_JSON_CONSTANTS[value])
        elif kind is int:
            append(int.__repr__(value))
        elif kind is float:  # as json writes them, non-finite ones included
            append("NaN" if math.isnan(value) else "Infinity" if value == _INFINITY
                   else "-Infinity" if value == -_INFINITY else float.__repr__(value))
        elif kind is _Encoded:
            append(value.text.replace("\n", newline))
        else:
            raise _Unusual

    try:
        write(document, "\n")
    except (_Unusual, TypeError, RecursionError):  # unsortable keys, a cycle: json says
        return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1)
    return "".join(parts)


def proof_record(proof: Proof | None) -> dict[str, Any] | None:
    """What the API says of a signatory's proof: None until one was checked."""
    if proof is None:
        return None
    return {"checked": proof.checked.isoformat(), "website_confirms": proof.website_confirms,
            "well_known": proof.well_known, "dns": proof.dns,
            "statement_links": proof.statement_links}


def _shown(field: fields.Field, pledge: Pledge) -> bool:
    """Whether the API shows `field`: a published field, of those a redacted pledge keeps
    when it is one; `signed_again` is the `signatures` list instead."""
    return field.shown is not None and field is not fields.SIGNED_AGAIN and (
        not pledge.tombstone or field.name in c.TOMBSTONE_FIELDS)


def signature_records(pledge: Pledge, base: str) -> list[dict[str, Any]]:
    """Every signature of a pledge, oldest first, as the API publishes it: the fields it
    has, as the file writes them (`signed` and `mission_version` always; `reaffirmed`,
    `withdrawn`, `withdrawn_reason`, `withdrawn_by` when given, each shown as the
    pledge's are) and the address of its assertion for each version it signed or
    reaffirmed: an earlier signature's stay at theirs, revoked. Only what a signature has
    is written, as in the file: the list is in every record, twice in the artifact."""
    kept = [field for field in fields.FIELDS  # read at each call, as `record` reads them
            if field.name in c.SIGNATURE_FIELDS and _shown(field, pledge)]
    records = []
    for number, signature in enumerate(pledge.signatures, start=1):
        entry = {field.name: field.shown(getattr(signature, field.name)) for field in kept
                 if field.shown is not None and getattr(signature, field.name)}
        entry["assertions"] = {str(version): url for version, url in
                               openbadges.assertions(base, pledge, number).items()}
        records.append(entry)
    return records


def newer_version(pledge: Pledge, mission: Mission | None) -> int | None:
    """The mission's current version when it is newer than the newest one the pledge's
    current signature signed or reaffirmed, else None (and None without a mission). Its
    page, its directory row and its record say so from this one test; its badge, which
    renders apart, compares the same numbers (render/face.py)."""
    if mission is None or mission.current.version <= pledge.current_version:
        return None
    return mission.current.version


def record(pledge: Pledge, base: str, mission: Mission | None = None,
           proof: Proof | None = None) -> dict[str, Any]:
    """One signatory as the API publishes it: every published field, a signature's fields
    being its current signature's (the one in force, or withdrawn last), the versions that
    signature signed or reaffirmed and each one's assertion, every signature in
    `signatures`, the mission's current version when it is newer than the record's
    (`newer_version`; None when the record's `current_version` is the current one: each
    record says both, without a field repeated in every record of signatories.json), and
    its website's proof. A redacted pledge shows only what its tombstone keeps."""
    document: dict[str, Any] = {"slug": pledge.slug}
    current = pledge.current
    for field in fields.FIELDS:  # read at each call, so a test may extend it
        if field.shown is not None and _shown(field, pledge):
            owner = current if field.name in c.SIGNATURE_FIELDS else pledge
            document[field.name] = field.shown(getattr(owner, field.name))
    document |= {
        "page": page_url(base, pledge.slug),
        "badges": paths.badge_folder_url(base, pledge.slug),
        "assertion": base + openbadges.assertion_path(pledge),
        "current_version": pledge.current_version,
        "assertions": {str(number): url
                       for number, url in openbadges.assertions(base, pledge).items()},
        "signatures": signature_records(pledge, base),
        "proof": proof_record(proof if pledge.active else None),
    }
    if mission is not None:
        document["newer_version"] = newer_version(pledge, mission)
    return document


def api_files(pledges: list[Pledge], mission: Mission, base: str,
              proofs: Mapping[str, Proof] | None = None) -> dict[str, bytes]:
    # each record written once, for its own file and (indented deeper) for the list
    records = [_Encoded(_indented(record(p, base, mission, proof_of(p, proofs or {}))))
               for p in pledges]
    current = mission.current.version
    files = {
        paths.API_SIGNATORIES_PATH: dumps({
            "mission_version": current,
            "count": {"active": sum(p.active for p in pledges),
                      "withdrawn": sum(not p.active for p in pledges)},
            # active signatories who signed or reaffirmed the current version
            "count_current_version": sum(p.active and current in p.versions
                                         for p in pledges),
            "signatories": records,
        }),
    }
    for pledge, item in zip(pledges, records, strict=True):
        files[paths.api_signatory_path(pledge.slug)] = dumps(item)
    return files


# The directory's search data: one short array per signatory, fields in this order, so
# that 10,000 signatories stay a few hundred kilobytes, fetched only when someone searches
# (the directory's own search, and the header search's signatories on every page).
DIRECTORY_DATA = paths.DIRECTORY_DATA_PATH
DIRECTORY_FIELDS = ("slug", "name", "host", "kind", "country", "sector", "signed",
                    "older_version", "logo", "initial", "proof")


def search_values() -> dict[str, str]:
    """What site/overrides/main.html gives the header search's script (assets/
    signatory-search.js): the directory's data, and the folder of the signatories' pages
    (each at `<folder><slug>/`), both from the site's root."""
    return {"sm_directory_data": DIRECTORY_DATA,
            "sm_signatories_path": f"{paths.SIGNATORIES_PATH}/"}


def monogram_initial(name: str) -> str:
    """The letter a signatory without a logo is shown by: the name's first letter or digit."""
    return next((ch for ch in name if ch.isalnum()), "?")


def directory_row(pledge: Pledge, proofs: Mapping[str, Proof] | None = None,
                  mission: Mission | None = None) -> dict[str, str]:
    """One active signatory as the directory shows it, by DIRECTORY_FIELDS: the server's
    rows (site/pages.py) and the script's (from directory.json) are both drawn from this.
    `logo` is the published logo's path from the site's root, or "" for the monogram;
    `host` is the website's domain as a visitor must read it (model.urls.shown_domain);
    `older_version` the version its signature is of when `mission` has a newer one, else
    ""."""
    older = newer_version(pledge, mission) is not None
    return {"slug": pledge.slug, "name": pledge.name,
            "host": shown_domain(pledge.website) if pledge.website else "",
            "kind": pledge.kind or "",
            "country": pledge.country or "", "sector": pledge.sector or "",
            "signed": pledge.current.signed.isoformat(),
            "older_version": str(pledge.current_version) if older else "",
            "logo": paths.logo_path(pledge.slug) if pledge.logo else "",
            "initial": monogram_initial(pledge.name),
            "proof": proof_kind(proof_of(pledge, proofs or {}))}


def directory_data(pledges: list[Pledge], proofs: Mapping[str, Proof] | None = None,
                   mission: Mission | None = None) -> bytes:
    rows = [[row[name] for name in DIRECTORY_FIELDS]
            for row in (directory_row(p, proofs, mission) for p in pledges if p.active)]
    return _htmlsafe({"fields": DIRECTORY_FIELDS, "rows": rows},
                     separators=(",", ":")).encode("utf-8")

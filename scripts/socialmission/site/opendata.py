"""Machine-readable outputs: the JSON API, the directory's compact search data, the Atom
feed. Every value from a pledge goes through json.dumps or XML escaping, never by hand."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from socialmission.model import fields, paths
from socialmission.model.mission import Mission
from socialmission.model.paths import assertion_url, page_url
from socialmission.model.pledge import Pledge

API = paths.API_PATH
FEED_PATH = paths.FEED_PATH
FEED_ENTRIES = 50  # the newest signatures


def dumps(document: Any) -> bytes:
    """Deterministic JSON; '<', '>' and '&' escaped so it is also safe inline in HTML."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            + "\n").encode("utf-8")


def record(pledge: Pledge, base: str) -> dict[str, Any]:
    """One signatory as the API publishes it."""
    document: dict[str, Any] = {"slug": pledge.slug}
    for field in fields.FIELDS:  # read at each call, so a test may extend it
        if field.shown is not None:
            document[field.name] = field.shown(getattr(pledge, field.name))
    document |= {
        "page": page_url(base, pledge.slug),
        "badges": paths.badge_folder_url(base, pledge.slug),
        "assertion": assertion_url(base, pledge.slug),
    }
    return document


def api_files(pledges: list[Pledge], mission: Mission, base: str) -> dict[str, bytes]:
    records = [record(p, base) for p in pledges]
    files = {
        f"{API}/signatories.json": dumps({
            "mission_version": mission.current.version,
            "count": {"active": sum(p.active for p in pledges),
                      "withdrawn": sum(not p.active for p in pledges)},
            "signatories": records,
        }),
    }
    for item in records:
        files[f"{API}/signatories/{item['slug']}.json"] = dumps(item)
    return files


# The directory's search data: one short array per signatory, fields in this order, so
# that 10,000 signatories stay a few hundred kilobytes, fetched only when someone searches.
DIRECTORY_FIELDS = ("slug", "name", "kind", "country", "sector", "signed", "logo")


def directory_data(pledges: list[Pledge]) -> bytes:
    rows = [[p.slug, p.name, p.kind, p.country or "", p.sector or "", p.signed.isoformat(),
             1 if p.logo else 0] for p in pledges if p.active]
    text = json.dumps({"fields": DIRECTORY_FIELDS, "rows": rows}, ensure_ascii=False,
                      separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .encode("utf-8")


def atom_feed(pledges: list[Pledge], base: str, updated: dt.datetime) -> bytes:
    """An Atom feed (RFC 4287) of the newest signatures."""
    newest = sorted((p for p in pledges if p.active), key=lambda p: (p.signed, p.slug),
                    reverse=True)[:FEED_ENTRIES]
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>New signatories of the Social Mission</title>",
        f"<id>{escape(base)}{FEED_PATH}</id>",
        f"<link rel=\"self\" href={quoteattr(base + FEED_PATH)}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + 'signatories/')}/>",
        f"<updated>{stamp}</updated>",
        "<author><name>Socially-M</name></author>",
    ]
    for pledge in newest:
        url = page_url(base, pledge.slug)
        summary = pledge.statement or f"{pledge.name} signed the Social Mission."
        lines += [
            "<entry>",
            f"<title>{escape(pledge.name)}</title>",
            f"<id>{escape(url)}</id>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"<published>{pledge.signed.isoformat()}T00:00:00Z</published>",
            f"<updated>{pledge.signed.isoformat()}T00:00:00Z</updated>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")

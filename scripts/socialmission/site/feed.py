"""The Atom feed (RFC 4287) of the newest signatures, and of each mission version published
after the first (so that a reader learns that the text changed): an autoescaped template,
so a name or statement is always XML text, never markup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from socialmission.model import paths
from socialmission.model.mission import MissionVersion
from socialmission.model.pledge import Pledge

FEED_PATH = paths.FEED_PATH
FEED_ENTRIES = 50  # the newest signatures and new mission versions, together
TEMPLATE = "feed.xml.j2"


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    id: str  # the signature's own: its page, and for a later signature, its place there
    day: str  # YYYY-MM-DD
    summary: str


@cache
def _template() -> Template:
    # Autoescaping writes & < > " ' as references, which XML reads back as the same text.
    env = Environment(loader=PackageLoader("socialmission.site", "templates"),
                      undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                      keep_trailing_newline=True)
    return env.get_template(TEMPLATE)


def entry(pledge: Pledge, base: str, mission_name: str) -> Entry:
    """An active signatory's current signature as the feed tells it: a signature after a
    withdrawal says "signed again", and has an id of its own (its item in the page's list
    of signatures), so that a reader shows it as news rather than as the first one."""
    page = paths.page_url(base, pledge.slug)
    number = len(pledge.signatures)
    again = number > 1
    return Entry(title=f"{pledge.name} signed again" if again else pledge.name, url=page,
                 id=f"{page}#{paths.signature_anchor(number)}" if again else page,
                 day=pledge.current.signed.isoformat(),
                 summary=pledge.statement or
                 f"{pledge.name} signed the {mission_name}{' again' if again else ''}.")


def version_entry(version: MissionVersion, base: str, mission_name: str) -> Entry:
    """A mission version as the feed tells it: its section of the history page, which says
    what changed, and its `changes` note."""
    url = paths.mission_version_url(base, version.version)
    return Entry(title=f"Version {version.version} of the {mission_name} is published",
                 url=url, id=url, day=version.date.isoformat(), summary=version.changes)


def atom_feed(pledges: list[Pledge], base: str, updated: dt.datetime, author: str,
              mission_name: str, *, versions: Sequence[MissionVersion] = ()) -> bytes:
    """The feed of the FEED_ENTRIES newest signatures in force (a pledge signed again
    counts from its new signature) and `versions` after the first (the published ones:
    the first is the mission itself, not news of a change), newest first; `author` is the
    issuer's name, `mission_name` the settings'."""
    signatures = [(p.current.signed, entry(p, base, mission_name))
                  for p in pledges if p.active]
    changes = [(v.date, version_entry(v, base, mission_name)) for v in versions[1:]]
    newest = sorted([*signatures, *changes], key=lambda item: (item[0], item[1].id),
                    reverse=True)[:FEED_ENTRIES]
    entries = [item for _, item in newest]
    text = _template().render(
        feed_url=base + FEED_PATH, directory_url=f"{base}{paths.SIGNATORIES_PATH}/",
        updated=updated.strftime("%Y-%m-%dT%H:%M:%SZ"), author=author, entries=entries,
        mission_name=mission_name)
    return text.encode("utf-8")

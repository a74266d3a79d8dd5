"""`socialmission verify`: proofs that a signatory's website confirms its signature, which
never block anything.

For each signatory it records, with the date:

- whether its announcement (`statement_url`, or without one its website) answers as an
  HTML page with a link to its registry page or badges;
- whether its website serves `/.well-known/<proof_name>.txt` with a line naming its slug;
- whether a DNS TXT record `_<proof_name>.<domain>` (its website's registrable domain)
  names its slug.

Fetches go through site/fetch.py (https only, public addresses only, capped). The outcome
is written to the proof store (model/proofs.py), which the next build reads for the marks;
a failed check is recorded as such and fails nothing.

`domain_checker` is the other use of the same proofs: the verdict's ProofCheck
(ownership/judge.py) for one pledge, when the registry requires a proof before a new
pledge passes, or when an orphaned pledge is taken over. It reads the same two places,
and also the `maintainer: <login> <id>` lines beside the slug; the file must be served
by the website's own host (a redirect to another host proves nothing), for the verdict
and for the mark alike.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

from socialmission.model import paths
from socialmission.model.pledge import Pledge
from socialmission.model.proofs import Proof, dumps, load_proofs
from socialmission.model.settings import Settings, load_settings
from socialmission.model.urls import Url
from socialmission.ownership.rules import DomainProof, ProofCheck, proof_file_url, proof_record
from socialmission.site.fetch import Fetcher, FetchError

# A name's TXT strings. Production uses dnspython's resolver; the tests hand in their own.
TxtResolver = Callable[[str], list[str]]
_LINK: Final = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""",
                          re.IGNORECASE)
_TOKEN: Final = re.compile(r"[\s,;]+")
# A proof's line naming who may take over an orphaned pledge: 'maintainer: <login> <id>'.
_MAINTAINER_KEY: Final = "maintainer:"
_MAINTAINER: Final = re.compile("^" + re.escape(_MAINTAINER_KEY) +
                                r"[ \t]*([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))"
                                r"[ \t]+([1-9][0-9]{0,18})[ \t]*$")


def system_txt(name: str) -> list[str]:
    """TXT strings at `name` through dnspython; none when the name has none."""
    import dns.exception  # noqa: PLC0415 - only `verify` needs DNS
    import dns.resolver  # noqa: PLC0415

    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=5.0)
    except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
        return []
    except dns.exception.DNSException as error:
        raise LookupError(f"the DNS lookup of {name} failed: {error}") from None
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def _normal(url: str) -> str:
    """An address compared without its scheme's case, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, "")).removeprefix("https://").removeprefix("http://")


def links_to(page: bytes, page_url: str, targets: Iterable[str]) -> bool:
    """Whether an HTML page links to (or shows an image from) one of the targets."""
    text = page.decode("utf-8", "replace")
    wanted = [_normal(target) for target in targets]
    for match in _LINK.finditer(text):
        value = html.unescape(next(group for group in match.groups() if group is not None))
        found = _normal(urljoin(page_url, value))
        if any(found == target or found.startswith(target + "/") for target in wanted):
            return True
    return False


def names_slug(text: str, slug: str, token: str) -> bool:
    """Whether a proof's text names the slug: a line (or a TXT word) that is the slug,
    or `<token><slug>` (the settings' proof_token, such as `example-pledge=`); '#' starts
    a comment, and a `maintainer:` line names no
    slug (a login there is not the slug). The one reading of a proof, for the verdict and
    `verify`'s marks, of the well-known file and of the TXT record alike."""
    for line in text.splitlines():
        content = line.split("#", 1)[0].strip()
        if content.startswith(_MAINTAINER_KEY):
            continue
        words = _TOKEN.split(content)
        if slug in words or f"{token}{slug}" in words:
            return True
    return False


def txt_text(values: Iterable[str]) -> str:
    """A TXT record's strings as one proof text, a line each."""
    return "\n".join(values)


def named_maintainers(text: str) -> tuple[tuple[str, int], ...]:
    """The `maintainer: <login> <id>` lines of a proof, each (login, id); '#' starts a
    comment, and a line of another shape names nobody."""
    found: list[tuple[str, int]] = []
    for line in text.splitlines():
        entry = _MAINTAINER.match(line.split("#", 1)[0].strip())
        if entry is not None:
            found.append((entry[1], int(entry[2])))
    return tuple(found)


def domain_checker(fetcher: Fetcher, txt: TxtResolver, settings: Settings) -> ProofCheck:
    """The verdict's proof check: what a pledge's domain publishes about its slug now,
    in the proofs the (trusted) settings name."""

    def check_domain(slug: str, website: Url) -> DomainProof:
        notes: list[str] = []
        texts: list[str] = []
        proof_file = proof_file_url(website, settings)
        try:
            response = fetcher.get(proof_file)
            if urlsplit(response.url).hostname != urlsplit(proof_file).hostname:
                notes.append(f"{proof_file} redirects to another host")
            elif response.status != 200:
                notes.append(f"{proof_file} answered {response.status}")
            elif response.content_type != "text/plain":
                notes.append(f"{proof_file} is not text/plain "
                             f"({response.content_type or 'no type'})")
            else:
                texts.append(response.body.decode("utf-8", "replace"))
        except FetchError as error:
            notes.append(f"{proof_file}: {error}")
        record = proof_record(website, settings)
        try:
            values = txt(record)
            if values:
                texts.append(txt_text(values))
            else:
                notes.append(f"no TXT record at {record}")
        except Exception as error:  # a resolver's failure is a note, as in `check`
            notes.append(f"{record}: {error}")
        naming = [text for text in texts if names_slug(text, slug, settings.proof_token)]
        if texts and not naming:
            notes.append(f"no proof names {slug}")
        maintainers = tuple(entry for text in naming for entry in named_maintainers(text))
        return DomainProof(bool(naming), maintainers, tuple(notes))

    return check_domain


def check(pledge: Pledge, base: str, fetcher: Fetcher, txt: TxtResolver,
          on: dt.date, *, settings: Settings) -> Proof:
    """One signatory's proofs, checked now; every failure is a note, never raised."""
    notes: list[str] = []
    website = pledge.website
    if website is None:  # a redacted tombstone: nothing to check
        return Proof(on, "", "", False, False, False, ("redacted",))
    announcement = (pledge.statement_url or website).text
    targets = [paths.page_url(base, pledge.slug), paths.badge_folder_url(base, pledge.slug)]
    linked = False
    try:
        response = fetcher.get(announcement)
        if response.status != 200:
            notes.append(f"{announcement} answered {response.status}")
        elif response.content_type not in {"text/html", "application/xhtml+xml"}:
            kind = response.content_type or "no type"
            notes.append(f"{announcement} is not an HTML page ({kind})")
        else:
            linked = links_to(response.body, response.url, targets)
            if not linked:
                notes.append(f"{announcement} does not link to {targets[0]}")
    except FetchError as error:
        notes.append(f"{announcement}: {error}")
    well_known = False
    proof_file = proof_file_url(website, settings)
    try:
        response = fetcher.get(proof_file)
        if urlsplit(response.url).hostname != urlsplit(proof_file).hostname:
            notes.append(f"{proof_file} redirects to another host")  # which proves nothing
        else:
            if response.status == 200 and response.content_type == "text/plain":
                well_known = names_slug(response.body.decode("utf-8", "replace"),
                                        pledge.slug, settings.proof_token)
            if not well_known:
                notes.append(f"{proof_file} does not name {pledge.slug}")
    except FetchError as error:
        notes.append(f"{proof_file}: {error}")
    record = proof_record(website, settings)
    try:
        dns = names_slug(txt_text(txt(record)), pledge.slug, settings.proof_token)
        if not dns:
            notes.append(f"no TXT record at {record} names {pledge.slug}")
    except Exception as error:  # a resolver's failure only loses the mark
        dns = False
        notes.append(f"{record}: {error}")
    return Proof(on, website.host, announcement, linked, well_known, dns,
                 tuple(notes))


def verify(root: Path, pledges: Iterable[Pledge], base: str, *, fetcher: Fetcher,
           txt: TxtResolver, on: dt.date) -> dict[str, Proof]:
    """Check the pledges and store their proofs beside the others' (kept as they were);
    the store is replaced whole, or not at all. The checked pledges' proofs."""
    settings = load_settings(root)
    checked = {p.slug: check(p, base, fetcher, txt, on, settings=settings)
               for p in pledges if p.active}
    store = root / paths.PROOFS_STORE
    merged = {**load_proofs(root), **checked}
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=store.parent, prefix=".proofs-")
        with os.fdopen(handle, "wb") as output:
            output.write(dumps(merged))
        Path(temporary).replace(store)
    except OSError as error:
        raise OSError(f"{store}: the proofs could not be stored ({error.strerror}); the "
                      "site keeps its previous marks") from None
    return checked


def summary(proofs: Mapping[str, Proof]) -> str:
    """Markdown for the scheduled run's summary: counts, then one line per signatory."""
    confirms = sum(p.website_confirms for p in proofs.values())
    linked = sum(p.statement_links for p in proofs.values())
    lines = [f"Checked {len(proofs)} signatories: {confirms} confirmed by their website, "
             f"{linked} with an announcement that links to the registry.", ""]
    for slug in sorted(proofs):
        proof = proofs[slug]
        marks = [name for name, on in (("well-known file", proof.well_known),
                                       ("DNS record", proof.dns),
                                       ("linked announcement", proof.statement_links)) if on]
        lines.append(f"- {slug}: {', '.join(marks) if marks else 'no proof'}")
    return "\n".join(lines) + "\n"

"""The site's sitemap, written by the build after the engine (the engine's lists its shells
and not the pages filled from them): `sitemap.xml` and `sitemap.xml.gz`, in the form MkDocs
writes them, with every page once, in the order of their addresses; a page with versions
in other languages (site/languages.py) lists each, its own included, as an `xhtml:link`
with its `hreflang` (the form search engines read from a sitemap), in the tags' order."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable, Mapping
from html import escape

from socialmission.model.clock import today

SITEMAP = "sitemap.xml"
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>')
_ENTRY = ("\n    <url>\n         <loc>{loc}</loc>\n         <lastmod>{day}</lastmod>{links}"
          "\n    </url>")
# The namespace of the alternates' links, declared only in a sitemap that has any
_XHTML = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
_LINK = '\n         <xhtml:link rel="alternate" hreflang="{language}" href="{href}"/>'


def page_address(base: str, source: str) -> str:
    """A page's address from its source path, with directory URLs (`a/b.md`, `a/b/index.md`:
    `base`a/b/)."""
    stem = source.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return f"{base}{stem}/" if stem else base


def sitemap(base: str, sources: Iterable[str],
            alternates: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, bytes]:
    """sitemap.xml and its gzip, by site path. `lastmod` and the gzip's time are the
    build's day and SOURCE_DATE_EPOCH (or now), as MkDocs has them. `alternates`: a
    page's versions in other languages (hreflang -> address), by its address from the
    site's root."""
    day = today().isoformat()
    addresses = sorted({page_address(base, source) for source in sources})
    found = alternates or {}
    entries = []
    for address in addresses:
        links = found.get(address.removeprefix(base), {})
        entries.append(_ENTRY.format(loc=escape(address), day=day, links="".join(
            _LINK.format(language=escape(language), href=escape(href))
            for language, href in sorted(links.items()))))
    head = _HEAD.format(xhtml=_XHTML if any(found.values()) else "")
    text = head + "".join(entries) + "\n</urlset>"
    data = text.encode("utf-8")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    buffer = io.BytesIO()
    # the name in the gzip header is the file's own, without ".gz", as MkDocs writes it
    with gzip.GzipFile(fileobj=buffer, filename=f"{SITEMAP}.gz", mode="wb",
                       mtime=int(epoch) if epoch else None) as gz:
        gz.write(data)
    return {SITEMAP: data, f"{SITEMAP}.gz": buffer.getvalue()}

"""The site's sitemap, written by the build after the engine (the engine's lists its shells
and not the pages filled from them): `sitemap.xml` and `sitemap.xml.gz`, in the form MkDocs
writes them, with every page once, in the order of their addresses."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable
from html import escape

from socialmission.model.clock import today

SITEMAP = "sitemap.xml"
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
_ENTRY = "\n    <url>\n         <loc>{loc}</loc>\n         <lastmod>{day}</lastmod>\n    </url>"


def page_address(base: str, source: str) -> str:
    """A page's address from its source path, with directory URLs (`a/b.md`, `a/b/index.md`:
    `base`a/b/)."""
    stem = source.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return f"{base}{stem}/" if stem else base


def sitemap(base: str, sources: Iterable[str]) -> dict[str, bytes]:
    """sitemap.xml and its gzip, by site path. `lastmod` and the gzip's time are the
    build's day and SOURCE_DATE_EPOCH (or now), as MkDocs has them."""
    day = today().isoformat()
    addresses = sorted({page_address(base, source) for source in sources})
    text = _HEAD + "".join(_ENTRY.format(loc=escape(a), day=day) for a in addresses) \
        + "\n</urlset>"
    data = text.encode("utf-8")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    buffer = io.BytesIO()
    # the name in the gzip header is the file's own, without ".gz", as MkDocs writes it
    with gzip.GzipFile(fileobj=buffer, filename=f"{SITEMAP}.gz", mode="wb",
                       mtime=int(epoch) if epoch else None) as gz:
        gz.write(data)
    return {SITEMAP: data, f"{SITEMAP}.gz": buffer.getvalue()}

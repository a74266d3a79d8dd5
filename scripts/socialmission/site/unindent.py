"""HTML templates without the indentation of their lines, removed once as each template
is loaded, so no page pays for it.

Templates indent their markup for people to read; every page of the site carried a few KB
of it (about 12% of a signatory page, and 100,000 such pages are most of a host's size
limit). HTML renders a newline and a newline followed by spaces alike, except inside
elements that keep whitespace: the text between `<pre` and `</pre>` (or `<textarea`) in a
template is left as it is, and so is a template that opens one without closing it. Only
HTML templates are touched: in Markdown, indentation is meaning. What a template inserts
(page content, a signatory's words) is data, not template source, and is never touched.
"""

from __future__ import annotations

import re

from jinja2.ext import Extension

_INDENT = re.compile(r"\n[ \t]+")
_KEPT = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_OPENS = re.compile(r"<(?:pre|textarea)\b", re.IGNORECASE)
HTML_NAMES = (".html", ".html.j2")


def unindent(source: str) -> str:
    """`source` with every line's leading spaces and tabs removed, outside <pre> and
    <textarea> elements (the whole of it unchanged if one is left open)."""
    parts = _KEPT.split(source)
    # split() gives text, then for each match the element and its tag name
    texts = parts[::3]
    if any(_OPENS.search(text) for text in texts):
        return source
    out = []
    for index, part in enumerate(parts):
        if index % 3 == 0:
            out.append(_INDENT.sub("\n", part))
        elif index % 3 == 1:
            out.append(part)
    return "".join(out)


class Unindented(Extension):
    """A Jinja extension: HTML templates pass through unindent() as they are loaded."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.endswith(HTML_NAMES):
            return source
        return unindent(source)

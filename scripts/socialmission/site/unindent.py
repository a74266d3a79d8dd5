"""HTML without the indentation of its lines, their trailing spaces and its blank lines:
the generator's templates, once as each is loaded (UnindentedLoader), and the text of each
shell the engine renders, once per shell (site/fill.py), so no page pays for it.

Templates indent their markup for people to read; every page of the site carried a few KB
of it (about 12% of a signatory page, and 100,000 such pages are most of a host's size
limit), and the theme's blank lines (where a Jinja tag stood) 2% more. HTML renders
a newline and any run of spaces, tabs and newlines that holds one alike, except inside
elements that keep whitespace: the text between `<pre` and `</pre>` (or `<textarea`) in a
template is left as it is, and so is a template that opens one without closing it. Only
HTML templates are touched: in Markdown, indentation is meaning. What a template inserts
(page content, a signatory's words) is data, not template source, and is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinja2 import Environment, PackageLoader

# a newline with the spaces and tabs before it and every space, tab and newline after it
# (not `\s`, which would take a no-break space too)
_INDENT = re.compile(r"[ \t]*\n[ \t\n]*")
_KEPT = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_OPENS = re.compile(r"<(?:pre|textarea)\b", re.IGNORECASE)
HTML_NAMES = (".html", ".html.j2")


def unindent(source: str) -> str:
    """`source` with every line's leading and trailing spaces and tabs removed and its blank
    lines with them, outside <pre> and <textarea> elements (the whole of it unchanged if
    one is left open). The stylesheet's `white-space: pre-line` elements (a statement, a
    withdrawal) hold one line of template each, so no newline of theirs is lost."""
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


class UnindentedLoader(PackageLoader):
    """A template loader whose HTML templates come without their indentation (unindent()),
    once as each is loaded; Markdown ones come as they are."""

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        if template.endswith(HTML_NAMES):
            source = unindent(source)
        return source, filename, uptodate

"""Pages filled from a shell: the site engine renders one page with plain-ASCII sentinels
where each value differs per page, and every page of that kind is the shell with its own
values put in their place (site/tree.py writes the shells).

A shell is checked once, when it is prepared: each sentinel must occur exactly as often as
the shell's kind says (the theme printing a value one more or one fewer time would
otherwise give pages a stale or missing value), and nothing of a sentinel may be left in
the text around them (a value the theme printed in a form no sentinel matches, such as an
address re-encoded). Filling is then one join: the values go in once, in one pass, so a
value that happens to look like a sentinel is never read as one.

Every value is escaped for where it lands: text and attribute values alike take HTML
escaping with quotes; a slug, which lands in URLs, must be a valid slug (only [a-z0-9-]).
The body is HTML the generator wrote (autoescaped templates) and goes in as it is.

The shell's own chrome (the theme's indentation, 12% of a signatory page) is unindented
here, once per shell (site/unindent.py); what is filled in is data and never touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Final

from socialmission.model.constants import SLUG_PATTERN
from socialmission.site import unindent as flat

# Every sentinel starts with this (in any case): none may be left in a filled page.
SENTINEL: Final = "smshell"
TITLE: Final = "SMSHELLTITLE"
DESCRIPTION: Final = "SMSHELLDESCRIPTION"
PRELOAD: Final = "SMSHELLPRELOAD"
BODY_START: Final = "SMSHELLBODY"
BODY_END: Final = "SMSHELLEND"
HEADING: Final = "SMSHELLHEADING"  # the h1 in the shell's Markdown, inside the body


def shell_slug(number: int) -> str:
    """The slug of the `number`th shell of a kind (0, 1, ...): a valid slug."""
    return f"{SENTINEL}{number}"


@dataclass(frozen=True)
class Hole:
    """Where a value goes: its pattern, and how many times the shell must hold it."""

    name: str
    pattern: str
    count: int


# Python-Markdown's paragraphs around the body's headings (site/tree.py: body_markdown)
BODY: Final = Hole("body", rf"<p>{BODY_START}</p>.*?<p>{BODY_END}</p>", 1)
# The theme's <title>, header title and og:title; meta description, og:description and
# og:image:alt (the social card says what the badge's description says); one
# <link rel="preload"> (repeated per font).
SIGNATORY_HOLES: Final = (
    Hole("title", TITLE, 3),
    Hole("description", DESCRIPTION, 3),
    Hole("preload", rf'<link rel="preload" href="[^"<>]*{PRELOAD}"[^<>]*>', 1),
    BODY,
)


SLUG_COUNT: Final = 3  # the canonical address, og:url and og:image


def slug_hole(slug: str, count: int = SLUG_COUNT) -> Hole:
    """The shell's slug, in its addresses."""
    return Hole("slug", re.escape(slug), count)


class ShellError(Exception):
    """A shell does not hold its sentinels as its kind says: no page is filled from it."""


@dataclass(frozen=True)
class Shell:
    """A prepared shell: its fixed text, and between each two parts a hole."""

    where: str  # the shell's page, for messages
    parts: tuple[str, ...]
    holes: tuple[tuple[str, str], ...]  # (hole name, the text the engine wrote there)

    def fill(self, values: Mapping[str, str | list[str]]) -> str:
        """The page: each hole replaced by its value, escaped for where it lands."""
        out = [self.parts[0]]
        for (name, written), part in zip(self.holes, self.parts[1:], strict=True):
            value = _value(name, written, values[name])
            # no value between two newlines: one newline, as the page unindented whole has
            joined = not value and out[-1].endswith("\n") and part.startswith("\n")
            out.append(value)
            out.append(part[1:] if joined else part)
        return "".join(out)


def _value(name: str, written: str, value: str | list[str]) -> str:
    if name == BODY.name:
        return str(value)
    if name == "preload":
        return "".join(written.replace(PRELOAD, escape(font, quote=True)) for font in value)
    if name == "slug":
        if not isinstance(value, str) or re.fullmatch(SLUG_PATTERN, value) is None:
            raise ShellError(f"not a slug, so not put in a page's address: {value!r}")
        return value
    return escape(str(value), quote=True)


def prepare(html: str, holes: tuple[Hole, ...], where: str, *,
            flatten: bool = True) -> Shell:
    """The shell the engine wrote, checked (see the module's docstring). `flatten`: its
    fixed text without the theme's indentation."""
    by_group = {f"h{index}": hole for index, hole in enumerate(holes)}
    pattern = re.compile("|".join(f"(?P<{group}>{hole.pattern})"
                                  for group, hole in by_group.items()), re.DOTALL)
    parts: list[str] = []
    found: list[tuple[str, str]] = []
    start = 0
    for match in pattern.finditer(html):
        parts.append(html[start:match.start()])
        group = match.lastgroup
        assert group is not None
        found.append((by_group[group].name, match.group()))
        start = match.end()
    parts.append(html[start:])
    problems = [f"{hole.name} is in it {count} times, not {hole.count}"
                for hole in holes
                if (count := sum(name == hole.name for name, _ in found)) != hole.count]
    left = [part for part in parts if SENTINEL in part.casefold()]
    if left:
        at = left[0].casefold().index(SENTINEL)
        problems.append(f"a sentinel is left where no value goes: "
                        f"...{left[0][max(0, at - 60):at + 40]!r}...")
    if problems:
        raise ShellError(f"{where}: the site engine's shell cannot be filled: "
                         + "; ".join(problems))
    if flatten:
        parts = [flat.unindent(part) for part in parts]
    return Shell(where, tuple(parts), tuple(found))

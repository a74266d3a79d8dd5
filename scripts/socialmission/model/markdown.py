"""Text placed in GitHub Markdown (a check run's summary, a comment on an issue) exactly
as it is: no link, image, markup or mention that a value could carry survives."""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def markdown_text(text: str) -> str:
    """Text that Markdown and GitHub's HTML show as it is: no link, image or markup that a
    pledge's value could carry survives (HTML's characters become entities, Markdown's
    punctuation is escaped, line breaks become spaces)."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return _MARKDOWN.sub(r"\\\1", escaped)


def comment_text(text: str) -> str:
    """markdown_text, and an '@' written as an entity, so that a value such as '@org/team'
    notifies nobody when the comment is posted."""
    return markdown_text(text).replace("@", "&#64;")

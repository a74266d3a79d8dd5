"""Markdown for the registry's pages, from the mission file and the pledges."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from .mission import Mission


@cache
def environment() -> Environment:
    # Markdown passes HTML through, so every value is HTML-escaped on the way in.
    return Environment(loader=PackageLoader("socialmission", "templates"),
                       undefined=StrictUndefined, autoescape=True,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def mission_markdown(mission: Mission) -> str:
    return environment().get_template("mission.md.j2").render(mission=mission,
                                                              version=mission.current)

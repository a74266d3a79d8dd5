"""A page for each translation of the mission: one a published version and language, at
model/paths.py's `translation_path` (`history/v<N>/<language>/`).

Each says it is a translation of its version and that the signed text is the original,
links to that original, names the translator and the reviewer and the day it was last
updated, says that only the mission's text is translated, and ends with its version's
language switch (site/languages.py, which also gives its `hreflang` alternates, which
the sitemap lists). A
version's translations stay with it: once version N+1 is published, version N's pages keep
their addresses and say which version is current (and link its translation into the same
language, if it has one), and the mission page offers only version N+1's.

A translation is a translator's text, as untrusted as a pledge: its page's body is written
as HTML through the autoescaping templates (translation.html.j2, languages.html.j2) and put
in after the engine (site/fill.py), so no engine runs Markdown on it; its title reaches
the head only through front matter, HTML-escaped as the theme prints it as it is.

`lang` and `dir` are on the translated content (the heading and the principles), not on
the page's <html>: the page around it (header, navigation, the note, the footer) is the
registry's own words in the registry's language, which is what both themes write as every
page's <html lang> (mkdocs.yml's `theme.language`); neither lets a page give its own
without replacing the theme's base template.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, Final

from socialmission.check.translations import of_version
from socialmission.model import paths
from socialmission.model.mission import Mission
from socialmission.model.translation import Translation, same_language
from socialmission.site.languages import links, original_link
from socialmission.site.pages import PageBody, SiteWords, environment, front_matter, long_date

TRANSLATION_HEADING: Final = "translation"  # the id of a translation page's h1
# From a translation's page (history/v<N>/<language>/) to the site's root: a '../' a folder
TO_ROOT: Final = "../" * paths.translation_path(1, "fr").count("/")


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def translation_page(translation: Translation, mission: Mission,
                     translations: Sequence[Translation], *,
                     words: SiteWords) -> tuple[str, PageBody]:
    """A translation's page: its front matter (title, description) and its body, as HTML."""
    version, newest = translation.version, mission.current.version
    later = [t for t in of_version(translations, newest)
             if same_language(t.language, translation.language)]
    html = _render(
        "translation.html.j2", t=translation, words=words, heading_id=TRANSLATION_HEADING,
        current=version == newest, updated=long_date(translation.updated),
        original=f"{TO_ROOT}{paths.HISTORY_PATH}#{paths.mission_version_anchor(version)}",
        newest={"version": newest, "href": TO_ROOT,
                "translation": links(later, TO_ROOT)[0] if later else None},
        languages=[original_link(mission, version, TO_ROOT, words.language),
                   *links(of_version(translations, version), TO_ROOT,
                          here=translation.language)])
    meta: dict[str, Any] = {
        "title": escape(translation.title, quote=True),
        "description": escape(f"Version {version} of the {words.settings.mission_name}, "
                              "translated; the signed text is the original.", quote=True),
        "search": {"exclude": True}}
    stub = _render("translation.md.j2", front_matter=front_matter(meta))
    return stub, PageBody(html, (), (TRANSLATION_HEADING, translation.title))


def translation_pages(mission: Mission, translations: Sequence[Translation], *,
                      words: SiteWords) -> tuple[dict[str, str], dict[str, PageBody]]:
    """Every translation's page: front matter and body, by source path."""
    pages: dict[str, str] = {}
    bodies: dict[str, PageBody] = {}
    for translation in translations:
        source = paths.translation_source(translation.version, translation.language)
        pages[source], bodies[source] = translation_page(translation, mission, translations,
                                                         words=words)
    return pages, bodies

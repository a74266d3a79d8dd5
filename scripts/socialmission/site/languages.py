"""A version's text in every language: the links between a version's original and its
translations, for the language switches (languages.html.j2, plain links, no script) and
the `hreflang` alternates. The pages themselves: site/translated.py.

The alternates follow each version's text: the current version's original is the mission
page (the home page), an earlier one's the history page, which holds every version; each
version's translations name the original (`x-default` and the site's language) and one
another, and the mission page names the current version's. The history page names none:
an alternate is the whole page in another language, and its translations are each of one
version; its switches, one a translated version, link them.

The alternates are in the sitemap (site/sitemap.py: an `xhtml:link` for each, one of the
three ways search engines read them), not in the pages' heads: both themes take every
<link rel="alternate" hreflang> in a head for a site in another language and fetch the
sitemap.xml beside it, on every view of the page; the mission page's original is the
site's root, whose sitemap names every signatory's page (megabytes at 100,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from socialmission.check.translations import of_version
from socialmission.model import paths
from socialmission.model.mission import Mission
from socialmission.model.translation import Direction, Translation, direction, parse_tag

X_DEFAULT: Final = "x-default"  # the alternate for a reader whose language none is
ORIGINAL: Final = "Original"  # the original's name in a language switch


@dataclass(frozen=True)
class LanguageLink:
    """One language of a version's text in a language switch (languages.html.j2)."""

    href: str  # relative to the page that shows the switch
    language: str  # its tag: the link's lang and hreflang
    direction: Direction
    name: str  # the language's name in itself, as the translation gives it
    current: bool = False  # the page's own language: shown, not linked


def links(translations: Sequence[Translation], to_root: str, *,
          here: str | None = None) -> list[LanguageLink]:
    """A link to each translation's page, from a page `to_root` below the site's root (''
    at the root); `here`, the language of the page showing them."""
    return [LanguageLink(to_root + paths.translation_path(t.version, t.language), t.language,
                         t.direction, t.language_name, current=t.language == here)
            for t in translations]


def original_path(mission: Mission, version: int) -> str:
    """The page of a version's original text, from the site's root: the mission page for
    the current version, the history page for an earlier one."""
    return "" if version == mission.current.version else paths.HISTORY_PATH


def alternates(mission: Mission, translations: Sequence[Translation], version: int,
               base: str, site_language: str) -> dict[str, str]:
    """A version's text in every language, absolute: `x-default` and the site's language
    to the original, each translation to its page (none when it has no translation). A
    translation in the site's own language is not an alternate of the original."""
    own = of_version(translations, version)
    if not own:
        return {}
    original = base + original_path(mission, version)
    found = {X_DEFAULT: original, site_language: original}
    for translation in own:
        found.setdefault(translation.language,
                         base + paths.translation_path(version, translation.language))
    return found


def switch(mission: Mission, translations: Sequence[Translation], version: int,
           site_language: str) -> list[LanguageLink]:
    """The language switch of a version's original on a Markdown page at the site's root
    (the mission or the history page): the original first, as the page's own, then each
    translation, linked by its page's source path, which every engine resolves from the
    page's source (Zensical reads a relative link in raw HTML that way too, and MkDocs
    from the page's address: only a Markdown link means the same to both)."""
    own = of_version(translations, version)
    if not own:
        return []
    return [original_link(mission, version, "", site_language, current=True),
            *(LanguageLink(paths.translation_source(t.version, t.language), t.language,
                           t.direction, t.language_name) for t in own)]


def original_link(mission: Mission, version: int, to_root: str, site_language: str, *,
                  current: bool = False) -> LanguageLink:
    """The switch's link to a version's original, in the site's language."""
    return LanguageLink(to_root + original_path(mission, version), site_language,
                        direction(parse_tag(site_language)), ORIGINAL, current=current)


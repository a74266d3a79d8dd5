"""The mission's translations on the built site, on every engine the site supports: a page
for each translation (version 1 in French and in Arabic, right to left: the fixtures, in a
registry copy), its `lang` and `dir` on the translated text, what it says of the original,
the `hreflang` alternates (in the sitemap, never in a head), the language switch (links,
no script) on the mission and history pages; a hostile translation's text stays text.
Then, on MkDocs: version 2 published leaves version 1's translations with version 1."""

from __future__ import annotations

import gzip
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from test_site import mkdocs_build, text_of

from conftest import copy_registry
from mission_support import mission_v2_text
from socialmission.mkdocs.engine import ENGINES
from socialmission.model import paths
from translation_support import (
    CANARY,
    EPOCH,
    HOSTILE_NAME,
    HOSTILE_PRINCIPLE,
    HOSTILE_TITLE,
    HOSTILE_TRANSLATOR,
    hostile_french,
    with_translations,
)

pytestmark = pytest.mark.slow
SITE_URL = "https://socialmission.example.org/"  # mkdocs.yml's site_url
ARABIC = paths.translation_path(1, "ar")
FRENCH = paths.translation_path(1, "fr")
ARABIC_TITLE = "المهمة الاجتماعية لـ Socially-M"
SITEMAPS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class Page(HTMLParser):
    """What a built page says about languages: the <html>'s lang, the alternates in the
    head, every element with a lang (tag, lang, dir, its text), and each language switch's
    entries (tag, text, href or None for the page's own, lang, hreflang, dir)."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.languages: list[tuple[str, str, str]] = []
        self.switches: list[list[dict[str, str | None]]] = []
        self._open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._in_switch = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        elif tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.alternates[str(found["hreflang"])] = str(found["href"])
        elif tag == "p" and found.get("class") == "sm-languages":
            self._in_switch = True
            self.switches.append([])
        if tag not in ("link", "meta", "img", "br", "wbr", "input"):
            self._open.append((tag, found, []))

    def handle_data(self, data: str) -> None:
        for _, _, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, attrs, texts = self._open.pop()
            text = "".join(texts).strip().removesuffix("¶")
            if "lang" in attrs and name != "html":
                self.languages.append((name, f"{attrs['lang']}/{attrs.get('dir')}", text))
            if self._in_switch and name in ("a", "strong"):
                self.switches[-1].append({"tag": name, "text": text, "href": attrs.get("href"),
                                          "lang": attrs.get("lang"), "dir": attrs.get("dir"),
                                          "hreflang": attrs.get("hreflang")})
            if name == "p" and attrs.get("class") == "sm-languages":
                self._in_switch = False
            if name == tag:
                break


def build(root: Path, out: Path, engine: str = "mkdocs") -> Path:
    result = mkdocs_build(root, out, engine, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A registry copy with the fixture translations, built with each engine."""
    root = with_translations(copy_registry(tmp_path_factory.mktemp("registry")))
    yield build(root, tmp_path_factory.mktemp(f"site-{request.param}"), request.param)


def page(out: Path, path: str) -> Path:
    return out / path / "index.html"


def switch(*, original: str, here: str) -> list[dict[str, str | None]]:
    """Version 1's switch: the original, then Arabic, then French, each link's target as
    an address; `here`, the language of the page itself (no link)."""
    entries = [("Original", "en", "ltr", original), ("العربية", "ar", "rtl", ARABIC),
               ("Français", "fr", "ltr", FRENCH)]
    return [{"tag": "strong" if language == here else "a", "text": name,
             "href": None if language == here else SITE_URL + target,
             "lang": language, "dir": direction,
             "hreflang": None if language == here else language}
            for name, language, direction, target in entries]


def switches(out: Path, path: str) -> list[list[dict[str, str | None]]]:
    """The switches of the page at `path`, each link's target as an address (the engines
    write a link to the same page differently)."""
    return [[{**entry, "href": None if entry["href"] is None else
              urljoin(SITE_URL + path, str(entry["href"]))} for entry in found]
            for found in Page(page(out, path)).switches]


ALTERNATES = {"x-default": SITE_URL, "en": SITE_URL, "ar": SITE_URL + ARABIC,
              "fr": SITE_URL + FRENCH}


def test_each_translation_has_its_page_with_lang_and_dir_on_its_text(built: Path) -> None:
    arabic = Page(page(built, ARABIC))
    # the page is the registry's, in its language; the translated text carries its own
    assert arabic.html_lang == "en"
    assert ("h1", "ar/rtl", ARABIC_TITLE) in arabic.languages
    [principles] = [text for tag, language, text in arabic.languages
                    if tag == "ol" and language == "ar/rtl"]
    assert principles.startswith("وسائل التواصل الاجتماعي تعمل على مدار الساعة")
    assert principles.endswith("لطريقة عمل عالم وسائل التواصل الاجتماعي.")
    assert page(built, ARABIC).read_text(encoding="utf-8").count("<li>") == 10
    french = Page(page(built, FRENCH))
    assert ("h1", "fr/ltr", "La Mission sociale de Socially-M") in french.languages
    assert [tag for tag, language, _ in french.languages if language == "ar/rtl"] == \
        ["a"]  # only the switch's link to Arabic


def test_a_translation_page_says_whose_it_is_and_that_the_original_is_signed(
        built: Path) -> None:
    text = text_of(page(built, ARABIC))
    assert "A translation of version 1; the signed text is the original" in text
    assert ("This page is version 1 of the Social Mission, translated into العربية. The "
            "signed text is the original, which decides what a signature promises: read "
            "version 1 as it was signed. Version 1 is the current version.") in text
    assert ("Translated by ليلى حداد, reviewed by سامر خوري; last updated 1 December 2026. "
            "Only the mission's text is translated: the rest of this site, the badges and "
            "their Open Badges documents stay in the registry's language.") in text
    source = page(built, ARABIC).read_text(encoding="utf-8")
    assert 'href="../../../history/#mission-v1"' in source  # the original, as signed
    assert 'id="mission-v1"' in page(built, paths.HISTORY_PATH).read_text(encoding="utf-8")
    assert '<time datetime="2026-12-01">' in source
    # a page's own engine title is its translated title, and search leaves it out
    assert re.search(rf"<title>{ARABIC_TITLE} - ", source)


def sitemap_alternates(out: Path) -> dict[str, dict[str, str]]:
    """Each page the sitemap lists with alternates: hreflang -> address, by its address."""
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    found = {}
    for url in root.iter(f"{SITEMAPS}url"):
        links = {str(link.get("hreflang")): str(link.get("href"))
                 for link in url.iter(f"{XHTML}link") if link.get("rel") == "alternate"}
        if links:
            found[str(url.findtext(f"{SITEMAPS}loc"))] = links
    return found


def test_alternates_and_switches_link_every_language_of_the_version(built: Path) -> None:
    # the sitemap names each page's versions (its own among them)
    assert sitemap_alternates(built) == {SITE_URL + path: ALTERNATES
                                         for path in ("", ARABIC, FRENCH)}
    # no head does: both themes would fetch the sitemap beside each alternate, the whole
    # site's for the mission page, on every view
    for path in ("", paths.HISTORY_PATH, ARABIC, FRENCH):
        assert Page(page(built, path)).alternates == {}, path
    assert switches(built, "") == [switch(original="", here="en")]
    assert switches(built, paths.HISTORY_PATH) == [switch(original="", here="en")]
    assert switches(built, ARABIC) == [switch(original="", here="ar")]
    assert switches(built, FRENCH) == [switch(original="", here="fr")]
    # every link lands on a page the build wrote
    for path in ("", paths.HISTORY_PATH, ARABIC, FRENCH):
        for entry in switches(built, path)[0]:
            if entry["href"] is not None:
                assert page(built, str(entry["href"]).removeprefix(SITE_URL)).is_file()
    for url in ALTERNATES.values():
        assert page(built, url.removeprefix(SITE_URL)).is_file()


def test_the_sitemap_lists_the_translations_pages(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    for path in (ARABIC, FRENCH):
        assert sitemap.count(f"<loc>{SITE_URL}{path}</loc>") == 1
    assert gzip.decompress((built / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    assert sitemap.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="'
                              'http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="'
                              'http://www.w3.org/1999/xhtml">')


def test_pages_without_translations_have_no_switch_and_no_alternates(
        tmp_path: Path) -> None:
    out = build(copy_registry(tmp_path / "registry"), tmp_path / "site")
    for path in ("", paths.HISTORY_PATH):
        assert Page(page(out, path)).switches == [], path
    assert not (out / paths.HISTORY_PATH / "v1").exists()
    # a sitemap without alternates is as it was, without their namespace
    assert sitemap_alternates(out) == {}
    assert "xhtml" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_version_2_published_leaves_version_1_translations_with_version_1(
        tmp_path: Path) -> None:
    root = with_translations(copy_registry(tmp_path / "registry"))
    (root / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    out = build(root, tmp_path / "site")
    # the mission page offers no translation of version 1 as its text, nor alternates
    assert Page(page(out, "")).switches == []
    # the history page's version 1 still lists them
    assert switches(out, paths.HISTORY_PATH) == [switch(original="", here="en")]
    # their pages stay where they were, and say version 2 is current; their original is
    # now the history page, which holds version 1
    text = text_of(page(out, ARABIC))
    assert ("Version 1 is no longer the current version: version 2 is." in text)
    assert "Version 1 is the current version" not in text
    before = {**ALTERNATES, "x-default": SITE_URL + paths.HISTORY_PATH,
              "en": SITE_URL + paths.HISTORY_PATH}
    assert sitemap_alternates(out) == {SITE_URL + ARABIC: before, SITE_URL + FRENCH: before}
    assert switches(out, ARABIC) == [switch(original=paths.HISTORY_PATH, here="ar")]
    assert 'href="../../../">version 2 is</a>' in page(out, ARABIC).read_text(encoding="utf-8")


def test_a_later_versions_translation_is_linked_from_the_earlier_one(tmp_path: Path) -> None:
    root = with_translations(copy_registry(tmp_path / "registry"))
    (root / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    french = (root / paths.translation_file(1, "fr")).read_text(encoding="utf-8")
    later = root / paths.translation_file(2, "fr")
    later.parent.mkdir()
    # version 2 has 11 principles: one more line in French
    later.write_text(french.replace("translator:", "  - Je dirai clairement quand une "
                                                   "publication est payée.\ntranslator:"),
                     encoding="utf-8")
    out = build(root, tmp_path / "site")
    source = page(out, FRENCH).read_text(encoding="utf-8")
    assert ("and it is translated into <a href=\"../../../history/v2/fr/\" hreflang=\"fr\" "
            "lang=\"fr\" dir=\"ltr\">Français</a> too.") in source
    assert sitemap_alternates(out)[SITE_URL] == {
        "x-default": SITE_URL, "en": SITE_URL, "fr": SITE_URL + paths.translation_path(2, "fr")}
    assert [entry["text"] for entry in Page(page(out, "")).switches[0]] == \
        ["Original", "Français"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_hostile_translation_stays_text(tmp_path: Path, engine: str) -> None:
    root = with_translations(copy_registry(tmp_path / "registry"))
    hostile_french(root)
    out = build(root, tmp_path / "site", engine)
    for path in ("", paths.HISTORY_PATH, ARABIC, FRENCH):
        source = page(out, path).read_text(encoding="utf-8")
        assert CANARY not in source and "<img src=x" not in source, path
        assert "<b>Fr</b>" not in source and "<i>Marie</i>" not in source, path
    text = text_of(page(out, FRENCH))
    for shown in (HOSTILE_TITLE, " ".join(HOSTILE_PRINCIPLE.split()), HOSTILE_TRANSLATOR,
                  HOSTILE_NAME):
        assert shown in text, shown
    # the title reaches the head escaped, once unescaped the very text
    title = re.search(r"<title>(.*?) - ", page(out, FRENCH).read_text(encoding="utf-8"))
    assert title is not None and html.unescape(title[1]) == HOSTILE_TITLE
    assert HOSTILE_NAME in text_of(page(out, ""))

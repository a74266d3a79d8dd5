"""The built site as a visitor meets it, in a real headless Chromium (Debian's `chromium`).

Two sites are built once per session: the tests' sample registry (the fixture pledges of
sample_registry.py, whatever pledges/ holds) and a copy of the registry whose pledges
carry injection payloads in every free-text field. Each is served
from 127.0.0.1 by a server the tests start; every request to any other host is refused and
recorded, and every test ends by asserting there was none, and no console error, page
error or dialog. Without Playwright or Chromium these tests skip and say why.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import FONTS, SITE_WORDS, copy_registry
from e2e_support import (
    HOSTILE_NAMES,
    SiteSearch,
    Visitor,
    axe_source,
    browser_missing,
    describe_violations,
    hostile_pledges,
    mkdocs_build,
    run_axe,
    serve,
)
from sample_registry import sample_registry
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Pledge
from socialmission.model.urls import shown_domain
from socialmission.site.generator import load_pledges
from socialmission.site.pages import SNIPPET_TABS, snippets
from translation_support import with_translations

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SITE_URL = "https://socialmission.example.org/"  # mkdocs.yml's site_url
# The sample registry's active signatories, in the directory's order (by name).
ACTIVE = ["Ana Pérez", "Bright Harbour Trust", "Green Valley FC", "Northwind Media",
          "Ridgeway District Council", "Tomáš Novák", "Καφέ Καλλιστώ", "ספרי שלום",
          "دار الكلمة للنشر", "प्रिया शर्मा", "株式会社さくらデザイン"]
FILTERS = ["country", "sector", "kind", "year", "proof", "sort"]


# --- building and serving ------------------------------------------------------------------
@dataclass
class Site:
    root: Path  # the built site
    url: str  # where it is served, ending in '/'
    pledges: list[Pledge]

    def local(self, text: str) -> str:
        """Text with the published address swapped for this server's."""
        return text.replace(SITE_URL, self.url)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample registry, with the fixture translations (version 1 in French and in
    Arabic, right to left)."""
    registry = with_translations(sample_registry(tmp_path_factory.mktemp("sample-registry")))
    out = tmp_path_factory.mktemp("demo-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    pledges = load_pledges(registry, load_mission(registry))
    with serve(out) as url:
        yield Site(out, url, pledges)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = copy_registry(tmp_path_factory.mktemp("hostile-registry"))
    for slug, text in hostile_pledges().items():
        (registry / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    # Every payload is a valid pledge: the validator lets them all through.
    check = subprocess.run([str(Path(sys.executable).parent / "socialmission"), "--root",
                            str(registry), "validate"], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    out = tmp_path_factory.mktemp("hostile-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    pledges = load_pledges(registry, load_mission(registry))
    assert len(pledges) == len(HOSTILE_NAMES)
    with serve(out) as url:
        yield Site(out, url, pledges)


# --- the browser ---------------------------------------------------------------------------
# `browser`: the session's one Chromium (tests/e2e_support.py, a plugin of tests/conftest.py)
def rows(page: Any) -> list[str]:
    """The names in the directory's table, top to bottom, as shown."""
    return list(page.locator("#sm-directory tbody tr td:first-child a").all_inner_texts())


# --- accessibility -------------------------------------------------------------------------
# The widths every page is checked at: a desktop and a phone (Material's layout changes
# below 1220 and 600 px: the navigation becomes a drawer and the search a full-screen
# dialog).
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE_PAGES = ("", "signatories/", "signatories/northwind-media/",
             "signatories/loud-growth-agency/", "signatories/former/", "press-kit/", "stats/",
             "sign/", "open-data/", "about/", paths.HISTORY_PATH,
             paths.translation_path(1, "ar"), paths.translation_path(1, "fr"))
# Where screenshots of the checked pages go when this is set (for a person to look at).
SHOTS = os.environ.get("SOCIALMISSION_SCREENSHOTS")


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize(("scheme", "palette"), [("light", "default"), ("dark", "slate")])
def test_pages_pass_axe_in_both_palettes(demo_site: Site, visit: Callable[..., Visitor],
                                         scheme: str, palette: str, width: str) -> None:
    """axe's WCAG 2.2 A/AA rules and its best practices (AXE_TAGS), none disabled and no
    element excluded, on every kind of page, at both widths, in both palettes."""
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    visitor = visit(demo_site, color_scheme=scheme, viewport=WIDTHS[width])
    found = {}
    for path in AXE_PAGES:
        page = visitor.goto(path)
        # Material picks the palette that matches the visitor's colour scheme.
        assert page.locator("body").get_attribute("data-md-color-scheme") == palette
        screenshot(page, f"{width}-{scheme}-{path.strip('/').replace('/', '-') or 'home'}")
        if violations := run_axe(page, source):
            found[path or "/"] = describe_violations(violations)
    # The directory once its script has drawn the rows and shown the form.
    page = visitor.goto("signatories/")
    page.get_by_label("Search by name").fill("a")
    page.locator("#sm-status").filter(has_text="found").wait_for()
    if violations := run_axe(page, source):
        found["signatories/ (searched)"] = describe_violations(violations)
    # The site search, open: a named dialog.
    page = visitor.goto("")
    SiteSearch.on(page).open()
    screenshot(page, f"{width}-{scheme}-search", full_page=False)
    if violations := run_axe(page, source):
        found["/ (search open)"] = describe_violations(violations)
    assert not found, "\n\n".join(f"{path}:\n{text}" for path, text in found.items())
    visitor.assert_clean()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_code_blocks_keep_their_copy_buttons_outside_the_landmarks(
        demo_site: Site, visit: Callable[..., Visitor], width: str) -> None:
    """The sign page's code blocks each keep Material's copy button, shown and reachable
    by the keyboard once the disclosure that holds the block is open; the wrappers around
    them are no navigation landmarks (landmarks.js), so every landmark left has a name or
    is the only one of its kind."""
    visitor = visit(demo_site, viewport=WIDTHS[width])
    page = visitor.goto("sign/")
    blocks = page.locator(".md-typeset pre")
    buttons = page.get_by_role("button", name="Copy to clipboard", include_hidden=True)
    assert blocks.count() >= 2 and buttons.count() == blocks.count()
    # the first block is folded with the rest of the details: open its disclosure
    page.locator("article details:has(pre)").first.locator("summary").click()
    first = page.get_by_role("button", name="Copy to clipboard").first
    first.scroll_into_view_if_needed()
    page.locator(".md-typeset pre").first.hover()
    assert first.is_visible()
    first.focus()
    assert page.evaluate("document.activeElement.matches('.md-code__button')")
    unnamed = page.evaluate(
        "[...document.querySelectorAll('nav:not([role]), [role=navigation]')]"
        ".filter(n => !n.getAttribute('aria-label') && !n.getAttribute('aria-labelledby'))"
        ".length")
    assert unnamed == 0
    visitor.assert_clean()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_search_dialog_is_named_and_takes_the_focus(
        demo_site: Site, visit: Callable[..., Visitor], width: str) -> None:
    """The site search is a dialog: a screen reader announces it by name (on Material our
    override of its search partial gives it Material's own word for search; Zensical's
    names its own), and opening it puts the focus in its field, which is shown."""
    visitor = visit(demo_site, viewport=WIDTHS[width])
    for path in ("", "sign/", "signatories/northwind-media/"):
        page = visitor.goto(path)
        search = SiteSearch.on(page)
        if not search.zensical:
            # Material's dialog is in the page before it opens, closed; Zensical draws
            # its own when it opens.
            assert page.get_by_role("dialog", name="Search").count() == 1, path
            assert not page.locator(".md-search__output").is_visible(), path
        search.open()
        assert search.dialog.count() == 1, path  # named, and it holds the field
        field = search.field
        assert field.is_visible(), path
        box = field.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20, (path, box)
        if search.zensical:  # its dialog stands in the middle, the field wholly on screen
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"], box
            assert box["y"] >= 0 and box["y"] + box["height"] <= WIDTHS[width]["height"], box
        else:  # Material's is the header's: its start on the screen, at the top (on a
            # phone it runs under the right edge)
            assert 0 <= box["x"] < WIDTHS[width]["width"] / 2 and 0 <= box["y"] < 100, (path, box)
        assert search.has_focus(), path
        # typing goes into the field, and the dialog shows what it finds
        page.keyboard.type("press kit")
        found = search.result("Badges and press kit")
        found.first.wait_for(state="visible")
        assert found.first.is_visible(), path
    visitor.assert_clean()


# --- the directory -------------------------------------------------------------------------
def test_the_directory_lists_every_active_signatory_before_any_search(
        demo_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(demo_site)
    page = visitor.goto("signatories/")
    assert rows(page) == ACTIVE
    assert page.locator("#sm-filters").is_visible()  # the script showed the form
    page.get_by_role("link", name="Northwind Media").click()
    page.wait_for_url("**/signatories/northwind-media/")
    assert page.locator("h1").inner_text() == "Northwind Media"
    visitor.assert_clean()


SEARCHES = [
    ({"name": "novak"}, ["Tomáš Novák"]),  # accents fold away
    ({"name": "  NORTH "}, ["Northwind Media"]),  # case and surrounding spaces too
    ({"name": "καφε"}, ["Καφέ Καλλιστώ"]),
    ({"name": "loud"}, []),  # withdrawn: not in the directory
    ({"country": "GB"}, ["Bright Harbour Trust", "Ridgeway District Council"]),
    ({"country": "NO"}, ["Northwind Media"]),  # Norway, not "false"
    ({"sector": "agency"}, ["株式会社さくらデザイン"]),
    ({"kind": "individual"}, ["Ana Pérez", "Tomáš Novák", "प्रिया शर्मा"]),
    ({"year": "2025"}, ["Green Valley FC", "Tomáš Novák", "ספרי שלום"]),
    ({"year": "2025", "sort": "newest"}, ["Green Valley FC", "ספרי שלום", "Tomáš Novák"]),
    ({"kind": "organisation", "year": "2024", "sort": "oldest"},
     ["Bright Harbour Trust", "株式会社さくらデザイン", "دار الكلمة للنشر", "Καφέ Καλλιστώ",
      "Ridgeway District Council"]),
    ({"name": "r", "country": "GB", "sort": "newest"},
     ["Ridgeway District Council", "Bright Harbour Trust"]),
    ({"sort": "oldest"}, ["Northwind Media", "Ana Pérez", "Bright Harbour Trust",
                          "株式会社さくらデザイン", "دار الكلمة للنشر", "प्रिया शर्मा",
                          "Καφέ Καλλιστώ", "Ridgeway District Council", "Tomáš Novák",
                          "ספרי שלום", "Green Valley FC"]),
]


def test_search_filters_and_sort_show_the_right_rows(
        demo_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(demo_site)
    page = visitor.goto("signatories/")
    form = page.locator("#sm-filters")
    for choice, expected in SEARCHES:
        # Back to the defaults, and no status left over from the last search.
        form.evaluate("form => { form.reset(); document.getElementById('sm-status')"
                      ".textContent = ''; }")
        for name, value in choice.items():
            if name == "name":
                form.locator("input[name=name]").fill(value)
            else:
                form.locator(f"select[name={name}]").select_option(value)
        count = "1 signatory found." if len(expected) == 1 else \
            f"{len(expected)} signatories found."
        page.locator("#sm-status").filter(has_text=count).wait_for()
        assert rows(page) == expected, choice
    # Clearing every filter brings back the whole list, by name.
    form.locator("input[name=name]").fill("")
    for name in FILTERS[:-1]:
        form.locator(f"select[name={name}]").select_option("")
    form.locator("select[name=sort]").select_option("name")
    page.locator("#sm-status").filter(has_text=f"{len(ACTIVE)} signatories found.").wait_for()
    assert rows(page) == ACTIVE
    visitor.assert_clean()


def test_the_filters_work_from_the_keyboard(demo_site: Site,
                                            visit: Callable[..., Visitor]) -> None:
    visitor = visit(demo_site)
    page = visitor.goto("signatories/")
    focused = "() => document.activeElement && document.activeElement.name"
    for _ in range(60):  # from the top of the page, Tab until the search box
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "name":
            break
    else:
        pytest.fail("Tab never reached the directory's search box")
    page.keyboard.type("a")
    order = ["name"]
    page.keyboard.press("Tab")  # the other filters' summary (open on a wide screen)
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    for _ in FILTERS:
        page.keyboard.press("Tab")
        order.append(page.evaluate(focused))
    assert order == ["name", *FILTERS]
    # Back to the country filter, and choose with the arrow keys: from "All" to Czechia
    # (the countries are in the order of their English names, not of their codes).
    for _ in range(len(FILTERS) - 1):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "country"
    page.keyboard.press("ArrowDown")
    assert page.locator("select[name=country]").input_value() == "CZ"
    page.locator("#sm-status").filter(has_text="1 signatory found.").wait_for()
    assert rows(page) == ["Tomáš Novák"]
    visitor.assert_clean()


# --- copy buttons and the embed snippet ----------------------------------------------------
def test_each_copy_button_copies_its_snippet(demo_site: Site,
                                             visit: Callable[..., Visitor]) -> None:
    visitor = visit(demo_site)
    visitor.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                      origin=demo_site.url.rstrip("/"))
    page = visitor.goto("signatories/northwind-media/")
    pledge = next(p for p in demo_site.pledges if p.slug == "northwind-media")
    expected = snippets(pledge, SITE_URL, FONTS, SITE_WORDS)
    tabs = {tab.label: tab.key for tab in SNIPPET_TABS}
    blocks = page.locator(".tabbed-set .tabbed-block")
    assert blocks.count() == len(tabs)
    for index, (label, key) in enumerate(tabs.items()):
        tab = page.locator(".tabbed-labels label").nth(index)
        assert tab.inner_text() == label
        tab.click()
        block = blocks.nth(index)
        assert block.is_visible()
        assert block.locator("code").text_content().rstrip("\n") == expected[key]
        page.evaluate("() => navigator.clipboard.writeText('')")
        block.get_by_role("button", name="Copy to clipboard").click()
        copied = ""
        for _ in range(50):  # the copy may land a moment after the click
            copied = page.evaluate("() => navigator.clipboard.readText()")
            if copied:
                break
            page.wait_for_timeout(100)
        assert copied.rstrip("\n") == expected[key], label
    visitor.assert_clean()


@pytest.mark.parametrize("style", ["html", "compact"])
def test_the_embedded_badge_follows_the_colour_scheme(
        demo_site: Site, visit: Callable[..., Visitor], style: str) -> None:
    """The HTML snippet, pasted into a page, shows the light or dark badge as the visitor's
    colour scheme says, and switches when it changes."""
    pledge = next(p for p in demo_site.pledges if p.slug == "northwind-media")
    snippet = demo_site.local(snippets(pledge, SITE_URL, FONTS, SITE_WORDS)[style])
    name = f"embed-{style}.html"
    (demo_site.root / name).write_text(
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Embed</title>'
        f"</head>\n<body><main>\n{snippet}\n</main></body></html>\n", encoding="utf-8")
    prefix = "card" if style == "html" else "compact"
    loaded = ("variant => { const img = document.querySelector('picture img');"
              " return img.complete && img.naturalWidth > 0 &&"
              " img.currentSrc.endsWith('/" + prefix + "-' + variant + '.svg'); }")
    for first, then in (("light", "dark"), ("dark", "light")):
        visitor = visit(demo_site, color_scheme=first)
        page = visitor.goto(name)
        page.wait_for_function(loaded, arg=first)
        assert page.get_by_role("img").get_attribute("alt") == \
            "Northwind Media: Social Mission signatory"
        assert page.get_by_role("link").get_attribute("href") == \
            f"{demo_site.url}signatories/northwind-media/"
        page.emulate_media(color_scheme=then)
        page.wait_for_function(loaded, arg=then)
        visitor.assert_clean()


def test_the_signer_page_shows_its_badges_and_the_site_follows_the_scheme(
        demo_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(demo_site, color_scheme="light")
    page = visitor.goto("signatories/northwind-media/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    images = page.locator(".sm-badges img")
    assert images.count() == 4
    for index in range(4):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.sm-badges img')]"
                           ".every(img => img.complete && img.naturalWidth > 0)")
    # The visitor's own toggle switches the palette.
    page.locator("label[title='Switch to dark mode']:visible").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    visitor.assert_clean()


# --- hostile pledges -----------------------------------------------------------------------
# Markup that a payload would have made: the site itself has no event-handler attributes,
# javascript: URLs, iframes, or scripts that mention the canary.
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || /^\\s*javascript:/i.test(attr.value))
        bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  for (const script of document.scripts)
    if (script.textContent.includes('__canary')) bad.push(`script: ${script.textContent}`);
  for (const frame of document.querySelectorAll('iframe')) bad.push(`iframe ${frame.outerHTML}`);
  return bad;
}"""


def test_injected_pledges_never_execute_and_show_as_text(
        hostile_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(hostile_site)
    active = sorted((p for p in hostile_site.pledges if p.active),
                    key=lambda p: (p.name.casefold(), p.slug))
    withdrawn = [p for p in hostile_site.pledges if not p.active]
    assert len(withdrawn) == 1

    for path in ("", "signatories/former/", "stats/", "press-kit/", "history/", "sign/",
                 "open-data/"):
        page = visitor.goto(path)
        assert page.evaluate(DOM_CHECK) == [], path

    page = visitor.goto("signatories/")
    assert rows(page) == [p.name for p in active]
    page.get_by_label("Search by name").fill("canary")  # the script draws the rows now
    page.locator("#sm-status").filter(has_text="found").wait_for()
    drawn = rows(page)
    assert sorted(drawn) == sorted(p.name for p in active if "canary" in p.name.casefold())
    assert page.evaluate(DOM_CHECK) == []
    former = visitor.goto("signatories/former/")
    assert former.locator("td a").all_inner_texts() == [withdrawn[0].name]

    for pledge in hostile_site.pledges:
        page = visitor.goto(f"signatories/{pledge.slug}/")
        where = pledge.slug
        assert page.evaluate(DOM_CHECK) == [], where
        assert page.title() == f"{pledge.name} - The Social Mission", where
        assert page.locator("h1").text_content() == pledge.name, where
        assert page.locator("meta[property='og:title']").get_attribute("content") == \
            pledge.name, where
        assert page.locator(".sm-statement p").text_content() == pledge.statement, where
        if not pledge.active:
            assert page.locator(".sm-withdrawn").text_content().endswith(
                f"Reason given: {pledge.withdrawn_reason}"), where
        # the website is the domain line under the name; the other links are facts
        links = {a.get_attribute("href"): a.text_content()
                 for a in page.locator(".sm-domain a, .sm-facts a").all()}
        assert pledge.statement_url is not None and pledge.website is not None
        assert links == {pledge.website.text: shown_domain(pledge.website),
                         pledge.statement_url.text: pledge.statement_url.text,
                         **{url.text: url.text for _, url in pledge.social}}, where
        expected = snippets(pledge, SITE_URL, FONTS, SITE_WORDS)
        codes = page.locator(".tabbed-block code")
        if not pledge.active:  # a withdrawn signatory's page offers no embed code
            assert codes.count() == 0, where
        for index, key in enumerate([tab.key for tab in SNIPPET_TABS]
                                    if pledge.active else []):
            assert codes.nth(index).text_content().rstrip("\n") == expected[key], where
        # The page's own badges, and the SVGs opened as documents (SVG can hold scripts).
        page.wait_for_function("() => [...document.querySelectorAll('.sm-badges img')]"
                               ".every(img => img.complete && img.naturalWidth > 0)")
        for svg in ("card-light.svg", "compact-dark.svg"):
            document = visitor.goto(f"badges/{pledge.slug}/{svg}")
            assert document.locator("svg").first.get_attribute("aria-label"), where
            assert visitor.fired() == [], (where, svg)

    # Each HTML snippet, pasted into a page as the signer page gives it.
    embeds = "\n".join(hostile_site.local(snippets(p, SITE_URL, FONTS, SITE_WORDS)[key])
                       for p in hostile_site.pledges for key in ("html", "compact"))
    (hostile_site.root / "embed.html").write_text(
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Embed</title>'
        f"</head>\n<body>\n{embeds}\n</body></html>\n", encoding="utf-8")
    page = visitor.goto("embed.html")
    assert page.evaluate(DOM_CHECK) == []
    alts = page.locator("img").evaluate_all("images => images.map(i => i.alt)")
    assert alts == [f"{p.name}: Social Mission signatory" if p.active else
                    f"{p.name}: withdrawn from the Social Mission"
                    for p in hostile_site.pledges for _ in range(2)]
    visitor.assert_clean()


def test_injected_pledges_stay_data_in_the_feed_and_the_api(
        hostile_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(hostile_site)
    page = visitor.goto("")
    feed = page.evaluate("""() => fetch('feed.xml').then(r => r.text()).then(text => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {errors: doc.getElementsByTagName('parsererror').length,
              titles: [...doc.getElementsByTagName('entry')].map(
                e => e.getElementsByTagName('title')[0].textContent)};
    })""")
    assert feed["errors"] == 0
    assert sorted(feed["titles"]) == sorted(p.name for p in hostile_site.pledges if p.active)
    api = page.evaluate("() => fetch('api/v1/signatories.json').then(r => r.json())")
    assert {item["slug"]: item["name"] for item in api["signatories"]} == \
        {p.slug: p.name for p in hostile_site.pledges}
    for pledge in hostile_site.pledges:
        one = page.evaluate("slug => fetch(`api/v1/signatories/${slug}.json`)"
                            ".then(r => r.json())", pledge.slug)
        assert (one["name"], one["statement"], one.get("withdrawn_reason")) == \
            (pledge.name, pledge.statement, pledge.withdrawn_reason)
    directory = page.evaluate("() => fetch('api/v1/directory.json').then(r => r.json())")
    names = [row[directory["fields"].index("name")] for row in directory["rows"]]
    assert sorted(names) == sorted(p.name for p in hostile_site.pledges if p.active)
    visitor.assert_clean()


def test_the_site_search_leaves_the_directory_out_and_shows_text(
        hostile_site: Site, visit: Callable[..., Visitor]) -> None:
    """The engine's own search finds the pages about signatories, not the directory's rows
    (its lists are out of the index: the directory has its own search), and what it shows
    stays text."""
    visitor = visit(hostile_site)
    page = visitor.goto("")
    search = SiteSearch.on(page)
    search.open()
    text = search.find("signatories")
    assert "Statistics" in text
    for pledge in hostile_site.pledges:
        assert pledge.name not in text
    assert page.evaluate(DOM_CHECK) == []
    visitor.assert_clean()

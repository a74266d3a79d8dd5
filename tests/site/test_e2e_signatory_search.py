"""The header search finds signatories by any word of their name (site/assets/
signatory-search.js), in Debian's headless Chromium, on the engine the build uses
(SOCIALMISSION_ENGINE=zensical runs these on a Zensical build).

The site is the tests' sample registry (sample_registry.py: a Latin name with accents, an
Arabic and a Japanese one, a withdrawn signatory) and the pledges whose names are markup
(e2e_support.hostile_pledges). It is served from 127.0.0.1; every request to another host
is refused and recorded, and each test ends by asserting there was none, no console or page
error and no dialog. Screenshots of the open dialog go to /tmp/search-<engine>-<width>-
<scheme>.png (or under $SOCIALMISSION_SEARCH_SHOTS) to be looked at. Without Playwright or
Chromium these tests skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e_support import (
    DEEP_FOCUS,
    HOSTILE_NAMES,
    Site,
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

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = Path(os.environ.get("SOCIALMISSION_SEARCH_SHOTS", "/tmp"))
WIDTHS = {1280: {"width": 1280, "height": 800}, 390: {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
ANA = "Ana Pérez"
ARABIC = "دار الكلمة للنشر"
JAPANESE = "株式会社さくらデザイン"
# Each word of each name, typed as a visitor might: any case, with or without accents; a
# Japanese name has no spaces, so any part of it is a word.
QUERIES = [("Ana", ANA), ("perez", ANA), ("PÉREZ", ANA), ("ana pér", ANA),
           ("دار", ARABIC), ("الكلمة", ARABIC), ("للنشر", ARABIC),
           ("株式会社", JAPANESE), ("さくら", JAPANESE), ("デザイン", JAPANESE)]
PAGES = {ANA: "signatories/ana-perez/", ARABIC: "signatories/dar-al-kalima/",
         JAPANESE: "signatories/sakura-design/"}
WITHDRAWN = "Loud Growth Agency"  # loud-growth-agency.yaml: status withdrawn
DIRECTORY_DATA = "api/v1/directory.json"
# More signatories than the search lists (10), sharing a word
ZEPHYRS = [f"Zephyr {word} Trust" for word in (
    "Amber", "Birch", "Cedar", "Dune", "Ember", "Fjord", "Grove", "Heath", "Inlet", "Juniper",
    "Kestrel")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("search-registry"))
    for slug, text in hostile_pledges().items():
        (registry / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    for number, name in enumerate(ZEPHYRS, start=1):
        (registry / "pledges" / f"zephyr-{number}.yaml").write_text(
            f"name: {name}\nkind: organisation\nwebsite: https://zephyr{number}.example.org/\n"
            "signed: 2025-04-01\nmission_version: 1\nmaintainers:\n  - harbour\n",
            encoding="utf-8")
    out = tmp_path_factory.mktemp("search-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


def signatories(page: Any) -> Any:
    """The dialog's list of signatories: a group named by its heading."""
    return page.get_by_role("group", name="Signatories")


def names(page: Any) -> list[str]:
    return list(signatories(page).locator(".sm-signatory-search__name").all_inner_texts())


def status(page: Any) -> Any:
    return page.get_by_role("status").filter(has_text="signator")


def search_for(search: SiteSearch, query: str) -> None:
    """Replace what the open search's field holds with `query`, typed."""
    search.field.fill("")
    search.field.focus()
    search.page.keyboard.type(query)


def deep_focus_matches(page: Any, selector: str) -> bool:
    return bool(page.evaluate(f"s => {{ const e = ({DEEP_FOCUS})(); return !!e && e.matches(s); }}",
                              selector))


def test_each_word_of_a_name_finds_its_signatory(site: Site,
                                                 visit: Callable[..., Visitor]) -> None:
    """From a page two folders down and from the home page, every word of a Latin, an
    Arabic and a Japanese name (case and accents aside) lists that signatory, linked to its
    page, and the live region says how many were found; a word of no name finds none, and
    says so; a withdrawn signatory is not listed."""
    visitor = visit(site)
    for path in ("signatories/northwind-media/", ""):
        page = visitor.goto(path)
        search = SiteSearch.on(page)
        search.open()
        for query, name in QUERIES:
            search_for(search, query)
            link = signatories(page).get_by_role("link").filter(has_text=name)
            link.wait_for()
            assert name in names(page), (path, query)
            assert link.evaluate("a => a.href") == site.url + PAGES[name], (path, query)
            count = len(names(page))
            assert status(page).inner_text() == (
                "1 signatory found." if count == 1 else f"{count} signatories found."), query
        search_for(search, "zzzq")
        status(page).filter(has_text="No signatories found.").wait_for()
        assert not signatories(page).is_visible()
        search_for(search, WITHDRAWN.split(maxsplit=1)[0])
        status(page).filter(has_text="found.").wait_for()
        assert WITHDRAWN not in names(page)
    live = status(page)
    assert live.get_attribute("aria-live") == "polite"
    visitor.assert_clean()


def test_the_data_is_fetched_once_and_only_when_the_search_is_used(
        site: Site, visit: Callable[..., Visitor]) -> None:
    """A page that never opens the search never asks for the directory's data; one that
    searches asks once, however many times the visitor types; the script is deferred."""
    visitor = visit(site)
    asked: list[str] = []
    visitor.page.on("request",
                    lambda request: asked.append(request.url) if DIRECTORY_DATA in request.url
                    else None)
    page = visitor.goto("sign/")
    page.wait_for_load_state("networkidle")
    assert asked == []
    script = page.locator("script[src$='assets/signatory-search.js']")
    assert script.count() == 1 and script.get_attribute("defer") is not None
    search = SiteSearch.on(page)
    search.open()
    for query in ("Ana", "perez", "さくら"):
        search_for(search, query)
        status(page).filter(has_text="found.").wait_for()
    assert asked == [site.url + DIRECTORY_DATA]
    visitor.assert_clean()


def test_a_signatory_opens_by_keyboard(site: Site, visit: Callable[..., Visitor]) -> None:
    """The signatories' links are reached as the engine's results are: on Material by the
    arrow keys from the field (its own handler walks them), on Zensical by Tab (the
    dialog's own order) and by the arrow keys, up from the top of its listbox; Enter
    follows the link. Enter in the field opens the first signatory shown when the pages
    have no result. Escape still closes the dialog."""
    visitor = visit(site)
    page = visitor.goto("sign/")
    search = SiteSearch.on(page)
    search.open()
    search_for(search, "perez")
    signatories(page).get_by_role("link").first.wait_for()
    def to_the_link() -> None:
        if search.zensical:  # its arrow keys move in its listbox; Tab reaches the links
            for _ in range(6):
                page.keyboard.press("Tab")
                if deep_focus_matches(page, ".sm-signatory-search__link"):
                    break
        else:
            page.keyboard.press("ArrowDown")
        assert deep_focus_matches(page, ".sm-signatory-search__link")

    to_the_link()
    page.keyboard.press("ArrowUp")  # back to the field
    assert search.has_focus()
    # Material: down again; Zensical: up from the top of its listbox, to the list above it
    page.keyboard.press("ArrowUp" if search.zensical else "ArrowDown")
    assert deep_focus_matches(page, ".sm-signatory-search__link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url + "signatories/ana-perez/"
    assert page.locator("h1").first.inner_text() == ANA
    # Enter in the field: the first signatory shown
    search = SiteSearch.on(page)
    search.open()
    search_for(search, "さくら")
    signatories(page).get_by_role("link").first.wait_for()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url + "signatories/sakura-design/"
    # Escape closes the dialog as before, with the signatories shown
    search = SiteSearch.on(page)
    search.open()
    search_for(search, "Ana")
    signatories(page).get_by_role("link").first.wait_for()
    page.keyboard.press("Escape")
    signatories(page).wait_for(state="hidden")
    if search.zensical:
        search.field.wait_for(state="hidden")
    else:  # Material's field stays in the header; its toggle says the dialog is closed
        assert not page.locator("#__search").is_checked()
    visitor.assert_clean()


def test_more_than_it_lists_leads_to_the_directory(site: Site,
                                                   visit: Callable[..., Visitor]) -> None:
    """Eleven names share a word: the search lists the first ten (by name), says how many
    it found, and links to the directory's own search for the same words."""
    visitor = visit(site)
    page = visitor.goto("sign/")
    search = SiteSearch.on(page)
    search.open()
    search_for(search, "zephyr")
    status(page).filter(has_text="11 signatories found.").wait_for()
    assert names(page) == ZEPHYRS[:10]
    note = signatories(page).locator(".sm-signatory-search__note")
    assert note.inner_text() == "The first 10 of 11. Search the directory"
    more = note.get_by_role("link", name="Search the directory")
    assert more.evaluate("a => a.href") == site.url + "signatories/?name=zephyr"
    more.click()
    page.wait_for_url(site.url + "signatories/?name=zephyr")
    page.locator("#sm-status").filter(has_text="11 signatories found.").wait_for()
    visitor.assert_clean()


def test_data_that_does_not_load_is_said_and_the_pages_results_stay(
        site: Site, visit: Callable[..., Visitor]) -> None:
    """When the directory's data cannot be had, the dialog says so, in its live region
    too, and the theme's results for the pages still come."""
    visitor = visit(site)
    visitor.context.route("**/" + DIRECTORY_DATA,
                          lambda route: route.fulfill(status=503, body="busy"))
    page = visitor.goto("")
    search = SiteSearch.on(page)
    search.open()
    text = search.find("press kit")
    assert "Badges and press kit" in text
    said = "The signatories could not be searched (HTTP 503)."
    status(page).filter(has_text=said).wait_for()
    assert signatories(page).locator(".sm-signatory-search__note").inner_text() == said
    # the browser logs the failed request; nothing else may go wrong
    assert [e for e in visitor.guard.console_errors if "503" not in e] == []
    assert visitor.guard.page_errors == [] and visitor.guard.external == []


def test_the_pages_results_stay(site: Site, visit: Callable[..., Visitor]) -> None:
    """A word of a page, not of a name, shows the theme's own results for the pages, and
    no signatory."""
    visitor = visit(site)
    page = visitor.goto("")
    search = SiteSearch.on(page)
    search.open()
    text = search.find("press kit")
    assert "Badges and press kit" in text
    assert search.result("Badges and press kit").first.is_visible()
    status(page).filter(has_text="No signatories found.").wait_for()
    assert not signatories(page).is_visible()
    visitor.assert_clean()


def test_names_that_are_markup_stay_text(site: Site, visit: Callable[..., Visitor]) -> None:
    """Names made of markup, script, template and entity syntax are listed as the text they
    are, and nothing in them runs."""
    visitor = visit(site)
    page = visitor.goto("")
    search = SiteSearch.on(page)
    search.open()
    for query in ("script", "img", "svg", "7", "lt", "iframe", "x"):
        search_for(search, query)
        status(page).filter(has_text="found.").wait_for()
        listed = names(page)
        assert listed, query
        assert set(listed) <= set(HOSTILE_NAMES.values()), (query, listed)
        assert signatories(page).locator("img, svg, iframe, script, b, em").count() == 0
    visitor.assert_clean()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_open_search_passes_axe(site: Site, visit: Callable[..., Visitor], width: int,
                                    scheme: str) -> None:
    """axe (WCAG 2.2 A/AA and best practices) finds nothing with the dialog open on
    signatories and pages alike, at both widths, in both schemes; at 390 px the search
    opens from the header's button (SiteSearch.open)."""
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python")
    visitor = visit(site, viewport=WIDTHS[width], color_scheme=scheme)
    page = visitor.goto("signatories/northwind-media/")
    search = SiteSearch.on(page)
    if width == 390:
        assert page.locator("label.md-header__button[for='__search']").is_visible()
    search.open()
    search_for(search, "a")
    signatories(page).get_by_role("link").first.wait_for()
    search.result("").first.wait_for()  # the pages' results too
    page.wait_for_timeout(300)  # the results list settles
    engine = "zensical" if search.zensical else "mkdocs"
    page.screenshot(path=str(SHOTS / f"search-{engine}-{width}-{scheme}.png"))
    violations = run_axe(page, source)
    assert not violations, describe_violations(violations)
    visitor.assert_clean()

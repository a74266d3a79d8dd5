"""The signer directory (/signatories/) as a visitor meets it, in Debian's headless Chromium:
its search, filters and address, its rows, its small-screen layout, the skip link (on every
page) and axe-core's WCAG A/AA and best-practice rules.

Two sites are built once per session: the tests' sample registry (eleven active
signatories, one with a logo) and the same with BULK more, so that a search finds more
rows than the script shows at once. Each is served from 127.0.0.1; every request to any
other host is refused, and every test ends by asserting there was none, nor any console
error, page error or dialog. Screenshots of the directory at 1280 and 390 px, light and
dark, before and after a search, go to SHOTS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from e2e_support import (
    Site,
    Visitor,
    axe_source,
    browser_missing,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
)
from sample_registry import sample_registry
from socialmission.site.pages import DIRECTORY_PAGE_SIZE, DIRECTORY_QUERY_MAX

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = Path("/tmp/shots-directory")
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}  # a phone
VIEWPORTS = {"1280": WIDE, "390": NARROW}
SCHEMES = ("light", "dark")
# The sample registry's active signatories, in the directory's order (by name).
ACTIVE = ["Ana Pérez", "Bright Harbour Trust", "Green Valley FC", "Northwind Media",
          "Ridgeway District Council", "Tomáš Novák", "Καφέ Καλλιστώ", "ספרי שלום",
          "دار الكلمة للنشر", "प्रिया शर्मा", "株式会社さくらデザイン"]
# Their websites' registrable domains (model.urls.shown_domain), in the same order.
DOMAINS = ["example.com", "example.org", "example.com", "example.org", "example.org",
           "example.com", "example.com", "example.org", "example.org", "example.com",
           "example.com"]
# Their countries' English names, alphabetically; by ISO code they would be CZ, ES, GB, ...
COUNTRIES = ["Czechia", "Greece", "India", "Ireland", "Israel", "Japan", "Jordan", "Norway",
             "Spain", "United Kingdom"]
BULK = DIRECTORY_PAGE_SIZE + 10  # signatories added to the sample registry's for `big_site`
CONTROLS = ["name", "country", "sector", "kind", "year", "proof", "sort"]
# Every page a visitor can reach from the navigation, a signatory's page, and the 404 page.
PAGES = ["", "sign/", "signatories/", "signatories/former/", "signatories/northwind-media/",
         "press-kit/", "history/", "stats/", "open-data/", "404.html"]


# --- building, serving, the browser ----------------------------------------------------------
def bulk_pledge(number: int) -> str:
    """The first gives no country (the field is optional); the others are in France."""
    return (f"name: Bulk Signatory {number:03d}\nkind: organisation\n"
            f"website: https://bulk{number}.example.org/\n"
            f"signed: 2024-03-{number % 28 + 1:02d}\nmission_version: 1\n"
            "maintainers:\n  - harbour\nsector: retail\n" + ("country: FR\n" if number else ""))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("directory-registry"))
    out = tmp_path_factory.mktemp("directory-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("big-directory-registry"))
    for number in range(BULK):
        (registry / "pledges" / f"bulk-{number:03d}.yaml").write_text(
            bulk_pledge(number), encoding="utf-8")
    out = tmp_path_factory.mktemp("big-directory-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


# --- reading the page ------------------------------------------------------------------------
def names(page: Any) -> list[str]:
    """The names in the directory, top to bottom, as shown."""
    return list(page.locator("#sm-directory tbody tr td:first-child a").all_inner_texts())


def found(page: Any, count: int) -> None:
    """Wait until the status line says the script drew `count` rows."""
    text = "1 signatory found." if count == 1 else f"{count} signatories found."
    page.locator("#sm-status").filter(has_text=text).wait_for()


def form_state(page: Any) -> dict[str, str]:
    return dict(page.evaluate(
        "names => Object.fromEntries(names.map(n => [n, document.getElementById('sm-filters')"
        ".elements[n].value]))", CONTROLS))


def query(page: Any) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


DEFAULTS = {"name": "", "country": "", "sector": "", "kind": "", "year": "", "proof": "",
            "sort": "name"}


# --- Show more -------------------------------------------------------------------------------
def test_show_more_appears_only_when_there_are_more_rows_and_shows_them(
        big_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(big_site, viewport=WIDE)
    page = visitor.goto("signatories/")
    more = page.get_by_role("button", name="Show more")
    assert not more.is_visible()  # before any search: the server's pages, no button
    assert page.locator("#sm-pages").is_visible()

    page.get_by_label("Search by name").fill("novak")  # one row: nothing more to show
    found(page, 1)
    assert names(page) == ["Tomáš Novák"]
    assert not more.is_visible()

    page.get_by_label("Search by name").fill("bulk")  # more rows than one page shows
    page.locator("#sm-status").filter(
        has_text=f"{BULK} signatories found. Showing the first {DIRECTORY_PAGE_SIZE}.").wait_for()
    assert len(names(page)) == DIRECTORY_PAGE_SIZE
    assert not page.locator("#sm-pages").is_visible()  # the pages are the server's list
    assert more.is_visible()
    more.focus()
    page.keyboard.press("Enter")
    found(page, BULK)
    assert names(page) == [f"Bulk Signatory {n:03d}" for n in range(BULK)]
    assert not more.is_visible()
    visitor.assert_clean()


def test_show_more_stays_hidden_when_every_row_is_shown(
        sample_site: Site, visit: Callable[..., Visitor]) -> None:
    for viewport in VIEWPORTS.values():
        visitor = visit(sample_site, viewport=viewport)
        page = visitor.goto("signatories/")
        page.get_by_label("Search by name").fill("a")
        found(page, 6)
        more = page.locator("#sm-more")
        assert not more.is_visible() and more.bounding_box() is None
        visitor.assert_clean()


def test_the_search_data_is_fetched_only_when_the_visitor_searches(
        big_site: Site, visit: Callable[..., Visitor]) -> None:
    """The page's budget (BENCHMARKS.md): before a search, no directory.json."""
    visitor = visit(big_site, viewport=WIDE)
    fetched: list[str] = []
    visitor.context.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page = visitor.goto("signatories/")
    page.wait_for_load_state("networkidle")
    assert [path for path in fetched if path.endswith("/directory.json")] == []
    page.get_by_label("Search by name").press_sequentially("bu")
    page.locator("#sm-status").filter(has_text=f"{BULK} signatories found.").wait_for()
    assert [path for path in fetched if path.endswith("/directory.json")] == \
        ["/api/v1/directory.json"]
    visitor.assert_clean()


# --- the script's rows are the server's ------------------------------------------------------
ROWS_HTML = "() => [...document.querySelectorAll('#sm-directory tbody tr')].map(r => r.outerHTML)"


def test_rows_drawn_by_the_script_are_the_servers_rows(
        sample_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(sample_site, viewport=WIDE)
    page = visitor.goto("signatories/")
    served = page.evaluate(ROWS_HTML)
    assert len(served) == len(ACTIVE)
    # Each name has its website's domain beside it, left to right in every script.
    domains = page.locator("#sm-directory tbody td:first-child bdi")
    assert domains.all_inner_texts() == DOMAINS
    assert set(domains.evaluate_all("es => es.map(e => getComputedStyle(e).direction)")) == \
        {"ltr"}
    # A search for nothing but spaces draws every row again, by name, with the script.
    page.get_by_label("Search by name").fill("  ")
    found(page, len(ACTIVE))
    assert page.evaluate(ROWS_HTML) == served
    # the sectors as the script draws them: mission.yaml's words, not the pledges' names
    sectors = page.locator('#sm-directory tbody td[data-label="Sector"]').all_inner_texts()
    assert {"Media", "Agency", "Hospitality"} <= set(sectors)
    assert all(sector[:1].isupper() for sector in sectors if sector), sectors
    assert domains.all_inner_texts() == DOMAINS
    # The letters and the one logo are there, and shown.
    marks = page.locator("#sm-directory tbody tr td:first-child").evaluate_all(
        "cells => cells.map(c => [...c.querySelectorAll('.sm-logo, .sm-monogram')]"
        ".map(m => m.className + ':' + (m.textContent || m.getAttribute('src'))))")
    assert marks[ACTIVE.index("Northwind Media")] == ["sm-logo:../logos/northwind-media.png"]
    assert marks[ACTIVE.index("Ana Pérez")] == ["sm-monogram:A"]
    assert marks[ACTIVE.index("株式会社さくらデザイン")] == ["sm-monogram:株"]
    assert all(len(m) == 1 for m in marks)
    for mark in page.locator("#sm-directory tbody :is(.sm-monogram, .sm-logo)").all():
        assert mark.is_visible()
        box = mark.bounding_box()
        assert box is not None and box["width"] >= 20 and box["height"] >= 20
    page.wait_for_function("() => { const img = document.querySelector('#sm-directory .sm-logo');"
                           " return img.complete && img.naturalWidth > 0; }")
    # A narrower search draws a subset of the same rows.
    page.get_by_label("Search by name").fill("north")
    found(page, 1)
    assert page.evaluate(ROWS_HTML) == [served[ACTIVE.index("Northwind Media")]]
    visitor.assert_clean()


# --- the address -----------------------------------------------------------------------------
def test_a_filtered_address_sets_the_form_and_the_list(
        sample_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(sample_site, viewport=WIDE)
    page = visitor.goto("signatories/?name=r&country=GB&sort=newest")
    found(page, 2)
    assert form_state(page) == {**DEFAULTS, "name": "r", "country": "GB", "sort": "newest"}
    assert names(page) == ["Ridgeway District Council", "Bright Harbour Trust"]
    assert page.locator("#sm-filter-set summary").inner_text().strip() == "Filters (2 active)"
    visitor.assert_clean()


def test_the_address_follows_the_form_and_back_and_forward_restore_it(
        sample_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(sample_site, viewport=WIDE)
    page = visitor.goto("")  # the home page, which has no navigation: its button
    page.get_by_role("link", name="See who signed", exact=True).click()
    page.wait_for_url("**/signatories/")
    entries = page.evaluate("() => history.length")
    page.get_by_label("Search by name").press_sequentially("á")  # typing: no new entries
    page.locator("select[name=kind]").select_option("individual")
    page.locator("select[name=sort]").select_option("oldest")
    found(page, 2)
    assert query(page) == {"name": "á", "kind": "individual", "sort": "oldest"}
    assert page.evaluate("() => history.length") == entries
    state = form_state(page)
    shown = names(page)
    assert shown == ["Ana Pérez", "Tomáš Novák"]

    page.get_by_role("link", name="Tomáš Novák").click()  # to another page, and Back
    page.wait_for_url("**/signatories/tomas-novak/")
    page.go_back()
    page.wait_for_url(lambda url: "/signatories/?" in url)
    found(page, 2)
    assert (form_state(page), names(page)) == (state, shown)
    page.go_forward()
    page.wait_for_url("**/signatories/tomas-novak/")
    page.go_back()
    found(page, 2)
    assert (form_state(page), names(page)) == (state, shown)
    # Back once more leaves the directory: the search made no entries of its own.
    page.go_back()
    page.wait_for_url(sample_site.url)
    # A reload of the address (no page cache) reads the same state from it.
    visitor.goto("signatories/?" + "&".join(f"{k}={quote(v)}" for k, v in query_of(state)))
    found(page, 2)
    assert (form_state(page), names(page)) == (state, shown)
    # Back to the defaults: the address is the page's own again.
    page.get_by_label("Search by name").fill("")
    page.locator("select[name=kind]").select_option("")
    page.locator("select[name=sort]").select_option("name")
    found(page, len(ACTIVE))
    assert urlsplit(page.url).query == ""
    visitor.assert_clean()


def query_of(state: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in state.items() if v != DEFAULTS[k]]


HOSTILE_QUERIES = [
    # (query string, what the form takes from it)
    ("country=%3Cscript%3Ewindow.__canary%3D1%3C%2Fscript%3E&kind=individual",
     {"kind": "individual"}),
    ("sector=ZZ&year=99999&proof=all&sort=__proto__&constructor=1&kind=individual",
     {"kind": "individual"}),
    ("country=GB%22%3E%3Cimg%20src%3Dx%20onerror%3Dwindow.__canary%3D1%3E&country=GB",
     {}),  # the first value counts, and it is no country code
    ("name=" + quote("<img src=x onerror=window.__canary=1>") + "&kind=individual",
     {"name": "<img src=x onerror=window.__canary=1>", "kind": "individual"}),  # text only
    ("name=" + "x" * (DIRECTORY_QUERY_MAX + 1) + "&kind=individual", {"kind": "individual"}),
    ("name=" + "y" * 50_000, {}),
    # A broken UTF-8 escape reads as U+FFFD, a search like any other; "%ZZ" and a NUL
    # after "newest" are no option's value.
    ("name=%E0%A4%A&kind=%ZZ&sort=newest%00", {"name": "\ufffd%A"}),
    ("__proto__[x]=1&toString=1&hasOwnProperty=1&year=2025", {"year": "2025"}),
]


@pytest.mark.parametrize(("search", "taken"), HOSTILE_QUERIES)
def test_hostile_addresses_are_ignored_safely(
        sample_site: Site, visit: Callable[..., Visitor], search: str,
        taken: dict[str, str]) -> None:
    visitor = visit(sample_site, viewport=WIDE)
    page = visitor.goto("signatories/?" + search)
    state = {**DEFAULTS, **taken}
    page.wait_for_function("() => document.getElementById('sm-filters').hidden === false")
    if taken:
        page.locator("#sm-status").filter(has_text="found").wait_for()
    assert form_state(page) == state
    # The address's form keys say what the form took; other keys are not the form's.
    assert {k: v for k, v in query(page).items() if k in CONTROLS} == dict(query_of(state))
    assert page.evaluate("() => document.querySelectorAll('#sm-directory img:not(.sm-logo),"
                         " #sm-directory script, #sm-status *').length") == 0
    visitor.assert_clean()


# --- countries -------------------------------------------------------------------------------
COLLATED = "names => names.slice().sort(new Intl.Collator('en', {sensitivity: 'base'}).compare)"


def test_countries_are_in_the_order_of_their_english_names(
        sample_site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(sample_site, viewport=WIDE)
    page = visitor.goto("signatories/")
    options = page.locator("select[name=country] option").all_inner_texts()
    assert options == ["All", *COUNTRIES]
    assert page.evaluate(COLLATED, COUNTRIES) == COUNTRIES
    page.locator("select[name=sort]").select_option("country")
    found(page, len(ACTIVE))
    column = page.locator("#sm-directory tbody tr td:nth-child(3)").all_inner_texts()
    assert column == page.evaluate(COLLATED, column)
    assert column[0] == "Czechia" and column[-1] == "United Kingdom"
    # Within a country, by name.
    assert names(page)[-2:] == ["Bright Harbour Trust", "Ridgeway District Council"]
    visitor.assert_clean()


def test_a_signatory_without_a_country_shows_none_and_sorts_last(
        big_site: Site, visit: Callable[..., Visitor]) -> None:
    """The country filter's "All" is its empty value: a row drawn by the script must not
    take it for the name of a signatory's missing country."""
    visitor = visit(big_site, viewport=WIDE)
    page = visitor.goto("signatories/")
    served = [row for row in page.evaluate(ROWS_HTML) if "Bulk Signatory 000" in row]
    assert len(served) == 1
    page.get_by_label("Search by name").fill("Bulk Signatory 000")
    found(page, 1)
    assert page.evaluate(ROWS_HTML) == served
    assert page.locator("#sm-directory tbody td:nth-child(3)").all_inner_texts() == [""]
    page.get_by_label("Search by name").fill("Bulk Signatory 00")
    page.locator("select[name=sort]").select_option("country")
    found(page, 10)
    assert names(page)[-1] == "Bulk Signatory 000"
    visitor.assert_clean()


# --- dates -----------------------------------------------------------------------------------
# Each date in the table, as line boxes: more than one is a date broken across lines.
DATE_LINES = ("() => [...document.querySelectorAll('#sm-directory time')].map(t => "
              "[t.textContent, t.getClientRects().length])")


@pytest.mark.parametrize("width", [390, 600, 768, 960, 1280])
def test_a_date_is_never_broken(sample_site: Site, visit: Callable[..., Visitor],
                                width: int) -> None:
    visitor = visit(sample_site, viewport={"width": width, "height": 900})
    page = visitor.goto("signatories/")
    # The longest names, so that the name column takes what it can.
    page.evaluate("() => document.querySelectorAll('#sm-directory tbody a').forEach("
                  "a => { a.textContent += ' Holdings International Cooperative'; })")
    lines = page.evaluate(DATE_LINES)
    assert len(lines) == len(ACTIVE)
    assert [text for text, count in lines if count != 1] == []
    visitor.assert_clean()


# --- small screens ---------------------------------------------------------------------------
FIRST_ROW_CELLS = """() => {
  const row = document.querySelector('#sm-directory tbody tr');
  return [...row.cells].map(cell => {
    const box = cell.getBoundingClientRect();
    return {text: cell.innerText.trim(), left: box.left, right: box.right, top: box.top,
            bottom: box.bottom};
  });
}"""


def assert_first_row_on_the_first_screen(page: Any) -> None:
    first = page.locator("#sm-directory tbody tr").first
    box = first.bounding_box()
    assert box is not None and box["y"] < 400, box
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= NARROW["width"]
    for cell in page.evaluate(FIRST_ROW_CELLS):
        assert cell["text"], cell
        assert cell["left"] >= 0 and cell["right"] <= NARROW["width"], cell
        assert cell["bottom"] <= NARROW["height"], cell
    for index in range(first.locator("td").count()):
        assert first.locator("td").nth(index).is_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_phone_sees_the_first_signatory_and_every_column_at_once(
        sample_site: Site, visit: Callable[..., Visitor], scheme: str) -> None:
    visitor = visit(sample_site, viewport=NARROW, color_scheme=scheme)
    page = visitor.goto("signatories/")
    search = page.get_by_label("Search by name")
    assert search.is_visible()
    filters = page.locator("#sm-filter-set")
    assert filters.get_attribute("open") is None  # closed on a phone
    assert not page.locator("select[name=country]").is_visible()
    assert_first_row_on_the_first_screen(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"directory-390-{scheme}-before.png")

    search.fill("a")
    found(page, 6)
    assert_first_row_on_the_first_screen(page)
    page.screenshot(path=SHOTS / f"directory-390-{scheme}-searched.png", full_page=True)

    # The other filters open from their summary, which counts the active ones.
    summary = filters.locator("summary")
    assert summary.inner_text().strip() == "Filters"
    summary.click()
    assert filters.get_attribute("open") is not None
    country = page.locator("select[name=country]")
    assert country.is_visible()
    country.select_option("GB")
    found(page, 2)
    assert summary.inner_text().strip() == "Filters (1 active)"
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= NARROW["width"]
    page.screenshot(path=SHOTS / f"directory-390-{scheme}-filters-open.png", full_page=True)
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_wide_screen_shows_every_filter_and_the_table(
        sample_site: Site, visit: Callable[..., Visitor], scheme: str) -> None:
    visitor = visit(sample_site, viewport=WIDE, color_scheme=scheme)
    page = visitor.goto("signatories/")
    for name in CONTROLS[1:]:
        assert page.locator(f"[name={name}]").is_visible(), name
    assert page.locator("#sm-directory thead").is_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"directory-1280-{scheme}-before.png")
    page.get_by_label("Search by name").fill("a")
    found(page, 6)
    page.screenshot(path=SHOTS / f"directory-1280-{scheme}-searched.png", full_page=True)
    visitor.assert_clean()


# --- the text's size --------------------------------------------------------------------------
# Each entry's cells, and in each the name's link and the domain's line, at the size the
# page's running text has (its first paragraph), in CSS px as the browser computed them.
SIZES = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const rows = [...document.querySelectorAll('#sm-directory tbody tr')];
  return {body: size(document.querySelector('article > p')),
          cells: rows.flatMap(row => [...row.cells].map(size)),
          names: rows.map(row => size(row.querySelector('td:first-child a'))),
          domains: rows.map(row => size(row.querySelector('td:first-child bdi')))};
}"""


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_entries_are_in_the_size_of_the_pages_text(
        sample_site: Site, visit: Callable[..., Visitor], size: str) -> None:
    """The theme draws tables at 0.64rem (12.8 px beside 16 px text): the directory's
    entries are its content, so they take the body's size, as served and as the script
    draws them after a search; the domain under each name stays a smaller line."""
    visitor = visit(sample_site, viewport=VIEWPORTS[size])
    page = visitor.goto("signatories/")
    for when in ("as served", "searched"):
        if when == "searched":
            page.get_by_label("Search by name").fill("a")
            found(page, 6)
        sizes = page.evaluate(SIZES)
        body = sizes["body"]
        assert body >= 16, sizes
        assert sizes["cells"] and set(sizes["cells"]) == {body}, (when, sizes)
        assert set(sizes["names"]) == {body}, (when, sizes)
        assert all(12 <= domain < body for domain in sizes["domains"]), (when, sizes)
    visitor.assert_clean()


# --- the skip link ---------------------------------------------------------------------------
FOCUSED = """() => {
  const e = document.activeElement;
  const box = e.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  return {tag: e.tagName, text: e.textContent.trim(), id: e.id, className: e.className,
          href: e.getAttribute('href'), inMain: !!e.closest('main .md-content'),
          inHeader: !!e.closest('.md-header, .md-sidebar, .md-skip'),
          top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          opacity: getComputedStyle(e).opacity,
          onTop: document.elementFromPoint(x, y) === e};
}"""


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_first_tab_on_every_page_is_a_visible_skip_link_to_the_content(
        sample_site: Site, visit: Callable[..., Visitor], size: str) -> None:
    viewport = VIEWPORTS[size]
    visitor = visit(sample_site, viewport=viewport)
    page = visitor.page
    for path in PAGES:
        page.goto(sample_site.url + path)
        page.keyboard.press("Tab")
        link = page.locator("a.md-skip")
        assert link.count() == 1, path
        page.wait_for_function("() => document.activeElement.matches('a.md-skip') &&"
                               " getComputedStyle(document.activeElement).opacity === '1'")
        focused = page.evaluate(FOCUSED)
        assert focused["text"] == "Skip to content", (path, focused)
        assert link.is_visible(), path
        assert focused["onTop"], (path, focused)  # not under the header or anything else
        assert focused["top"] >= 0 and focused["bottom"] <= viewport["height"], focused
        assert focused["left"] >= 0 and focused["right"] <= viewport["width"], focused
        target = str(focused["href"])
        assert target.startswith("#"), (path, target)
        page.keyboard.press("Enter")
        page.wait_for_function("id => document.activeElement.id === id", arg=target[1:])
        focused = page.evaluate(FOCUSED)
        assert focused["tag"] == "H1" and focused["inMain"], (path, focused)
        heading = page.locator(f"h1#{target[1:]}")
        assert heading.is_visible() and heading.bounding_box() is not None
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < viewport["height"], (path, box)
        # The next Tab goes on from the heading (into the content, or the footer after
        # it), never back to the header.
        page.keyboard.press("Tab")
        assert not page.evaluate(FOCUSED)["inHeader"], path
    visitor.assert_clean()


# --- accessibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_directory_passes_axe_with_best_practices(
        sample_site: Site, visit: Callable[..., Visitor], size: str, scheme: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    visitor = visit(sample_site, viewport=VIEWPORTS[size], color_scheme=scheme)
    page = visitor.goto("signatories/")
    problems = {}
    if violations := run_axe(page, source):
        problems["as loaded"] = describe_violations(violations)
    filters = page.locator("#sm-filter-set")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    if violations := run_axe(page, source):
        problems["filters open"] = describe_violations(violations)
    page.get_by_label("Search by name").fill("a")
    page.locator("select[name=kind]").select_option("organisation")
    found(page, 4)
    if violations := run_axe(page, source):
        problems["searched"] = describe_violations(violations)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
    visitor.assert_clean()


def test_the_form_has_its_place_from_the_first_paint(sample_site: Site,
                                                     visit: Callable[..., Visitor]) -> None:
    """Where scripts run, the search form is laid out before directory.js (deferred) runs,
    so the list does not move down the page when the script wires the form; where they do
    not, the form (which needs the script) is not shown."""
    def where(visitor: Visitor) -> float:
        page = visitor.goto("signatories/")
        box = page.locator("#sm-directory").bounding_box()
        assert box is not None
        return float(box["y"])

    wired = visit(sample_site, viewport=NARROW)
    wired.goto("signatories/").wait_for_function(
        "() => document.getElementById('sm-filters').hidden === false")
    # the script arrives after the first paint: here, never (an empty file in its place)
    unwired = visit(sample_site, viewport=NARROW)
    unwired.context.route("**/assets/directory.js", lambda route: route.fulfill(
        body="", content_type="text/javascript"))
    assert where(unwired) == where(wired)
    assert unwired.page.locator("#sm-filters").is_visible()
    assert unwired.page.get_attribute("#sm-filters", "hidden") is not None
    scriptless = visit(sample_site, viewport=NARROW, java_script_enabled=False)
    scriptless.goto("signatories/")
    assert not scriptless.page.locator("#sm-filters").is_visible()
    assert scriptless.page.locator("#sm-directory").is_visible()
    for visitor in (wired, unwired, scriptless):
        visitor.assert_clean()

"""Getting to "sign", in a real headless Chromium: the sign page's two buttons, seen and
reached from the keyboard at desktop and phone widths in both schemes, the address each
opens, and the repository link in every page's footer, with no request to GitHub's API or
any other host. The page is short: the two ways in and what happens next come first, the
rest is folded into disclosures within a height budget, and every link to a part of the
sign or about page (an old address of the sign page's sections among them) lands on it,
its disclosure opened. On MkDocs, or on the engine SOCIALMISSION_ENGINE names.

The site is test_e2e.py's sample site (its session fixtures are imported, not copied).
Screenshots go to /tmp/shots-sign/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import test_e2e
from test_e2e import SKIP, Site

from conftest import MISSION, MISSION_NAME
from e2e_support import Visitor, axe_source, describe_violations, run_axe
from socialmission.check.template import template_text
from socialmission.model import paths
from socialmission.model.settings import Settings

# test_e2e.py's built sample site, shared rather than copied (the browser and `visit` are
# e2e_support's, a plugin of tests/conftest.py)
demo_site = test_e2e.demo_site

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = Path("/tmp/shots-sign")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
# Every page in the nav, a signatory's page and a withdrawn one's: each has the footer.
PAGES = ["", "sign/", "signatories/", "signatories/former/", "signatories/northwind-media/",
         "signatories/loud-growth-agency/", "press-kit/", "history/", "stats/", "open-data/"]
# axe: the WCAG 2.2 A/AA rules and the best-practice ones, none disabled, nothing excluded.


def focused(page: Any) -> dict[str, Any]:
    return dict(page.evaluate(
        "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " const s = getComputedStyle(e);"
        " return {text: e.textContent.trim(), href: e.getAttribute('href') || '',"
        " top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
        " outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth)}; }"))


def tab_to(page: Any, text: str, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["text"] == text:
            return now
    raise AssertionError(f"Tab never reached {text!r}")


def within(box: dict[str, float], width: int, height: int) -> bool:
    return box["left"] >= 0 and box["right"] <= width and box["top"] >= 0 \
        and box["bottom"] <= height


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_sign_buttons_are_seen_reached_and_open_the_right_pages(
        demo_site: Site, visit: Callable[..., Visitor], settings: Settings,
        device: str, scheme: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(demo_site, viewport=size, color_scheme=scheme)
    page = visitor.goto("sign/")
    form = page.get_by_role("link", name="Sign with the web form", exact=True)
    github = page.get_by_role("link", name="Sign on GitHub", exact=True)
    assert form.is_visible() and github.is_visible()
    first, second = form.bounding_box(), github.bounding_box()
    assert first is not None and second is not None
    for box in (first, second):  # in the first screen, whole, and big enough to tap
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
        assert box["y"] + box["height"] <= size["height"]
        assert box["height"] >= 24 and box["width"] >= 24
    # never on top of each other: side by side on a desktop, or one under the other
    apart = first["x"] + first["width"] <= second["x"] or \
        first["y"] + first["height"] <= second["y"]
    assert apart, (first, second)
    if device == "desktop":
        assert first["y"] == second["y"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sign-{device}-{scheme}.png"))

    # The keyboard reaches both, in reading order, and the focused one is shown.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    now = tab_to(page, "Sign with the web form")
    assert within(now, size["width"], size["height"])
    assert now["outline"] != "none" and now["outlineWidth"] > 0
    now = tab_to(page, "Sign on GitHub", limit=1)
    assert within(now, size["width"], size["height"])
    page.screenshot(path=str(SHOTS / f"sign-{device}-{scheme}-focused.png"))

    # Each opens GitHub: the request is made (and refused by the guard, so nothing leaves
    # this machine) to exactly the address built from registry.yaml.
    owner_repo = urlsplit(settings.repository).path.rstrip("/")
    href = now["href"]
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "github.com", f"{owner_repo}/new/{settings.default_branch}")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "filename": ["pledges/your-page-address.yaml"],
        "value": [template_text(MISSION, MISSION_NAME)]}
    with page.expect_event("requestfailed", lambda request: request.url == href):
        page.keyboard.press("Enter")
    assert visitor.guard.external == [href]
    visitor.guard.external.clear()
    visitor.page = visitor.context.new_page()  # the first one shows the browser's error page
    page = visitor.goto("sign/")
    issue = f"https://github.com{owner_repo}/issues/new?template=sign.yml"
    with page.expect_event("requestfailed", lambda request: request.url == issue):
        page.get_by_role("link", name="Sign with the web form", exact=True).click()
    assert visitor.guard.external == [issue]
    visitor.guard.external.clear()
    visitor.page = visitor.context.new_page()
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_sign_page_passes_axe_with_best_practice(
        demo_site: Site, visit: Callable[..., Visitor], device: str, scheme: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    visitor = visit(demo_site, viewport=VIEWPORTS[device], color_scheme=scheme)
    page = visitor.goto("sign/")
    problems = {}
    if violations := run_axe(page, source):
        problems["as loaded"] = describe_violations(violations)
    # and with every disclosure opened from the keyboard
    disclosures = page.locator("article details")
    assert disclosures.count() > 0
    for index in range(disclosures.count()):
        disclosures.nth(index).locator("summary").focus()
        page.keyboard.press("Enter")
        assert disclosures.nth(index).get_attribute("open") is not None, index
    if violations := run_axe(page, source):
        problems["every disclosure open"] = describe_violations(violations)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sign-open-{device}-{scheme}.png"), full_page=True)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_every_page_links_the_repository_and_asks_no_other_host(
        demo_site: Site, visit: Callable[..., Visitor], settings: Settings,
        device: str, scheme: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(demo_site, viewport=size, color_scheme=scheme)
    label = f"{urlsplit(settings.repository).path.strip('/')} on GitHub"
    for path in PAGES:
        page = visitor.goto(path)
        page.wait_for_load_state("networkidle")
        link = page.locator("footer .sm-repository a")
        assert link.count() == 1, path
        assert link.get_attribute("href") == settings.repository
        assert link.inner_text() == label
        link.scroll_into_view_if_needed()
        assert link.is_visible(), path
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
        # and no Material repository widget, whose script would ask api.github.com
        assert page.locator(".md-source, [data-md-component=source]").count() == 0, path
        if path in ("", "signatories/northwind-media/"):
            page.screenshot(path=str(SHOTS / f"footer-{path.strip('/').replace('/', '-') or 'home'}"
                                             f"-{device}-{scheme}.png"), full_page=True)
    # Every request of every page above went to this server alone: none to GitHub's API,
    # nor to any font, script or analytics host.
    assert visitor.guard.external == []
    visitor.assert_clean()


def test_every_built_page_has_the_footer_link(demo_site: Site, settings: Settings) -> None:
    pages = sorted(demo_site.root.rglob("*.html"))
    assert len(pages) > 20
    link = f'<p class="sm-repository"><a href="{settings.repository}">'
    missing = [str(p.relative_to(demo_site.root)) for p in pages
               if link not in p.read_text(encoding="utf-8")]
    assert missing == []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "api.github.com/repos" not in text and 'class="md-source"' not in text


# --- a short page: the two ways in first, the rest folded -------------------------------------
# The sign page's height with every disclosure closed, in CSS px. Before its sections were
# folded it was 4,903 at 1280 (6,943 at 390 on MkDocs, 7,148 on Zensical).
HEIGHT_BUDGET = {"desktop": 1800, "phone": 2400}
# Every section the sign page had before it was folded, by its address. Each still lands
# on the sign page: a disclosure of that id, or, for the pledges whose maintainers are gone
# (now on the about page), the sentence that links there.
OLD_ANCHORS = ["sign-with-the-web-form-no-git", "sign-with-a-pull-request",
               "updating-or-withdrawing", "who-may-sign-for-an-organisation",
               "show-that-your-website-confirms-it",
               "taking-over-a-pledge-whose-maintainers-are-gone", "the-template",
               "what-the-checks-say"]
MOVED = "taking-over-a-pledge-whose-maintainers-are-gone"  # the about page's heading
# The article's blocks in order: each one's tag, id, and its text's first line (a
# heading's without its permalink).
BLOCKS = """() => [...document.querySelector('article').children]
  .filter(e => e.matches('h1, h2, h3, p, ol, ul, details, pre, table, div'))
  .map(e => ({tag: e.tagName.toLowerCase(), id: e.id, cls: e.className,
              open: e.open === true, items: e.tagName === 'OL' ? e.children.length : 0,
              text: [...e.childNodes].filter(n => !(n.matches && n.matches('.headerlink')))
                .map(n => n.textContent).join('').trim().split('\\n')[0]}))"""


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_sign_page_shows_the_two_ways_in_first_and_keeps_to_its_height(
        demo_site: Site, visit: Callable[..., Visitor], device: str) -> None:
    visitor = visit(demo_site, viewport=VIEWPORTS[device])
    page = visitor.goto("sign/")
    page.wait_for_load_state("networkidle")
    blocks = page.evaluate(BLOCKS)
    routes = next(i for i, block in enumerate(blocks) if block["cls"] == "sm-sign-routes")
    # Before the two ways in: the title and a paragraph, no section, list or disclosure.
    assert [block["tag"] for block in blocks[:routes]] == ["h1", "p"], blocks[:routes]
    # Then what happens next, in four steps, then the rest, every disclosure closed.
    after = blocks[routes + 1:]
    assert (after[0]["tag"], after[0]["text"]) == ("h2", "What happens next")
    assert (after[1]["tag"], after[1]["items"]) == ("ol", 4)
    assert (after[2]["tag"], after[2]["text"]) == ("h2", "More about signing")
    assert {block["tag"] for block in after[3:]} == {"details"}
    assert [block["id"] for block in after[3:] if block["open"]] == []
    assert {block["id"] for block in after[3:]} == set(OLD_ANCHORS) - {MOVED}
    height = page.evaluate("() => document.documentElement.scrollHeight")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sign-closed-{device}.png"), full_page=True)
    assert height <= HEIGHT_BUDGET[device], height
    visitor.assert_clean()


LANDED = """id => { const e = document.getElementById(id); const box = e.getBoundingClientRect();
  const folded = e.closest('details:not([open])');
  return {top: box.top, height: box.height, folded: folded ? folded.id : null}; }"""


def assert_landed(page: Any, anchor: str, height: int) -> None:
    """The element `anchor` names is shown: no closed disclosure around it (or it), and
    scrolled to, within the window."""
    page.wait_for_function("id => { const e = document.getElementById(id);"
                           " return e && !e.closest('details:not([open])'); }", arg=anchor)
    target = page.locator(f"[id='{anchor}']")
    target.wait_for(state="visible")
    page.wait_for_function(f"id => {{ const top = document.getElementById(id)"
                           f".getBoundingClientRect().top; return top >= 0 && top < {height}; }}",
                           arg=anchor)
    where = page.evaluate(LANDED, anchor)
    assert where["folded"] is None and where["height"] > 0, (anchor, where)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_every_old_address_of_a_section_lands_on_it_unfolded(
        demo_site: Site, visit: Callable[..., Visitor], device: str) -> None:
    """A link from elsewhere (another site, an old bookmark) to any section the sign page
    had opens its disclosure and shows it; the moved section's old address shows the line
    that links to its new place, and following that reaches it."""
    size = VIEWPORTS[device]
    visitor = visit(demo_site, viewport=size)
    for anchor in OLD_ANCHORS:
        page = visitor.context.new_page()
        visitor.page = page
        visitor.goto(f"sign/#{anchor}")
        assert_landed(page, anchor, size["height"])
        page.close()
    visitor.page = visitor.context.new_page()
    page = visitor.goto(f"sign/#{MOVED}")
    assert_landed(page, MOVED, size["height"])
    page.get_by_role("link", name="take it over", exact=True).click()
    page.wait_for_url(f"{demo_site.url}{paths.ABOUT_PATH}#{MOVED}")
    assert_landed(page, MOVED, size["height"])
    assert page.locator(f"h2[id='{MOVED}']").count() == 1
    # and the about page's link to the proofs opens them on the sign page
    page = visitor.goto(paths.ABOUT_PATH)
    proofs = "show-that-your-website-confirms-it"
    page.locator("article").get_by_role("link", name="a file or a DNS record").click()
    page.wait_for_url(f"{demo_site.url}sign/#{proofs}")
    assert_landed(page, proofs, size["height"])
    assert "A DNS record" in page.locator(f"[id='{proofs}']").inner_text()
    visitor.assert_clean()


class _Links(HTMLParser):
    """A page's element ids (and <a name>s), and the addresses its links go to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)
            elif value is not None and tag == "a" and name == "href":
                self.hrefs.append(value)


def test_every_link_to_a_part_of_a_page_lands_on_it(demo_site: Site) -> None:
    """Every link of every built page that names a part of a page of this site (its
    fragment) names an element that page has: the sign page's disclosures, the about
    page's sections, the old addresses of the sign page's sections among them."""
    site = test_e2e.SITE_URL
    found: dict[str, _Links] = {}
    for html in sorted(demo_site.root.rglob("*.html")):
        parser = _Links()
        parser.feed(html.read_text(encoding="utf-8"))
        found[html.relative_to(demo_site.root).as_posix()] = parser
    links: set[tuple[str, str]] = set()
    wrong = []
    for source, parser in found.items():
        # the 404 page is served at any address: its links are written from the root
        base = site if source == "404.html" else site + source
        for href in parser.hrefs:
            address = urljoin(site + source if href.startswith("#") else base, href)
            parts = urlsplit(address)
            if not parts.fragment or not address.startswith(site):
                continue
            target = parts.path.removeprefix(urlsplit(site).path).removesuffix("index.html")
            file = target + "index.html" if target == "" or target.endswith("/") else target
            if not file.endswith(".html"):
                continue
            links.add((source, f"{target}#{parts.fragment}"))
            if file not in found:
                wrong.append((source, href, "no such page"))
            elif unquote(parts.fragment) not in found[file].ids:
                wrong.append((source, href, "no such part of the page"))
    assert wrong == []
    assert {("about/index.html", "sign/#show-that-your-website-confirms-it"),
            ("sign/index.html", f"about/#{MOVED}"),
            ("sign/index.html", "sign/#the-template")} <= links
    assert set(OLD_ANCHORS) <= found["sign/index.html"].ids
    assert MOVED in found["about/index.html"].ids

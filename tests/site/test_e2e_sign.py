"""Getting to "sign", in a real headless Chromium: the sign page's two buttons, seen and
reached from the keyboard at desktop and phone widths in both schemes, the address each
opens, and the repository link in every page's footer, with no request to GitHub's API or
any other host.

The site is test_e2e.py's sample site (its session fixtures are imported, not copied).
Screenshots go to /tmp/shots-sign/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import test_e2e
from test_e2e import SKIP, Site

from conftest import MISSION, MISSION_NAME
from e2e_support import Visitor, axe_source, describe_violations, run_axe
from socialmission.check.template import template_text
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
    violations = run_axe(page, source)
    assert violations == [], describe_violations(violations)
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

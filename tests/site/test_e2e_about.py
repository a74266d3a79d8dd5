"""The page "About this registry", in a real headless Chromium: every page's footer links
to it, it names the issuer and how to reach them, it links to the "Report a signature"
form built from registry.yaml. axe checks it with every kind of page (test_e2e.py's
AXE_PAGES, both widths, both schemes). On MkDocs, or on the engine SOCIALMISSION_ENGINE
names.

The site is test_e2e.py's sample site (its session fixtures are imported, not copied).
Screenshots go to /tmp/shots-about/<engine>/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
import test_e2e
from test_e2e import SKIP, Site
from test_e2e_sign import PAGES, SCHEMES, VIEWPORTS

from e2e_support import Visitor, shots
from socialmission.model import paths
from socialmission.model.settings import Settings

demo_site = test_e2e.demo_site

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = shots("about")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_every_footer_links_to_the_about_page(
        demo_site: Site, visit: Callable[..., Visitor], device: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(demo_site, viewport=size)
    about = demo_site.url + paths.ABOUT_PATH
    for path in [*PAGES, paths.ABOUT_PATH]:
        page = visitor.goto(path)
        link = page.locator("footer").get_by_role("link", name="About this registry",
                                                   exact=True)
        assert link.count() == 1, path
        assert urljoin(page.url, link.get_attribute("href") or "") == about, path
        link.scroll_into_view_if_needed()
        assert link.is_visible(), path
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    # and following it, from a signatory's page (filled from a shell), reaches the page
    page = visitor.goto("signatories/northwind-media/")
    page.locator("footer").get_by_role("link", name="About this registry").click()
    page.wait_for_url(about)
    assert page.get_by_role("heading", level=1, name="About this registry").count() == 1
    visitor.assert_clean()


def test_every_built_page_links_to_the_about_page(demo_site: Site) -> None:
    """Every page the build published (each signatory's, filled from a shell, too), the
    404 page but for its address, which is the site's root's."""
    pages = sorted(demo_site.root.rglob("*.html"))
    assert len(pages) > 20
    wrong = []
    for page in pages:
        relative = page.relative_to(demo_site.root)
        found = re.findall(r'<p class="sm-about"><a href="([^"]*)">About this registry</a>',
                           page.read_text(encoding="utf-8"))
        base = "https://socialmission.example.org/" if relative.name == "404.html" else \
            f"https://socialmission.example.org/{relative.as_posix()}"
        if [urljoin(base, href) for href in found] != [
                f"https://socialmission.example.org/{paths.ABOUT_PATH}"]:
            wrong.append((str(relative), found))
    assert wrong == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_about_page_says_who_and_links_the_report_form(
        demo_site: Site, visit: Callable[..., Visitor], settings: Settings,
        device: str, scheme: str) -> None:
    visitor = visit(demo_site, viewport=VIEWPORTS[device], color_scheme=scheme)
    page = visitor.goto(paths.ABOUT_PATH)
    content = page.locator("article")
    # the issuer, by name to its website, and its e-mail address, from registry.yaml
    issuer = content.get_by_role("link", name=settings.issuer_name, exact=True)
    assert issuer.get_attribute("href") == settings.issuer_url
    emails = content.get_by_role("link", name=settings.issuer_email, exact=True)
    assert emails.count() >= 1
    assert {emails.nth(i).get_attribute("href") for i in range(emails.count())} == {
        f"mailto:{settings.issuer_email}"}
    assert emails.first.is_visible()
    assert settings.mission_name in content.inner_text()
    # the report form, on the repository registry.yaml names
    report = content.get_by_role("link", name="Report a signature", exact=True)
    owner_repo = urlsplit(settings.repository).path.rstrip("/")
    address = f"https://github.com{owner_repo}/issues/new?template=report.yml"
    assert report.get_attribute("href") == address
    report.scroll_into_view_if_needed()
    assert report.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"about-{device}-{scheme}.png"), full_page=True)
    # it opens GitHub: the request is made (and refused by the guard) to that address
    with page.expect_event("requestfailed", lambda request: request.url == address):
        report.click()
    assert visitor.guard.external == [address]
    visitor.guard.external.clear()
    visitor.page = visitor.context.new_page()  # the first one shows the browser's error page
    visitor.assert_clean()

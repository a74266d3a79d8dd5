"""The registry's own face in a real headless Chromium: the favicon the browser fetches is
ours (the bytes the build drew from the badge's mark, never the theme's), and the header
shows our logo, loaded, named after the registry and standing out on the header, with axe
finding nothing, light and dark, at 1280 and 390 px. On MkDocs, or on the engine
SOCIALMISSION_ENGINE names.

The site is test_e2e.py's sample site. Screenshots of the header, and the logo and the
favicon at 4x, go to /tmp/shots-brand/<engine>/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import io
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import test_e2e
from PIL import Image
from test_e2e import SKIP, Site
from test_e2e_sign import SCHEMES, VIEWPORTS

from e2e_support import Visitor, axe_source, describe_violations, run_axe, shots
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.settings import site_name
from socialmission.render.contrast import contrast
from socialmission.render.design import load_design
from socialmission.render.icons import favicon_svg
from socialmission.site import theme

demo_site = test_e2e.demo_site

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = shots("brand")
THEMES_FAVICON = "/assets/images/favicon.png"
FETCH_BYTES = ("async url => Array.from(new Uint8Array("
               "await (await fetch(url)).arrayBuffer()))")


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the site and notes every path asked for: what the browser fetches by itself
    (a favicon) is no request a page's script or the test makes."""

    asked: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        self.asked.append(urlsplit(self.path).path)


@contextmanager
def recording(root: Path) -> Iterator[tuple[str, list[str]]]:
    """The site at `root` on 127.0.0.1, and the paths asked of it so far."""
    asked: list[str] = []
    handler = type("Handler", (_Recording,), {"asked": asked})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_favicon_chromium_loads_is_ours(demo_site: Site, browser: Any) -> None:
    """Without the visitor's guard: a context whose requests are routed (the guard's
    watch on other hosts) fetches no favicon at all. The server's own record says what
    was asked, and nothing was asked of another host (the page holds no absolute address
    of one that it would load)."""
    ours = {f"/{path}" for path in (paths.FAVICON_PATH, paths.FAVICON_PNG_PATH)}
    with recording(demo_site.root) as (url, asked):
        context = browser.new_context()
        try:
            page = context.new_page()
            response = page.goto(url + "signatories/")
            assert response is not None and response.ok
            deadline = time.monotonic() + 10
            while not ours & set(asked) and time.monotonic() < deadline:
                time.sleep(0.1)
            fetched = [path for path in asked if "icon" in path]
            assert fetched and set(fetched) <= ours, asked
            assert THEMES_FAVICON not in asked
            # what it fetched is the mark as the build drew it; every icon linked is served
            # as the build wrote it
            icons = page.eval_on_selector_all(
                "link[rel~=icon], link[rel=apple-touch-icon]",
                "links => links.map(l => l.href)")
            assert len(icons) == 3
            for href in icons:
                served = bytes(page.evaluate(FETCH_BYTES, href))
                assert served == (demo_site.root / urlsplit(href).path.lstrip("/")).read_bytes()
            drawn = favicon_svg(load_design(ROOT), len(load_mission(ROOT).current.principles)
                                ).encode("utf-8")
            assert bytes(page.evaluate(FETCH_BYTES, url + paths.FAVICON_PATH)) == drawn
        finally:
            context.close()


def _share(image: Image.Image, colour: str) -> float:
    """The share of the image's pixels within 24 levels of `colour`."""
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    rgb = image.convert("RGB")
    pixels = [rgb.getpixel((x, y)) for x in range(rgb.width) for y in range(rgb.height)]
    near = [p for p in pixels if isinstance(p, tuple)
            and max(abs(a - b) for a, b in zip(p, target, strict=True)) <= 24]
    return len(near) / len(pixels)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_header_shows_the_registrys_logo(demo_site: Site, visit: Callable[..., Visitor],
                                            scheme: str, device: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python")
    visitor = visit(demo_site, viewport=VIEWPORTS[device], color_scheme=scheme)
    page = visitor.goto("")
    header = page.locator(".md-header img")
    assert header.count() == 1
    logo = header
    if device == "phone":  # the theme shows it in the drawer's title bar, not the header
        assert not header.is_visible()
        page.locator("label.md-header__button[for=__drawer]").click()
        logo = page.locator(".md-nav--primary > .md-nav__title img")
        logo.wait_for()
    assert logo.get_attribute("alt") == site_name(ROOT)  # the sample registry's mkdocs.yml
    assert urljoin(page.url, logo.get_attribute("src") or "") == \
        demo_site.url + paths.REGISTRY_LOGO_PATH
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", logo.element_handle())
    box = logo.bounding_box()
    assert box is not None and box["width"] == box["height"] >= 24
    # it stands out on the header: the disc in the header's text colour, the header's own
    # colour around it and through its check
    colours = theme.load_colours(ROOT).schemes[scheme]
    picture = Image.open(io.BytesIO(logo.screenshot()))
    assert _share(picture, colours["primary_text"]) > 0.4
    assert _share(picture, colours["primary"]) > 0.15
    assert contrast(colours["primary_text"], colours["primary"]) >= 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = VIEWPORTS[device]["width"]
    page.screenshot(path=str(SHOTS / f"header-{width}-{scheme}.png"),
                    clip={"x": 0, "y": 0, "width": width, "height": 160})
    violations = run_axe(page, source)
    assert violations == [], describe_violations(violations)
    visitor.assert_clean()


def test_the_logo_and_the_favicon_at_4x(demo_site: Site,
                                        visit: Callable[..., Visitor]) -> None:
    """Sharp at four device pixels to the pixel (pictures for a person to look at)."""
    visitor = visit(demo_site, viewport=VIEWPORTS["desktop"], device_scale_factor=4)
    page = visitor.goto("")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = page.locator(".md-header__button.md-logo").screenshot(path=str(SHOTS / "logo-4x.png"))
    assert Image.open(io.BytesIO(shot)).size[1] >= 4 * 24
    page = visitor.goto(paths.FAVICON_PATH)
    shot = page.locator("svg").screenshot(path=str(SHOTS / "favicon-4x.png"))
    assert Image.open(io.BytesIO(shot)).size == (4 * 32, 4 * 32)
    visitor.assert_clean()

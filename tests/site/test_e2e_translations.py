"""The mission's translations as a visitor meets them, in Debian's headless Chromium: the
Arabic page (the fixture, right to left) at 1280 and 390 px in both schemes, its text laid
out right to left (each principle's number at the line's start, on the right), nothing
wider than the screen, reached from the mission page's language switch; axe-core's WCAG
A/AA and best-practice rules on it (test_e2e.py's axe test covers every page of the
sample site, the translations' among them). A hostile translation never runs. On MkDocs,
or on the engine SOCIALMISSION_ENGINE names. Screenshots go to SHOTS for a person to look
at."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import test_e2e
from test_e2e import SKIP, Site

from conftest import copy_registry
from e2e_support import (
    ENGINE,
    SCHEMES,
    VIEWPORTS,
    Visitor,
    axe_source,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
    shots,
)
from socialmission.model import paths
from translation_support import EPOCH, HOSTILE_PRINCIPLE, hostile_french, with_translations

# test_e2e.py's built sample site, with the fixture translations, shared rather than copied
demo_site = test_e2e.demo_site

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = shots("translations")
ARABIC = paths.translation_path(1, "ar")
FRENCH = paths.translation_path(1, "fr")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_arabic_page_reads_right_to_left_and_passes_axe(
        demo_site: Site, visit: Callable[..., Visitor], device: str, scheme: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(demo_site, viewport=size, color_scheme=scheme)
    page = visitor.goto(ARABIC)
    page.evaluate("() => document.fonts.ready")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"arabic-{device}-{scheme}.png"), full_page=True)
    heading = page.locator("h1#translation")
    assert heading.get_attribute("lang") == "ar"
    assert heading.evaluate("e => getComputedStyle(e).direction") == "rtl"
    items = page.locator("ol.sm-principles[lang=ar] > li")
    assert items.count() == 10
    first = items.first
    box = first.bounding_box()
    assert box is not None
    # the number stands where the line starts, on the right; the text runs up to it
    number = first.evaluate("e => { const s = getComputedStyle(e, '::before');"
                            " return {position: s.position, right: s.right, left: s.left,"
                            " align: s.textAlign}; }")
    if device == "1280":
        assert number["position"] == "absolute" and number["right"] != "auto", number
        assert first.evaluate("e => parseFloat(getComputedStyle(e).paddingRight)"
                              " > parseFloat(getComputedStyle(e).paddingLeft)")
    else:  # above the text, at its start: the right
        assert number["position"] == "static" and number["align"] in ("start", "right")
        assert first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # the page's own words stay left to right, in the registry's language
    note = page.locator(".sm-translation-note")
    assert note.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert "the signed text is the original" in note.inner_text()
    # nothing is wider than the screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    violations = run_axe(page, source)
    assert violations == [], describe_violations(violations)
    visitor.assert_clean()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_mission_pages_switch_leads_to_the_translation_and_back(
        demo_site: Site, visit: Callable[..., Visitor], device: str) -> None:
    visitor = visit(demo_site, viewport=VIEWPORTS[device])
    page = visitor.goto("")
    switch = page.locator("p.sm-languages")
    assert switch.inner_text() == "Version 1 in other languages: Original · العربية · Français"
    SHOTS.mkdir(parents=True, exist_ok=True)
    switch.screenshot(path=str(SHOTS / f"home-switch-{device}.png"))
    switch.get_by_role("link", name="العربية").click()
    page.wait_for_url(demo_site.url + ARABIC)
    assert page.locator("h1#translation").inner_text().startswith("المهمة الاجتماعية")
    page.locator("p.sm-languages").get_by_role("link", name="Français").click()
    page.wait_for_url(demo_site.url + FRENCH)
    page.locator("p.sm-languages").get_by_role("link", name="Original").click()
    page.wait_for_url(demo_site.url)
    visitor.assert_clean()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A registry whose French translation holds payloads in every text."""
    root = with_translations(copy_registry(tmp_path_factory.mktemp("hostile-registry")))
    hostile_french(root)
    out = tmp_path_factory.mktemp(f"hostile-translation-{ENGINE}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mkdocs_build(root / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url, [])


def test_a_hostile_translation_never_runs(hostile_site: Site,
                                          visit: Callable[..., Visitor]) -> None:
    visitor = visit(hostile_site, viewport=VIEWPORTS["1280"])
    for path in ("", paths.HISTORY_PATH, FRENCH):
        page = visitor.goto(path)
        assert visitor.fired() == [], path
        assert page.locator("script:not([src])").evaluate_all(
            "s => s.filter(e => e.textContent.includes('__canary')).length") == 0
    page = visitor.goto(FRENCH)
    first = page.locator("ol.sm-principles > li").first.inner_text()
    assert first.startswith(" ".join(HOSTILE_PRINCIPLE.split()))
    visitor.assert_clean()

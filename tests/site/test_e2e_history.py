"""The history page with a draft version, as a visitor meets it in Debian's headless
Chromium: the proposed version first, with what it would change and its discussion link,
then the published versions with their errata; axe-core's WCAG A/AA and best-practice rules
in both palettes at both widths. On MkDocs, or on the engine SOCIALMISSION_ENGINE names.
Screenshots go to SHOTS for a person to look at."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from draft_support import DISCUSSION, with_draft
from e2e_support import (
    SCHEMES,
    VIEWPORTS,
    Site,
    Visitor,
    axe_source,
    browser_missing,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
    shots,
)
from sample_registry import sample_registry

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = shots("history")
EPOCH = "1780000000"  # 2026-05-28
ERRATUM = "Principle 9: 'it's audience' is to be read 'its audience'."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample registry, its version 1 with an erratum, and a version 2 proposed."""
    root = sample_registry(tmp_path_factory.mktemp("history-registry"))
    mission = root / "mission.yaml"
    text = mission.read_text(encoding="utf-8").replace(
        "    principles:\n", f'    errata:\n      - "{ERRATUM}"\n    principles:\n', 1)
    mission.write_text(with_draft(text), encoding="utf-8")
    out = tmp_path_factory.mktemp("history-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mkdocs_build(root / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


def test_the_proposed_version_comes_first_with_its_discussion(
        site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(site, viewport=VIEWPORTS["1280"])
    page = visitor.goto("history/")
    headings = [text.rstrip("¶") for text in page.locator("article h2").all_inner_texts()]
    assert headings[:2] == ["Proposed: version 2: The Socially-M Social Mission",
                            "Version 1: The Socially-M Social Mission"]
    link = page.get_by_role("link", name="Read and join the discussion")
    assert link.get_attribute("href") == DISCUSSION
    proposed = page.locator("#mission-proposed ~ p").first.inner_text()
    assert proposed.startswith("Proposed, not yet published: nobody has signed it")
    assert page.get_by_text(ERRATUM).is_visible()
    assert page.get_by_text("Added, as principle 11:").is_visible()
    visitor.assert_clean()


def test_the_home_page_shows_the_current_versions_erratum(
        site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(site, viewport=VIEWPORTS["390"])
    page = visitor.goto("")
    assert page.locator(".sm-errata").inner_text() == (
        f"Errata (the text above stays as it was signed):\n\n{ERRATUM}")
    assert "accessible to everyone" not in page.content()  # the draft is not on it
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("path", ["history/", ""])
def test_the_pages_with_a_draft_and_an_erratum_pass_axe(
        site: Site, visit: Callable[..., Visitor], path: str, device: str, scheme: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    visitor = visit(site, viewport=VIEWPORTS[device], color_scheme=scheme)
    page = visitor.goto(path)
    page.evaluate("() => document.fonts.ready")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{path.strip('/') or 'home'}-{device}-{scheme}.png"
    page.screenshot(path=str(shot), full_page=True)
    violations = run_axe(page, source)
    assert violations == [], describe_violations(violations)
    visitor.assert_clean()

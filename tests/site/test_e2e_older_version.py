"""A signatory of an older mission version, in a real headless Chromium at 1280 and 390 px,
light and dark: its page says which version it signed, that a newer one is current, and
links what changed (the history page's section, which is there) and the change form; the
directory says it under the date, in the server's rows and in the rows directory.js draws
from directory.json; axe finds nothing on either page. On MkDocs, or on the engine
SOCIALMISSION_ENGINE names.

The site: the real mission with an invented version 2 appended, a signatory of version 1
with a long name (Harbour Media), and one that reaffirmed version 2 (Keel Works).
Screenshots go to /tmp/shots-older/<engine>/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from test_e2e import SKIP
from test_e2e_sign import SCHEMES, VIEWPORTS

from conftest import OWNED, copy_registry
from e2e_support import (
    Site,
    Visitor,
    axe_source,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
    shots,
)
from mission_support import mission_v2_text
from socialmission.model import paths

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = shots("older")
HARBOUR = OWNED.replace("Harbour Media Ltd",
                        "Harbour Media and Broadcasting Cooperative of the Northern Isles")
KEEL = (OWNED.replace("Harbour Media Ltd", "Keel Works").replace("www.example.net",
                                                                  "keel.example.org")
        + "reaffirmed:\n  - version: 2\n    date: 2026-02-01\n")
NOTE = ("This signatory signed version 1 of the mission; version 2 is current: what changed. "
        "Its maintainers may reaffirm version 2, or withdraw, with the change form, where "
        "this page's address is filled in: choose “Reaffirm the current mission version” or "
        "“Withdraw my signature”.")
OLDER = "Signed version 1; version 2 is current"


@pytest.fixture(scope="module")
def older_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = copy_registry(tmp_path_factory.mktemp("older-registry"))
    (registry / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    (registry / "pledges" / "harbour-media.yaml").write_text(HARBOUR, encoding="utf-8")
    (registry / "pledges" / "keel-works.yaml").write_text(KEEL, encoding="utf-8")
    out = tmp_path_factory.mktemp("older-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


def axe_problems(page: object) -> str:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    violations = run_axe(page, source)
    return describe_violations(violations) if violations else ""


def within_width(locator: object, width: int) -> None:
    box = locator.bounding_box()  # type: ignore[attr-defined]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_page_of_an_older_version_signatory(
        older_site: Site, visit: Callable[..., Visitor], device: str, scheme: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(older_site, viewport=size, color_scheme=scheme)
    page = visitor.goto(paths.page_path("harbour-media"))
    note = page.locator(".sm-newer")
    assert note.count() == 1
    assert " ".join(note.inner_text().split()) == NOTE
    note.scroll_into_view_if_needed()
    within_width(note, size["width"])
    form = note.get_by_role("link", name="change form")
    query = parse_qs(urlsplit(form.get_attribute("href") or "").query)
    assert query == {"template": ["change.yml"], "slug": ["harbour-media"]}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"signatory-{device}-{scheme}.png"), full_page=True)
    assert axe_problems(page) == ""
    # what changed: the history page's section for version 2, in view
    note.get_by_role("link", name="what changed").click()
    page.wait_for_url(urljoin(older_site.url, f"{paths.HISTORY_PATH}#mission-v2"))
    heading = page.locator("h2#mission-v2")
    assert heading.is_visible()
    assert heading.evaluate("h => h.getBoundingClientRect().top") < size["height"]
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_directory_marks_the_older_version_in_both_kinds_of_row(
        older_site: Site, visit: Callable[..., Visitor], device: str, scheme: str) -> None:
    size = VIEWPORTS[device]
    visitor = visit(older_site, viewport=size, color_scheme=scheme)
    page = visitor.goto(f"{paths.SIGNATORIES_PATH}/")

    def marks() -> dict[str, str]:
        rows = page.locator("#sm-directory tbody tr")
        return {rows.nth(i).locator("td:first-child a").inner_text():
                " ".join(rows.nth(i).locator(".sm-older").all_inner_texts())
                for i in range(rows.count())}

    served = marks()
    assert served == {"Harbour Media and Broadcasting Cooperative of the Northern Isles": OLDER,
                      "Keel Works": ""}
    older = page.locator("#sm-directory .sm-older")
    within_width(older, size["width"])
    link = older.get_by_role("link", name="version 2 is current")
    assert urljoin(page.url, link.get_attribute("href") or "") == \
        urljoin(older_site.url, f"{paths.HISTORY_PATH}#mission-v2")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"directory-{device}-{scheme}.png"), full_page=True)
    assert axe_problems(page) == ""
    # the rows directory.js draws from directory.json say the same
    page.get_by_label("Search by name").fill("o")
    page.locator("#sm-status").filter(has_text="2 signatories found.").wait_for()
    assert marks() == served
    assert axe_problems(page) == ""
    page.screenshot(path=str(SHOTS / f"directory-searched-{device}-{scheme}.png"),
                    full_page=True)
    visitor.assert_clean()

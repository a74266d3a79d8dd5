"""The real MkDocs build: strict, reproducible, atomic, and every page the issue asks for."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import TESTS, VALID, copy_registry
from sample_registry import sample_registry
from socialmission.model.mission import Mission
from socialmission.site.pages import SNIPPET_TABS

pytestmark = pytest.mark.slow
EPOCH = "1780000000"


def mkdocs_build(root: Path, out: Path, engine: str = "mkdocs",
                 **env: str) -> subprocess.CompletedProcess[str]:
    """`socialmission build` (strict) of the registry at `root` into `out`, with `engine`."""
    command = Path(sys.executable).parent / "socialmission"
    return subprocess.run([str(command), "--root", str(root), "build", "--out", str(out),
                           "--engine", engine], cwd=root, capture_output=True, text=True,
                          check=False, env={**os.environ, **env})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The registry these tests know: the fixture pledges (sample_registry.py)."""
    return sample_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> Path:
    out = tmp_path_factory.mktemp("public")
    result = mkdocs_build(sample, out, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    return out


def text_of(page: Path) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces folded."""
    without_tags = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
    return " ".join(html.unescape(without_tags).split())


def test_the_home_page_shows_the_current_mission(built: Path, mission: Mission) -> None:
    page = text_of(built / "index.html")
    version = mission.current
    assert version.title in page
    for principle in version.principles:
        assert " ".join(principle.split()) in page
    # the active signatories on the build's day (SOURCE_DATE_EPOCH), not the clock's
    assert "11 active signatories as of 28 May 2026" in page
    html_text = (built / "index.html").read_text()
    assert '<time datetime="2026-05-28">28 May 2026</time>' in html_text
    assert 'href="sign/"' in html_text


def test_every_page_the_registry_promises_exists(built: Path) -> None:
    for page in ("sign", "signatories", "signatories/former", "signatories/northwind-media",
                 "press-kit", "history", "stats", "open-data"):
        assert (built / page / "index.html").is_file(), page
    for data in ("api/v1/signatories.json", "api/v1/signatories/northwind-media.json",
                 "api/v1/directory.json", "schema/pledge.schema.json", "feed.xml",
                 "sitemap.xml", "openbadges/issuer.json", "openbadges/mission-v1.json",
                 "openbadges/assertions/northwind-media.json",
                 "badges/northwind-media/card-dark@2x.png", "badges/mission/compact-light.svg",
                 "badges/northwind-media/social.png", "logos/northwind-media.png"):
        assert (built / data).is_file(), data


def test_the_sign_page_carries_the_template(built: Path) -> None:
    page = text_of(built / "sign" / "index.html")
    assert "yaml-language-server: $schema=../site/schema/pledge.schema.json" in page


def test_the_directory_lists_active_signatories_and_former_ones_apart(built: Path) -> None:
    directory = text_of(built / "signatories" / "index.html")
    assert "11 active signatories" in directory
    assert "Northwind Media" in directory and "Loud Growth Agency" not in directory
    former = text_of(built / "signatories" / "former" / "index.html")
    assert "Loud Growth Agency" in former


def test_a_signer_page(built: Path) -> None:
    source = (built / "signatories" / "northwind-media" / "index.html").read_text()
    page = text_of(built / "signatories" / "northwind-media" / "index.html")
    assert "Northwind Media" in page and "mission version 1" in page
    assert 'rel="nofollow ugc noopener"' in source
    assert '<source media="(prefers-color-scheme: dark)"' in page
    assert 'width="360" height="100"' in page
    assert "[![Northwind Media: Social Mission signatory]" in page  # Markdown snippet
    assert ".. image:: https://socialmission.example.org/badges/northwind-media/" in page
    assert '<meta property="og:image" content="https://socialmission.example.org/badges/' \
           'northwind-media/social.png">' in source
    assert '<meta name="twitter:card" content="summary_large_image">' in source


def test_the_api_and_the_feed(built: Path) -> None:
    api = json.loads((built / "api/v1/signatories.json").read_text())
    assert api["count"] == {"active": 11, "withdrawn": 1}
    slugs = [item["slug"] for item in api["signatories"]]
    assert slugs == sorted(slugs)
    withdrawn = next(i for i in api["signatories"] if i["slug"] == "loud-growth-agency")
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn"] == "2025-02-28"
    feed = ET.parse(built / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert titles[0] == "Green Valley FC"  # the newest signature first
    assert "Loud Growth Agency" not in titles
    revoked = json.loads((built / "openbadges/assertions/loud-growth-agency.json").read_text())
    assert revoked["revoked"] is True


def test_every_signatory_has_a_shields_document_that_shields_io_takes(built: Path) -> None:
    """Active, withdrawn and any other: one at the address that never moves, valid against
    shields.io's documented schema (tests/data/shields/), saying what the badge says."""
    schema = Draft202012Validator(json.loads(
        (TESTS / "data" / "shields" / "endpoint.schema.json").read_text(encoding="utf-8")))
    api = json.loads((built / "api/v1/signatories.json").read_text())
    slugs = [item["slug"] for item in api["signatories"]]
    assert sorted(p.stem for p in (built / "api/v1/shields").iterdir()) == slugs
    for item in api["signatories"]:
        document = json.loads((built / "api/v1/shields" / f"{item['slug']}.json").read_text())
        assert list(schema.iter_errors(document)) == [], item["slug"]
        assert document["message"] == ("signatory" if item["status"] == "active"
                                       else "withdrawn")
        assert document["cacheSeconds"] >= 300  # shields.io's minimum
    page = (built / "signatories" / "northwind-media" / "index.html").read_text()
    assert ("https://img.shields.io/endpoint?url=https%3A%2F%2Fsocialmission.example.org"
            "%2Fapi%2Fv1%2Fshields%2Fnorthwind-media.json") in page


def test_signer_pages_stay_out_of_the_nav_and_the_search_index(built: Path) -> None:
    # the home page links to the newest signatories (its wall), never from a navigation
    for page in ("index.html", "sign/index.html"):
        navigation = re.findall(r"<nav\b.*?</nav>", (built / page).read_text(), re.S)
        assert navigation and not [nav for nav in navigation if "northwind-media" in nav]
    index = json.loads((built / "search" / "search_index.json").read_text())
    assert not any(doc["location"].startswith("signatories/northwind") for doc in index["docs"])


def test_no_request_leaves_for_another_host(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com",
                     "cdn.jsdelivr.net", "google-analytics.com", "googletagmanager.com"):
            assert host not in text, (page, host)


def test_two_builds_are_byte_identical(built: Path, sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = mkdocs_build(sample, again, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [str(path) for path in first if first[path] != second[path]]
    assert different == []


def test_injection_payloads_stay_text_in_every_output(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    payload = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>[x](javascript:1)'
    (root / "pledges" / "hostile.yaml").write_text(
        VALID.replace("Harbour Media Ltd", json.dumps(payload)) +
        f"statement: {json.dumps(payload + ' ``` ]]> {{{{ 7*7 }}}}')}\n", encoding="utf-8")
    out = tmp_path / "public"
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stderr
    for path in out.rglob("*"):
        if path.suffix not in (".html", ".json", ".xml", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert "onerror=alert" not in text or "&lt;img" in text or "\\u003cimg" in text, path
    page = (out / "signatories" / "hostile" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    ET.parse(out / "feed.xml")  # still well-formed XML
    api = json.loads((out / "api/v1/signatories/hostile.json").read_text())
    assert api["name"] == payload


def test_a_failed_build_leaves_the_previous_output(tmp_path: Path) -> None:
    from socialmission.errors import UsageError
    from socialmission.mkdocs.publish import build_site

    root = copy_registry(tmp_path / "registry")
    (root / "pledges" / "example-media.yaml").write_text(VALID)
    out = tmp_path / "public"
    build_site(root, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert Path("signatories/example-media/index.html") in before
    (root / "pledges" / "broken.yaml").write_text("name: [\n")
    with pytest.raises(UsageError, match="is unchanged"):
        build_site(root, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []


def test_a_signer_page_is_the_generators_html_and_its_toc_points_into_it(built: Path) -> None:
    source = (built / "signatories" / "northwind-media" / "index.html").read_text()
    article = source[source.index('<article class="md-content__inner'):
                     source.index("</article>")]
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', source)
    assert toc == ["badge", "verify-this-badge"]
    for anchor in toc:
        assert article.count(f' id="{anchor}"') == 1, anchor
    assert article.count("<h1") == 1  # Material adds its own h1 only where the page has none
    # The snippets are in Material's tab set, each in a block its copy button can read.
    assert article.count('<div class="tabbed-block">') == len(SNIPPET_TABS)
    assert article.count("<pre><code>") == len(SNIPPET_TABS)
    assert 'markdown="' not in article


def test_badges_are_hard_linked_from_the_cache(tmp_path: Path) -> None:
    from socialmission.mkdocs.publish import build_site
    from socialmission.model.mission import load_mission
    from socialmission.render.cache import build_badges
    from socialmission.site.generator import load_pledges

    root = copy_registry(tmp_path / "registry")
    pledge = root / "pledges" / "example-media.yaml"
    pledge.write_text(VALID)
    out = tmp_path / "public"
    build_site(root, out)
    published = out / "badges" / "example-media" / "card-light.svg"
    cached = root / ".cache" / "badges" / "example-media" / "card-light.svg"
    assert published.stat().st_ino == cached.stat().st_ino
    before = published.read_bytes()
    # The cache replaces a file when it renders it again; the published link keeps its bytes.
    pledge.write_text(VALID.replace("name: Harbour Media Ltd", "name: Example News Ltd"))
    mission = load_mission(root)
    build_badges(root, root / ".cache" / "badges", mission, load_pledges(root, mission),
                 "https://socialmission.example.org/", workers=1)
    assert cached.read_bytes() != before
    assert published.read_bytes() == before


def test_a_site_url_that_is_not_https_stops_the_build(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://", "site_url: http://"))
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode != 0
    assert "mkdocs.yml: 'site_url' must be the registry's https address" in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_page_the_engine_did_not_write_stops_the_build(tmp_path: Path) -> None:
    """The engine's pages are compared with the generator's: one left out (here by
    mkdocs.yml's exclude_docs, which the engine honours silently) is named, exit 1."""
    root = copy_registry(tmp_path / "registry")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("exclude_docs: |\n  overrides/\n",
                                                 "exclude_docs: |\n  overrides/\n  history.md\n")
                      .replace("  - Mission history: history.md\n", ""))
    result = mkdocs_build(root, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert "did not write 1 of the" in result.stderr and ": history.md" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_sitemap_lists_every_page_once(built: Path) -> None:
    """The sitemap is the build's (the engine's lists its shells, not the filled pages):
    every page but the 404, once, in the order of the addresses; the gzip the same."""
    import gzip

    base = "https://socialmission.example.org/"
    text = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", text)
    pages = {base + "".join(f"{part}/" for part in p.parent.relative_to(built).parts)
             for p in built.rglob("index.html")}
    assert locations == sorted(pages)
    assert f"{base}signatories/northwind-media/" in locations
    assert gzip.decompress((built / "sitemap.xml.gz").read_bytes()).decode() == text

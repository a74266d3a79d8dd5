"""The registry's own face: its logo and icons, drawn from the badge's one mark, and what
every built page's head says of it (its favicons, the header's logo, a social card), on
MkDocs and on Zensical, read back with an HTML parser.

The golden icons are regenerated, after a deliberate change, by
`.venv/bin/python tests/site/test_brand.py` (then review the diff and look at them).
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from conftest import VALID, copy_registry
from e2e_support import mkdocs_build
from socialmission.model import paths, png
from socialmission.model.mission import load_mission
from socialmission.model.settings import site_name
from socialmission.render import icons
from socialmission.render.design import load_design
from socialmission.render.layout import SOCIAL_HEIGHT, SOCIAL_WIDTH
from socialmission.render.raster import PALETTE_TOLERANCE
from socialmission.site import brand, theme
from socialmission.site.theme import SiteColours, ThemeError

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "icons"
SVG = "{http://www.w3.org/2000/svg}"
# The theme's own favicon, which no page may link to any more
THEMES_FAVICON = "assets/images/favicon.png"


def drawings(root: Path = ROOT) -> dict[str, str]:
    """Each icon's SVG, by its golden file's name."""
    design = load_design(root)
    fill = brand.logo_fill(theme.load_colours(root), theme.palette_file(root))
    count = len(load_mission(root).current.principles)
    return {"logo.svg": icons.logo_svg(design, fill, count),
            "favicon.svg": icons.favicon_svg(design, count),
            "apple-touch-icon.svg": icons.touch_icon_svg(design, count)}


# --- the icons, drawn from the mission's mark --------------------------------------------------
def test_the_icons_match_their_golden_files() -> None:
    for name, svg in drawings().items():
        assert svg == (GOLDEN / name).read_text(encoding="utf-8"), name


def _mark(svg: str, centre: tuple[float, float],
          scale: float) -> list[tuple[str, tuple[float, ...]]]:
    """The mark's shapes (the disc; a check, or each of the mission's dots) as drawn on the
    card at scale 1 centred on the origin: what each drawing says of the mark once moved
    and scaled back, to a hundredth."""
    root = ET.fromstring(svg)
    shapes: list[tuple[str, tuple[float, ...]]] = []
    cx, cy = centre
    for element in root.iter():
        if element.tag == f"{SVG}circle":
            r = float(element.get("r", "")) / scale
            shapes.append(("disc" if r == 30 else "dot",
                           tuple(round(n, 1) for n in (
                               (float(element.get("cx", "")) - cx) / scale,
                               (float(element.get("cy", "")) - cy) / scale, r))))
        elif element.tag == f"{SVG}path" and element.get("stroke-linejoin") == "round":
            numbers = [float(n) for n in re.findall(r"-?[\d.]+", element.get("d", ""))]
            moved = [(numbers[0] - cx) / scale, (numbers[1] - cy) / scale,
                     *(n / scale for n in numbers[2:])]
            shapes.append(("check", (*moved, float(element.get("stroke-width", "")) / scale)))
    return shapes


def test_the_logo_and_icons_draw_the_missions_own_mark() -> None:
    """The same disc and dots as the generic card (its golden file), at each icon's scale
    and centre: one drawing of the mark, not a copy of it; one dot a principle, and never
    a signatory's check, which would say "signed" on every page."""
    card = (ROOT / "tests" / "golden" / "badges" / "mission" / "card-light.svg").read_text()
    expected = _mark(card, (48, 50), 1)
    principles = len(load_mission(ROOT).current.principles)
    assert [kind for kind, _ in expected] == ["disc"] + ["dot"] * principles
    drawn = drawings()
    assert _mark(drawn["logo.svg"], (32, 32), icons.LOGO_SCALE) == expected
    assert _mark(drawn["favicon.svg"], (16, 16), icons.FAVICON_SCALE) == expected
    assert _mark(drawn["apple-touch-icon.svg"], (90, 90), icons.TOUCH_ICON_SCALE) == expected
    # the templates hold the marks' geometry once: only mark.svg.j2 draws a check
    templates = ROOT / "badges" / "templates"
    drawing = {path.name for path in templates.glob("*.svg.j2")
               if "l{{ 9 * scale }}" in path.read_text() or "17-19" in path.read_text()
               or "68-76" in path.read_text() or "ring.points" in path.read_text()}
    assert drawing == {"mark.svg.j2"}


def test_a_signatorys_card_draws_the_check_and_the_generic_card_never() -> None:
    """The check says "signed": on a signatory's card, never on the generic badge."""
    golden = ROOT / "tests" / "golden" / "badges"
    signatory = _mark((golden / "latin" / "card-light.svg").read_text(), (48, 50), 1)
    assert [kind for kind, _ in signatory] == ["disc", "check"]
    for name in ("card-light.svg", "card-dark.svg"):
        generic = _mark((golden / "mission" / name).read_text(), (48, 50), 1)
        assert "check" not in {kind for kind, _ in generic}, name


def test_the_logo_is_the_header_colour_with_the_dots_cut_out() -> None:
    """On the header, the disc is the header's text colour and the mission's dots are the
    header itself, whatever colour that is in either scheme."""
    colours = theme.load_colours(ROOT)
    logo = ET.fromstring(drawings()["logo.svg"])
    painted = [e for e in logo if e.tag == f"{SVG}rect"]
    assert [e.get("fill") for e in painted] == [colours.schemes["light"]["primary_text"]]
    assert painted[0].get("mask") == "url(#sm-mark)"
    mask = logo.find(f"{SVG}mask")
    assert mask is not None
    dots = len(load_mission(ROOT).current.principles)
    assert [(e.tag, e.get("fill")) for e in mask] == [(f"{SVG}circle", "#ffffff")] + \
        [(f"{SVG}circle", "#000000")] * dots


def test_a_logo_that_would_vanish_on_one_schemes_header_is_refused() -> None:
    light = {"primary": "#1f6b38", "primary_text": "#ffffff"}
    dark = {"primary": "#e8f0ea", "primary_text": "#0a2614"}  # a pale header: white on it
    with pytest.raises(ThemeError) as raised:
        brand.logo_fill(SiteColours({"light": light, "dark": dark}), Path("palette.yaml"))
    message = str(raised.value)
    assert message.startswith("palette.yaml: the header's logo cannot be drawn:")
    assert "site.dark:" in message and "site.light:" not in message
    assert "#e8f0ea" in message and "at least 3:1" in message
    assert brand.logo_fill(SiteColours({"light": light, "dark": light}),
                           Path("palette.yaml")) == "#ffffff"


def test_the_pngs_are_the_svgs_painted_at_their_sizes(tmp_path: Path) -> None:
    design = load_design(ROOT)
    colours = design.palette["light"]
    drawn = icons.registry_icons(design, "#ffffff", 10, tmp_path)
    for data, size, opaque in ((drawn.favicon_png, icons.FAVICON_SIZE, False),
                               (drawn.touch_icon_png, icons.TOUCH_ICON_SIZE, True)):
        assert png.dimensions(data) == (size, size)
        image = Image.open(io.BytesIO(data)).convert("RGBA")
        middle = image.getpixel((size // 2 - size // 8, size // 2 - size // 8))
        corner = image.getpixel((0, 0))
        for pixel, colour in ((middle, (*_rgb(colours["emblem_bg"]), 255)),  # the disc
                              (corner, (*_rgb(colours["card_bg"]), 255) if opaque
                               else (0, 0, 0, 0))):
            assert isinstance(pixel, tuple)
            assert max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= \
                PALETTE_TOLERANCE, (pixel, colour)
    # painted once: a second build takes them from the cache, byte for byte
    assert len(list(tmp_path.iterdir())) == 2
    again = icons.registry_icons(design, "#ffffff", 10, tmp_path)
    assert again == drawn


def test_a_cached_png_is_taken_without_painting(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    design = load_design(ROOT)
    first = icons.registry_icons(design, "#ffffff", 10, tmp_path)

    def refuse(svg: str, scale: int, level: int | None = None) -> bytes:
        raise AssertionError("painted again")

    monkeypatch.setattr(icons, "to_png", refuse)
    assert icons.registry_icons(design, "#ffffff", 10, tmp_path) == first
    with pytest.raises(AssertionError, match="painted again"):  # a new drawing is painted
        icons.registry_icons(design, "#ffffff", 10, tmp_path / "empty")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


# --- every built page's head, on each engine -------------------------------------------------
# A name and a description with what HTML escapes, and a '/' (Zensical's `| e` writes it
# as `&#x2f;`): each must come back, parsed, as it was set.
NAME = "Fair & Square's / Mission"
DESCRIPTION = 'Ten "fair" rules & a registry / for social media.'
SITE_URL = "https://socialmission.example.org/"
OG = ("og:type", "og:site_name", "og:title", "og:description", "og:url", "og:image",
      "og:image:alt", "og:image:width", "og:image:height")


class Head(HTMLParser):
    """What a page says of itself: its <link>s and <meta>s, and the logo's <img>s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.logos: list[dict[str, str]] = []
        self._logo_link = 0  # depth inside an <a class="... md-logo">

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "link":
            self.links.append(found)
        elif tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta.setdefault(key, []).append(found.get("content", ""))
        elif tag == "a" and "md-logo" in found.get("class", "").split():
            self._logo_link += 1
        elif tag == "img" and self._logo_link:
            self.logos.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._logo_link:
            self._logo_link -= 1


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def built(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A registry whose name and description need escaping, built with each engine."""
    root = copy_registry(tmp_path_factory.mktemp("registry"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^site_name: .*$", f"site_name: {json.dumps(NAME)}", text, count=1,
                  flags=re.MULTILINE)
    text = re.sub(r"^site_description: >-\n(  .*\n)+",
                  f"site_description: {json.dumps(DESCRIPTION)}\n", text, count=1,
                  flags=re.MULTILINE)
    config.write_text(text, encoding="utf-8")
    assert site_name(root) == NAME
    (root / "pledges" / "example-media.yaml").write_text(VALID, encoding="utf-8")
    out = tmp_path_factory.mktemp(f"site-{request.param}")
    mkdocs_build(config, out, request.param)
    yield root, out


NOT_FOUND = "404.html"


def pages_of(out: Path) -> dict[str, tuple[str, Head]]:
    """Every built page, by its file in the build: its address (the 404 page, served at
    any address, links from the site's root) and what its head says."""
    found = {}
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        head = Head()
        head.feed(page.read_text(encoding="utf-8"))
        address = SITE_URL if relative == NOT_FOUND else SITE_URL + relative.removesuffix(
            "index.html")
        found[relative] = (address, head)
    return found


def site_file(out: Path, url: str) -> Path:
    """The built file an absolute address of the site names."""
    assert url.startswith(SITE_URL), url
    path = out / url.removeprefix(SITE_URL)
    return path / "index.html" if url.endswith("/") else path


@pytest.mark.slow
def test_every_page_links_the_registrys_icons_and_shows_its_logo(
        built: tuple[Path, Path]) -> None:
    root, out = built
    expected = {"icon": {SITE_URL + paths.FAVICON_PATH, SITE_URL + paths.FAVICON_PNG_PATH},
                "apple-touch-icon": {SITE_URL + paths.TOUCH_ICON_PATH}}
    pages = pages_of(out)
    assert len(pages) > 10 and NOT_FOUND in pages
    for address, head in pages.values():
        icons_linked: dict[str, set[str]] = {}
        for link in head.links:
            for rel in link.get("rel", "").split():
                if "icon" in rel:
                    icons_linked.setdefault(rel, set()).add(urljoin(address, link["href"]))
        assert icons_linked == expected, address
        assert [urljoin(address, img["src"]) for img in head.logos] == \
            [SITE_URL + paths.REGISTRY_LOGO_PATH] * 2, address  # the header's, the drawer's
        assert {img["alt"] for img in head.logos} == {NAME}, address
    for page in out.rglob("*.html"):
        assert THEMES_FAVICON not in page.read_text(encoding="utf-8"), page
    # the files are there, and are what they say
    for path in (paths.FAVICON_PATH, paths.REGISTRY_LOGO_PATH):
        svg = ET.fromstring((out / path).read_bytes())
        assert svg.tag == f"{SVG}svg"
    assert ET.fromstring((out / paths.FAVICON_PATH).read_bytes()).get("width") == "32"
    assert png.dimensions((out / paths.FAVICON_PNG_PATH).read_bytes()) == (32, 32)
    assert png.dimensions((out / paths.TOUCH_ICON_PATH).read_bytes()) == (180, 180)
    assert (out / paths.FAVICON_PATH).read_text() == drawings(root)["favicon.svg"]


@pytest.mark.slow
def test_every_page_has_a_social_card_with_addresses_in_the_build(
        built: tuple[Path, Path]) -> None:
    _, out = built
    card = SITE_URL + f"{paths.badge_folder_path(paths.GENERIC_BADGE)}social.png"
    pages = pages_of(out)
    for relative, (address, head) in pages.items():
        if relative == NOT_FOUND:  # no address of its own, so no card
            assert not [key for key in head.meta if key.startswith(("og:", "twitter:"))]
            continue
        meta = {key: values for key, values in head.meta.items()
                if key.startswith(("og:", "twitter:")) or key == "description"}
        assert sorted(meta) == sorted([*OG, "twitter:card", "description"]), address
        assert all(len(values) == 1 for values in meta.values()), address
        one = {key: values[0] for key, values in meta.items()}
        assert one["og:site_name"] == NAME
        assert one["og:url"] == address
        assert one["twitter:card"] == "summary_large_image"
        assert (one["og:image:width"], one["og:image:height"]) == (str(SOCIAL_WIDTH),
                                                                  str(SOCIAL_HEIGHT))
        image = site_file(out, one["og:image"])
        assert png.dimensions(image.read_bytes()) == (SOCIAL_WIDTH, SOCIAL_HEIGHT), address
        assert site_file(out, one["og:url"]).is_file(), address
        assert one["og:title"] and one["og:image:alt"], address
        if address.startswith(SITE_URL + "signatories/example-media/"):
            assert one["og:type"] == "profile"
            assert one["og:title"] == "Harbour Media Ltd"
            assert one["og:image"] == SITE_URL + "badges/example-media/social.png"
            assert one["og:image:alt"] == one["og:description"] == one["description"]
        else:
            assert one["og:type"] == "website", address
            assert one["og:image"] == card, address
            assert one["og:image:alt"].startswith(f"{NAME}. "), address
    home = {key: values[0] for key, values in pages["index.html"][1].meta.items()}
    assert home["og:title"] == NAME
    assert home["og:description"] == home["description"]  # the home page's own
    sign = {key: values[0] for key, values in pages["sign/index.html"][1].meta.items()}
    assert sign["og:title"] == "Sign the mission"
    # a hand-written page has no description of its own: the theme writes site_description
    assert sign["og:description"] == sign["description"] == DESCRIPTION
    history = {key: values[0] for key, values in pages["history/index.html"][1].meta.items()}
    assert history["og:title"] == "Mission history"
    assert history["og:description"].startswith("Every published version")


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, svg in drawings().items():
        (GOLDEN / name).write_text(svg, encoding="utf-8")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()

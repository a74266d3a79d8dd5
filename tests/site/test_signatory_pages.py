"""A signatory's page and its embed snippets, the press kit's zip, the charts and the
history note, as the generator writes them (the browser tests are test_e2e_signatory.py).

Every snippet is read back by what reads it in the wild: HTML by an HTML parser, Markdown
by a CommonMark parser, reStructuredText by docutils; a hostile name must come back as
the same text, in the alt and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from markdown_it import MarkdownIt

from conftest import FONTS, ROOT, SITE_WORDS
from e2e_support import HOSTILE_NAMES
from socialmission.model import paths
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge, Signature
from socialmission.model.proofs import Proof
from socialmission.model.urls import parse_https_url
from socialmission.render.layout import CARD_HEIGHT, CARD_WIDTH
from socialmission.site import charts, presskit
from socialmission.site.pages import (
    SNIPPET_TABS,
    logo_display,
    markdown_text,
    press_kit,
    signatory,
    snippets,
)

BASE = "https://socialmission.example.org/"
# Names that are markup in Markdown or reStructuredText rather than in HTML: emphasis,
# references, substitutions, roles, enumerators ("A." and "1." start a list in rST),
# bullets, comments, directives, standalone links and addresses, escapes, entities.
MARKUP_NAMES = [
    "*Bold* _under_ **strong** `code` ``literal``", "A. Smith", "1. First Ltd", "iv) Roman",
    "- Dash & Co", "+ Plus", "#. Auto", ".. note:: x", ".. _target: https://e.example.org/",
    "name_ ref_", "|sub| |x|", ":role:`x`", "[1]_ [#]_ [cite]_", "https://evil.example.org/",
    "info@example.org", "back\\slash\\\\ \\*", "&amp; &lt;b&gt; &#60;", "<https://x.example/>",
    "![img](https://e.example/x.png)", "a ~~strike~~ $math$ {{x}}", "::", "x::", "Trailing \\",
    "Tomáš Novák", "ספרי שלום", "دار الكلمة للنشر", "株式会社さくらデザイン",
]
NAMES = list(HOSTILE_NAMES.values()) + MARKUP_NAMES


def pledge(name: str, *, active: bool = True, slug: str = "hostile",
           logo: bool = False) -> Pledge:
    extra: dict[str, Any] = {} if active else {"status": "withdrawn",
                                                "withdrawn": dt.date(2025, 2, 28)}
    return Pledge(slug=slug, path=Path(f"pledges/{slug}.yaml"), name=name,
                  kind="organisation", website=parse_https_url("https://www.example.net/"),
                  signed=dt.date(2024, 5, 17), mission_version=1,
                  logo=paths.logo_path(slug) if logo else None, **extra)


class Elements(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def alt_of(p: Pledge) -> str:
    return p.name + (": Social Mission signatory" if p.active else
                     ": withdrawn from the Social Mission")


# --- the snippets -------------------------------------------------------------------------
def test_every_tab_has_a_snippet_and_every_snippet_a_tab() -> None:
    keys = [tab.key for tab in SNIPPET_TABS]
    assert len(set(keys)) == len(keys)
    assert sorted(snippets(pledge("Example"), BASE, FONTS, SITE_WORDS)) == sorted(keys)
    assert all(tab.label and tab.note for tab in SNIPPET_TABS)


@pytest.mark.parametrize("active", [True, False], ids=["active", "withdrawn"])
@pytest.mark.parametrize("name", NAMES)
def test_html_snippets_keep_the_name_in_the_alt_only(name: str, active: bool) -> None:
    p = pledge(name, active=active)
    code = snippets(p, BASE, FONTS, SITE_WORDS)
    page, badges = f"{BASE}signatories/hostile/", f"{BASE}badges/hostile/"
    width: dict[str, str | None] = {"compact": None}  # the renderer lays the compact out
    for key, style, dark in (("html", "card", True), ("compact", "compact", True),
                             ("html-light", "card-light", False),
                             ("html-dark", "card-dark", False)):
        tags = Elements(code[key]).tags
        names = [tag for tag, _ in tags]
        assert names == (["a", "picture", "source", "img"] if dark else ["a", "img"]), key
        assert tags[0][1] == {"href": page}
        img = tags[-1][1]
        assert img["alt"] == alt_of(p), key
        if dark:
            assert tags[2][1] == {"media": "(prefers-color-scheme: dark)",
                                  "srcset": f"{badges}{style}-dark.svg"}
            assert img["src"] == f"{badges}{style}-light.svg"
        else:
            assert img["src"] == f"{badges}{style}.svg"
        if key != "compact":
            assert (img["width"], img["height"]) == (str(CARD_WIDTH), str(CARD_HEIGHT))
        else:
            width["compact"] = img["width"]
            assert img["height"] == "20"
    assert width["compact"] is not None and int(width["compact"]) > 20


@pytest.mark.parametrize("name", NAMES)
def test_the_email_snippet_is_the_2x_png_at_its_1x_size_with_full_addresses(
        name: str) -> None:
    p = pledge(name)
    tags = Elements(snippets(p, BASE, FONTS, SITE_WORDS)["email"]).tags
    assert [tag for tag, _ in tags] == ["a", "img"]
    assert tags[0][1] == {"href": f"{BASE}signatories/hostile/"}
    assert tags[1][1] == {"src": f"{BASE}badges/hostile/card-light@2x.png",
                          "width": str(CARD_WIDTH), "height": str(CARD_HEIGHT),
                          "alt": alt_of(p), "style": "border:0"}


class Texts(HTMLParser):
    """Every text node of an HTML fragment (whitespace ones included), in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


HTML_TABS = [tab.key for tab in SNIPPET_TABS if tab.language == "html"]


@pytest.mark.parametrize("active", [True, False], ids=["active", "withdrawn"])
@pytest.mark.parametrize("name", NAMES)
def test_html_snippets_hold_no_text_between_their_elements(name: str, active: bool) -> None:
    """Pasted inside a paragraph, a line break between two elements is a space, and one
    after the badge's <img> is an underlined space in the link: the snippets break their
    lines inside tags only, so they still read line by line in the copy box."""
    code = snippets(pledge(name, active=active), BASE, FONTS, SITE_WORDS)
    assert HTML_TABS == ["html", "html-light", "html-dark", "compact", "email"]
    for key in HTML_TABS:
        assert Texts(code[key]).texts == [], key
        assert code[key].startswith("<a ") and code[key].endswith("</a>"), key
    for key in ("html", "html-light", "html-dark", "compact"):  # not the e-mail's one line
        lines = code[key].splitlines()
        assert len(lines) >= 3 and max(len(line) for line in lines[1:]) < 200, key
        assert all(line.startswith("  ") for line in lines[1:]), key


@pytest.mark.parametrize("key", ["html", "html-light", "html-dark", "compact"])
def test_an_html_snippet_pasted_inside_a_markdown_paragraph_stays_inline(key: str) -> None:
    """GitHub's Markdown takes the HTML snippet too, in a sentence as well as alone."""
    code = snippets(pledge("Example"), BASE, FONTS, SITE_WORDS)[key]
    html = MarkdownIt("commonmark").render(f"Signed: {code} since 2024.")
    assert Texts(html).texts == ["Signed: ", " since 2024.", "\n"], html
    names = [tag for tag, _ in Elements(html).tags]
    assert names == ["p", "a", *(["picture", "source"] if "picture" in code else []), "img"]


@pytest.mark.parametrize("active", [True, False], ids=["active", "withdrawn"])
@pytest.mark.parametrize("name", NAMES)
def test_the_shields_snippet_reads_back_as_one_linked_image_of_the_document(
        name: str, active: bool) -> None:
    p = pledge(name, active=active)
    tags, html = _commonmark_image(snippets(p, BASE, FONTS, SITE_WORDS)["shields"])
    assert [tag for tag, _ in tags] == ["p", "a", "img"], html
    assert tags[1][1] == {"href": f"{BASE}signatories/hostile/"}
    assert tags[2][1]["alt"] == alt_of(p)
    src = urlsplit(tags[2][1]["src"] or "")
    assert f"{src.scheme}://{src.netloc}{src.path}" == "https://img.shields.io/endpoint"
    assert parse_qs(src.query, strict_parsing=True) == \
        {"url": [f"{BASE}api/v1/shields/hostile.json"]}


def _commonmark_image(markdown: str) -> tuple[list[tuple[str, dict[str, str | None]]], str]:
    html = MarkdownIt("commonmark").render(markdown)
    return Elements(html).tags, html


@pytest.mark.parametrize("active", [True, False], ids=["active", "withdrawn"])
@pytest.mark.parametrize("name", NAMES)
def test_the_markdown_snippet_reads_back_as_one_linked_image(name: str, active: bool) -> None:
    p = pledge(name, active=active)
    tags, html = _commonmark_image(snippets(p, BASE, FONTS, SITE_WORDS)["markdown"])
    assert tags == [("p", {}), ("a", {"href": f"{BASE}signatories/hostile/"}),
                    ("img", {"src": f"{BASE}badges/hostile/card-light.svg",
                             "alt": alt_of(p)})], html


def _docutils_image(rst: str) -> tuple[Any, list[str]]:
    from docutils import nodes
    from docutils.core import publish_doctree

    warnings = io.StringIO()
    tree = publish_doctree(rst, settings_overrides={
        "report_level": 1, "halt_level": 5, "warning_stream": warnings,
        "file_insertion_enabled": False, "raw_enabled": False})
    messages = [m.astext() for m in tree.findall(nodes.system_message)]
    images = list(tree.findall(nodes.image))
    assert len(images) == 1, tree.pformat()
    return images[0], messages + ([warnings.getvalue()] if warnings.getvalue() else [])


@pytest.mark.parametrize("active", [True, False], ids=["active", "withdrawn"])
@pytest.mark.parametrize("name", NAMES)
def test_the_rst_snippet_reads_back_as_one_linked_image(name: str, active: bool) -> None:
    p = pledge(name, active=active)
    image, problems = _docutils_image(snippets(p, BASE, FONTS, SITE_WORDS)["rst"])
    assert problems == []
    assert image["alt"] == alt_of(p)
    assert image["uri"] == f"{BASE}badges/hostile/card-light.svg"
    assert (image["width"], image["height"]) == (str(CARD_WIDTH), str(CARD_HEIGHT))
    assert image.parent["refuri"] == f"{BASE}signatories/hostile/"


def test_a_registry_address_with_parentheses_stays_one_link() -> None:
    """A destination ends at a ')' or a space: they are percent-encoded, in both."""
    base = "https://example.org/a(b) c/"
    p = pledge("Example")
    code = snippets(p, base, FONTS, SITE_WORDS)
    tags, html = _commonmark_image(code["markdown"])
    assert tags[1] == ("a", {"href": "https://example.org/a%28b%29%20c/signatories/hostile/"})
    assert tags[2][1]["alt"] == alt_of(p), html
    image, problems = _docutils_image(code["rst"])
    assert problems == []
    assert image["uri"] == "https://example.org/a%28b%29%20c/badges/hostile/card-light.svg"


def test_markdown_text_escapes_punctuation_only() -> None:
    assert markdown_text("Ana Pérez") == "Ana Pérez"
    assert markdown_text("A. *B*  [c]\n_d_") == r"A\. \*B\* \[c\] \_d\_"
    assert markdown_text("\\`&<|") == r"\\\`\&\<\|"


def test_the_stylesheet_marks_and_focuses_every_tab() -> None:
    """registry.css underlines the checked tab and outlines the focused one, one rule a
    tab: a tab without one shows neither (the browser tests check each at 390 px)."""
    css = (ROOT / "site" / "assets" / "registry.css").read_text(encoding="utf-8")
    for state in ("checked", "focus-visible"):
        found = re.findall(rf"\.sm-snippets > input:nth-child\((\d+)\):{state} ~ "
                           rf"\.tabbed-labels > :nth-child\((\d+)\)", css)
        assert found == [(str(n), str(n)) for n in range(1, len(SNIPPET_TABS) + 1)], state


def test_the_markdown_and_rst_tabs_say_they_are_light_only() -> None:
    notes = {tab.key: tab.note for tab in SNIPPET_TABS}
    assert notes["markdown"].startswith("Light only")
    assert notes["rst"].startswith("Light only")
    assert "whatever the visitor's setting" in notes["html-light"]
    assert "whatever the visitor's setting" in notes["html-dark"]


# --- the signatory page -------------------------------------------------------------------
def _body(p: Pledge, mission: Mission, logo_size: tuple[int, int] | None = None) -> str:
    return signatory(p, BASE, FONTS, mission, logo_size=logo_size, words=SITE_WORDS)[1].html


class _Blocks(HTMLParser):
    """The text of each <code> and of each snippet note, as a browser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code" or ("class", "sm-snippet-note") in attrs:
            self.inside = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag not in ("code", "p")

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.texts[-1] += data


@pytest.mark.parametrize("name", NAMES)
def test_the_snippets_read_back_as_written_with_their_quotes_as_they_are(
        name: str, mission: Mission) -> None:
    p = pledge(name)
    html = _body(p, mission)
    parser = _Blocks()
    parser.feed(html)
    code = snippets(p, BASE, FONTS, SITE_WORDS)
    expected = [text for tab in SNIPPET_TABS for text in (tab.note, code[tab.key] + "\n")]
    assert parser.texts == expected
    written = re.findall(r'<p class="sm-snippet-note">.*?</p>|<code>.*?</code>', html, re.S)
    assert len(written) == len(expected)
    for block in written:  # quotes need no escaping in text: 5 bytes each saved
        assert "&#34;" not in block and "&#39;" not in block and "&quot;" not in block
    assert "<script" not in "".join(written)


@pytest.mark.parametrize(("size", "shown"), [
    ((128, 128), (96, 96)), ((64, 64), (64, 64)), ((1024, 256), (96, 24)),
    ((200, 1000), (19, 96)), ((1024, 1), (96, 1)), ((96, 97), (95, 96)),
])
def test_a_logo_is_shown_at_most_96_px_in_its_proportions(
        size: tuple[int, int], shown: tuple[int, int]) -> None:
    assert logo_display(size) == shown


@pytest.mark.parametrize("name", NAMES)
def test_the_page_shows_the_logo_with_an_alt_from_the_name(name: str,
                                                           mission: Mission) -> None:
    html = _body(pledge(name, logo=True), mission, (128, 64))
    logos = [attrs for tag, attrs in Elements(html).tags
             if tag == "img" and attrs.get("class") == "sm-signatory-logo"]
    assert logos == [{"class": "sm-signatory-logo", "src": "../../logos/hostile.png",
                      "width": "96", "height": "48", "alt": f"Logo of {name}"}]


def test_no_logo_without_one_or_without_its_size(mission: Mission) -> None:
    assert "sm-signatory-logo" not in _body(pledge("Example"), mission, (128, 128))
    assert "sm-signatory-logo" not in _body(pledge("Example", logo=True), mission)


def test_each_badge_has_its_own_figure_and_caption(mission: Mission) -> None:
    html = _body(pledge("Example"), mission)
    grid = html[html.index('<div class="sm-badges">'):]
    grid = grid[:grid.index("</div>\n")]
    figures = re.findall(r"<figure .*?</figure>", grid)
    assert len(figures) == 4
    captions = [re.findall(r"<figcaption>(.*?)</figcaption>", f) for f in figures]
    assert captions == [["Card, light"], ["Card, dark"], ["Compact, light"], ["Compact, dark"]]
    sources = [re.findall(r'<img src="([^"]+)"', f) for f in figures]
    assert sources == [[f"../../badges/hostile/{n}.svg"] for n in
                       ("card-light", "card-dark", "compact-light", "compact-dark")]


def test_an_active_page_offers_every_snippet(mission: Mission) -> None:
    html = _body(pledge("Example", slug="example"), mission)
    assert "Copy one of these onto your website" in html
    assert html.count('<div class="tabbed-block">') == len(SNIPPET_TABS)
    labels = re.findall(r'<label for="__tabbed_1_\d+">([^<]*)</label>', html)
    assert labels == [tab.label for tab in SNIPPET_TABS]


def test_a_withdrawn_page_says_when_and_offers_no_snippet(mission: Mission) -> None:
    html = _body(pledge("Example", active=False), mission)
    assert "Copy one of these" not in html
    assert "tabbed" not in html and "<pre>" not in html and "<code>" not in html
    assert "@2x.png" not in html  # nor the PNG links for e-mail signatures
    assert ('This signatory withdrew from the Social Mission on '
            '<time datetime="2025-02-28">2025-02-28</time>') in html
    assert '<span class="sm-pill sm-pill--withdrawn">Withdrawn</span> on ' \
           '<time datetime="2025-02-28">' in html
    assert "no embed code is offered." in html



def test_a_withdrawal_by_the_registry_is_not_said_to_be_the_signatorys(
        mission: Mission) -> None:
    """Withdrawn by a registry maintainer (an abuse report, a legal request): the page says
    who withdrew it, and so does the list of signatures of one signed again."""
    by_registry = dataclasses.replace(pledge("Example", active=False),
                                      withdrawn_by="registry", withdrawn_reason="A report.")
    html = _body(by_registry, mission)
    assert ('The registry withdrew this signature from the Social Mission on '
            '<time datetime="2025-02-28">2025-02-28</time>: the signatory no longer counts '
            'as subscribing to it. Reason given: A report.') in html
    assert "This signatory withdrew" not in html
    again = dataclasses.replace(by_registry, status="active", signed_again=(
        Signature(signed=dt.date(2025, 6, 1), mission_version=1),))
    html = _body(again, mission)
    assert ('<li id="signature-1">Signed <time datetime="2024-05-17">2024-05-17</time>, '
            'mission version 1; withdrawn by the registry on <time datetime="2025-02-28">'
            '2025-02-28</time>. Reason given: A report.</li>') in html
    assert "The registry withdrew" not in html and "sm-withdrawn" not in html


# --- the press kit ------------------------------------------------------------------------
def _badge_files() -> dict[str, bytes]:
    return {"card-light.svg": b"<svg/>", "card-dark.svg": b"<svg>dark</svg>" * 40,
            "compact-light@2x.png": bytes(range(256)) * 8, "social.png": b"\x89PNG..."}


def test_the_badge_zip_is_the_same_bytes_whatever_the_order_and_the_day(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = _badge_files()
    first = presskit.badge_zip(files, "social-mission-badges")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    again = presskit.badge_zip(dict(reversed(list(files.items()))), "social-mission-badges")
    assert again == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    infos = archive.infolist()
    assert [i.filename for i in infos] == [f"social-mission-badges/{n}" for n in sorted(files)]
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644 and info.create_system == 3
        assert info.extra == b"" and info.comment == b""
        assert archive.read(info) == files[info.filename.split("/", 1)[1]]
    assert archive.comment == b""
    assert archive.testzip() is None


@pytest.mark.parametrize("name", ["../escape.svg", "a/b.svg", ".hidden", "c\\d.png"])
def test_the_badge_zip_takes_plain_file_names_only(name: str) -> None:
    with pytest.raises(ValueError, match="a badge kit entry must be a plain file name"):
        presskit.badge_zip({name: b"x"}, "kit")


def test_the_press_kit_links_the_zip_and_has_no_empty_header() -> None:
    page = press_kit(SITE_WORDS, (paths.badge_kit_path("social-mission"), 37_900))
    assert "[Download all the generic badges (zip, 37 KB)]" \
           "(badges/social-mission-badges.zip){ .md-button }" in page
    header = next(line for line in page.splitlines() if line.startswith("| ") and
                  "Light" in line)
    assert [cell.strip() for cell in header.strip("|").split("|")] == ["Style", "Light", "Dark"]
    assert "Download" not in press_kit(SITE_WORDS)


# --- statistics ---------------------------------------------------------------------------
D = dt.date


def test_over_time_draws_the_signed_and_the_still_active() -> None:
    svg = charts.signatories_over_time([D(2024, 1, 1), D(2024, 1, 11), D(2024, 1, 21)],
                                       [D(2024, 1, 16)])
    assert "<text" not in svg  # every label is HTML text, which keeps its size
    assert 'aria-label="Signatories over time, 2024-01-01 to 2024-01-21: 3 signed, ' \
           '2 still active"' in svg
    lines = dict(re.findall(r'<path class="sm-line sm-line--(\w+)" d="([^"]+)"', svg))
    # x: 940 units over 20 days; y: 192 units over 3 signatories (the top gridline), from
    # 196 (zero) up
    assert lines == {"signed": "M0 196H0V132H470V68H940V4H1000",
                     "active": "M0 196H0V132H470V68H705V132H940V68H1000"}
    assert "Signed: every signature so far, withdrawn ones included (3)" in svg
    assert "Still active: signed and not withdrawn (2)" in svg


# (the most signatures, the gridlines' values): steps of 1, 2 or 5 times a power of ten,
# at most GRID_INTERVALS of them, up to the first at or above the most
@pytest.mark.parametrize(("most", "expected"), [
    (1, [0, 1]), (2, [0, 1, 2]), (5, [0, 1, 2, 3, 4, 5]), (6, [0, 2, 4, 6]),
    (7, [0, 2, 4, 6, 8]), (10, [0, 2, 4, 6, 8, 10]), (11, [0, 5, 10, 15]),
    (23, [0, 5, 10, 15, 20, 25]), (100, [0, 20, 40, 60, 80, 100]),
    (101, [0, 50, 100, 150]), (1234, [0, 500, 1000, 1500]),
])
def test_the_gridlines_are_round_steps_from_zero_past_the_most(
        most: int, expected: list[int]) -> None:
    assert charts.gridlines(most) == expected
    assert charts.grid_step(most) in {m * 10 ** n for m in (1, 2, 5) for n in range(4)}


def _over_time(most: int) -> str:
    """The chart of `most` signatures, one a day: the last one on the chart's last day."""
    return charts.signatories_over_time(
        [D(2024, 1, 1) + dt.timedelta(days=index) for index in range(most)], [])


@pytest.mark.parametrize("most", [1, 7, 10, 23, 100, 1234])
def test_each_gridline_is_drawn_and_labelled_as_page_text(most: int) -> None:
    svg = _over_time(most)
    grid = charts.gridlines(most)
    (rules,) = re.findall(r'<path class="sm-grid" d="([^"]+)"', svg)
    ys = [float(y) for y in re.findall(r"M0 ([\d.]+)H1000", rules)]
    # every gridline above zero (the axis is zero's), evenly spaced, the top one at PAD
    assert len(ys) == len(grid) - 1
    assert ys[-1] == charts.PAD
    assert ys == sorted(ys, reverse=True)
    (labels,) = re.findall(r'<div class="sm-timeline__y" aria-hidden="true">(.*?)</div>', svg)
    assert re.findall(r"<span>(\d+)</span>", labels) == [str(v) for v in reversed(grid)]


def _points(d: str) -> list[tuple[float, float]]:
    """The corners of a path of M, H and V commands."""
    x = y = 0.0
    points = []
    for command, value in re.findall(r"([MHV])([\d.]+(?: [\d.]+)?)", d):
        if command == "M":
            x, y = (float(v) for v in value.split())
        elif command == "H":
            x = float(value)
        else:
            y = float(value)
        points.append((x, y))
    return points


@pytest.mark.parametrize("most", [1, 7, 10, 23, 100, 1234])
def test_the_dashed_line_shows_whole_inside_the_plot(most: int) -> None:
    """Inside the viewBox with room for its stroke (PAD), and its last level, the most
    signatures, long enough for its dashes to show at a phone's width."""
    svg = _over_time(most)
    (d,) = re.findall(r'<path class="sm-line sm-line--signed" d="([^"]+)"', svg)
    points = _points(d)
    assert all(0 <= x <= charts.PLOT_W for x, _ in points)
    assert all(charts.PAD <= y <= charts.PLOT_H - charts.PAD for _, y in points)
    (last_x, last_y), (end_x, end_y) = points[-2:]
    assert last_y == end_y == min(y for _, y in points)
    # 5 % of the plot: 15 px or more at 390 px, two dashes and a half (6 px and a 4 px gap)
    assert end_x - last_x >= charts.PLOT_W * 0.05


def test_over_time_with_no_signatory_says_so() -> None:
    assert charts.signatories_over_time([], []) == \
        '<p class="sm-chart-empty">No signatories yet.</p>'


@pytest.mark.parametrize("label", list(HOSTILE_NAMES.values()))
def test_bar_labels_are_escaped_text(label: str) -> None:
    html = charts.bars("By <b>x</b>", [(label, 3), ("Other", 1)], "countries")
    assert Elements(html).tags[0] == ("ol", {"class": "sm-bars", "aria-label": "By <b>x</b>"})
    labels = re.findall(r'<span class="sm-bars__label" dir="auto">(.*?)</span>', html)
    from html import unescape
    assert [unescape(text) for text in labels] == [label, "Other"]
    assert "<text" not in html
    assert 'width="100%"' in html and 'width="33.33%"' in html


def test_bars_beyond_the_first_fifteen_are_counted_not_dropped_silently() -> None:
    counts = [(f"Country {n:02d}", 20 - n) for n in range(18)]
    html = charts.bars("By country", counts, "countries")
    assert html.count("<li>") == charts.BAR_ROWS
    assert "3 more countries, with 12 between them, are not drawn." in html


# --- history --------------------------------------------------------------------------------
def test_the_history_says_the_text_is_as_published(mission: Mission) -> None:
    from socialmission.site.pages import history

    page = history(mission, SITE_WORDS)
    note = re.search(r'its wording included \(for example\n"([^"]+)"\)', page)
    assert note is not None, page[:600]
    # the example quoted is really in the published text, as it was published
    assert any(note.group(1) in " ".join(principle.split())
               for version in mission.versions for principle in version.principles)




def test_the_header_shows_the_domain_left_to_right_and_a_confirmation(
        mission: Mission) -> None:
    """Under the name, the website's domain as model.urls.shown_domain gives it, isolated
    left to right so an Arabic or Hebrew name never reorders it; a domain proof is said in
    words beside it; a redacted page shows none."""
    arabic = dataclasses.replace(pledge("دار الكلمة للنشر"),
                                 website=parse_https_url("https://www.g\u043e\u043egle.com/x"))
    head = ('<p class="sm-domain" dir="ltr"><a href="https://www.g\u043e\u043egle.com/x" '
            'rel="nofollow ugc noopener">g\u043e\u043egle.<wbr>com <wbr>'
            '<span>(xn--ggle-55da</span>.<wbr>com)</a></p>')  # breaks: pages.address
    assert head in _body(arabic, mission)
    confirmed = Proof(checked=dt.date(2025, 1, 2), website="www.example.net",
                      statement_url=None, statement_links=False, well_known=True, dns=False)
    html = signatory(pledge("Acme"), BASE, FONTS, mission, confirmed, words=SITE_WORDS)[1].html
    assert ('<p class="sm-domain" dir="ltr"><a href="https://www.example.net/" '
            'rel="nofollow ugc noopener">example.<wbr>net</a> &#10003; confirmed</p>') in html
    assert html.index("sm-domain") < html.index("sm-status-line")
    tombstone = dataclasses.replace(pledge("x", active=False), website=None,
                                    redacted=dt.date(2025, 3, 1))
    assert "sm-domain" not in _body(tombstone, mission)

"""HTML templates lose their indentation as they are loaded (site/unindent.py): smaller
pages that a browser renders exactly as before."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sample_registry import sample_registry
from socialmission.site import pages as pages_module
from socialmission.site import unindent as unindent_module
from socialmission.site.unindent import UnindentedLoader, unindent

EPOCH = "1780000000"


def test_indentation_goes_and_newlines_stay() -> None:
    source = "<ul>\n    <li>\n\t\t<a href=x>one</a>\n    </li>\n</ul>\n"
    assert unindent(source) == "<ul>\n<li>\n<a href=x>one</a>\n</li>\n</ul>\n"


def test_blank_lines_and_trailing_spaces_go_and_one_newline_stays() -> None:
    # the blank lines the theme leaves where a Jinja tag stood
    source = "<nav>  \n\n   \n\t<a>one</a> \t\n\n\n<a>two</a>\xa0\n\n</nav>"
    assert unindent(source) == "<nav>\n<a>one</a>\n<a>two</a>\xa0\n</nav>"


def test_what_is_inside_pre_and_textarea_is_kept_byte_for_byte() -> None:
    source = ("<div>\n  <pre class=x>\n    code\n      more\n  </pre>\n  <p>\n    t</p>\n"
              "  <TEXTAREA>\n   typed\n  </textarea>\n</div>")
    assert unindent(source) == ("<div>\n<pre class=x>\n    code\n      more\n  </pre>\n<p>\nt"
                                "</p>\n<TEXTAREA>\n   typed\n  </textarea>\n</div>")


@pytest.mark.parametrize("source", [
    "<div>\n  <pre>{{ code }}\n    never closed here\n</div>",
    "<div>\n  <textarea>\n    open\n",
])
def test_a_template_that_leaves_one_open_is_left_as_it_is(source: str) -> None:
    assert unindent(source) == source


def test_only_html_templates_are_touched() -> None:
    env = pages_module.environment()
    loader = env.loader
    assert isinstance(loader, UnindentedLoader)
    markdown, _, _ = loader.get_source(env, "signatory.md.j2")
    html, _, _ = loader.get_source(env, "signatory.html.j2")
    assert "\n  " in markdown  # indentation is meaning in Markdown
    assert "\n " not in html.split("<pre")[0]


class _Rendered(HTMLParser):
    """What a browser builds from a page: tags, attributes and text, with runs of
    whitespace as one space, except inside <pre> and <textarea>, kept as they are."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[object] = []
        self.keep = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, attrs))
        self.keep += tag in ("pre", "textarea")

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        self.keep -= tag in ("pre", "textarea")

    def handle_data(self, data: str) -> None:
        text = data if self.keep else re.sub(r"\s+", " ", data)
        if self.events and isinstance(self.events[-1], str):
            self.events[-1] = re.sub(r" +", " ", self.events[-1] + text) if not self.keep \
                else self.events[-1] + text
        else:
            self.events.append(text)


def _rendered(page: bytes) -> list[object]:
    parser = _Rendered()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return [event for event in parser.events if event != " "]


@pytest.mark.slow
def test_every_page_renders_as_it_did_with_the_indentation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.mkdocs.publish import build_site

    root = sample_registry(tmp_path / "registry")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_site(root, tmp_path / "unindented")
    monkeypatch.setattr(unindent_module, "unindent", lambda source: source)
    pages_module.environment.cache_clear()  # the generator's templates, compiled again
    build_site(root, tmp_path / "indented")
    pages = sorted(p.relative_to(tmp_path / "indented")
                   for p in (tmp_path / "indented").rglob("*.html"))
    assert pages == sorted(p.relative_to(tmp_path / "unindented")
                           for p in (tmp_path / "unindented").rglob("*.html"))
    saved = 0
    for page in pages:
        before = (tmp_path / "indented" / page).read_bytes()
        after = (tmp_path / "unindented" / page).read_bytes()
        assert _rendered(after) == _rendered(before), page
        saved += len(before) - len(after)
    signatory = Path("signatories/northwind-media/index.html")
    size_before = (tmp_path / "indented" / signatory).stat().st_size
    size_after = (tmp_path / "unindented" / signatory).stat().st_size
    assert size_after < size_before * 0.92  # at least 8% smaller
    assert saved > 1000 * len(pages)

"""Signatory pages filled from a shell (site/fill.py) are the pages the engine renders for
each signatory on its own: hostile names and right-to-left scripts included."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import VALID, copy_registry
from socialmission.mkdocs import engine
from socialmission.mkdocs.publish import _html_path, build_site, run_engine
from socialmission.model.paths import signatory_source
from socialmission.model.settings import site_url
from socialmission.site import fill
from socialmission.site.generator import generate
from socialmission.site.tree import write_tree
from socialmission.site.unindent import unindent

EPOCH = "1780000000"
NAMES = {
    "title-breaker": "</title><script>alert(1)</script>",
    "quotes": "\"Quoted\" & 'single' <b>bold</b>",
    "template-like": "{{ 7*7 }} {% if %} &#x2f; &amp;",
    "arabic": "دار الكلمة للنشر",
    "hebrew": "ספרי שלום",
    "japanese": "さくらデザイン事務所",
    "looks-like-a-sentinel": f"{fill.TITLE} {fill.DESCRIPTION} smshell0",
}


# --- the fill, on its own ----------------------------------------------------------------------

SHELL = (f"<title>{fill.TITLE}</title><meta content=\"{fill.DESCRIPTION}\">"
         f'\n    <link rel="preload" href="../../{fill.PRELOAD}" as="font">'
         f"<a href=\"https://x.example/signatories/smshell0/\">{fill.TITLE}</a>"
         f"<p>{fill.BODY_START}</p><h1>{fill.HEADING}</h1><p>{fill.BODY_END}</p>")
HOLES = (fill.Hole("title", fill.TITLE, 2), fill.Hole("description", fill.DESCRIPTION, 1),
         fill.Hole("preload", fill.SIGNATORY_HOLES[2].pattern, 1), fill.slug_hole("smshell0", 1),
         fill.BODY)


def test_each_value_is_escaped_for_where_it_lands_and_read_once() -> None:
    shell = fill.prepare(SHELL, HOLES, "shell")
    page = shell.fill({"title": '</title><script>"', "description": fill.TITLE,
                       "preload": ["a.woff2", "b&.woff2"], "slug": "some-one",
                       "body": "<h1>Some One</h1>"})
    assert page == ('<title>&lt;/title&gt;&lt;script&gt;&quot;</title>'
                    f'<meta content="{fill.TITLE}">\n'
                    '<link rel="preload" href="../../a.woff2" as="font">'
                    '<link rel="preload" href="../../b&amp;.woff2" as="font">'
                    '<a href="https://x.example/signatories/some-one/">'
                    '&lt;/title&gt;&lt;script&gt;&quot;</a><h1>Some One</h1>')


def test_no_preload_leaves_no_link() -> None:
    page = fill.prepare(SHELL, HOLES, "shell").fill(
        {"title": "T", "description": "D", "preload": [], "slug": "x1", "body": ""})
    assert "preload" not in page


def test_no_preload_between_two_lines_leaves_one_newline_as_the_page_unindented_has() -> None:
    shell = SHELL.replace('as="font">', 'as="font">\n  \n')
    values = {"title": "T", "description": "D", "slug": "x1", "body": ""}
    page = fill.prepare(shell, HOLES, "shell").fill({**values, "preload": []})
    assert '<meta content="D">\n<a href=' in page
    page = fill.prepare(shell, HOLES, "shell").fill({**values, "preload": ["a.woff2"]})
    assert '<meta content="D">\n<link rel="preload" href="../../a.woff2" as="font">\n<a ' \
        in page


@pytest.mark.parametrize(("shell", "message"), [
    (SHELL.replace("</a>", f"{fill.TITLE}</a>"), "title is in it 3 times, not 2"),
    (SHELL.replace("<title>SMSHELLTITLE</title>", "<title></title>"),
     "title is in it 1 times, not 2"),
    (SHELL + "<p>SMSHELLBODY</p><p>SMSHELLEND</p>", "body is in it 2 times, not 1"),
    (SHELL + "<a href=\"signatories&#x2f;SMSHELL0&#x2f;\">", "a sentinel is left"),
    (SHELL + "<input id=\"smshellheading\">", "a sentinel is left"),
])
def test_a_shell_that_holds_its_sentinels_otherwise_is_refused(shell: str,
                                                               message: str) -> None:
    with pytest.raises(fill.ShellError, match=message):
        fill.prepare(shell, HOLES, "signatories/smshell0.md")


@pytest.mark.parametrize("slug", ["../x", "a b", "x\"y", "", "Upper"])
def test_a_slug_that_is_not_one_never_reaches_an_address(slug: str) -> None:
    shell = fill.prepare(SHELL, HOLES, "shell")
    with pytest.raises(fill.ShellError, match="not a slug"):
        shell.fill({"title": "T", "description": "D", "preload": [], "slug": slug,
                    "body": ""})


# --- filled, and rendered by the engine ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", [engine.MKDOCS, engine.ZENSICAL])
def test_a_filled_page_is_the_page_the_engine_renders(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_registry(tmp_path / "registry")
    for slug, signatory in NAMES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", json.dumps(signatory))
            .replace("www.example.net", f"{slug}.example.com"), encoding="utf-8")
    out = tmp_path / "public"
    build_site(root, out, engine=name)

    base = site_url(root)
    content = generate(root, base)
    sources = [signatory_source(slug) for slug in NAMES]
    tree = write_tree(root, content, base, as_pages=sources)
    assert tree.shells == {}
    rendered = run_engine(name, tree)
    for source in sources:
        alone = (rendered / _html_path(source)).read_text(encoding="utf-8")
        # the page as the engine rendered it, its body put in and its chrome unindented
        # (this page's chrome holds the name: it is no shell, and no sentinel is checked)
        body = re.search(fill.BODY.pattern, alone, re.DOTALL)
        assert body is not None
        expected = (unindent(alone[:body.start()]) + content.bodies[source].html
                    + unindent(alone[body.end():]))
        filled = (out / _html_path(source)).read_text(encoding="utf-8")
        assert filled == expected, source
        assert "<script>alert" not in filled
    assert content.preloads[signatory_source("arabic")]  # a page that preloads its font
    assert not (out / "signatories" / fill.shell_slug(0)).exists()
    assert fill.shell_slug(0) not in (out / "sitemap.xml").read_text()

"""The site engine is replaceable: MkDocs 1.6.1, ProperDocs 1.6.7 and Zensical 0.0.73 build
the same site from the same generated tree (site/tree.py), each in a process of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

import pytest

from conftest import ROOT, VALID, copy_registry
from socialmission.errors import UsageError
from socialmission.mkdocs import engine
from socialmission.site import fill

EPOCH = "1780000000"  # SOURCE_DATE_EPOCH for the builds compared (a date after the pledges)
BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# What each engine writes in the generator tag (Material's template, given each engine's
# `mkdocs_version`); the one difference allowed between MkDocs' and ProperDocs' builds.
GENERATORS = {
    engine.MKDOCS: b'<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">',
    engine.PROPERDOCS: (b'<meta name="generator" '
                        b'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">'),
}
HOSTILE = '<script>alert(1)</script> & "Quotes" Ünïcødé 東京'

# A registry like the demo: an organisation, people, a withdrawn signatory, a statement,
# and a name full of what HTML, XML and JSON must escape.
PLEDGES = {
    "example-media": VALID + "country: GB\nsector: media\n"
                             "statement: We moderate with care & publish our rules.\n",
    "ana-example": VALID.replace("Example Media Ltd", "Ana Example")
                        .replace("organisation", "individual")
                        .replace("www.example.org", "ana.example.net") + "country: ES\n",
    "closed-agency": VALID.replace("Example Media Ltd", "Closed Agency")
                          .replace("www.example.org", "closed.example.com")
                     + "status: withdrawn\nwithdrawn: 2025-02-28\n"
                       "withdrawn_reason: The agency closed.\n",
    "hostile": VALID.replace("Example Media Ltd", json.dumps(HOSTILE))
                    .replace("www.example.org", "hostile.example.com")
               + f"statement: {json.dumps(HOSTILE + ' ]]> {{ 7*7 }}')}\n",
}
# What only an engine writes: its pages' chrome, search index, theme assets and 404 page.
ENGINE_ONLY = re.compile(r"^(assets/(javascripts|stylesheets|images)/|search/|search\.json$"
                         r"|404\.html$)")


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != engine.ENGINE_VARIABLE}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**environment, **env})


def build(root: Path, out: Path, name: str | None = None,
          **env: str) -> subprocess.CompletedProcess[str]:
    """`socialmission build`, with --engine `name` if given."""
    chosen = [] if name is None else ["--engine", name]
    return run([str(BIN / "socialmission"), "--root", str(root), "build", "--out", str(out),
                *chosen], cwd=root, SOURCE_DATE_EPOCH=EPOCH, **env)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


URLS = ("href", "src")


class _Main(HTMLParser):
    """The DOM of a page's `article.md-content__inner` as a list of events: attributes
    sorted, whitespace collapsed, without `a.headerlink` and the engines' own buttons."""

    SKIPPED: ClassVar = ("headerlink", "md-content__button")
    SKIPPED_IDS: ClassVar = ("__skip",)  # Zensical's skip link target
    VOID: ClassVar = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the article (0: outside)
        self.skip = 0  # open elements inside a skipped one
        self.events: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0:
            if tag == "article" and "md-content__inner" in classes:
                self.depth = 1
            return
        if tag not in self.VOID:
            self.depth += 1
        if self.skip or any(c in self.SKIPPED for c in classes) \
                or dict(attrs).get("id") in self.SKIPPED_IDS:
            if tag not in self.VOID:
                self.skip += 1
            return
        # MkDocs percent-encodes what a Markdown link's address may hold as it is ('@'),
        # Zensical does not: the same address
        kept = sorted((name, unquote(value or "") if name in URLS else value)
                      for name, value in attrs)
        self.events.append(f"<{tag} {kept}>")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in self.VOID:
            return
        self.depth -= 1
        if self.skip:
            self.skip -= 1
        elif self.depth > 0:
            self.events.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.depth and not self.skip and text:
            self.events.append(text)


def main_content(page: bytes) -> list[str]:
    parser = _Main()
    parser.feed(page.decode("utf-8"))
    assert parser.events, "no article.md-content__inner"
    return parser.events


# --- the same site from each engine -----------------------------------------------------------

@pytest.mark.slow
def test_three_engines_build_the_same_site(tmp_path: Path) -> None:
    """The same pages with the same main content; the files we write byte for byte the
    same; ProperDocs byte for byte MkDocs' but the generator tag; each engine's rebuild
    byte-identical."""
    root = copy_registry(tmp_path / "registry")
    for slug, text in PLEDGES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    sites = {}
    for name in engine.ENGINES:
        for attempt in ("", "-again"):
            result = build(root, tmp_path / f"{name}{attempt}", name)
            assert result.returncode == 0, f"{name}: {result.stderr}"
        sites[name] = tree(tmp_path / name)
        assert tree(tmp_path / f"{name}-again") == sites[name], f"{name} rebuilt differently"
        shell = fill.SENTINEL.encode()
        assert [path for path, data in sites[name].items() if shell in data.lower()] == []
    mkdocs, properdocs, zensical = (sites[name] for name in engine.ENGINES)

    assert sorted(mkdocs) == sorted(properdocs)
    assert "signatories/hostile/index.html" in mkdocs
    differ = [path for path in mkdocs if mkdocs[path] != properdocs[path]]
    pages = [path for path in mkdocs if GENERATOR.search(mkdocs[path])]
    assert differ == pages and len(pages) > len(PLEDGES)  # every page, and nothing else
    for path in differ:
        before, after = mkdocs[path], properdocs[path]
        assert before.count(GENERATORS[engine.MKDOCS]) == 1, path
        assert after.count(GENERATORS[engine.PROPERDOCS]) == 1, path
        assert (before.replace(GENERATORS[engine.MKDOCS], GENERATORS[engine.PROPERDOCS])
                == after), path

    ours = sorted(p for p in mkdocs if not ENGINE_ONLY.match(p) and p.endswith(".html") is False)
    assert ours == sorted(p for p in zensical if not ENGINE_ONLY.match(p)
                          and p.endswith(".html") is False)
    assert [p for p in ours if mkdocs[p] != zensical[p]] == []
    html = sorted(p for p in mkdocs if p.endswith(".html") and p != "404.html")
    assert html == sorted(p for p in zensical if p.endswith(".html") and p != "404.html")
    for path in html:
        assert main_content(mkdocs[path]) == main_content(zensical[path]), path
    for site in (mkdocs, zensical):
        page = site["signatories/hostile/index.html"].decode()
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- choosing the engine -----------------------------------------------------------------------

def test_the_engine_is_the_argument_else_the_variable_else_mkdocs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    assert engine.choose() == engine.MKDOCS
    monkeypatch.setenv(engine.ENGINE_VARIABLE, engine.ZENSICAL)
    assert engine.choose() == engine.ZENSICAL
    assert engine.choose(engine.PROPERDOCS) == engine.PROPERDOCS  # --engine wins
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "")
    assert engine.choose() == engine.MKDOCS


def test_an_engine_that_is_not_installed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UsageError, match="the site engine 'zensical' is not installed"):
        engine.choose(engine.ZENSICAL)


CHOICES = "'mkdocs', 'properdocs', 'zensical'"


@pytest.mark.parametrize(("variable", "argument", "message"), [
    ("hugo", None, f"$SOCIALMISSION_ENGINE must be {CHOICES}: 'hugo'"),
    (None, "MkDocs", f"the site engine must be {CHOICES}: 'MkDocs'"),
    (None, "properdocs\n; rm -rf /", f"must be {CHOICES}: 'properdocs\\n; rm"),
])
def test_an_unknown_engine_is_refused_with_the_choices(
        monkeypatch: pytest.MonkeyPatch, variable: str | None, argument: str | None,
        message: str) -> None:
    if variable is None:
        monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(engine.ENGINE_VARIABLE, variable)
    with pytest.raises(UsageError) as error:
        engine.choose(argument)
    assert message in str(error.value)


def test_the_build_command_refuses_an_unknown_engine_before_building(tmp_path: Path) -> None:
    result = run([str(BIN / "socialmission"), "--root", str(ROOT), "build", "--out",
                  str(tmp_path / "out")], cwd=tmp_path, **{engine.ENGINE_VARIABLE: "hugo"})
    assert result.returncode == 2
    assert result.stderr.strip() == \
        f"socialmission: $SOCIALMISSION_ENGINE must be {CHOICES}: 'hugo'"
    assert not (tmp_path / "out").exists()

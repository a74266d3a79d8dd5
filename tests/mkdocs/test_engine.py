"""The site engine is replaceable: MkDocs 1.6.1, ProperDocs 1.6.7 and Zensical 0.0.73 build
the same site from the same generated tree (site/tree.py), each in a process of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID, copy_registry
from socialmission.errors import UsageError
from socialmission.mkdocs import engine

sys.path.insert(0, str(ROOT / "benchmarks"))
import compare_engines

BIN = Path(sys.executable).parent
EPOCH = compare_engines.EPOCH
HOSTILE = '<script>alert(1)</script> & "Quotes" Ünïcødé 東京'

# A registry like the demo: an organisation, people, a withdrawn signatory, a statement,
# and a name full of what HTML, XML and JSON must escape.
PLEDGES = {
    "example-media": VALID + "country: GB\nsector: media\n"
                             "statement: We moderate with care & publish our rules.\n",
    "ana-example": VALID.replace("Harbour Media Ltd", "Ana Example")
                        .replace("organisation", "individual")
                        .replace("www.example.net", "ana.example.net") + "country: ES\n",
    "closed-agency": VALID.replace("Harbour Media Ltd", "Closed Agency")
                          .replace("www.example.net", "closed.example.com")
                     + "status: withdrawn\nwithdrawn: 2025-02-28\n"
                       "withdrawn_reason: The agency closed.\n",
    "hostile": VALID.replace("Harbour Media Ltd", json.dumps(HOSTILE))
                    .replace("www.example.net", "hostile.example.com")
               + f"statement: {json.dumps(HOSTILE + ' ]]> {{ 7*7 }}')}\n",
}
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


# --- the same site from each engine -----------------------------------------------------------

@pytest.mark.slow
def test_three_engines_build_the_same_site(tmp_path: Path) -> None:
    """The same pages with the same main content; the files we write byte for byte the
    same; ProperDocs byte for byte MkDocs' but the generator tag; each engine's rebuild
    byte-identical."""
    root = copy_registry(tmp_path / "registry")
    for slug, text in PLEDGES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    sites, unstable = compare_engines.build_all(root, tmp_path)
    assert unstable == []
    assert compare_engines.compare(sites) == []
    mkdocs, zensical = sites[engine.MKDOCS], sites[engine.ZENSICAL]
    assert "signatories/hostile/index.html" in mkdocs
    pages = [path for path in mkdocs if compare_engines.GENERATOR.search(mkdocs[path])]
    assert len(pages) > len(PLEDGES)  # every page, and each compared
    for site in (mkdocs, zensical):
        page = site["signatories/hostile/index.html"].decode()
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_comparison_sees_a_difference_in_main_content_or_our_files() -> None:
    """The comparison is not blind: another word in an article, a byte in a badge, a page
    missing, ProperDocs' page differing beyond its generator tag, a sentinel left."""
    page = (b'<html><meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">'
            b'<article class="md-content__inner"><h1>Ana <a class="headerlink">#</a></h1>'
            b"<p>Signed</p></article></html>")
    sites = {"mkdocs": {"a/index.html": page, "b.svg": b"<svg/>"},
             "properdocs": {"a/index.html": page.replace(
                 compare_engines.GENERATORS["mkdocs"], compare_engines.GENERATORS["properdocs"]),
                 "b.svg": b"<svg/>"},
             "zensical": {"a/index.html": page.replace(b'<a class="headerlink">#</a>', b""),
                          "b.svg": b"<svg/>"}}
    assert compare_engines.compare(sites) == []
    changed = {**sites, "zensical": {**sites["zensical"], "a/index.html":
                                     page.replace(b"Signed", b"Sign")}}
    assert compare_engines.compare(changed) == [
        "zensical: a/index.html: another main content than MkDocs'"]
    changed = {**sites, "zensical": {**sites["zensical"], "b.svg": b"<svg />"}}
    assert compare_engines.compare(changed) == [
        "zensical: b.svg differs from MkDocs' (a file we write)"]
    changed = {**sites, "zensical": {"b.svg": b"<svg/>"}}
    assert compare_engines.compare(changed) == [
        "zensical: page a/index.html is not in both sites"]
    changed = {**sites, "properdocs": {**sites["properdocs"], "a/index.html": page}}
    assert compare_engines.compare(changed) == [
        "properdocs: a/index.html differs from MkDocs' beyond the generator tag"]
    changed = {**sites, "mkdocs": {**sites["mkdocs"], "c/index.html": b"<p>smshell0</p>"}}
    assert "mkdocs: c/index.html holds a shell's sentinel" in compare_engines.compare(changed)


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

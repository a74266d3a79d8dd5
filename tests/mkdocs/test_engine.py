"""The site engine is replaceable: MkDocs 1.6.1 and ProperDocs 1.6.7 build the same site.

Every build here runs in a child process: ProperDocs takes over the `mkdocs` name for the
whole process it runs in (engine.py), so this process keeps whichever engine it loaded.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID, copy_registry
from socialmission.errors import UsageError
from socialmission.mkdocs import engine

EPOCH = "1780000000"  # SOURCE_DATE_EPOCH for the builds compared (a date after the pledges)
BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# What each engine writes in the generator tag (Material's template, given each engine's
# `mkdocs_version`); the one difference allowed between the two builds.
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


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != engine.ENGINE_VARIABLE}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**environment, "NO_MKDOCS_2_WARNING": "1", **env})


def cli_build(name: str, config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` or `properdocs build`, strict, as a person would run it."""
    return run([str(BIN / name), "build", "--strict", "-f", str(config), "--site-dir", str(out)],
               cwd=config.parent, SOURCE_DATE_EPOCH=EPOCH)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the same site from each engine -----------------------------------------------------------

@pytest.mark.slow
def test_both_engines_build_the_same_bytes_but_the_generator_tag(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    for slug, text in PLEDGES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    builds = {
        "mkdocs build": cli_build(engine.MKDOCS, config, tmp_path / "mkdocs"),
        "properdocs build": cli_build(engine.PROPERDOCS, config, tmp_path / "properdocs"),
        # publish.build_site choosing ProperDocs in a process that has loaded nothing yet
        "socialmission build": run([str(BIN / "socialmission"), "--root", str(root), "build",
                                    "--out", str(tmp_path / "published")], cwd=root,
                                   SOURCE_DATE_EPOCH=EPOCH,
                                   **{engine.ENGINE_VARIABLE: engine.PROPERDOCS}),
    }
    for command, result in builds.items():
        assert result.returncode == 0, f"{command}: {result.stderr}"
    mkdocs, properdocs = tree(tmp_path / "mkdocs"), tree(tmp_path / "properdocs")
    assert tree(tmp_path / "published") == properdocs

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
    page = mkdocs["signatories/hostile/index.html"].decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- what _HtmlPage relies on in each engine ---------------------------------------------------

# A hook (an engine feature since MkDocs 1.4) makes card.md an _HtmlPage, as the plugin does
# for signatory pages, and records what the engine's own render left on a Markdown page.
HOOK = '''\
import json
from pathlib import Path

from socialmission.mkdocs.plugin import _HtmlPage
from socialmission.site.pages import PageBody

BODY = PageBody(html='<h1>Not the title</h1><h2 id="kept">Kept</h2><p id="aside">x</p>'
                     '<a href="index.md#nowhere">unchecked</a>',
                toc=(("kept", "Kept"),))


def on_files(files, config):
    _HtmlPage(files.get_file_from_path("card.md"), config, BODY)
    return files


def on_page_content(html, page, config, files):
    seen = Path(config.config_file_path).with_name("seen.json")
    record = json.loads(seen.read_text()) if seen.exists() else {}
    anchors = page.present_anchor_ids
    record[page.file.src_uri] = {
        "type": type(page).__name__,
        "anchors": sorted(anchors) if isinstance(anchors, set) else repr(anchors),
        "links": sorted(f.src_uri for f in page.links_to_anchors or {}),
    }
    seen.write_text(json.dumps(record))
    return html
'''
INDEX = """\
# Home

## Intro { #intro }

<span id="raw-html-id"></span>
[kept](card.md#kept) [aside](card.md#aside) [gone](card.md#gone)
"""
CONFIG = """\
site_name: Contract
site_url: https://contract.example.org/
docs_dir: docs
theme:
  name: material
hooks:
  - hook.py
markdown_extensions:
  - attr_list
validation:
  anchors: warn
"""


@pytest.mark.parametrize("name", engine.ENGINES)
def test_the_page_attributes_html_pages_set_are_what_the_engine_reads(
        tmp_path: Path, name: str) -> None:
    """present_anchor_ids, the one non-public Page attribute _HtmlPage sets: a real page
    has it after the engine's own render (a set of its ids), and the build's anchor check
    reads it on the linked page. If an engine renames or stops reading it, this fails:
    the link to #gone would then pass unnoticed. Also: links inside the HTML are not
    checked (links_to_anchors unset), and the front matter's title wins over the h1."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(INDEX)
    (tmp_path / "docs" / "card.md").write_text("---\ntitle: The card's own title\n---\n")
    (tmp_path / "hook.py").write_text(HOOK)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)

    result = cli_build(name, tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0  # strict: the one warning fails the build
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, result.stderr
    assert ("Doc file 'index.md' contains a link 'card.md#gone', but the doc 'card.md' does "
            "not contain an anchor '#gone'.") in warnings[0]

    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen == {
        "index.md": {"type": "Page", "anchors": ["home", "intro", "raw-html-id"],
                     "links": ["card.md"]},
        "card.md": {"type": "_HtmlPage", "anchors": ["aside", "kept"], "links": []},
    }
    # No title attribute is set: Page.title prefers the front matter's (a documented rule),
    # and with no Markdown run nothing else offers one. (Strict mode fails the build only
    # once every page is written.)
    card = (tmp_path / "site" / "card" / "index.html").read_text()
    assert "<title>The card's own title - Contract</title>" in card
    assert "Not the title" not in card.split("</head>")[0]


# A hook that warns as Material and older plugins do, through a logger named `mkdocs.*`.
WARNER = """\
import logging


def on_post_build(config):
    logging.getLogger("mkdocs.plugins.warner").warning("a warning from a mkdocs.* logger")
"""
PUBLISH = """\
import sys
from pathlib import Path

from socialmission.errors import UsageError
from socialmission.mkdocs.publish import build_site

try:
    build_site(Path(sys.argv[1]), Path(sys.argv[2]), engine=sys.argv[3])
except UsageError as error:
    sys.exit(f"refused: {error}")
"""


@pytest.mark.parametrize("name", engine.ENGINES)
def test_the_atomic_build_counts_warnings_from_mkdocs_loggers_under_either_engine(
        tmp_path: Path, name: str) -> None:
    """ProperDocs counts the warnings of its own `properdocs` logger; its command, and so
    build_site, hand it what plugins still log as `mkdocs.*`, shown once."""
    root = tmp_path / "site-root"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "warner.py").write_text(WARNER)
    (root / "mkdocs.yml").write_text("site_name: Warner\ndocs_dir: docs\n"
                                     "theme:\n  name: material\nhooks:\n  - warner.py\n")
    (root / "publish.py").write_text(PUBLISH)
    result = run([sys.executable, str(root / "publish.py"), str(root), str(tmp_path / "out"),
                  name], cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("a warning from a mkdocs.* logger") == 1, result.stderr
    assert "refused: the site was not built" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stderr
    assert not (tmp_path / "out").exists()


# --- choosing the engine -----------------------------------------------------------------------

def test_the_engine_is_the_argument_else_the_variable_else_what_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    running = engine.ensure()
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    assert engine.choose() == running == engine.loaded()
    monkeypatch.setenv(engine.ENGINE_VARIABLE, engine.PROPERDOCS)
    assert engine.choose() == engine.PROPERDOCS
    assert engine.choose(engine.MKDOCS) == engine.MKDOCS
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "")
    assert engine.choose() == running


def test_with_nothing_loaded_mkdocs_is_preferred_then_properdocs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    monkeypatch.setattr(engine, "loaded", lambda: None)
    assert engine.installed() == engine.ENGINES  # both are pinned in dev.lock
    assert engine.choose() == engine.MKDOCS
    monkeypatch.setattr(engine, "installed", lambda: (engine.PROPERDOCS,))
    assert engine.choose() == engine.PROPERDOCS
    monkeypatch.setattr(engine, "installed", tuple)
    with pytest.raises(UsageError, match="no site engine is installed: install the pinned"):
        engine.choose()


@pytest.mark.parametrize(("variable", "argument", "message"), [
    ("hugo", None, "$SOCIALMISSION_ENGINE must be 'mkdocs' or 'properdocs': 'hugo'"),
    (None, "MkDocs", "the site engine must be 'mkdocs' or 'properdocs': 'MkDocs'"),
    (None, "properdocs\n; rm -rf /", "must be 'mkdocs' or 'properdocs': 'properdocs\\n; rm"),
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


def test_the_other_engine_cannot_take_over_a_process_that_loaded_one() -> None:
    running = engine.ensure()
    other = engine.PROPERDOCS if running == engine.MKDOCS else engine.MKDOCS
    assert engine.use(running) == running
    with pytest.raises(UsageError, match=f"the site engine '{other}' cannot be used: this "
                                         f"process has already loaded '{running}'"):
        engine.use(other)
    assert engine.loaded() == running


def test_the_build_command_refuses_an_unknown_engine_before_building(tmp_path: Path) -> None:
    result = run([str(BIN / "socialmission"), "--root", str(ROOT), "build", "--out",
                  str(tmp_path / "out")], cwd=tmp_path, **{engine.ENGINE_VARIABLE: "hugo"})
    assert result.returncode == 2
    assert result.stderr.strip() == ("socialmission: $SOCIALMISSION_ENGINE must be 'mkdocs' "
                                      "or 'properdocs': 'hugo'")
    assert not (tmp_path / "out").exists()

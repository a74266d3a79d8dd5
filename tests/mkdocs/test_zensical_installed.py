"""Zensical, the third engine: `make test`'s set-up installs the version requirements/zensical.lock
pins, and that version builds a small hand-written site the way DEVELOPERS.md's engine section
says (a config that INHERITs another, given with -f; its search index; byte-identical rebuilds;
nothing written beside the config but site_dir and .cache)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LOCK = ROOT / "requirements" / "zensical.lock"
BIN = Path(sys.executable).parent


def pinned() -> str:
    """The Zensical version requirements/zensical.lock pins (its one declaration)."""
    found = re.findall(r"^zensical==(\S+) \\$", LOCK.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(found) == 1, f"{LOCK.name} pins zensical {len(found)} times"
    return str(found[0])


def test_make_test_installs_the_pinned_zensical_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    test_rule = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert test_rule and "$(VENV)/.zensical-installed" in test_rule[1].split()
    recipe = re.search(r"^\$\(VENV\)/\.zensical-installed:.*\n((?:\t.*\n)+)", makefile,
                       re.MULTILINE)
    assert recipe and "--require-hashes -r requirements/zensical.lock" in recipe[1]


needs_zensical = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed in this venv: `make .venv/.zensical-installed` "
           "(`make test` runs it) installs it from requirements/zensical.lock")


@needs_zensical
def test_the_installed_zensical_is_the_pinned_one() -> None:
    assert importlib.metadata.version("zensical") == pinned()


PAGES = {
    "index.md": "---\ntitle: Front matter title\n---\n# The mission\n\nA hand-written page.\n",
    "directory.md": "# Directory\n\nSearchable intro.\n\n<div markdown data-search-exclude>\n\n"
                    "| Name |\n|---|\n| Acme Bakery |\n\n</div>\n",
    "hidden.md": "---\nsearch:\n  exclude: true\n---\n# Hidden\n\nNot in the index.\n",
}


@needs_zensical
def test_zensical_builds_an_inherited_config_the_same_twice(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Spike\nsite_url: https://example.org/\nstrict: true\n"
        "theme:\n  name: material\nmarkdown_extensions:\n  - attr_list\n  - md_in_html\n"
        "  - tables\n", encoding="utf-8")
    build = tmp_path / "build"
    (build / "docs").mkdir(parents=True)
    for name, text in PAGES.items():
        (build / "docs" / name).write_text(text, encoding="utf-8")
    config = build / "derived.yml"
    config.write_text("INHERIT: ../mkdocs.yml\ndocs_dir: docs\nsite_dir: site\n"
                      "theme:\n  variant: classic\n", encoding="utf-8")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000"}

    def zensical_build() -> dict[str, bytes]:
        done = subprocess.run([str(BIN / "zensical"), "build", "--strict", "-f", str(config)],
                              cwd=tmp_path, env=environment, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        site = build / "site"
        return {str(p.relative_to(site)): p.read_bytes()
                for p in sorted(site.rglob("*")) if p.is_file()}

    first = zensical_build()
    assert zensical_build() == first  # rebuilt from its cache: the same bytes
    # Everything it writes is in site_dir or in .cache beside the config.
    assert sorted(p.name for p in build.iterdir()) == [".cache", "derived.yml", "docs", "site"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "mkdocs.yml"]

    page = first["index.html"].decode()
    assert f'<meta name="generator" content="zensical-{pinned()}">' in page
    assert "<title>Front matter title - Spike</title>" in page
    assert "stylesheets/classic/main." in page
    assert "hidden/index.html" in first and "sitemap.xml" in first
    assert "search/search_index.json" not in first and "sitemap.xml.gz" not in first
    index = json.loads(first["search.json"])
    assert {item["location"] for item in index["items"]} == {"", "directory/"}
    assert "Searchable intro" in json.dumps(index) and "Acme" not in json.dumps(index)

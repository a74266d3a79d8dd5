"""The engine's input (site/tree.py): written with no engine in the process, only what
changed, and nothing stale left."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from conftest import VALID, copy_registry
from socialmission.model import paths
from socialmission.site import fill, tree
from socialmission.site.generator import REPOSITORY_MARKER

BASE = "https://socialmission.example.org/"


def write(root: Path) -> dict[str, object]:
    """Generate and write the tree in a fresh process; report what it wrote and which
    engine modules the process imported."""
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from socialmission.site.generator import generate
        from socialmission.site.tree import write_tree
        root = Path({str(root)!r})
        tree = write_tree(root, generate(root, {BASE!r}), {BASE!r})
        engines = sorted(m for m in sys.modules
                         if m.split(".")[0] in ("mkdocs", "properdocs", "zensical", "material"))
        print(json.dumps({{"written": tree.written, "removed": tree.removed,
                          "pages": tree.pages, "shells": tree.shells, "engines": engines}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    report: dict[str, object] = json.loads(result.stdout)
    return report


def files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_the_tree_is_written_with_no_engine_and_only_what_changed(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    (root / "pledges" / "example-media.yaml").write_text(VALID)
    first = write(root)
    assert first["engines"] == []
    build = root / paths.BUILD_DIR
    docs = build / "docs"
    shell = f"signatories/{fill.shell_slug(0)}.md"
    assert first["shells"] == {shell: fill.shell_slug(0)}
    pages = first["pages"]
    assert isinstance(pages, list)
    assert {"index.md", "sign.md", "signatories/index.md", "signatories/former.md",
            shell} <= set(pages)
    assert "signatories/example-media.md" not in pages  # filled from the shell
    sign = (docs / "sign.md").read_text()
    assert REPOSITORY_MARKER not in sign and "the registry's repository</a>" in sign
    assert not (docs / "overrides").exists()
    # the site's Regular fonts are cut by the build, never published whole (nor their README
    # as a page)
    assert not (docs / "fonts").exists() and "fonts/README.md" not in pages
    config = yaml.safe_load((build / "mkdocs.yml").read_text())
    assert config["INHERIT"] == "../mkdocs.yml" and config["docs_dir"] == "docs"
    # the registry's own logo and favicon, for every engine, written into the tree
    icons = {"logo": paths.REGISTRY_LOGO_PATH, "favicon": paths.FAVICON_PATH}
    assert config["theme"] == {"custom_dir": "../site/overrides"} | icons
    assert all((docs / path).is_file() for path in icons.values())
    assert config["extra"]["sm_repository_url"].startswith("https://github.com/")
    zensical = yaml.safe_load((build / "zensical.yml").read_text())
    assert zensical["theme"]["variant"] == "classic"
    assert zensical["theme"].items() >= icons.items()
    assert (build / "overrides-zensical" / "main.html").is_file()
    assert not (build / "overrides-zensical" / "partials" / "search.html").exists()
    assert not (build / "overrides-zensical" / "404.html").exists()
    # the per-signatory files are written after the engine, not copied by it
    assert not (docs / "api" / "v1" / "signatories").exists()
    assert (docs / "api" / "v1" / "signatories.json").is_file()

    before = files(build)
    again = write(root)
    assert (again["written"], again["removed"]) == (0, 0)
    assert files(build) == before

    stale = docs / "stale.md"
    stale.write_text("# left by an older build\n")
    (root / "pledges" / "example-media.yaml").write_text(
        VALID.replace("name: Harbour Media Ltd", "name: Example News Ltd"))
    third = write(root)
    assert third["removed"] == 1 and not stale.exists()
    after = files(build)
    changed = sorted(path for path in after if after[path] != before.get(path))
    # the new name is in the web fonts' characters, the API, the feed: not in every page
    assert changed and "docs/sign.md" not in changed and "docs/history.md" not in changed


def test_zensicals_cache_goes_when_its_templates_change(tmp_path: Path) -> None:
    """Zensical reuses a cached page whose source is unchanged even when an override
    changed: the tree removes that cache then, and keeps it otherwise."""
    root = copy_registry(tmp_path / "registry")
    write(root)
    cache = root / paths.BUILD_DIR / tree.ZENSICAL_CACHE
    cache.mkdir()
    (cache / "page").write_text("rendered with the old templates\n")
    write(root)
    assert (cache / "page").is_file()  # nothing changed: the cache stays
    main = root / paths.OVERRIDES_DIR / "main.html"
    main.write_text(main.read_text() + "{#- changed -#}\n")
    write(root)
    assert not cache.exists()

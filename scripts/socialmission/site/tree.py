"""The registry as a site engine's input: a complete source tree and a derived config.

From what the generator made (generator.py), this writes `.build/docs/`: the hand-written
pages of `site/` with their markers substituted, the generated pages, one shell per kind of
signatory page (site/fill.py), the assets and the files pages link to; and beside it
`.build/mkdocs.yml` (MkDocs, ProperDocs) and `.build/zensical.yml` (Zensical), each of
which INHERITs the repository's `mkdocs.yml` and says where the tree is and what the theme
needs on every page (the footer's repository link, as `extra:`). Every engine runs with
`-f` on its derived config; nothing here imports one.

Only files whose bytes changed are written, and files no longer generated are removed, so
an engine or a watcher sees only what changed. What the engine need not know (each
signatory's JSON, assertions and logo, whose files no page links to through Markdown) is
left for the build to write beside the engine's output (`after`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Final

from socialmission.model import paths
from socialmission.model.atomic import write_whole
from socialmission.model.paths import signatory_source
from socialmission.model.settings import site_description
from socialmission.site import fill
from socialmission.site.generator import SiteContent
from socialmission.site.pages import PageBody, markdown_text, signatory_stub

DOCS: Final = "docs"  # the tree, in BUILD_DIR
SITE: Final = "site"  # the engine's output, in BUILD_DIR
# The derived config of each engine, in BUILD_DIR; Zensical writes its cache in
# BUILD_DIR/.cache, beside its config (never the repository's own .cache/).
CONFIGS: Final = {"mkdocs": "mkdocs.yml", "properdocs": "mkdocs.yml", "zensical": "zensical.yml"}
# Zensical's overrides: the repository's without those written for Material's templates
# that Zensical's differ from: partials/search.html is Material's dialog (on Zensical it
# would replace its own search and stay "Initializing search"); 404.html adds the skip link
# Material's 404 page lacks and Zensical's has (it would have two).
ZENSICAL_OVERRIDES: Final = "overrides-zensical"
MATERIAL_ONLY: Final = ("partials/search.html", "404.html")
# Zensical's cache, beside its -f file: one file a page, which it reuses when the page's
# source is unchanged even if its templates changed (0.0.73 published pages with the old
# overrides). The tree removes it whenever Zensical's overrides or config change.
ZENSICAL_CACHE: Final = ".cache"
# Site folders of per-signatory files no page links to through Markdown: written after
# the engine (publish.py), not copied by it: a rebuild then writes only those that changed.
AFTER_ENGINE: Final = (paths.API_SIGNATORY_DIR, f"{paths.SHIELDS_PATH}/",
                       f"{paths.OPENBADGES_PATH}/assertions/", f"{paths.LOGO_DIR}/")


@dataclass
class Tree:
    root: Path  # BUILD_DIR
    # source path (in DOCS) of every page the engine must render, shells included
    pages: list[str] = field(default_factory=list)
    # shell source path -> its slug (a sentinel)
    shells: dict[str, str] = field(default_factory=dict)
    # source path of each page filled from a shell -> that shell's source path; a page
    # whose body alone is filled is its own shell
    filled: dict[str, str] = field(default_factory=dict)
    # site path -> bytes or a file on disk, written beside the engine's output
    after: dict[str, bytes | Path] = field(default_factory=dict)
    written: int = 0  # files written this time (changed or new)
    removed: int = 0  # stale files removed

    @property
    def docs(self) -> Path:
        return self.root / DOCS

    def config(self, engine: str) -> Path:
        return self.root / CONFIGS[engine]


def body_markdown(stub: str, body: PageBody) -> str:
    """A page whose body the fill puts in: its front matter, then headings that give the
    engine the page's table of contents between two sentinel paragraphs
    (fill.BODY), which the fill replaces with the body."""
    lines = [stub.rstrip("\n"), "", fill.BODY_START, ""]
    if body.heading is not None:
        lines += [f"# {fill.HEADING} {{#{body.heading[0]}}}", ""]
    lines += [f"## {markdown_text(title)} {{#{anchor}}}\n" for anchor, title in body.toc]
    lines += [fill.BODY_END, ""]
    return "\n".join(lines)


def _substitute(markdown: str, fragments: Mapping[str, str]) -> str:
    for marker, fragment in fragments.items():
        markdown = markdown.replace(marker, fragment)
    return markdown


def shell_values(content: SiteContent, source: str, base: str) -> dict[str, str | list[str]]:
    """What fills a signatory page (by its source path) into its shell."""
    body = content.bodies[source]
    slug = source.removeprefix(f"{paths.SIGNATORIES_PATH}/").removesuffix(".md")
    return {"title": body.title or "", "description": body.description or "",
            "preload": content.preloads.get(source, []), "slug": slug, "body": body.html}


def signatory_page(content: SiteContent, source: str, base: str) -> str:
    """A signatory's page as the engine would render it on its own (for tests: the fill
    must give the same page): its real front matter and the body's sentinels."""
    values = shell_values(content, source, base)
    body = content.bodies[source]
    return body_markdown(signatory_stub(base, str(values["slug"]), body.title or "",
                                        body.description or "",
                                        content.preloads.get(source, [])), body)


def write_tree(root: Path, content: SiteContent, base: str, *,
               as_pages: Iterable[str] = ()) -> Tree:
    """Write the engine's input for the registry at `root` (see the module's docstring).
    `as_pages`: signatory pages (source paths) to write as pages of their own rather than
    fill from a shell (a test compares the two)."""
    tree = Tree(root / paths.BUILD_DIR)
    docs = tree.docs
    overrides = root / paths.OVERRIDES_DIR
    wanted = _hand_written(root, content, tree)
    signatories = {signatory_source(p.slug) for p in content.pledges}
    shown = set(as_pages)
    shells: dict[tuple[tuple[str, str], ...], str] = {}
    for source, markdown in content.pages.items():
        body = content.bodies.get(source)
        if source in signatories and source not in shown:
            assert body is not None
            shell = shells.get(body.toc)
            if shell is None:
                slug = fill.shell_slug(len(shells))
                shell = shells[body.toc] = signatory_source(slug)
                tree.shells[shell] = slug
                stub = signatory_stub(base, slug, fill.TITLE, fill.DESCRIPTION, [fill.PRELOAD])
                wanted[docs / shell] = body_markdown(stub, body).encode("utf-8")
                tree.pages.append(shell)
            tree.filled[source] = shell
            continue
        if source in signatories:
            text = signatory_page(content, source, base)
            tree.filled[source] = source
        elif body is not None:
            text = body_markdown(markdown, body)
            tree.filled[source] = source
        else:
            text = _substitute(markdown, content.fragments)
        wanted[docs / source] = text.encode("utf-8")
        tree.pages.append(source)
    items: list[tuple[str, bytes | Path]] = [*content.files.items(), *content.copies.items()]
    for site_path, data in items:
        if site_path.startswith(AFTER_ENGINE):
            tree.after[site_path] = data
        else:
            wanted[docs / site_path] = data
    for template in sorted(overrides.rglob("*")):
        relative = template.relative_to(overrides).as_posix()
        if template.is_file() and relative not in MATERIAL_ONLY:
            wanted[tree.root / ZENSICAL_OVERRIDES / relative] = template
    for engine in ("mkdocs", "zensical"):
        wanted[tree.config(engine)] = derived_config(root, content.theme, engine).encode()
    tree.written = _sync(wanted, tree)
    tree.pages.sort()
    return tree


def _hand_written(root: Path, content: SiteContent, tree: Tree) -> dict[Path, bytes | Path]:
    """The hand-written pages (their markers filled in, each added to `tree`'s pages) and
    the files beside them, by where the engine's input holds them."""
    wanted: dict[Path, bytes | Path] = {}
    hand = root / paths.HAND_WRITTEN_DIR
    # the theme's templates, and the fonts the build cuts the web fonts from
    unpublished = {root / paths.OVERRIDES_DIR, paths.site_fonts_dir(root)}
    for path in sorted(hand.rglob("*")):
        if path.is_file() and not unpublished & set(path.parents) \
                and not path.name.startswith("."):
            relative = path.relative_to(hand).as_posix()
            if path.suffix == ".md":
                text = _substitute(path.read_text(encoding="utf-8"), content.fragments)
                wanted[tree.docs / relative] = text.encode("utf-8")
                tree.pages.append(relative)
            else:
                wanted[tree.docs / relative] = path
    return wanted


def derived_config(root: Path, extra: Mapping[str, str], engine: str) -> str:
    """The engine's config: the repository's, with the tree, the output, the theme's
    overrides (relative paths are the -f file's folder's, so custom_dir is restated) and
    the values every page's theme reads, HTML-escaped. JSON strings are YAML strings."""
    if engine == "zensical":
        theme = {"custom_dir": ZENSICAL_OVERRIDES, "variant": "classic"}
    else:
        theme = {"custom_dir": f"../{paths.OVERRIDES_DIR}"}
    # the registry's own logo and favicon (site/brand.py), never the theme's
    theme |= {"logo": paths.REGISTRY_LOGO_PATH, "favicon": paths.FAVICON_PATH}
    lines = ["# Written by `socialmission build` (site/tree.py) on every build: do not edit.",
             f"INHERIT: ../{paths.MKDOCS_FILE}",
             f"docs_dir: {DOCS}", f"site_dir: {SITE}", "theme:"]
    lines += [f"  {key}: {json.dumps(value)}" for key, value in theme.items()]
    # Both themes write site_description into <meta name="description"> as it is, on every
    # page without a description of its own (the hand-written pages, the 404): restated
    # HTML-escaped, so a '"' or '<' in it stays text (main.html prints it as it is too).
    description = site_description(root)
    if description is not None:
        lines.append("site_description: " +
                     json.dumps(escape(description, quote=True), ensure_ascii=False))
    lines.append("extra:")  # HTML-escaped: the templates print them as they are
    lines += [f"  {key}: {json.dumps(escape(value, quote=True), ensure_ascii=False)}"
              for key, value in sorted(extra.items())]
    return "\n".join(lines) + "\n"


def _sync(wanted: Mapping[Path, bytes | Path], tree: Tree) -> int:
    """Write each wanted file whose bytes differ, remove every other file in the tree's
    folders (the engine's output and cache excepted), and Zensical's cache when its
    templates or config changed (ZENSICAL_CACHE); returns how many were written."""
    written = 0
    zensical = (tree.root / ZENSICAL_OVERRIDES, tree.config("zensical"))
    templates_changed = False
    for target, data in wanted.items():
        new = data if isinstance(data, bytes) else data.read_bytes()
        try:
            if target.read_bytes() == new:
                continue
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        write_whole(target, new)
        written += 1
        templates_changed |= target == zensical[1] or zensical[0] in target.parents
    keep = set(wanted)
    for folder in (tree.docs, tree.root / ZENSICAL_OVERRIDES):
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            elif path not in keep:
                path.unlink()
                tree.removed += 1
                templates_changed |= zensical[0] in path.parents
    if templates_changed:
        shutil.rmtree(tree.root / ZENSICAL_CACHE, ignore_errors=True)
    for name in set(CONFIGS.values()):
        if tree.root / name not in keep:
            (tree.root / name).unlink(missing_ok=True)
    return written


def clear(root: Path) -> None:
    """Remove the engine's input and output (not needed to build: a build rewrites them)."""
    shutil.rmtree(root / paths.BUILD_DIR, ignore_errors=True)

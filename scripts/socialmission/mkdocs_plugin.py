"""The thin adapter between MkDocs and the registry's generator (generator.py).

Installed as the MkDocs plugin `socialmission` (see pyproject.toml and mkdocs.yml). It
hands MkDocs what the generator makes and nothing more, so `mkdocs build` and `mkdocs
serve` just work; moving to another engine means writing another adapter like this one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from socialmission.generator import (
    GenerationError,
    SiteContent,
    generate,
    link_or_copy,
    place_folders,
)
from socialmission.mission import MISSION_FILE
from socialmission.pages import PageBody

log = logging.getLogger("mkdocs.plugins.socialmission")


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def _base(config: Any) -> str:
    url = str(config.get("site_url") or "")
    return url if url.endswith("/") else f"{url}/"


class SocialMissionPlugin(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    content: SiteContent | None = None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """`mkdocs serve` rebuilds when the mission, a pledge or a badge design changes."""
        root = _root(config)
        for path in (root / MISSION_FILE, root / "pledges", root / "badges"):
            server.watch(str(path))
        return server

    def on_files(self, files: Files, config: Any) -> Files:
        try:
            content = self.content = generate(_root(config), _base(config))
        except GenerationError as error:
            raise PluginError(str(error)) from None
        for path, markdown in content.pages.items():
            file = File.generated(config, path, content=markdown)
            _replace(files, file)
            if path in content.bodies:
                _HtmlPage(file, config, content.bodies[path])
        for path, data in content.files.items():
            _replace(files, File.generated(config, path, content=data))
        for path, source in content.copies.items():
            _replace(files, File.generated(config, path, abs_src_path=str(source)))
        for path, source in content.links.items():
            _replace(files, _LinkedFile.generated(config, path, abs_src_path=str(source)))
        log.info("%d signatories, %d generated pages", len(content.pledges),
                 len(content.pages))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if self.content is not None:
            for marker, fragment in self.content.fragments.items():
                markdown = markdown.replace(marker, fragment)
        return markdown

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """`sm_once(key, render)` for the theme: render once a build, then reuse (see
        site/overrides/main.html for what is shared, and between which pages)."""
        env.globals["sm_once"] = render_once()
        return env

    def on_post_build(self, config: Any) -> None:
        if self.content is not None:
            place_folders(self.content, Path(config["site_dir"]))


def render_once() -> Callable[[str, Callable[[], str]], str]:
    """A fresh cache of rendered template parts, by key, for one build."""
    rendered: dict[str, str] = {}

    def once(key: str, render: Callable[[], str]) -> str:
        if key not in rendered:
            rendered[key] = render()
        return rendered[key]

    return once


class _HtmlPage(Page):
    """A page the generator wrote as HTML: MkDocs reads its front matter and never runs
    Markdown on it (Python-Markdown, set up afresh for every page, was most of a build
    with thousands of signatory pages). Made before MkDocs builds its navigation, which
    then takes it as the file's page."""

    def __init__(self, file: File, config: Any, body: PageBody) -> None:
        super().__init__(None, file, config)
        self.body = body

    def render(self, config: Any, files: Files) -> None:
        self.content = self.body.html
        self.toc = get_toc([{"level": 2, "id": anchor, "name": escape(title), "children": []}
                            for anchor, title in self.body.toc])
        self._title_from_render = None  # the title is the front matter's
        self.present_anchor_ids = {anchor for anchor, _ in self.body.toc}
        self.links_to_anchors = {}


class _LinkedFile(File):
    """A file of the badge cache that pages link to through Markdown (the press kit's),
    hard-linked into the site like the signatories' folders (see place_folders)."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        output = Path(self.abs_dest_path)
        output.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(Path(self.abs_src_path), output)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)

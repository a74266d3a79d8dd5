"""The thin adapter between MkDocs and the registry's generator (generator.py).

Installed as the MkDocs plugin `socialmission` (see pyproject.toml and mkdocs.yml). It
hands MkDocs what the generator makes and nothing more, so `mkdocs build` and `mkdocs
serve` just work; moving to another engine means writing another adapter like this one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from socialmission.generator import GenerationError, SiteContent, generate
from socialmission.mission import MISSION_FILE

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
            _replace(files, File.generated(config, path, content=markdown))
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

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """A page the generator wrote as HTML gets that HTML (its Markdown was a stub)."""
        if self.content is not None:
            return self.content.bodies.get(page.file.src_uri, html)
        return html


class _LinkedFile(File):
    """A file of the badge cache, hard-linked into the site instead of copied: 13 files a
    signatory made copying most of a warm build's disk traffic. The cache only ever
    replaces a file (write, then rename), never rewrites one, so a link in a published
    site keeps its bytes. Where a link cannot be made (another file system), a copy."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        output = Path(self.abs_dest_path)
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            output.unlink(missing_ok=True)
            output.hardlink_to(self.abs_src_path)
        except OSError:
            super().copy_file(dirty)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)

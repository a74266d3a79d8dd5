"""The thin adapter between MkDocs and the registry's generator (generator.py).

MkDocs loads this file as a hook (see mkdocs.yml). It hands MkDocs what the generator
makes and nothing more, so `mkdocs build` and `mkdocs serve` just work; moving to another
engine means writing another adapter like this one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from socialmission.generator import GenerationError, SiteContent, generate
from socialmission.mission import MISSION_FILE

log = logging.getLogger("mkdocs.socialmission")
_content: SiteContent | None = None


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def _base(config: Any) -> str:
    url = str(config.get("site_url") or "")
    return url if url.endswith("/") else f"{url}/"


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """`mkdocs serve` rebuilds when the mission, a pledge or a badge design changes."""
    root = _root(config)
    for path in (root / MISSION_FILE, root / "pledges", root / "badges"):
        server.watch(str(path))
    return server


def on_files(files: Files, config: Any) -> Files:
    global _content  # noqa: PLW0603 - MkDocs hooks share state between events this way
    try:
        _content = generate(_root(config), _base(config))
    except GenerationError as error:
        raise PluginError(str(error)) from None
    for path, markdown in _content.pages.items():
        _replace(files, File.generated(config, path, content=markdown))
    for path, data in _content.files.items():
        _replace(files, File.generated(config, path, content=data))
    for path, source in _content.copies.items():
        _replace(files, File.generated(config, path, abs_src_path=str(source)))
    log.info("socialmission: %d signatories, %d generated pages",
             len(_content.pledges), len(_content.pages))
    return files


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if _content is not None:
        for marker, fragment in _content.fragments.items():
            markdown = markdown.replace(marker, fragment)
    return markdown

"""The thin adapter between MkDocs and the registry's generator.

MkDocs loads this file as a hook (see mkdocs.yml). It only hands MkDocs what the
generator makes; moving to another engine means writing another adapter like this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialmission.mission import MISSION_FILE, load_mission
from socialmission.pages import mission_markdown

MISSION_MARKER = "<!-- socialmission:mission -->"


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).parent


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """`mkdocs serve` rebuilds when the mission or a pledge changes."""
    root = _root(config)
    server.watch(str(root / MISSION_FILE))
    server.watch(str(root / "pledges"))
    return server


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if MISSION_MARKER in markdown:
        mission = load_mission(_root(config))
        markdown = markdown.replace(MISSION_MARKER, mission_markdown(mission))
    return markdown

"""Which site engine builds the site, and how it is run.

MkDocs 1.6 with Material (the default: what requirements/site.lock pins), ProperDocs 1.6,
its maintained continuation, or Zensical, the Material team's successor. Each runs as a
command of its own, in a new process, with `-f` on the config the generator derived
(site/tree.py): nothing of an engine is imported here, so one process may build with
each in turn.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Final

from socialmission.errors import UsageError

MKDOCS: Final = "mkdocs"
PROPERDOCS: Final = "properdocs"
ZENSICAL: Final = "zensical"
ENGINES: Final = (MKDOCS, PROPERDOCS, ZENSICAL)
DEFAULT: Final = MKDOCS
# Chooses the engine for `socialmission build` when --engine is not given (--engine wins).
ENGINE_VARIABLE: Final = "SOCIALMISSION_ENGINE"


def choose(requested: str | None = None) -> str:
    """The engine to build with: `requested` (--engine), else $SOCIALMISSION_ENGINE, else
    MkDocs; it must be installed."""
    if requested is None:
        requested = os.environ.get(ENGINE_VARIABLE) or None
        where = f"${ENGINE_VARIABLE}"
    else:
        where = "the site engine"
    name = DEFAULT if requested is None else requested
    if name not in ENGINES:
        raise UsageError(f"{where} must be {', '.join(map(repr, ENGINES))}: {requested!r}")
    if importlib.util.find_spec(name) is None:
        raise UsageError(f"the site engine {name!r} is not installed: install the pinned "
                         f"tools with `make site` (MkDocs), `make .venv/.dev-installed` "
                         f"(ProperDocs too) or `make .venv/.zensical-installed` (Zensical)")
    return name


def command(name: str, config: Path) -> list[str]:
    """The engine's strict build of `config` (into the config's site_dir)."""
    return [sys.executable, "-m", name, "build", "--strict", "-f", str(config)]

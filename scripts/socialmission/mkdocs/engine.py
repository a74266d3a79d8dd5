"""Which site engine builds the site: MkDocs 1.6, or ProperDocs 1.6, its maintained
continuation.

ProperDocs is a drop-in under another name (module and command `properdocs`, no file in
common with `mkdocs`, so both install into one environment). Its own command first imports
`properdocs.replacement`, its public switch, after which every `mkdocs.*` import in the
process (ours, Material's, any plugin's) is answered by the `properdocs` package; it reads
plugins and themes from the `mkdocs.*` entry points as well as its own, so this package's
one `mkdocs.plugins` entry point serves both.

So the adapter imports `mkdocs.*` names and gets whichever engine is running. Only where
this package starts a build itself (publish.build_site) does it choose, and it must choose
before anything in the process imports the engine: the switch is for the whole process,
and one way.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Final

from socialmission.errors import UsageError

MKDOCS: Final = "mkdocs"
PROPERDOCS: Final = "properdocs"
# In order of preference when both are installed: MkDocs is what requirements/site.lock
# pins for the published site, so a build in the dev environment matches it.
ENGINES: Final = (MKDOCS, PROPERDOCS)
# Chooses the engine for `socialmission build` when no engine is given as an argument.
ENGINE_VARIABLE: Final = "SOCIALMISSION_ENGINE"


def loaded() -> str | None:
    """The engine this process has imported, if any (what `mkdocs` names here)."""
    module = sys.modules.get(MKDOCS)
    if module is None:
        return PROPERDOCS if "properdocs.replacement" in sys.modules else None
    return PROPERDOCS if module.__name__ == PROPERDOCS else MKDOCS


def installed() -> tuple[str, ...]:
    """The engines this environment can import, in order of preference."""
    return tuple(name for name in ENGINES if importlib.util.find_spec(name) is not None)


def choose(requested: str | None = None) -> str:
    """The engine to build with: `requested`, else $SOCIALMISSION_ENGINE, else the one
    already loaded, else the first installed of ENGINES."""
    if requested is None:
        requested = os.environ.get(ENGINE_VARIABLE) or None
        where = f"${ENGINE_VARIABLE}"
    else:
        where = "the site engine"
    if requested is not None:
        if requested not in ENGINES:
            raise UsageError(f"{where} must be {' or '.join(map(repr, ENGINES))}: "
                             f"{requested!r}")
        return requested
    running = loaded()
    if running is not None:
        return running
    available = installed()
    if not available:
        raise UsageError("no site engine is installed: install the pinned tools with "
                         "`make site` (MkDocs), or `pip install properdocs`")
    return available[0]


def use(name: str) -> str:
    """Make `name` the engine behind every `mkdocs.*` import in this process; return it."""
    running = loaded()
    if running == name:
        return name
    if running is not None:
        raise UsageError(f"the site engine {name!r} cannot be used: this process has already "
                         f"loaded {running!r}; choose the engine before anything imports it "
                         f"(run the build in a new process)")
    if importlib.util.find_spec(name) is None:
        raise UsageError(f"the site engine {name!r} is not installed: install it "
                         f"(`pip install -r requirements/dev.lock` has both), or choose "
                         f"{' or '.join(repr(e) for e in installed() if e != name) or 'another'}")
    # ProperDocs' own switch, the one its command uses: mkdocs.* now names properdocs.*.
    importlib.import_module("properdocs.replacement" if name == PROPERDOCS else MKDOCS)
    return name


def ensure() -> str:
    """The engine already loaded, or else the chosen one, loaded now."""
    return loaded() or use(choose())

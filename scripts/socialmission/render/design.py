"""The badge design: the registry's `badges/` folder (Jinja2 templates, palette, fonts), and
the fingerprint that changes whenever anything that shapes a badge's bytes changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from socialmission.model import openbadges, paths, png
from socialmission.render.shaping import number

PALETTE_FILE = "palette.yaml"
TEMPLATES_DIR = "templates"
VARIANTS = paths.BADGE_VARIANTS
STYLES = paths.BADGE_STYLES


# Compared by identity (load_design makes one per root), so that caches can key on it.
@dataclass(frozen=True, eq=False)
class Design:
    root: Path
    fonts: Path  # the registry's own fonts folder: badges are drawn with nothing else
    palette: dict[str, dict[str, str]]  # the badges' colours, by variant
    document: Any  # the whole palette file: its `site` colours are the site's (site/theme.py)
    env: Environment
    fingerprint: str  # changes when anything that shapes a badge's bytes changes

    def template(self, name: str) -> Any:
        return self.env.get_template(f"{name}.svg.j2")


def rendering_modules() -> tuple[str, ...]:
    """Every module that decides what a badge file holds: the design fingerprint covers
    them, so a change to any of them renders the cache again. They are the whole of
    `render/` and the model modules it writes into badges."""
    folder = Path(__file__).resolve().parent
    return (*sorted(str(p) for p in folder.glob("*.py")), str(openbadges.__file__),
            str(png.__file__))


class PaletteError(Exception):
    """The palette file cannot be read: the message says which and why."""


def palette_file(root: Path) -> Path:
    return root / paths.DESIGN_DIR / PALETTE_FILE


def _read_palette(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        reason = " ".join(str(error).split())  # the YAML reader's message is several lines
        raise PaletteError(f"{path}: the palette cannot be read ({reason}): fix the file") \
            from None


@cache
def load_design(root: Path) -> Design:
    """The design of the registry at `root`, read once: the palette file (which the site's
    colours come from too), the templates and the fingerprint."""
    folder = root / paths.DESIGN_DIR
    data = _read_palette(palette_file(root))
    palette = {variant: data[variant] for variant in VARIANTS}
    env = Environment(loader=FileSystemLoader(folder / TEMPLATES_DIR), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = number
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for module in rendering_modules():
        digest.update(Path(module).read_bytes())
    # What paints and encodes the PNGs (render/raster.py): cairo's binding and Pillow. The
    # cairo library itself is the system's, read only when a PNG is drawn (loading it
    # costs a cached build half a second): its version is not in the fingerprint.
    for package in ("cairocffi", "pillow"):
        digest.update(f"{package} {package_version(package)}\0".encode())
    return Design(root, paths.fonts_dir(root), palette, data, env, digest.hexdigest())

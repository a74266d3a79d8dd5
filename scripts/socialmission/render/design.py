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
VARIANTS = ("light", "dark")
STYLES = ("compact", "card")


# Compared by identity (load_design makes one per root), so that caches can key on it.
@dataclass(frozen=True, eq=False)
class Design:
    root: Path
    fonts: Path  # the registry's own fonts folder: badges are drawn with nothing else
    palette: dict[str, dict[str, str]]
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


@cache
def load_design(root: Path) -> Design:
    folder = root / paths.DESIGN_DIR
    # the badges' two variants; the file's `site` colours are the site's (site/theme.py)
    data = yaml.safe_load((folder / PALETTE_FILE).read_text(encoding="utf-8"))
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
    return Design(root, paths.fonts_dir(root), palette, env, digest.hexdigest())

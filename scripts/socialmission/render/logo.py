"""The logos the site publishes: never the contributed bytes, but a copy re-encoded at
build time from the decoded pixels, with every ancillary chunk dropped (text, time,
colour profile, EXIF, animation and whatever else a file can carry), so that a logo can
smuggle nothing onto the site.

Re-encoding a 1024 px logo costs about 60 ms, so each copy is kept in the registry's
`.cache/logos/` under the SHA-256 of the contributed bytes and a tag of the recipe (this
module's version and Pillow's): a build re-encodes only new or changed logos. The same
bytes and the same pinned Pillow give the same file, byte for byte: fixed compression,
no timestamps, no metadata.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from socialmission.model import constants as c
from socialmission.model import paths, png
from socialmission.model.atomic import write_whole

# Change whenever reencode() changes: every cached copy is made again.
RECIPE_VERSION = 1
COMPRESS_LEVEL = 9  # zlib level, fixed so that the bytes depend on nothing else
# Modes whose transparency Pillow keeps in a tRNS chunk (ancillary, so dropped): they
# become the same pixels with an alpha channel.
_WITH_ALPHA = {"1": "LA", "L": "LA", "I;16": "LA", "P": "RGBA", "RGB": "RGBA"}


class LogoError(ValueError):
    """A logo cannot be re-encoded: it should never have passed validation."""


def reencode(data: bytes) -> bytes:
    """A still, metadata-free PNG of the pixels of `data` (a validated logo)."""
    try:
        width, height = png.dimensions(data)
        # checked by the validator; checked again, as the cap on what decode() allocates
        if max(width, height) > c.LOGO_MAX_PX:
            raise LogoError(f"is {width}x{height} pixels, over {c.LOGO_MAX_PX} a side")
        image = png.decode(data)
    except png.PngError as error:
        raise LogoError(str(error)) from None
    if "transparency" in image.info:
        image = image.convert(_WITH_ALPHA.get(image.mode, "RGBA"))
    # A new image of the same pixels has no `info` for the encoder to write back as
    # chunks (Pillow writes an ICC profile, for one, from the decoded image's info).
    from PIL import Image  # noqa: PLC0415 - only when a logo is re-encoded

    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        palette = image.getpalette()
        assert palette is not None  # a P image has one
        clean.putpalette(palette)
    out = io.BytesIO()
    clean.save(out, format="PNG", compress_level=COMPRESS_LEVEL, optimize=False)
    return out.getvalue()


def recipe_tag() -> str:
    """What a cached copy was made with: this module's version and Pillow's."""
    from PIL import __version__ as pillow  # noqa: PLC0415

    return hashlib.sha256(f"{RECIPE_VERSION} {pillow}".encode()).hexdigest()[:12]


def published_logo(root: Path, source: Path) -> Path:
    """The re-encoded copy of the logo at `source`, made now unless the cache has it."""
    data = source.read_bytes()
    cache = paths.logos_cache(root)
    target = cache / f"{hashlib.sha256(data).hexdigest()}-{recipe_tag()}.png"
    if _is_clean(target):
        return target
    clean = reencode(data)
    write_whole(target, clean)
    return target


def _is_clean(path: Path) -> bool:
    """Whether a cached copy is there and has only the chunks reencode() writes: the cache
    is not trusted to hold what this module wrote (it could be damaged, or planted)."""
    try:
        data = path.read_bytes()
        return png.trailing_bytes(data) == 0 and \
            all(png.is_critical(chunk.kind) for chunk in png.chunks(data))
    except (OSError, png.PngError):
        return False

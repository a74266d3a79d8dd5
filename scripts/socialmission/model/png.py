"""Just enough PNG to check a contributed logo and to bake metadata into a badge, and the
one place that hands PNG bytes to Pillow's decoder (for the logo check and its re-encoding).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_CHUNK = (1 << 31) - 1  # the PNG spec caps chunk lengths here
# APNG's chunks: a file with any of them is an animation (or pretends to be one).
ANIMATION_CHUNKS = frozenset({b"acTL", b"fcTL", b"fdAT"})
# Text chunks, each starting with a Latin-1 keyword and a NUL.
TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})


class PngError(ValueError):
    pass


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    data: bytes


class DamagedChunk(PngError):
    """A chunk whose CRC does not match its bytes: changed after it was written."""

    def __init__(self, chunk: Chunk) -> None:
        super().__init__(f"is damaged (the CRC of its {chunk.kind!r} chunk is wrong)")
        self.chunk = chunk


def chunks(data: bytes) -> Iterator[Chunk]:
    """Each chunk of a PNG file, checking signature, lengths and CRCs as it goes (what
    follows IEND is not read: see `trailing_bytes`)."""
    for chunk, _ in _walk(data):
        yield chunk


def trailing_bytes(data: bytes) -> int:
    """How many bytes follow the IEND chunk (0 in a regular file), checking every chunk."""
    end = len(SIGNATURE)
    for _, end in _walk(data):  # noqa: B007 - the loop is for its last offset
        pass
    return len(data) - end


def is_critical(kind: bytes) -> bool:
    """A chunk the image needs (IHDR, PLTE, IDAT, IEND): its name starts with a capital."""
    return kind[:1].isupper()


def text_keyword(chunk: Chunk) -> str:
    """The keyword that starts a tEXt, zTXt or iTXt chunk (up to its first NUL)."""
    return chunk.data.partition(b"\0")[0].decode("latin-1")


def _walk(data: bytes) -> Iterator[tuple[Chunk, int]]:
    """Each chunk and the offset just past it."""
    if not data.startswith(SIGNATURE):
        raise PngError("is not a PNG file (its first bytes are not the PNG signature)")
    offset = len(SIGNATURE)
    while offset < len(data):
        if offset + 12 > len(data):
            raise PngError("is cut short (a chunk header runs past the end)")
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        end = offset + 12 + length
        if length > _MAX_CHUNK or end > len(data):
            raise PngError("is cut short (a chunk runs past the end of the file)")
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:end])
        if zlib.crc32(kind + body) != crc:
            raise DamagedChunk(Chunk(kind, body))
        yield Chunk(kind, body), end
        if kind == b"IEND":
            return
        offset = end
    raise PngError("is cut short (it has no IEND chunk)")


def dimensions(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, after checking every chunk."""
    size: tuple[int, int] | None = None
    for index, chunk in enumerate(chunks(data)):
        if index == 0:
            if chunk.kind != b"IHDR" or len(chunk.data) != 13:
                raise PngError("is damaged (it does not start with an IHDR chunk)")
            width, height = struct.unpack(">II", chunk.data[:8])
            size = (width, height)
    assert size is not None  # chunks() yields at least IHDR or raises
    return size


def encode_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def decode(data: bytes) -> Image:
    """The image, decoded in full by Pillow (its own decompression-bomb limits on): raises
    PngError when the data does not decode. The caller has checked the size in IHDR."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - 30 ms, only on a cache miss

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
            return image.copy()
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise PngError("does not decode as a PNG image") from error
    # Pillow's decoders report damage as any of these; none of them is a bug of ours.
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error) as error:
        raise PngError("does not decode (its image data is damaged or cut short)") from error

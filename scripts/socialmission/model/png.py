"""Just enough PNG to check a contributed logo and to bake metadata into a badge."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_CHUNK = (1 << 31) - 1  # the PNG spec caps chunk lengths here


class PngError(ValueError):
    pass


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    data: bytes


def chunks(data: bytes) -> Iterator[Chunk]:
    """Each chunk of a PNG file, checking signature, lengths and CRCs as it goes."""
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
            raise PngError(f"is damaged (the CRC of its {kind!r} chunk is wrong)")
        yield Chunk(kind, body)
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

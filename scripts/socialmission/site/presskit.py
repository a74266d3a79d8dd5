"""The press kit's download: every generic badge in one zip, built reproducibly.

The same badges give the same bytes, on any day and in any build: the entries are sorted
by name, each has the same fixed time (no clock, not even SOURCE_DATE_EPOCH: the zip says
nothing of when it was built), the same permissions and no extra fields, and the deflate
level is fixed (as render/logo.py fixes it for the PNGs).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

ENTRY_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest time: a constant, not a clock
ENTRY_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3  # the "made by" system: Unix, so that ENTRY_MODE is read as permissions
COMPRESS_LEVEL = 9  # zlib level, fixed so that the bytes depend on nothing else


def badge_zip(files: Mapping[str, bytes], folder: str) -> bytes:
    """A zip of `files` (name -> bytes), in `folder` (what it unpacks into: the zip's own
    name), byte-identical for the same files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            if "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"a badge kit entry must be a plain file name: got {name!r}")
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ENTRY_TIME)
            info.create_system = UNIX
            info.external_attr = ENTRY_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=COMPRESS_LEVEL)
    return out.getvalue()

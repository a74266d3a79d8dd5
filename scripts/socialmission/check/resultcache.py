"""The build's cache of per-file results: a pledge file that passed phase 1 (read, parse,
field rules; pledgefile.py) is not parsed again while nothing it was checked with changes.

Opt-in, and only the build opts in (site/generator.py's `load_pledges`). `socialmission
validate`, check-pr and the benchmarks never read it: they are the gate on untrusted input,
and a gate must not take a file's word that it is fine.

What an entry is, and what it is keyed by
- Only a clean result is kept: a file with no problem and no note, whose whole pledge was
  read. A file with a problem is checked again on every run (the build fails on it anyway),
  so no message is ever replayed from the cache.
- An entry holds the pledge's field values and their positions, in the file's order, as
  JSON, under the SHA-256 of everything phase 1 reads: the file's name (its slug) and
  bytes, the mission (every version, title and date: `mission_version`, `reaffirmed` and
  `signed` are checked against it; and its sectors, `sector`'s choices) and the
  validator's fingerprint (`validator_fingerprint`). Phase 1 reads no setting: the names
  the registry keeps as its own are compared across files.
- The one input left out of the key is the day: a date may not be in the future, so a clean
  result stays clean on any later day. An entry is reused only when every date in it is on
  or before today (a clock set back checks the file again).
- Phases 2 and 3 always run, on every pledge, cached or not: across files (the same or a
  look-alike name, website, slug; taken names; sites within sites) and what rendering needs
  (the name on the badge, the logo, which has its own verdict cache by content, verdicts.py).
  So a change to another pledge, to a logo, the fonts or the settings is always seen.

The file, `.cache/validation/results.jsonl`, is a header line (`{"format":1}`), then one
line an entry, sorted: the key, a space, the entry as JSON with sorted keys. Lines are
decoded only when their pledge is met, and a line kept is written back as it was read, so
a warm run neither decodes nor encodes what it does not use. The file is written only when
its entries changed, to a temporary file that then replaces it (a build killed mid-write
leaves the old file or the new one). It holds the entries this run used and no others: it
never grows past the registry. It is read as untrusted data: a file of another FORMAT is an
empty cache, and a line that is torn, not JSON, or not the shape this module writes (a
field it does not know or twice, a value of the wrong type, a missing position, a required
field missing) is a miss: the file is checked again and its entry written anew. JSON, not
pickle: loading it runs no code.

What is trusted, and why. An entry whose key matches is believed: it says "this content is
a valid pledge, and these are its values". Nothing cheaper than phase 1 itself could check
that claim, so the cache is trusted exactly as far as the build's output is, whose badges
(render/cache.py) and logo verdicts (verdicts.py) are kept the same way:
- on a machine, whoever can write `.cache/` can write `public/` as well;
- in CI, only the default branch's runs save a cache that other runs restore: a pull
  request's run restores the default branch's caches, and what it saves is scoped to that
  pull request (GitHub's cache isolation by branch), so a pull request cannot plant an entry
  that the publishing run reuses; and the pull request's own gate, check-pr, never reads one.
The key makes an entry worthless for any other content: one planted for a file's bytes says
nothing of a file changed by a single byte, of the same bytes under another name, or after
any rule changed. And a planted entry cannot get a failing pledge published by `make site`
or the publishing workflows, which run `socialmission validate` (never cached) before the
build and stop on its exit code; what it could still do there is what a planted badge could
do, change what a valid file is shown as, which the rules above keep out. Signing entries
would need a secret that a build on a fork cannot keep; checking an entry's claim costs what
phase 1 costs (some 0.16-0.25 ms a pledge of CPU against 0.05-0.06 ms a hit), so neither
is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import socialmission
from socialmission.check.files import read_capped
from socialmission.check.pledgefile import Known
from socialmission.model import constants as c
from socialmission.model import fields
from socialmission.model.filetree import DISK, FileTree
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge, Signature
from socialmission.model.problems import FileProblems, Problem
from socialmission.model.urls import Url

RESULTS_FILE = "results.jsonl"
FORMAT = 1  # the file's layout and the entries' encoding; any other is an empty cache
HEADER = f'{{"format":{FORMAT}}}'  # the file's first line
_KEY_LENGTH = 64  # hexadecimal digits of a SHA-256


class _Foreign(ValueError):
    """Not an entry this module wrote: read as a miss."""


# --- the validator's fingerprint ----------------------------------------------------------
def validator_modules() -> list[Path]:
    """Every file phase 1 can read code or data from in this package: check/ and model/
    (with check/data/), and the package's own root modules, which are all that check/ may
    import (the import-linter contract in pyproject.toml: check | render, model, errors)."""
    package = Path(socialmission.__file__).resolve().parent
    found = [p for folder in ("check", "model") for p in (package / folder).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    found += [package / "__init__.py", package / "errors.py"]
    return sorted(found)


@cache
def validator_fingerprint() -> str:
    """Changes whenever what phase 1 decides could change: the bytes of every module and
    data file it runs on (a rule edited in a checkout changes no version number), the
    package's version, the Python and its Unicode database (NFC, the character classes),
    and the version of each library the package itself requires (the Public Suffix List,
    IDNA, the country codes)."""
    # only the build computes it: `socialmission validate` never loads importlib.metadata
    from importlib import metadata  # noqa: PLC0415 - some 0.1 s of start-up

    package = Path(socialmission.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in validator_modules():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{socialmission.package_version()}\0{sys.version}\0"
                  f"{unicodedata.unidata_version}\0".encode())
    for requirement in _required_distributions():
        try:
            found = metadata.version(requirement)
        except metadata.PackageNotFoundError:
            found = "absent"
        digest.update(f"{requirement} {found}\0".encode())
    return digest.hexdigest()


def _required_distributions() -> list[str]:
    """The names of the distributions the package requires without an extra."""
    from importlib import metadata  # noqa: PLC0415 - as in validator_fingerprint

    try:
        requires = metadata.requires("socialmission") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - a plain checkout
        return []
    names = set()
    for line in requires:
        if "extra ==" in line:
            continue
        name = line.split(";")[0].strip()
        for stop in "<>=!~[ (":
            name = name.split(stop)[0]
        names.add(name.strip().lower())
    return sorted(names)


def mission_fingerprint(mission: Mission) -> str:
    """The mission as phase 1 reads it: its published versions (frozen dataclasses of
    text, numbers and dates, whose repr is the same on every run), never its draft."""
    return hashlib.sha256(repr(mission.published()).encode()).hexdigest()


# --- entries: a clean result as JSON, and back ----------------------------------------------
def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Foreign("not text")
    return value


def _number(value: Any) -> int:
    if type(value) is not int:
        raise _Foreign("not a whole number")
    return value


def _day(value: Any) -> dt.date:
    day = dt.date.fromisoformat(_text(value))
    if day.isoformat() != value:
        raise _Foreign("not a date written YYYY-MM-DD")
    return day


def _url(value: Any) -> Url:
    if not isinstance(value, list) or len(value) != 3:
        raise _Foreign("not a URL")
    return Url(*(_text(part) for part in value))


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Foreign("not a list")
    return value


def _pair(value: Any) -> tuple[int, dt.date]:
    if not isinstance(value, list) or len(value) != 2:
        raise _Foreign("not a version and a date")
    return _number(value[0]), _day(value[1])


def _optional(decode: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else decode(value)


def _signature(value: Any) -> Signature:
    if not isinstance(value, list) or len(value) != len(c.SIGNATURE_FIELDS):
        raise _Foreign("not a signature")
    signed, version, reaffirmed, withdrawn, reason, by, index = value
    return Signature(signed=_day(signed), mission_version=_number(version),
                     reaffirmed=tuple(_pair(e) for e in _list(reaffirmed)),
                     withdrawn=_optional(_day, withdrawn), withdrawn_reason=_optional(
                         _text, reason), withdrawn_by=_optional(_text, by),
                     status_index=_optional(_number, index))


def _signature_json(value: Signature) -> list[Any]:
    return [value.signed.isoformat(), value.mission_version,
            [[n, d.isoformat()] for n, d in value.reaffirmed],
            None if value.withdrawn is None else value.withdrawn.isoformat(),
            value.withdrawn_reason, value.withdrawn_by, value.status_index]


def _social(value: Any) -> dict[str, Url]:
    profiles = {}
    for item in _list(value):
        if not isinstance(item, list) or len(item) != 2 or item[0] in profiles:
            raise _Foreign("not a network and a profile, once")
        profiles[_text(item[0])] = _url(item[1])
    return profiles


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to JSON, from JSON)
_TEXT: Codec = (lambda v: v, _text)
_DATE: Codec = (lambda v: v.isoformat(), _day)
_URL: Codec = (lambda v: [v.text, v.host, v.registrable], _url)

# How a clean value of each JSON Schema type or format (what a field's rule in rules.py
# returns for it) is kept; the fields whose clean value is more than one of these, by name.
_BY_SCHEMA: dict[str, Codec] = {"date": _DATE, "uri": _URL, "string": _TEXT,
                                "integer": (lambda v: v, _number)}
_STRUCTURED: dict[str, Codec] = {
    "reaffirmed": (lambda v: [[n, d.isoformat()] for n, d in v],
                   lambda v: tuple(_pair(e) for e in _list(v))),
    "maintainers": (list, lambda v: tuple(_text(e) for e in _list(v))),
    "social": (lambda v: [[k, _URL[0](u)] for k, u in v.items()], _social),
    "signed_again": (lambda v: [_signature_json(s) for s in v],
                     lambda v: tuple(_signature(e) for e in _list(v))),
}


def _codec(field: fields.Field) -> Codec:
    """A field's codec: its own where its value is structured, else its schema's."""
    if field.name in _STRUCTURED:
        return _STRUCTURED[field.name]
    kind = field.schema.get("format", field.schema.get("type"))
    if kind not in _BY_SCHEMA:
        raise RuntimeError(f"check/resultcache.py cannot keep the field {field.name!r}: "
                           f"give it a codec in _STRUCTURED")
    return _BY_SCHEMA[kind]


CODECS: dict[str, Codec] = {field.name: _codec(field) for field in fields.FIELDS}


def encode(known: Known) -> dict[str, Any]:
    """A clean result as JSON: each field as [name, line, column, value], in the file's
    order, so that what is decoded is the very result phase 1 returned, order included."""
    return {"fields": [[key, *known.positions[key], CODECS[key][0](value)]
                       for key, value in known.values.items()]}


def decode(entry: Any, path: Path) -> Known:
    """The Known of a clean result, from an entry; _Foreign unless it is exactly what
    `encode` writes of a whole pledge."""
    if not isinstance(entry, dict) or set(entry) != {"fields"}:
        raise _Foreign("not an entry")
    values: dict[str, Any] = {}
    positions: dict[str, tuple[int, int]] = {}
    for item in _list(entry["fields"]):
        if not isinstance(item, list) or len(item) != 4:
            raise _Foreign("not a field")
        key, line, column, value = item
        if key not in CODECS or key in values:
            raise _Foreign("not a field of a pledge, once")
        if min(_number(line), _number(column)) < 1:
            raise _Foreign("not a line and a column")
        values[key] = CODECS[key][1](value)
        positions[key] = (line, column)
    slug = path.name.removesuffix(c.PLEDGE_SUFFIX)
    try:
        pledge = Pledge.from_values(slug, path, values, positions)
    except TypeError as error:  # a required field missing
        raise _Foreign(str(error)) from None
    return Known(slug, path, values, positions, pledge)


def _dates(pledge: Pledge) -> list[dt.date]:
    return [day for signature in pledge.signatures
            for day in (signature.signed, signature.withdrawn,
                        *(d for _, d in signature.reaffirmed)) if day is not None] + \
        ([pledge.redacted] if pledge.redacted is not None else [])


# --- the cache --------------------------------------------------------------------------
class ResultCache:
    """The clean results of one registry's pledge files, for one run of the validator."""

    def __init__(self, folder: Path, mission: Mission, today: dt.date,
                 tree: FileTree = DISK) -> None:
        self.path = folder / RESULTS_FILE
        self.tree = tree  # where the pledge files are read from
        self.today = today
        self._salt = f"{FORMAT}\0{validator_fingerprint()}\0" \
                     f"{mission_fingerprint(mission)}\0".encode()
        self._stored = self._load()
        self._kept: dict[str, str] = {}  # the entries of this run: what is saved
        self._keys: dict[Path, str] = {}  # each file looked up, by its key
        self._read: dict[Path, bytes] = {}  # the bytes of each file not found
        self.hits = 0

    def key(self, path: Path, data: bytes) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def lookup(self, path: Path) -> Known | None:
        """The cached result of the file at `path`, or None (then `offer` it the result)."""
        data = _read_pledge_bytes(path, self.tree)
        if data is None:
            return None
        key = self._keys[path] = self.key(path, data)
        line = self._stored.get(key)
        self._read[path] = data  # until the result is known: `bytes_read`
        if line is None:
            return None
        try:
            known = decode(json.loads(line), path)
        except (_Foreign, ValueError, TypeError, RecursionError):
            return None
        assert known.pledge is not None
        if any(day > self.today for day in _dates(known.pledge)):
            return None  # checked on a later day than this clock's: check it again
        self._kept[key] = line
        self.hits += 1
        del self._read[path]
        return known

    def bytes_read(self, path: Path) -> bytes | None:
        """The bytes of a file `lookup` did not find, which its key was made of: phase 1
        checks these, not the file read again, which may have changed since."""
        return self._read.pop(path, None)

    def offer(self, path: Path, known: Known | None, problems: int, notes: int) -> None:
        """Keep the result of a file that `lookup` did not find, if it is clean."""
        key = self._keys.get(path)
        if key is None or known is None or known.pledge is None or problems or notes:
            return
        self._kept[key] = json.dumps(encode(known), ensure_ascii=True, sort_keys=True,
                                     separators=(",", ":"))

    def save(self) -> None:
        """Write the entries this run used, if they are not what the file holds; a cache
        that cannot be written only costs time."""
        if self._kept == self._stored:
            return
        lines = [HEADER, *(f"{key} {self._kept[key]}" for key in sorted(self._kept))]
        temporary = self.path.with_name(f".{self.path.name}.tmp{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes("\n".join(lines).encode("ascii") + b"\n")
            temporary.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):  # no folder to write in: nothing was written
                temporary.unlink()

    def _load(self) -> dict[str, str]:
        """Each entry's line, by key, undecoded: a line is decoded when its file is met."""
        try:
            info = self.path.lstat()
            if not stat.S_ISREG(info.st_mode):
                return {}
            text = self.path.read_bytes().decode("ascii")
        except (OSError, ValueError):
            return {}
        lines = text.split("\n")
        if lines[0] != HEADER:
            return {}
        entries = {}
        for line in lines[1:]:
            key, space, entry = line[:_KEY_LENGTH], line[_KEY_LENGTH:_KEY_LENGTH + 1], \
                line[_KEY_LENGTH + 1:]
            if space == " " and entry:  # a torn or foreign line is a miss
                entries[key] = entry
        return entries


def _read_pledge_bytes(path: Path, tree: FileTree) -> bytes | None:
    """The file's bytes for its key, by the rules pledgefile.py reads it by (a regular
    file within the cap, never through a link); None if it cannot be read so."""
    refused: list[Problem] = []
    data = read_capped(path, FileProblems(str(path), refused), tree)
    return None if refused else data

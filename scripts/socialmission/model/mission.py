"""The mission text and its versions, read from the one file that holds them.

mission.yaml is read like a pledge, by model/yamlread.py (YAML 1.2, so an unquoted `NO`
is text; no anchors, tags or duplicate keys), and a problem names its file:line:column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from socialmission.errors import UsageError
from socialmission.model import yamlread
from socialmission.model.constants import DATE_RE
from socialmission.model.paths import MISSION_FILE

# The numbers a sentence spells out ("Ten principles"); larger ones are written in digits.
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                 "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def principles_phrase(count: int) -> str:
    """'ten principles', 'one principle', '21 principles': how texts count principles."""
    number = _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)
    return f"{number} principle{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class MissionVersion:
    version: int
    date: dt.date
    title: str
    status: str
    source: str
    changes: str
    principles: tuple[str, ...]


@dataclass(frozen=True)
class Mission:
    versions: tuple[MissionVersion, ...]  # oldest first
    # The sectors a pledge may name, in the forms' order: added to freely; one a pledge
    # names cannot go (the validator then refuses that pledge, at its 'sector' line).
    sectors: tuple[str, ...] = ()

    @property
    def current(self) -> MissionVersion:
        return self.versions[-1]

    def get(self, number: int) -> MissionVersion | None:
        for version in self.versions:
            if version.version == number:
                return version
        return None

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(v.version for v in self.versions)


def load_mission(root: Path) -> Mission:
    """Read and check `mission.yaml`; a broken mission file is the maintainers' error."""
    path = root / MISSION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the mission: {error}") from None
    return parse_mission(text, str(path))


# A version entry's keys: whether each is required.
_KEYS = {"version": True, "date": True, "title": True, "status": False, "source": False,
         "changes": True, "principles": True}


def parse_mission(text: str, where: str) -> Mission:
    """The mission in `text` (mission.yaml), or UsageError naming `where`:line:column."""
    try:
        root = yamlread.parse(text)
    except yamlread.YamlError as error:
        raise UsageError(f"{where}:{error.line}:{error.column}: {error.message}") from None

    def fail(node: yamlread.Node, message: str) -> UsageError:
        return UsageError(f"{where}:{node.line}:{node.column}: {message}")

    if isinstance(root, yamlread.Mapping):
        for key, (key_node, _) in root.items.items():
            if key not in ("sectors", "versions"):
                raise fail(key_node, f"unknown key '{key}': mission.yaml holds 'sectors' and "
                                     "'versions'")
    entries = root.items.get("versions") if isinstance(root, yamlread.Mapping) else None
    if entries is None or not isinstance(entries[1], yamlread.Sequence):
        raise fail(entries[1] if entries else root,
                   "expected a mapping with a 'versions' list")
    versions: list[MissionVersion] = []
    for index, entry in enumerate(entries[1].items, start=1):
        version = _version(entry, index, fail)
        if versions and version.date < versions[-1].date:
            raise fail(entry, f"version {index} is dated {version.date.isoformat()}, before "
                              f"version {index - 1} ({versions[-1].date.isoformat()}): "
                              "versions must be in date order")
        versions.append(version)
    if not versions:
        raise fail(entries[1], "there is no version: add one to the 'versions' list")
    return Mission(tuple(versions), _sectors(root, fail))


SECTOR_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # as a pledge writes it
SECTOR_MAX: Final = 40  # characters of a sector's name
SECTORS_MAX: Final = 100  # sectors in the list


def _sectors(root: yamlread.Node,
             fail: Callable[[yamlread.Node, str], UsageError]) -> tuple[str, ...]:
    """The 'sectors' list: distinct names of lower-case words joined by hyphens."""
    entry = root.items.get("sectors") if isinstance(root, yamlread.Mapping) else None
    if entry is None:
        raise fail(root, "there is no 'sectors' list: add one, such as 'sectors: [education, "
                         "media, other]', naming the sectors a pledge may give")
    node = entry[1]
    if not isinstance(node, yamlread.Sequence) or not node.items or \
            len(node.items) > SECTORS_MAX:
        raise fail(node, f"'sectors' must be a list of 1 to {SECTORS_MAX} sector names")
    found: list[str] = []
    for item in node.items:
        value = item.value if isinstance(item, yamlread.Scalar) else None
        if not isinstance(value, str) or len(value) > SECTOR_MAX or \
                not re.fullmatch(SECTOR_PATTERN, value):
            raise fail(item, f"each sector must be lower-case letters and digits, words "
                             f"joined by single hyphens, at most {SECTOR_MAX} characters")
        if value in found:
            raise fail(item, f"the sector '{value}' is listed twice: keep one")
        found.append(value)
    return tuple(found)


def _version(entry: yamlread.Node, index: int,
             fail: Callable[[yamlread.Node, str], UsageError]) -> MissionVersion:
    if not isinstance(entry, yamlread.Mapping):
        raise fail(entry, f"version entry {index} is not a mapping")
    for key, (key_node, _) in entry.items.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise fail(key_node, f"version entry {index} has the unknown key '{key}'{hint}: "
                                 f"the keys are {', '.join(_KEYS)}")
    for key, required in _KEYS.items():
        if required and key not in entry.items:
            raise fail(entry, f"version entry {index} lacks '{key}': add a '{key}:' line")

    def text(key: str) -> str:
        if key not in entry.items:
            return ""
        node = entry.items[key][1]
        if not isinstance(node, yamlread.Scalar) or not isinstance(node.value, str) \
                or not node.value.strip():
            raise fail(node, f"version {index}: '{key}' must be text")
        return node.value

    number = entry.items["version"][1]
    if not isinstance(number, yamlread.Scalar) or number.value != index or \
            isinstance(number.value, bool):
        shown = number.text if isinstance(number, yamlread.Scalar) else "not a number"
        raise fail(number, f"versions must be numbered 1, 2, 3... in order; entry {index} "
                           f"says {shown}")
    date_node = entry.items["date"][1]
    date = None
    if isinstance(date_node, yamlread.Scalar) and isinstance(date_node.value, str) and \
            DATE_RE.match(date_node.value):
        with contextlib.suppress(ValueError):  # such as 2024-02-30
            date = dt.date.fromisoformat(date_node.value)
    if date is None:
        raise fail(date_node, f"version {index}: 'date' must be a YYYY-MM-DD date")
    principles = entry.items["principles"][1]
    if not isinstance(principles, yamlread.Sequence) or not principles.items:
        raise fail(principles, f"version {index} must have one or more principles, as a "
                               "list ('- ...' lines)")
    for item in principles.items:
        if not isinstance(item, yamlread.Scalar) or not isinstance(item.value, str) or \
                not item.value.strip():
            raise fail(item, f"version {index}: each principle must be text")
    return MissionVersion(
        version=index, date=date, title=text("title"), status=text("status"),
        source=text("source"), changes=text("changes"),
        principles=tuple(item.value for item in principles.items
                         if isinstance(item, yamlread.Scalar)))

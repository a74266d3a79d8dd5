"""The mission text and its versions, read from the one file that holds them.

mission.yaml is read like a pledge, by model/yamlread.py (YAML 1.2, so an unquoted `NO`
is text; no anchors, tags or duplicate keys), and a problem names its file:line:column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    return Mission(tuple(versions))


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

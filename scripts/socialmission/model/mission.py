"""The mission text and its versions, read from the one file that holds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from socialmission.errors import UsageError
from socialmission.model.paths import MISSION_FILE

PRINCIPLES_PER_VERSION = 10


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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot read the mission: {error}") from None
    return parse_mission(data, str(path))


def parse_mission(data: object, where: str) -> Mission:
    def fail(message: str) -> UsageError:
        return UsageError(f"{where}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        raise fail("expected a mapping with a 'versions' list")
    versions: list[MissionVersion] = []
    for index, entry in enumerate(data["versions"], start=1):
        if not isinstance(entry, dict):
            raise fail(f"version entry {index} is not a mapping")
        try:
            version = MissionVersion(
                version=entry["version"],
                date=entry["date"],
                title=entry["title"],
                status=entry.get("status", ""),
                source=entry.get("source", ""),
                changes=entry["changes"],
                principles=tuple(entry["principles"]),
            )
        except (KeyError, TypeError) as error:
            raise fail(f"version entry {index} lacks {error}") from None
        if version.version != index:
            raise fail(f"versions must be numbered 1, 2, 3... in order; entry {index} "
                       f"says {version.version}")
        if not isinstance(version.date, dt.date) or isinstance(version.date, dt.datetime):
            raise fail(f"version {index}: 'date' must be a YYYY-MM-DD date")
        if versions and version.date < versions[-1].date:
            raise fail(f"version {index} is dated before version {index - 1}")
        if len(version.principles) != PRINCIPLES_PER_VERSION or not all(
            isinstance(p, str) and p.strip() for p in version.principles
        ):
            raise fail(f"version {index} must have {PRINCIPLES_PER_VERSION} principles")
        versions.append(version)
    if not versions:
        raise fail("there is no version")
    return Mission(tuple(versions))

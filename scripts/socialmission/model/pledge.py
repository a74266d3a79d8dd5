"""A validated pledge: what everything downstream of the validator may trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmission.model.constants import REDACTED_NAME
from socialmission.model.urls import Url


@dataclass(frozen=True, kw_only=True)
class Pledge:
    slug: str
    path: Path
    # A redacted pledge (a tombstone) has no name, kind, website or maintainers: its name
    # is then constants.REDACTED_NAME, so whatever shows a name shows no personal data.
    name: str
    kind: str | None = None
    website: Url | None = None
    signed: dt.date
    mission_version: int
    reaffirmed: tuple[tuple[int, dt.date], ...] = ()  # (version, date), oldest first
    maintainers: tuple[str, ...] = ()
    country: str | None = None
    sector: str | None = None
    statement: str | None = None
    statement_url: Url | None = None
    logo: str | None = None
    social: tuple[tuple[str, Url], ...] = ()  # sorted by network
    status: str = "active"
    withdrawn: dt.date | None = None
    withdrawn_reason: str | None = None
    redacted: dt.date | None = None
    # Where each field's value starts in the file, for messages about it: (line, column).
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False,
                                                  hash=False, repr=False)

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def tombstone(self) -> bool:
        """Redacted: only the slug, the dates and the versions are kept."""
        return self.redacted is not None

    @property
    def versions(self) -> tuple[int, ...]:
        """Every mission version signed or reaffirmed, oldest first."""
        return (self.mission_version, *(number for number, _ in self.reaffirmed))

    @property
    def current_version(self) -> int:
        """The newest mission version signed or reaffirmed."""
        return self.versions[-1]

    def signed_on(self, version: int) -> dt.date | None:
        """The day this version was signed or reaffirmed, or None."""
        if version == self.mission_version:
            return self.signed
        return next((day for number, day in self.reaffirmed if number == version), None)

    @classmethod
    def from_values(cls, slug: str, path: Path, values: dict[str, Any],
                    positions: dict[str, tuple[int, int]]) -> Pledge:
        fields = dict(values)
        fields["social"] = tuple(sorted(fields.get("social", {}).items()))
        if fields.get("redacted") is not None:
            fields["name"] = REDACTED_NAME
        return cls(slug=slug, path=path, positions=positions, **fields)

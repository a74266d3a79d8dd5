"""A validated pledge: what everything downstream of the validator may trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmission.model.constants import REDACTED_NAME
from socialmission.model.urls import Url


@dataclass(frozen=True, kw_only=True)
class Signature:
    """One signature of a pledge: the first is the file's top-level `signed`,
    `mission_version`, `reaffirmed`, `withdrawn`, `withdrawn_reason` and `withdrawn_by`;
    each later one is an entry of `signed_again`. Only the last may be in force."""

    signed: dt.date
    mission_version: int
    reaffirmed: tuple[tuple[int, dt.date], ...] = ()  # (version, date), oldest first
    withdrawn: dt.date | None = None
    withdrawn_reason: str | None = None
    withdrawn_by: str | None = None  # "registry" when a registry maintainer withdrew it
    # Its permanent index in the revocation list; None in a pledge published before the
    # list was (constants.STATUS_LIST_SIZE).
    status_index: int | None = None

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


@dataclass(frozen=True, kw_only=True)
class Pledge:
    slug: str
    path: Path
    # A redacted pledge (a tombstone) has no name, kind, website or maintainers: its name
    # is then constants.REDACTED_NAME, so whatever shows a name shows no personal data.
    name: str
    kind: str | None = None
    website: Url | None = None
    # The first signature, as the file's top level writes it (`signatures` has them all;
    # what is in force is `current`'s).
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
    withdrawn_by: str | None = None
    status_index: int | None = None  # the first signature's (Signature.status_index)
    signed_again: tuple[Signature, ...] = ()  # the later signatures, oldest first
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
    def signatures(self) -> tuple[Signature, ...]:
        """Every signature, oldest first: the file's top level, then `signed_again`."""
        first = Signature(signed=self.signed, mission_version=self.mission_version,
                          reaffirmed=self.reaffirmed, withdrawn=self.withdrawn,
                          withdrawn_reason=self.withdrawn_reason,
                          withdrawn_by=self.withdrawn_by, status_index=self.status_index)
        return (first, *self.signed_again)

    @property
    def status_indexes(self) -> tuple[int, ...]:
        """The revocation list indexes of every signature that has one, oldest first."""
        return tuple(s.status_index for s in self.signatures if s.status_index is not None)

    @property
    def current(self) -> Signature:
        """The latest signature: the one in force unless the pledge is withdrawn."""
        return self.signatures[-1]

    @property
    def versions(self) -> tuple[int, ...]:
        """Every mission version the current signature signed or reaffirmed, oldest first."""
        return self.current.versions

    @property
    def current_version(self) -> int:
        """The newest mission version the current signature signed or reaffirmed."""
        return self.current.current_version

    def signed_on(self, version: int) -> dt.date | None:
        """The day the current signature signed or reaffirmed this version, or None."""
        return self.current.signed_on(version)

    @classmethod
    def from_values(cls, slug: str, path: Path, values: dict[str, Any],
                    positions: dict[str, tuple[int, int]]) -> Pledge:
        fields = dict(values)
        fields["social"] = tuple(sorted(fields.get("social", {}).items()))
        if fields.get("redacted") is not None:
            fields["name"] = REDACTED_NAME
        return cls(slug=slug, path=path, positions=positions, **fields)

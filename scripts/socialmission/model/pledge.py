"""A validated pledge: what everything downstream of the validator may trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmission.model.urls import Url


@dataclass(frozen=True)
class Pledge:
    slug: str
    path: Path
    name: str
    kind: str
    website: Url
    signed: dt.date
    mission_version: int
    maintainers: tuple[str, ...]
    country: str | None = None
    sector: str | None = None
    statement: str | None = None
    statement_url: Url | None = None
    logo: str | None = None
    social: tuple[tuple[str, Url], ...] = ()  # sorted by network
    status: str = "active"
    withdrawn: dt.date | None = None
    withdrawn_reason: str | None = None
    # Where each field's value starts in the file, for messages about it: (line, column).
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False,
                                                  hash=False, repr=False)

    @property
    def active(self) -> bool:
        return self.status == "active"

    @classmethod
    def from_values(cls, slug: str, path: Path, values: dict[str, Any],
                    positions: dict[str, tuple[int, int]]) -> Pledge:
        fields = dict(values)
        fields["social"] = tuple(sorted(fields.get("social", {}).items()))
        return cls(slug=slug, path=path, positions=positions, **fields)

"""The registry's one clock: today, or the day SOURCE_DATE_EPOCH names (reproducible runs)."""

from __future__ import annotations

import datetime as dt
import os

from socialmission.errors import UsageError


def today() -> dt.date:
    """Today (UTC), or the day SOURCE_DATE_EPOCH names, for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds: "
                             f"got {epoch!r}") from None
    return dt.datetime.now(tz=dt.UTC).date()

"""The Social Mission registry's build tooling: validate pledges, render badges, publish."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("socialmission")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    __version__ = "0+unknown"

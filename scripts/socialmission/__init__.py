"""A pledge registry's build tooling: validate pledges, render badges, publish."""

from __future__ import annotations

from functools import cache


@cache
def package_version() -> str:
    """The installed version. Looked up on demand: importlib.metadata costs some 0.1 s of
    start-up, which every `socialmission validate` in a pull request's checks would pay."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("socialmission")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module 'socialmission' has no attribute {name!r}")

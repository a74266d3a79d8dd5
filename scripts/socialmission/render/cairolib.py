"""The system's cairo library, which the PNGs are painted with (raster.py), loaded when the
first PNG is drawn: a build that paints nothing (its badges and icons all cached) never
loads it. Where it cannot be loaded, the command stops with one message saying what is
missing and how to install it on this system, instead of cairocffi's traceback.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from functools import cache
from types import ModuleType
from typing import Final, NamedTuple

from socialmission.errors import EXIT_PROBLEMS, UsageError


class Install(NamedTuple):
    system: str  # as the message names it
    command: str  # what installs the library there
    ids: tuple[str, ...]  # /etc/os-release IDs (ID, ID_LIKE) it is for
    platform: str = "linux"  # sys.platform's prefix


# How each system installs cairo; README.md's "Set up, build, test" names every
# command (a test checks).
INSTALLS: Final = (
    Install("Debian/Ubuntu", "sudo apt install libcairo2", ("debian", "ubuntu")),
    Install("Fedora", "sudo dnf install cairo", ("fedora", "rhel", "centos")),
    Install("Alpine", "apk add cairo", ("alpine",)),
    Install("macOS with Homebrew", "brew install cairo", (), "darwin"),
    # The Makefile is POSIX: on Windows the registry is built in WSL (Ubuntu by default).
    Install("Windows, in WSL", "sudo apt install libcairo2", (), "win32"),
)


class CairoMissing(UsageError):
    """The cairo library cannot be loaded: nothing can be painted."""

    exit_code = EXIT_PROBLEMS


@cache
def cairo() -> ModuleType:
    """cairocffi, imported (so the cairo library loaded) when a PNG is first drawn; or
    CairoMissing saying how to install the library."""
    try:
        import cairocffi  # noqa: PLC0415
    except OSError:  # cairocffi dlopens the library as it is imported
        raise CairoMissing(missing_message(this_system())) from None
    module: ModuleType = cairocffi
    return module


def this_system() -> Install | None:
    """The entry of INSTALLS for this machine, if one is."""
    try:
        release: Mapping[str, str] = platform.freedesktop_os_release()
    except OSError:  # not Linux, or no os-release
        release = {}
    return system_of(sys.platform, release)


def system_of(name: str, release: Mapping[str, str]) -> Install | None:
    """The entry of INSTALLS for sys.platform `name` and os-release fields `release`."""
    ids = [release.get("ID", ""), *release.get("ID_LIKE", "").split()]
    for install in INSTALLS:
        if name.startswith(install.platform) and (
                not install.ids or any(i in install.ids for i in ids)):
            return install
    return None


def missing_message(system: Install | None) -> str:
    """What is missing, and the command that installs it: this system's first."""
    others = ", ".join(f"{i.system}: {i.command}" for i in INSTALLS if i != system)
    said = ("the cairo graphics library, which paints the badges' PNGs, is not installed "
            "(or cannot be loaded). ")
    if system is None:
        return said + f"Install it with this system's package manager ({others}), " \
                      "then run the command again"
    return said + f"Install it with `{system.command}` ({system.system}), then run the " \
                  f"command again (elsewhere: {others})"

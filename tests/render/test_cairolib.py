"""Without the system's cairo library: one message saying what is missing and how to
install it here, exit 1, nothing written; and a build that paints nothing never loads it.

The library is made unloadable for the command the real way: the dynamic loader finds a
`libcairo.so.2` first on LD_LIBRARY_PATH that is not a library, so cairocffi's dlopen fails
as on a machine without cairo (glibc's loader: Linux only)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID, copy_registry
from socialmission.model import paths
from socialmission.render.cairolib import INSTALLS, missing_message, system_of, this_system

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="makes cairo unloadable through glibc's loader")
BIN = Path(sys.executable).parent


def without_cairo(tmp_path: Path) -> dict[str, str]:
    """An environment in which loading libcairo fails."""
    folder = tmp_path / "no-cairo"
    folder.mkdir(exist_ok=True)
    (folder / "libcairo.so.2").write_bytes(b"")  # not an ELF file: dlopen refuses it
    return {**os.environ, "LD_LIBRARY_PATH": str(folder)}


def run(root: Path, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "socialmission"), "--root", str(root), *args],
                          capture_output=True, text=True, check=False, env=env, timeout=300)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = copy_registry(tmp_path / "registry")
    for number in range(2):
        (registry / "pledges" / f"org-{number}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", f"Org {number}")
            .replace("www.example.net", f"org{number}.example.org"), encoding="utf-8")
    return registry


@pytest.mark.parametrize(("platform", "release", "system"), [
    ("linux", {"ID": "debian"}, "Debian/Ubuntu"),
    ("linux", {"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "Debian/Ubuntu"),
    ("linux", {"ID": "fedora"}, "Fedora"),
    ("linux", {"ID": "rocky", "ID_LIKE": "rhel centos fedora"}, "Fedora"),
    ("linux", {"ID": "alpine"}, "Alpine"),
    ("darwin", {}, "macOS with Homebrew"),
    ("win32", {}, "Windows, in WSL"),
    ("linux", {"ID": "arch"}, None),
    ("linux", {}, None),
])
def test_the_system_is_told_from_os_release_and_the_platform(
        platform: str, release: dict[str, str], system: str | None) -> None:
    found = system_of(platform, release)
    assert (found.system if found else None) == system


def test_the_message_names_this_systems_command_first() -> None:
    fedora = system_of("linux", {"ID": "fedora"})
    message = missing_message(fedora)
    assert message.startswith("the cairo graphics library, which paints the badges' PNGs, "
                              "is not installed (or cannot be loaded). Install it with "
                              "`sudo dnf install cairo` (Fedora), then run the command again "
                              "(elsewhere: Debian/Ubuntu: sudo apt install libcairo2, ")
    unknown = missing_message(None)
    assert "this system's package manager (Debian/Ubuntu: sudo apt install libcairo2," in \
        unknown
    for said in (message, unknown):
        assert all(install.command in said for install in INSTALLS)


def test_the_readme_set_up_names_every_command() -> None:
    readme = (ROOT / paths.README_FILE).read_text(encoding="utf-8")
    set_up = readme.split("## Set up, build, test", 1)[1].split("\n## ", 1)[0]
    assert "cairo" in set_up
    for install in INSTALLS:
        assert f"`{install.command}`" in set_up, install


@pytest.mark.slow
def test_without_cairo_a_cold_build_says_how_to_install_it(root: Path, tmp_path: Path
                                                           ) -> None:
    env = without_cairo(tmp_path)
    expected = f"socialmission: {missing_message(this_system())}\n"
    for command in (["badges", "--out", str(tmp_path / "badges")],
                    ["build", "--out", str(tmp_path / "public")]):
        result = run(root, *command, env=env)
        assert (result.returncode, result.stderr) == (1, expected), command
        assert "Traceback" not in result.stdout
    assert not (tmp_path / "public").exists()
    assert [p for p in (tmp_path / "badges").iterdir() if p.is_dir()] == []  # no folder


@pytest.mark.slow
def test_a_build_that_paints_nothing_never_loads_cairo(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = run(root, "build", "--out", str(out))
    assert first.returncode == 0, first.stderr
    # every badge and icon cached: --force builds the whole site again without cairo
    again = run(root, "build", "--force", "--out", str(out), env=without_cairo(tmp_path))
    assert again.returncode == 0, again.stderr
    assert re.search(r"built .* 2 signatories", again.stdout)
    badges = run(root, "badges", env=without_cairo(tmp_path))
    assert badges.returncode == 0, badges.stderr
    assert "0 badge folders rendered, 3 unchanged" in badges.stdout

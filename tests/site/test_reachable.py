"""Which addresses the fetcher may connect to: IANA's special-purpose registries as the
package carries them (site/reachable.py), read through the fetcher's own resolver and
socket seams, and the script that refreshes them (run here on files on disk, never
against the network)."""

from __future__ import annotations

import fnmatch
import hashlib
import ipaddress
import socket
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from conftest import ROOT
from socialmission.site.fetch import Fetcher, FetchError, refused_address
from socialmission.site.reachable import (
    REGISTRY_FILES,
    Block,
    RegistryError,
    block_of,
    parse_registry,
    refused,
    registry,
)

DATA = resources.files("socialmission.site").joinpath("data")
SCRIPT = ROOT / "scripts" / "refresh_iana.py"
HEADER = ("Address Block,Name,RFC,Allocation Date,Termination Date,Source,Destination,"
          "Forwardable,Globally Reachable,Reserved-by-Protocol\n")


# --- the carried files ------------------------------------------------------------------------
def test_the_carried_registries_are_the_ones_the_readme_names() -> None:
    readme = DATA.joinpath("README.md").read_text(encoding="utf-8")
    for name in REGISTRY_FILES:
        digest = hashlib.sha256(DATA.joinpath(name).read_bytes()).hexdigest()
        assert f"| `{name}` | 2026-07-18 | `{digest}` |" in readme


def test_the_carried_registries_parse_whole() -> None:
    blocks = registry()
    assert len([b for b in blocks if b.network.version == 4]) == 26  # 25 rows, one cell of 2
    assert len([b for b in blocks if b.network.version == 6]) == 25
    assert {b.reachable for b in blocks} == {"True", "False", "N/A", ""}


def test_the_data_is_packaged() -> None:
    """Every data file of the package is named by pyproject's package-data, so the
    installed command finds the registries where the source tree has them."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["socialmission"]
    package = ROOT / "scripts" / "socialmission"
    shipped = [path.relative_to(package).as_posix()
               for path in package.glob("*/data/*") if path.is_file()]
    assert "site/data/iana-ipv4-special-registry-1.csv" in shipped
    for name in shipped:
        assert any(fnmatch.fnmatch(name, glob) for glob in globs), name


# --- reading a registry -------------------------------------------------------------------------
# A registry as IANA writes it: footnote marks, two blocks in one cell, a line break in a
# quoted cell, a terminated block with blank flags, and blocks inside others.
AS_IANA_WRITES = HEADER + (
    '192.0.0.0/24 [2],IETF Protocol Assignments,"[RFC6890], Section 2.1",2010-01,N/A,'
    "False,False,False,False,False\n"
    "192.0.0.9/32,Port Control Protocol Anycast,[RFC7723],2015-10,N/A,True,True,True,"
    "True [1],False\n"
    '"192.0.0.170/32, 192.0.0.171/32",NAT64/DNS64 Discovery,"[RFC8880][RFC7050], Section '
    '2.2",2013-02,N/A,False,False,False,False,True\n'
    "192.88.99.0/24,Deprecated (6to4 Relay Anycast),[RFC7526],2001-06,2015-03,,,,,\n"
    '255.255.255.255/32,Limited Broadcast,"[RFC8190]\n        [RFC919], Section 7",'
    "1984-10,N/A,False,True,False,False,True\n"
    '2001::/32,TEREDO,"[RFC4380]\n        [RFC8190]",2006-01,N/A,True,True,True,N/A [2],'
    "False\n"
    "198.18.0.0/15,Benchmarking,[RFC2544],1999-03,N/A,True,True,True,Maybe,False\n")


def test_a_registry_as_iana_writes_it() -> None:
    read = [(str(b.network), b.name, b.reachable) for b in parse_registry(AS_IANA_WRITES)]
    assert read == [
        ("192.0.0.0/24", "IETF Protocol Assignments", "False"),
        ("192.0.0.9/32", "Port Control Protocol Anycast", "True"),
        ("192.0.0.170/32", "NAT64/DNS64 Discovery", "False"),
        ("192.0.0.171/32", "NAT64/DNS64 Discovery", "False"),
        ("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", ""),
        ("255.255.255.255/32", "Limited Broadcast", "False"),
        ("2001::/32", "TEREDO", "N/A"),
        ("198.18.0.0/15", "Benchmarking", ""),  # not a value IANA writes: refuses
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("Address Block,Name\n10.0.0.0/8,Private-Use\n", "has no column Globally Reachable"),
    (HEADER + "10.0.0.0/33,Private-Use,,,,,,,False,\n",
     "the registry, line 2: '10.0.0.0/33' is not an address block"),
    (HEADER + "10.0.0.1/8,Private-Use,,,,,,,False,\n",  # host bits set
     "'10.0.0.1/8' is not an address block"),
    (HEADER, "lists no address block"),
    ("<html>Service unavailable</html>\n", "has no column"),
])
def test_a_registry_that_cannot_be_read(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(text)


# --- what is refused ------------------------------------------------------------------------
@pytest.mark.parametrize(("address", "why"), [
    # not globally reachable by the registry, though Python builds before the fix for
    # CVE-2024-4032 call them global
    ("192.0.0.192", "192.0.0.0/24 (IETF Protocol Assignments)"),
    ("192.0.0.170", "192.0.0.170/32 (NAT64/DNS64 Discovery)"),
    ("192.88.99.1", "192.88.99.0/24"),  # a terminated block: blank, so refused
    ("2001:4::1", "2001::/23 (IETF Protocol Assignments)"),
    ("3fff::1", "3fff::/20 (Documentation)"),
    ("5f00::1", "5f00::/16 (Segment Routing (SRv6) SIDs)"),
    ("100:0:0:1::1", "100:0:0:1::/64 (Dummy IPv6 Prefix)"),
    ("64:ff9b:1::808:808", "64:ff9b:1::/48"),  # NAT64 for local use, whatever it carries
    # what an IPv6 address carries, and where the packets go
    ("64:ff9b::7f00:1", "carries 127.0.0.1 is a loopback address"),  # NAT64
    ("64:ff9b::a00:1", "carries 10.0.0.1 is a private address"),
    ("64:ff9b::c000:c0", "carries 192.0.0.192 is not a public address"),
    ("2002:c000:c0::1", "carries 192.0.0.192"),  # 6to4
    ("2001:0:c0a8:101:8000:63bf:f7f7:f7f7", "carries 192.168.1.1"),  # Teredo's server
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "carries 127.0.0.1"),  # Teredo's client
    # multicast, and IPv6 outside the global unicast space
    ("239.255.255.250", "is a multicast address"),
    ("ff0e::1", "is a multicast address"),
    ("::8.8.8.8", "IPv6 outside 2000::/3"),  # IPv4-compatible, long deprecated
    ("1::1", "IPv6 outside 2000::/3"),
    ("4000::1", "IPv6 outside 2000::/3"),
    ("fec0::1", "site-local"),
    # the names kept from before
    ("0.0.0.0", "0.0.0.0 is an unspecified address"), ("::", ":: is an unspecified address"),
    ("255.255.255.255", "255.255.255.255/32 (Limited Broadcast)"),
])
def test_refused(address: str, why: str) -> None:
    assert why in (refused_address(address) or "")


@pytest.mark.parametrize("address", [
    "93.184.215.14", "192.0.0.9", "192.0.0.10",  # anycast blocks marked True in 192.0.0.0/24
    "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2001:1::1",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7",  # Teredo: public server, client 8.8.8.8
    "::ffff:8.8.8.8",
])
def test_public(address: str) -> None:
    assert refused_address(address) is None


def test_only_a_plain_true_allows() -> None:
    """Read conservatively: N/A allows only where the address carried is judged instead
    (6to4 and Teredo), and a blank or unknown value refuses."""
    def judged(reachable: str, address: str) -> str | None:
        network = ipaddress.ip_network("198.18.0.0/15") if "." in address else \
            ipaddress.ip_network("2001::/32")
        blocks = (Block(network, "Test", reachable),)
        return refused(ipaddress.ip_address(address), address, blocks)

    assert judged("True", "198.18.0.1") is None
    for value in ("False", "N/A", ""):
        assert judged(value, "198.18.0.1") is not None
    assert judged("N/A", "2001:0:4136:e378:8000:63bf:f7f7:f7f7") is None  # Teredo
    assert judged("", "2001:0:4136:e378:8000:63bf:f7f7:f7f7") is not None


def test_the_most_specific_block_decides() -> None:
    found = block_of(ipaddress.IPv4Address("192.0.0.9"), registry())
    assert found is not None and (str(found.network), found.reachable) == ("192.0.0.9/32",
                                                                              "True")


# --- through the fetcher's seams -----------------------------------------------------------------
class Recording(Fetcher):
    """Watches the connections made, and makes none (no test reaches the internet)."""

    def __init__(self, answer: str) -> None:
        super().__init__(lambda host: [answer])
        self.connected: list[tuple[str, int]] = []

    def open_socket(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connected.append((address, port))
        raise ConnectionRefusedError("recorded, not connected")


@pytest.mark.parametrize("answer", [
    "192.0.0.192", "64:ff9b::7f00:1", "2002:c000:c0::1", "3fff::1", "ff05::1:3",
    "224.0.0.251", "1::1",
])
def test_a_name_that_resolves_to_a_refused_address_is_never_connected_to(answer: str) -> None:
    fetcher = Recording(answer)
    with pytest.raises(FetchError, match=f"proof.example.org resolves to {answer} .*: not "
                                         "fetched"):
        fetcher.get("https://proof.example.org/.well-known/social-mission.txt")
    assert fetcher.connected == []


@pytest.mark.parametrize("answer", ["192.0.0.9", "64:ff9b::808:808", "2002:808:808::1"])
def test_a_public_answer_is_connected_to(answer: str) -> None:
    fetcher = Recording(answer)
    with pytest.raises(FetchError, match="could not be fetched"):
        fetcher.get("https://proof.example.org/")
    assert fetcher.connected == [(answer, 443)]


# --- the refresh script ------------------------------------------------------------------------
def run_refresh(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *arguments], capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the data folder to refresh, and a 'download' of both registries."""
    data, source = tmp_path / "data", tmp_path / "download"
    data.mkdir()
    source.mkdir()
    for name in (*REGISTRY_FILES, "README.md"):
        (data / name).write_bytes(DATA.joinpath(name).read_bytes())
    for name in REGISTRY_FILES:
        (source / name).write_bytes(DATA.joinpath(name).read_bytes())
    return data, source


def test_the_refresh_writes_a_download_and_says_what_changed(
        folders: tuple[Path, Path]) -> None:
    data, source = folders
    v4 = source / REGISTRY_FILES[0]
    grown = v4.read_bytes().replace(b"\n", b"\r\n") + \
        b"198.19.0.0/24 [9],Test Block,[RFC0],2026-12,N/A,True,True,True,True,False\r\n"
    v4.write_bytes(grown)
    result = run_refresh("--source", str(source), "--data", str(data), "--today", "2026-12-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"{REGISTRY_FILES[0]}: added 198.19.0.0/24 (Test Block), "
                             "globally reachable True\n")
    assert (data / REGISTRY_FILES[0]).read_bytes() == grown  # IANA's bytes, as they came
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert f"| `{REGISTRY_FILES[0]}` | 2026-12-05 | `{hashlib.sha256(grown).hexdigest()}` |" \
        in readme
    assert f"| `{REGISTRY_FILES[1]}` | 2026-12-05 |" in readme
    assert sorted(path.name for path in data.iterdir()) == sorted((*REGISTRY_FILES,
                                                                  "README.md"))


def test_a_download_that_cannot_be_read_writes_nothing(folders: tuple[Path, Path]) -> None:
    data, source = folders
    before = {path.name: path.read_bytes() for path in data.iterdir()}
    (source / REGISTRY_FILES[1]).write_text("<html>Service unavailable</html>\n",
                                            encoding="utf-8")
    result = run_refresh("--source", str(source), "--data", str(data))
    assert result.returncode == 1
    assert result.stderr == (f"refresh_iana: {REGISTRY_FILES[1]} has no column Address "
                             "Block, Globally Reachable, Name; nothing written\n")
    assert {path.name: path.read_bytes() for path in data.iterdir()} == before


def test_the_refresh_of_the_same_files_changes_no_block(folders: tuple[Path, Path]) -> None:
    data, source = folders
    result = run_refresh("--source", str(source), "--data", str(data), "--today", "2026-07-18")
    assert (result.returncode, result.stdout) == (0, "no block changed\n")
    assert (data / "README.md").read_bytes() == DATA.joinpath("README.md").read_bytes()


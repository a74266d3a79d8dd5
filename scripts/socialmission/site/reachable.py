"""Which addresses the fetcher (site/fetch.py) may connect to, judged by IANA's IPv4 and
IPv6 Special-Purpose Address Registries, which this package carries (`data/`, with their
date and source in data/README.md) instead of trusting the running Python's `ipaddress`
flags: builds before the fix for CVE-2024-4032 (3.11.10, 3.12.4) call 192.0.0.192 and
other special-purpose addresses global.

An address is refused, with the reason, when
- it is multicast (224.0.0.0/4, ff00::/8: not in the registries, never a web server);
- it is IPv6 outside the global unicast space 2000::/3, except an IPv4-mapped address
  (`::ffff:a.b.c.d`, judged as its IPv4 address, which is where the socket connects) and
  NAT64's well-known prefix 64:ff9b::/96 (judged by the IPv4 address it carries);
- it carries an IPv4 address that is refused: NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
  Teredo (2001::/32, its server and its client), whose packets go to that address;
- the most specific registry block that holds it is not marked globally reachable.

"Globally reachable" is read conservatively: only a plain `True` (a footnote mark such as
`True [1]` aside) allows; `False`, `N/A`, a blank (a terminated block) or anything else
refuses. The one exception is a block marked `N/A` whose addresses carry an IPv4 address
this module judges (6to4 and Teredo: the registry's footnotes say their reachability is
that of the address inside), once that address is allowed. An address in no block (and
inside 2000::/3 for IPv6) is public.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# The registries as IANA publishes them (CSV); data/README.md says from when.
REGISTRY_FILES: Final = ("iana-ipv4-special-registry-1.csv", "iana-ipv6-special-registry-1.csv")
REGISTRY_URL: Final = "https://www.iana.org/assignments/{name}/{name}-1.csv"
BLOCK_COLUMN: Final = "Address Block"
NAME_COLUMN: Final = "Name"
REACHABLE_COLUMN: Final = "Globally Reachable"

GLOBAL_UNICAST: Final = ipaddress.IPv6Network("2000::/3")
# NAT64's well-known prefix (RFC 6052): the IPv4 address is its last 32 bits.
NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")
# `N/A` blocks whose reachability is that of the IPv4 address they carry.
CARRIERS: Final = (ipaddress.IPv6Network("2002::/16"),  # 6to4 (RFC 3056)
                   ipaddress.IPv6Network("2001::/32"))  # Teredo (RFC 4380)
_FOOTNOTE: Final = re.compile(r"\s*\[\d+\]")
# The words a refusal uses for the common blocks, by the registry's name (lower case);
# any other block is named as the registry names it.
_WORDS: Final = {"loopback": "a loopback", "loopback address": "a loopback",
                 "private-use": "a private", "unique-local": "a private",
                 "link local": "a link-local", "link-local unicast": "a link-local",
                 "reserved": "a reserved", '"this host on this network"': "an unspecified",
                 "unspecified address": "an unspecified"}


class RegistryError(ValueError):
    """A registry file that is not what IANA publishes, with where."""


@dataclass(frozen=True)
class Block:
    network: IPNetwork
    name: str
    reachable: str  # 'True', 'False', 'N/A', or '' (blank or anything else): footnotes removed

    @property
    def allows(self) -> bool:
        return self.reachable == "True"


def parse_registry(text: str, source: str = "the registry") -> tuple[Block, ...]:
    """The blocks of one registry's CSV. A cell may hold several blocks ('a/32, b/32') and
    footnote marks ('192.0.0.0/24 [2]', 'False [1]'); a row whose block is not an
    address block, or a file without the columns read, is a RegistryError."""
    rows = csv.DictReader(io.StringIO(text, newline=""))
    missing = {BLOCK_COLUMN, NAME_COLUMN, REACHABLE_COLUMN} - set(rows.fieldnames or ())
    if missing:
        raise RegistryError(f"{source} has no column {', '.join(sorted(missing))}")
    blocks: list[Block] = []
    for row in rows:
        where = f"{source}, line {rows.line_num}"
        cell = _FOOTNOTE.sub("", row.get(BLOCK_COLUMN) or "")
        reachable = _FOOTNOTE.sub("", row.get(REACHABLE_COLUMN) or "").strip()
        if reachable not in {"True", "False", "N/A"}:
            reachable = ""
        name = " ".join((row.get(NAME_COLUMN) or "").split())
        for part in cell.split(","):
            try:
                network = ipaddress.ip_network(part.strip())
            except ValueError:
                raise RegistryError(f"{where}: {part.strip()!r} is not an address "
                                    "block") from None
            blocks.append(Block(network, name, reachable))
    if not blocks:
        raise RegistryError(f"{source} lists no address block")
    return tuple(blocks)


@cache
def registry() -> tuple[Block, ...]:
    """Both registries as this package carries them."""
    folder = resources.files("socialmission.site").joinpath("data")
    return tuple(block for name in REGISTRY_FILES for block in parse_registry(
        folder.joinpath(name).read_text(encoding="utf-8-sig"), name))


def block_of(ip: IPAddress, blocks: tuple[Block, ...]) -> Block | None:
    """The most specific block that holds `ip`, or None."""
    holding = [block for block in blocks if block.network.version == ip.version
               and ip in block.network]
    return max(holding, key=lambda block: block.network.prefixlen, default=None)


def carried(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries and delivers to: NAT64's, 6to4's, or a
    Teredo address's server and client."""
    if ip in NAT64:
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo
    return ()


def refused(ip: IPAddress, shown: str, blocks: tuple[Block, ...] | None = None) -> str | None:
    """Why a connection to `ip` is refused (naming it as `shown`), or None when it is a
    public address. `blocks`: the registries (by default the ones carried here)."""
    blocks = registry() if blocks is None else blocks
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return refused(ip.ipv4_mapped, shown, blocks)
    if ip.is_multicast:
        return f"{shown} is a multicast address"
    inside: tuple[ipaddress.IPv4Address, ...] = ()
    if isinstance(ip, ipaddress.IPv6Address):
        inside = carried(ip)
        for address in inside:
            if (why := refused(address, str(address), blocks)) is not None:
                return f"{shown} carries {why}"
    block = block_of(ip, blocks)
    if block is not None and not block.allows and not (
            block.reachable == "N/A" and inside and any(ip in net for net in CARRIERS)):
        if (word := _WORDS.get(block.name.lower())) is not None:
            return f"{shown} is {word} address"
        return (f"{shown} is not a public address: IANA's special-purpose registry does not "
                f"mark {block.network} ({block.name}) globally reachable")
    if isinstance(ip, ipaddress.IPv6Address) and ip not in GLOBAL_UNICAST and ip not in NAT64:
        if ip.is_site_local:
            return f"{shown} is a site-local address"
        return f"{shown} is not a public address: IPv6 outside 2000::/3 is not global unicast"
    return None

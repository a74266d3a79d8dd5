"""Rules for the web addresses a pledge gives: https, on a public host name."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import idna
from publicsuffixlist import PublicSuffixList

from socialmission.model.constants import URL_MAX

_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Characters that have no place in a URL a person types: spaces, quotes, angle
# brackets, backslashes, backticks, braces, pipes and carets.
_SPECIAL_USE = frozenset({"localhost", "local", "internal", "test", "invalid", "onion",
                          "example", "home", "lan", "arpa"})
_UNSAFE_RE = re.compile(r"[\s\"'<>\\`{}|^]")
_IPV4_CHARACTERS = frozenset("0123456789.")
_IP_LIKE_RE = re.compile(r"[0-9a-fx.]+")
_CODEPOINT_RE = re.compile(r"U\+([0-9A-F]{4,6})")


@cache
def _psl() -> PublicSuffixList:
    # The list ships inside the package: no download at run time, the same answer
    # every build.
    return PublicSuffixList()


@dataclass(frozen=True)
class Url:
    text: str
    host: str  # lower-case ASCII form (IDNA 2008 A-labels, UTS #46 mapping)
    registrable: str  # e.g. example.co.uk for www.shop.example.co.uk


class UrlError(ValueError):
    pass


def parse_https_url(text: str) -> Url:
    """Parse an https URL on a public host name, or raise UrlError saying how to fix it."""
    if len(text) > URL_MAX:
        raise UrlError(f"is {len(text)} characters long; the limit is {URL_MAX}: use a "
                       "shorter address")
    if unsafe := _UNSAFE_RE.search(text):
        raise UrlError(f"contains {unsafe.group()!r}, which a URL cannot hold: remove it "
                       "or percent-encode it")
    scheme, sep, _ = text.partition("://")
    if not sep:
        raise UrlError("must be a full address starting with 'https://'")
    if scheme != "https":
        fix = "use 'https://'" if scheme.lower() in ("http", "https") else \
            "only https web addresses are accepted"
        raise UrlError(f"uses the scheme '{scheme}': {fix}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise UrlError(f"is not a valid URL ({error}): check the host and port") from None
    if "@" in parts.netloc:
        raise UrlError("contains a user name or password ('user@'): remove that part")
    if port is not None or parts.netloc.endswith(":"):
        raise UrlError("names a port: remove ':' and the port number")
    host = parts.hostname or ""
    if not host:
        raise UrlError("has no host name: write it as 'https://example.org/'")
    ascii_host, registrable = _public_host(host)
    return Url(text=text, host=ascii_host, registrable=registrable)


@lru_cache(maxsize=4096)
def _public_host(host: str) -> tuple[str, str]:
    """The host's ASCII form and its registrable domain, or UrlError saying what is wrong.

    Cached (a raised UrlError is not): pledges share a few social networks' hosts, and a
    'statement_url' is on its website's host.
    """
    if host.startswith("[") or _is_ip(host):
        raise UrlError(f"uses the IP address '{host}': use the site's host name")
    host = host.rstrip(".")
    try:
        ascii_host = _to_ascii(host)
    except UnicodeError as error:
        raise UrlError(f"has the host name '{host}', which is not a valid domain "
                       f"name ({_idna_reason(error)})") from None
    labels = ascii_host.split(".")
    if len(labels) < 2:
        raise UrlError(f"has the host name '{host}', which is not public: use a full "
                       "domain name such as 'example.org'")
    if any(not _LABEL_RE.match(label) for label in labels):
        raise UrlError(f"has the host name '{host}', which is not a valid domain name")
    # A host must sit below a public suffix ('co.uk' alone is not a site), and
    # special-use names (RFC 6761 and friends) never are public.
    registrable = _psl().privatesuffix(ascii_host)
    if registrable is None or labels[-1] in _SPECIAL_USE:
        raise UrlError(f"has the host name '{host}', which is not a public domain name")
    # Host names must end in a suffix the Public Suffix List knows (so no made-up TLDs).
    if not _known_suffix(ascii_host):
        raise UrlError(f"has the host name '{host}', whose ending '.{labels[-1]}' is not a "
                       "top-level domain")
    return ascii_host, registrable or ascii_host


def _to_ascii(host: str) -> str:
    """The host's ASCII (A-label) form by IDNA 2008 with UTS #46 mapping, non-transitional.

    Non-transitional, as browsers map today: 'straße.de' is its own domain
    (xn--strae-oqa.de), not 'strasse.de' as IDNA 2003 folded it. The mapping lower-cases
    and folds width, and drops the characters it ignores (a soft hyphen...).
    """
    lower = host.lower()
    if lower.isascii() and all(_LABEL_RE.match(label) and label[2:4] != "--"
                               for label in lower.split(".")):
        return lower  # the common case, letters, digits and hyphens: IDNA maps nothing
    return idna.encode(host, uts46=True, transitional=False).decode("ascii")


def _idna_reason(error: UnicodeError) -> str:
    """What IDNA 2008 says is wrong, in words a signatory can act on."""
    if isinstance(error, idna.InvalidCodepoint | idna.InvalidCodepointContext) and \
            (found := _CODEPOINT_RE.search(str(error))):
        char = chr(int(found.group(1), 16))
        shown = ascii(char) if not char.isprintable() or char.isspace() else repr(char)
        return f"a domain name cannot hold the character {shown} (U+{found.group(1)})"
    reason = str(error) or "it breaks the rules for domain names"
    return reason[0].lower() + reason[1:]


@lru_cache(maxsize=4096)
def unicode_host(host: str) -> str:
    """A host's Unicode form as browsers display it: 'xn--strae-oqa.de' is 'straße.de'."""
    if "xn--" not in host:
        return host
    try:
        return idna.decode(host)
    except idna.IDNAError:  # pragma: no cover - parse_https_url checked it already
        return host


def shown_domain(url: Url) -> str:
    """The website's domain as shown beside a signatory's name: its registrable domain,
    which names who owns the site ('www.' and subdomains go; 'google.com.evil.example.net'
    shows 'example.net'; 'alice.github.io' stays itself, the Public Suffix List's private
    part keeps it apart), in the Unicode form browsers show, followed by its ASCII form
    when the two differ, so a look-alike ('gооgle.com' with Cyrillic o's) shows what it
    is: 'gооgle.com (xn--ggle-55da.com)'. Lower-case: both forms are."""
    return shown_registrable(url.registrable)


def shown_registrable(registrable: str) -> str:
    """shown_domain of a registrable domain in its ASCII form (a Url's `registrable`)."""
    shown = unicode_host(registrable)
    return shown if shown == registrable else f"{shown} ({registrable})"


def _known_suffix(host: str) -> bool:
    # publicsuffixlist treats an unknown TLD as a suffix by the '*' rule; a known one is
    # in its own list of rules.
    suffix = _psl().publicsuffix(host, accept_unknown=False)
    return suffix is not None


def _is_ip(host: str) -> bool:
    # ip_address() accepts only ASCII digits and dots (IPv4) or text with colons (IPv6),
    # so a host name skips it and the cost of its exceptions.
    if ":" in host or set(host) <= _IPV4_CHARACTERS:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return True
    # '127.1' and '0x7f.1' are IPv4 to browsers; all-numeric labels never make a domain
    last_label = host.rsplit(".", maxsplit=1)[-1]
    return bool(_IP_LIKE_RE.fullmatch(host)) and last_label.isdigit()


def same_site(a: Url, b: Url) -> bool:
    return a.registrable == b.registrable


def site_key(url: Url) -> str:
    """The key that finds two pledges for the same website: host, with 'www.' folded."""
    return url.host.removeprefix("www.")

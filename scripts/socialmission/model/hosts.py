"""Addresses a registry should not publish on: hosts' default domains, which a registry
borrows from whoever serves it today, and the names reserved for examples.

Every baked badge, assertion and snippet embeds the registry's address (`site_url`), so
that address must be a domain the registry owns: on a host's own domain
(`example.github.io`), moving to another host would change every badge URL already
handed out; on a reserved name (`socialmission.example.org`, the placeholder the
registry ships with) nobody can visit it at all. `socialmission build` says both through
`address_notices`; the publish workflows skip deploying while the address is a
placeholder (`socialmission site-address --check-publishable`, via `placeholder_domain`).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from socialmission.model import paths

# The domains under which hosts give each site a free name, by host. A site on one of
# them (or the domain itself) is on an address that belongs to the host.
HOST_DEFAULT_DOMAINS: Final[dict[str, str]] = {
    "github.io": "GitHub Pages",
    "gitlab.io": "GitLab Pages",
    "codeberg.page": "Codeberg Pages",
    "srht.site": "SourceHut pages",
    "bitbucket.io": "Bitbucket Cloud",
    "pages.dev": "Cloudflare Pages",
    "workers.dev": "Cloudflare Workers",
    "r2.dev": "Cloudflare R2",
    "netlify.app": "Netlify",
    "netlify.com": "Netlify",
    "vercel.app": "Vercel",
    "web.app": "Firebase Hosting",
    "firebaseapp.com": "Firebase Hosting",
    "onrender.com": "Render",
    "herokuapp.com": "Heroku",
    "fly.dev": "Fly.io",
    "surge.sh": "Surge",
    "readthedocs.io": "Read the Docs",
    "azurestaticapps.net": "Azure Static Web Apps",
    "blob.core.windows.net": "Azure Blob Storage",
    "web.core.windows.net": "Azure Storage static websites",
    "amazonaws.com": "Amazon S3",
    "cloudfront.net": "Amazon CloudFront",
    "storage.googleapis.com": "Google Cloud Storage",
    "digitaloceanspaces.com": "DigitalOcean Spaces",
}


# Names reserved so that no one can ever own them (RFC 2606 and RFC 6761): the three
# second-level example domains, and the top-level names for examples, tests, invalid
# names and this machine. A host under one of them, or the name itself, is a placeholder.
RESERVED_DOMAINS: Final[dict[str, str]] = {
    "example.org": "RFC 2606",
    "example.com": "RFC 2606",
    "example.net": "RFC 2606",
    "example": "RFC 2606",
    "test": "RFC 2606",
    "invalid": "RFC 2606",
    "localhost": "RFC 6761",
}


def _host(url: str) -> str:
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return name.rstrip(".")  # hostname is lower-cased already


def _under(name: str, domain: str) -> bool:
    return name == domain or name.endswith(f".{domain}")


def _domain_in(url: str, domains: dict[str, str]) -> tuple[str, str] | None:
    """(domain, what `domains` says of it) when `url`'s host is one of `domains` or under
    it, else None."""
    name = _host(url)
    for domain, said in domains.items():
        if name and _under(name, domain):
            return domain, said
    return None


def host_default_domain(url: str) -> tuple[str, str] | None:
    """(domain, host) when `url` is on a host's default domain, else None."""
    return _domain_in(url, HOST_DEFAULT_DOMAINS)


def placeholder_domain(url: str) -> tuple[str, str] | None:
    """(domain, the RFC that reserves it) when `url` is on a name reserved for examples
    and tests, which nobody can own or visit, else None."""
    return _domain_in(url, RESERVED_DOMAINS)


def placeholder_reason(url: str) -> str | None:
    """Why the registry cannot be published at `url` (a placeholder), else None."""
    if (found := placeholder_domain(url)) is None:
        return None
    domain, rfc = found
    return (f"site_url {url} is a placeholder: {domain} is a name reserved for examples "
            f"and tests ({rfc}), which nobody can own or visit, and every badge, "
            "assertion and snippet would embed it. Set site_url in mkdocs.yml to the "
            "address the registry is published at, on a domain it owns, before publishing")


def address_notices(url: str) -> list[str]:
    """What `socialmission build` tells the maintainers about the registry's address
    (never a MkDocs warning, which a strict build turns into a failure)."""
    found = [placeholder_reason(url), borrowed_address_notice(url)]
    return [f"notice: {notice}" for notice in found if notice]


def borrowed_address_notice(url: str) -> str | None:
    """What to tell the maintainers when the registry's address is a host's, else None."""
    if (found := host_default_domain(url)) is None:
        return None
    domain, host = found
    return (f"site_url {url} is on {domain}, {host}'s own domain: every badge, "
            "assertion and snippet embeds it, so moving to another host would change "
            "every badge URL already handed out. Publish on a domain the registry owns "
            f"and point it at the host: see {paths.OPERATORS_GUIDE}, \"The site's address\"")

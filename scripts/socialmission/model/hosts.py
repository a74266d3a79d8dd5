"""Hosts' default domains: addresses a registry borrows from whoever serves it today.

Every baked badge, assertion and snippet embeds the registry's address (`site_url`), so
that address must be a domain the registry owns: on a host's own domain
(`example.github.io`), moving to another host would change every badge URL already
handed out. `socialmission build` says so when `site_url` is on one of these.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

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


def host_default_domain(url: str) -> tuple[str, str] | None:
    """(domain, host) when `url` is on a host's default domain, else None."""
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return None
    name = name.rstrip(".")  # hostname is lower-cased already
    for domain, host in HOST_DEFAULT_DOMAINS.items():
        if name == domain or name.endswith(f".{domain}"):
            return domain, host
    return None


def borrowed_address_notice(url: str) -> str | None:
    """What to tell the maintainers when the registry's address is a host's, else None."""
    found = host_default_domain(url)
    if found is None:
        return None
    domain, host = found
    return (f"notice: site_url {url} is on {domain}, {host}'s own domain: every badge, "
            "assertion and snippet embeds it, so moving to another host would change "
            "every badge URL already handed out. Publish on a domain the registry owns "
            "(such as https://socialmission.example.org/) and point it at the host: see "
            "the README's 'Set up, build, test'")

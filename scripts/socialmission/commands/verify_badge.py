"""`socialmission verify-badge`: is this badge (a file or an address) a valid, unrevoked
Open Badges 3.0 credential of its issuer's, and for whom? (render/badge_check.py)"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from socialmission.commands.context import registry_root
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model.settings import site_url

if TYPE_CHECKING:  # the site extra (pyld, cryptography): imported when the command runs
    from socialmission.render.badge_check import Documents

MAX_DOCUMENT = 4 << 20  # bytes read from the site folder for one document


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check a badge (PNG, SVG or JSON; a file or an https address): unbake its Open "
        "Badges 3.0 credential, check its proof against its issuer's DID document and its "
        "revocation bit in the issuer's status list and, with --expect-site, that it was "
        "issued to that site. With --site, the DID document and the status list are read "
        "from that built site (this registry's, its site_url mapped onto the folder) and "
        "nothing is fetched; otherwise they are fetched through the safe fetcher. Exit 0 "
        "when the badge is valid, 1 otherwise (tampered, revoked, wrong site, unknown "
        "issuer, an Open Badges 2.0 badge only, not a badge), saying why.")
    parser.add_argument("badge", metavar="FILE|URL", help="the badge: a file, or an https "
                                                          "address")
    parser.add_argument("--expect-site", metavar="ORIGIN",
                        help="the site the badge must have been issued to "
                             "(e.g. https://example.org; a leading www. aside)")
    parser.add_argument("--site", metavar="DIR", type=Path,
                        help="a built site of this registry: read documents from it only")


def site_documents(folder: Path, base: str) -> Documents:
    """Documents from a built site's folder: a URL under `base`, as the file at its path."""
    from socialmission.render.badge_check import Unavailable  # noqa: PLC0415 - the site extra

    top = folder.resolve()

    def read(url: str) -> bytes:
        if not url.startswith(base):
            raise Unavailable(f"it is not on the site {base} (with --site nothing is fetched)")
        path = (top / url[len(base):].partition("?")[0].partition("#")[0]).resolve()
        if not path.is_relative_to(top) or not path.is_file():
            raise Unavailable(f"the site {folder} has no file for it")
        with path.open("rb") as file:
            return file.read(MAX_DOCUMENT)

    return read


def fetched_documents() -> Documents:
    """Documents fetched through the safe fetcher (https only, caps, no private address)."""
    from socialmission.render.badge_check import Unavailable  # noqa: PLC0415 - the site extra
    from socialmission.site.fetch import Fetcher, FetchError  # noqa: PLC0415

    fetcher = Fetcher()

    def read(url: str) -> bytes:
        try:
            response = fetcher.get(url)
        except FetchError as error:
            raise Unavailable(str(error)) from None
        if response.status != 200:
            raise Unavailable(f"it answered HTTP {response.status}")
        return response.body

    return read


def badge_bytes(badge: str, documents: Documents) -> bytes:
    from socialmission.render.badge_check import Unavailable  # noqa: PLC0415 - the site extra

    if badge.startswith("https://"):
        try:
            return documents(badge)
        except Unavailable as error:
            raise UsageError(f"{badge}: could not be read: {error}") from None
    try:
        with Path(badge).open("rb") as file:
            return file.read(MAX_DOCUMENT + 1)
    except OSError as error:
        raise UsageError(f"{badge}: cannot be read ({error.strerror})") from None


def run(args: argparse.Namespace) -> int:
    from socialmission.render.badge_check import check_badge  # noqa: PLC0415 - the site extra

    if args.site is not None:
        if not args.site.is_dir():
            raise UsageError(f"--site {args.site}: not a folder (build the site first)")
        documents = site_documents(args.site, site_url(registry_root(args)))
    else:
        documents = fetched_documents()
    answer = check_badge(badge_bytes(args.badge, documents), documents, args.expect_site)
    print(f"{args.badge}: {answer.lines[0]}")
    for line in answer.lines[1:]:
        print(f"  {line}")
    return EXIT_OK if answer.valid else EXIT_PROBLEMS

"""`socialmission issuer-key`: the issuer's signing key in operation. The registry.yaml
entry for the seed in the environment (never from the command line, which a shell's
history keeps), and, with --check-publishable, whether a built site was signed as the
registry (the publish workflows skip their deploy when it was not)."""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from socialmission.commands.context import registry_root
from socialmission.credentials import issuer, proof
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, Refused, UsageError
from socialmission.model import paths
from socialmission.model.clock import today
from socialmission.model.hosts import placeholder_reason
from socialmission.model.settings import KEY_ID_PATTERN, IssuerKey, load_settings, site_url

DID_DOCUMENT_MAX: Final = 1 << 20  # bytes read of a built DID document (a few keys: ~1 KB)
GUIDE: Final = 'OPERATORS.md, "The issuer\'s signing key (Open Badges 3.0)"'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        f"Print the registry.yaml issuer_keys entry for the seed in the environment "
        f"variable {issuer.SEED_VARIABLE} (make one with `openssl rand -base64 32`; it is "
        "never read from the command line), with the day it signs from (today) and the "
        "DID the registry signs as. With --check-publishable, say whether the built site "
        "was signed as the registry with registry.yaml's current key: exit 0 when it "
        "was, 1 with the reason on one line when it was not (the public test key, another "
        "address, another key, no DID document), 2 usage error. The publish workflows skip "
        "their deploy on 1.")
    parser.add_argument("--id", help="the new key's id (default: the next key-N free)")
    parser.add_argument("--check-publishable", action="store_true",
                        help="exit 1, saying why, unless the built site is signed as the "
                             "registry with the current key")
    parser.add_argument("--site", help=f"with --check-publishable: the built site "
                                       f"(default: {paths.SITE_OUT})")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    if args.check_publishable:
        if args.id is not None:
            raise UsageError("--id names a new key: it does not go with --check-publishable")
        site = Path(args.site) if args.site else root / paths.SITE_OUT
        return check(site, site_url(root), load_settings(root).issuer_keys)
    if args.site is not None:
        raise UsageError("--site names a built site: it goes with --check-publishable")
    return entry(site_url(root), load_settings(root).issuer_keys, args.id)


# --- the entry to add -------------------------------------------------------------------------
def entry(url: str, keys: Sequence[IssuerKey], wanted_id: str | None) -> int:
    """Print the seed's entry for issuer_keys, or say which listed key it already is."""
    seed_text = os.environ.get(issuer.SEED_VARIABLE, "")
    if not seed_text:
        raise Refused(f"{issuer.SEED_VARIABLE} is not set: make a seed with `openssl rand "
                      f"-base64 32`, put it in the environment without typing it on a "
                      f"command line (`read -rs {issuer.SEED_VARIABLE} && export "
                      f"{issuer.SEED_VARIABLE}`, then paste it) and run this again")
    seed = issuer.read_seed(seed_text)
    if seed is None:
        raise Refused(f"{issuer.SEED_VARIABLE} is not a key's seed: it must be 32 bytes in "
                      "base64 (44 characters, as `openssl rand -base64 32` writes)")
    multikey = proof.multikey(proof.public_key(seed))
    listed = next((key for key in keys if key.public_key == multikey), None)
    where = f"The registry signs as {issuer.did(url)}; its DID document is " \
            f"{url}{paths.DID_DOCUMENT_PATH}." + (
                " site_url is still a placeholder: the DID follows it when it is set (the "
                "key stays the same)." if placeholder_reason(url) else "")
    if listed is not None:
        if listed.state != "current":
            raise Refused(f"this seed is {listed.id} in registry.yaml's issuer_keys, which "
                          f"is {listed.state}: a build with it refuses to publish. Set the "
                          "current key's seed, or make a new one")
        print(f"This seed is {listed.id}, registry.yaml's current issuer key.\n{where}")
        return EXIT_OK
    key_id = new_id(keys, wanted_id)
    current = [key.id for key in keys if key.state == "current"]
    print("Add to issuer_keys in registry.yaml" + (
        f" (and mark {current[0]}, current until now, retired; compromised if its seed "
        "may have leaked)" if current else "") + ":\n")
    lines = [] if keys else ["issuer_keys:"]
    lines += [f"  - id: {key_id}", f"    public_key: {multikey}",
              f"    since: '{today().isoformat()}'", "    state: current"]
    print("\n".join(lines) + f"\n\n{where}")
    return EXIT_OK


def new_id(keys: Sequence[IssuerKey], wanted: str | None) -> str:
    """The new key's id: `wanted`, when it is a free key-N, else the next key-N free."""
    taken = {key.id for key in keys}
    if wanted is None:
        numbers = [int(key.id.removeprefix("key-")) for key in keys]
        return f"key-{max(numbers, default=0) + 1}"
    if not re.fullmatch(KEY_ID_PATTERN, wanted) or wanted in taken:
        raise UsageError(f"--id {wanted!r} must be a free id key-1, key-2... (taken: "
                         f"{', '.join(sorted(taken)) or 'none'})")
    return wanted


# --- the check after the build ----------------------------------------------------------------
def check(site: Path, url: str, keys: Sequence[IssuerKey]) -> int:
    """Whether the site built in `site` is signed as the registry: print one line."""
    reasons = refusals(read_document(site / paths.DID_DOCUMENT_PATH), url, keys)
    if reasons:
        print(f"Not published: {'; '.join(reasons)} ({GUIDE}).")
        return EXIT_PROBLEMS
    current = next(key for key in keys if key.state == "current")
    print(f"The credentials are signed as {issuer.did(url)} with {current.id}, "
          "registry.yaml's current key: they can be published.")
    return EXIT_OK


def read_document(path: Path) -> dict[str, Any] | str:
    """The built DID document as JSON, or why it cannot be read (a built file, but read
    as untrusted: bounded, and any JSON at all)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, or a pipe that would block
            return f"the built {paths.DID_DOCUMENT_PATH} is not a file"
        with path.open("rb") as file:
            data = file.read(DID_DOCUMENT_MAX + 1)
    except FileNotFoundError:
        return f"the built site has no {paths.DID_DOCUMENT_PATH}: the build wrote no DID " \
               "document, so nothing it signed could be verified"
    except OSError as error:
        return f"the built {paths.DID_DOCUMENT_PATH} cannot be read ({error.strerror})"
    if len(data) > DID_DOCUMENT_MAX:
        return f"the built {paths.DID_DOCUMENT_PATH} is over {DID_DOCUMENT_MAX} bytes: " \
               "not a DID document this registry writes"
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        return f"the built {paths.DID_DOCUMENT_PATH} is not a JSON object: not a DID " \
               "document this registry writes"
    return document


def refusals(document: dict[str, Any] | str, url: str, keys: Sequence[IssuerKey]) -> list[str]:
    """Why a site whose DID document is `document` (or why it is unreadable) may not be
    published at `url` with registry.yaml's `keys`; empty when it may."""
    current = next((key for key in keys if key.state == "current"), None)
    no_key = "registry.yaml's issuer_keys has no current key: print its entry with " \
             "`socialmission issuer-key`"
    if isinstance(document, str):
        return [document] if current else [document, no_key]
    did = document.get("id")
    if did == issuer.did(url, test=True):
        reasons = ["the credentials were signed with the public test key: "
                   f"{issuer.SEED_VARIABLE} was not set for the build step"]
        return reasons if current else [*reasons, no_key]
    if did != issuer.did(url):
        return [f"the built DID document is for {_shown(did)}, not {issuer.did(url)} (the "
                "DID of site_url): the site was built for another address"]
    if current is None:
        return [no_key]
    if not lists_key(document, current):
        return [f"the built DID document does not list {current.id}, registry.yaml's "
                "current key, as an assertion method: the site was built from other "
                "settings"]
    return []


def lists_key(document: dict[str, Any], key: IssuerKey) -> bool:
    """Whether `document` lists `key` under its own DID, with its public key, as a way to
    sign credentials (assertionMethod)."""
    method = f"{document['id']}#{key.id}"
    methods = document.get("verificationMethod")
    asserts = document.get("assertionMethod")
    return isinstance(methods, list) and isinstance(asserts, list) and method in asserts \
        and any(isinstance(found, dict) and found.get("id") == method
                and found.get("publicKeyMultibase") == key.public_key for found in methods)


def _shown(value: object, limit: int = 80) -> str:
    """An untrusted value on one line, shortened."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}..."

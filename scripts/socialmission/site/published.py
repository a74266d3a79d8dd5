"""Badges kept beside the deployment: a build with no badge cache of its own renders only
the signatories whose badges are not published already.

At 100,000 signatories the rendered badges (about 6 GB) outgrow what a CI cache can keep
and restore in reasonable time, but the bucket a deploy fills (site/deploy.py) holds every
one of them, and its manifest records, for each badge folder stored in full, the key of
what it holds (render/cache.py's published_key: the content key, that is the design's
fingerprint and what the folder shows, with the digest of the signed credential baked
into its cards). `socialmission badge-state` copies that record into PUBLISHED_BADGES
(.cache/published-badges.json); `socialmission build --published-badges FILE` then takes
a signatory's badges as published when the key they would be built with now is the
recorded one and the local badge cache does not hold them: nothing is rendered for them,
and the built site leaves their folder out (the bucket has it, and a deploy never
deletes). A folder whose credential changed (signed again after a key rotation, say) has
another key, so it is built and published again, even where nothing it shows changed.

A site built this way is for that bucket alone: it lacks the folders the bucket already
has, so it is never what a Pages deploy uploads (publish.yml builds without the state).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from socialmission.errors import EXIT_PROBLEMS, UsageError
from socialmission.model.atomic import write_whole
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.render.cache import (
    content_key,
    credential_digest,
    load_entries,
    published_key,
)
from socialmission.render.design import load_design
from socialmission.render.face import badge_words, face_of, masthead_of

FORMAT: Final = 1
MAX_BYTES: Final = 64 << 20  # 64 MiB: about 600 bytes a signatory at 100,000
_KEY = re.compile(r"[0-9a-f]{64}")
_FOLDER = re.compile(r"[a-z0-9][a-z0-9-]*")


class StateError(UsageError):
    """A badge state file that cannot be used: says what to do; nothing is built."""

    exit_code = EXIT_PROBLEMS


def state_bytes(badges: Mapping[str, str]) -> bytes:
    """The state file: deterministic (the same state gives the same bytes)."""
    document = {"format": FORMAT, "badges": {slug: badges[slug] for slug in sorted(badges)}}
    return (json.dumps(document, indent=0, sort_keys=True) + "\n").encode()


def write_state(path: Path, badges: Mapping[str, str]) -> None:
    """Write the state file atomically (a reader never sees half of it)."""
    write_whole(path, state_bytes(badges))


def read_state(path: Path) -> dict[str, str]:
    """The published badges a state file records: badge folder -> published key. A file that
    is not one `socialmission badge-state` writes is refused, with what to do."""
    fix = ("run 'socialmission badge-state' again to fetch it, or build without "
           "--published-badges (every badge is then rendered)")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise StateError(f"{path}: {path.stat().st_size:,} bytes, over the "
                             f"{MAX_BYTES:,} a badge state may have: {fix}")
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise StateError(f"{path}: no such badge state: {fix}") from None
    except (OSError, ValueError) as error:
        raise StateError(f"{path}: not a badge state ({error}): {fix}") from None
    badges = document.get("badges") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("format") != FORMAT \
            or not isinstance(badges, dict):
        raise StateError(f"{path}: not a badge state of format {FORMAT}: {fix}")
    wrong = [key for key, value in badges.items()
             if not (_FOLDER.fullmatch(key) and isinstance(value, str)
                     and _KEY.fullmatch(value))]
    if wrong:
        shown = ", ".join(repr(key[:80]) for key in wrong[:5])
        raise StateError(f"{path}: {len(wrong)} entries are not a badge folder name and a "
                         f"64-digit key (first: {shown}): {fix}")
    return dict(badges)


def already_published(root: Path, store: Path, mission: Mission, pledges: Iterable[Pledge],
                      base: str, *, published: Mapping[str, str],
                      credentials: Mapping[str, str] | None = None) -> set[str]:
    """The signatories whose badges need nothing done: `published` records their folder
    with the key it would be built with now (what it shows, and the credential
    `credentials` bakes into it: slug -> its JSON text, as build_badges takes them), and
    the local cache `store` does not hold that folder (where it does, the build reuses
    and publishes it as usual)."""
    if not published:
        return set()
    design = load_design(root)
    latest = mission.current.version
    masthead = masthead_of(root, mission, base)
    words = badge_words(root)
    local, _ = load_entries(store)
    found: set[str] = set()
    for pledge in pledges:
        recorded = published.get(pledge.slug)
        if recorded is None:
            continue
        entry = local.get(pledge.slug)
        if entry is not None and entry.published == recorded:
            continue
        content = content_key(design, face_of(pledge, base, latest, words=words), masthead)
        baked = credential_digest((credentials or {}).get(pledge.slug))
        if published_key(content, baked) == recorded:
            found.add(pledge.slug)
    return found

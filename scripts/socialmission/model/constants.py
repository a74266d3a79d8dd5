"""The registry's fixed facts: every limit and enumeration a pledge is checked against.

The JSON Schema (schema.py), the validator (rules.py) and the site all read these; none
of them repeats a number or a list.
"""

from __future__ import annotations

import re
from typing import Final

# --- files ---------------------------------------------------------------------------
PLEDGE_SUFFIX: Final = ".yaml"
PLEDGE_MAX_BYTES: Final = 16 * 1024  # a full pledge is under 2 KiB; refused before parsing
# A translation of the mission (check/translations.py): ten principles of 1,000 characters
# in a script of three UTF-8 bytes each are some 30 KiB; refused before parsing
TRANSLATION_MAX_BYTES: Final = 64 * 1024
README_NAME: Final = "README.md"

# --- slug: the file name, and the signatory's URL path ----------------------------------
SLUG_MIN: Final = 2
SLUG_MAX: Final = 64
SLUG_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RE: Final = re.compile(SLUG_PATTERN)
# Names the site or its tooling uses at the top level or under /signatories/.
RESERVED_SLUGS: Final = frozenset({
    "404", "about", "admin", "api", "assets", "badge", "badges", "data", "feed", "feeds",
    "former", "history", "index", "join", "logos", "mission", "new", "open-data", "page",
    "press", "press-kit", "schema", "schemas",
    "search", "sign", "signatories", "signatory", "sitemap", "static", "stats",
    "template", "openbadges", "well-known", "www",
})
# Device names Windows reserves whatever the extension: no checkout there can hold
# pledges/con.yaml or pledges/logos/con.png, so no slug may be one of them.
WINDOWS_DEVICE_SLUGS: Final = frozenset({
    "con", "prn", "aux", "nul",
    *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)),
})

# --- text fields -------------------------------------------------------------------------
NAME_MAX: Final = 100  # characters, after NFC normalisation
STATEMENT_MAX: Final = 500
WITHDRAWN_REASON_MAX: Final = 500
URL_MAX: Final = 300
# Combining marks a character may carry. Unicode's stream-safe text format allows 30;
# real writing needs far fewer: the sample names of every script the badges draw
# (tests/render/test_shaping.py) need at most 2 (Vietnamese 'ễ', counted decomposed), pointed
# Hebrew with cantillation about 4, the deepest Tibetan stacks for Sanskrit about 6.
# Past a handful, marks only pile up above the line: on the card badge 8 acute accents on
# one letter still stay inside its frame, 20 reach its top edge and 98 run far past it.
MAX_MARKS: Final = 8

# --- enumerations ----------------------------------------------------------------------
ORGANISATION: Final = "organisation"
INDIVIDUAL: Final = "individual"  # a person who signed for themselves
KINDS: Final = (ORGANISATION, INDIVIDUAL)
STATUSES: Final = ("active", "withdrawn")
# The fields of one signature: the first's at the pledge's top level, each later one's in
# an entry of `signed_again` (model/pledge.py, Signature).
SIGNATURE_FIELDS: Final = ("signed", "mission_version", "reaffirmed", "withdrawn",
                           "withdrawn_reason", "withdrawn_by", "status_index")
# Who withdrew a signature, when it was not the pledge's own maintainers (`withdrawn_by`).
WITHDRAWN_BY_REGISTRY: Final = "registry"
# The change form's choice that signs a withdrawn pledge again (changes/changeform.py), as
# the messages that send a signatory there name it.
SIGN_AGAIN_CHOICE: Final = "Sign again"
# The sectors are the registry's own: mission.yaml's 'sectors' (model/mission.py).
# The social networks a pledge may link to: each one's key in a pledge, its name as a
# page shows it, and the host names its profile URLs may use. Mastodon is federated, so
# any public host will do (no hosts).
SOCIAL_NETWORKS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "bluesky": ("Bluesky", ("bsky.app",)),
    "facebook": ("Facebook", ("facebook.com", "www.facebook.com")),
    "instagram": ("Instagram", ("instagram.com", "www.instagram.com")),
    "linkedin": ("LinkedIn", ("linkedin.com", "www.linkedin.com")),
    "mastodon": ("Mastodon", ()),
    "threads": ("Threads", ("threads.net", "www.threads.net", "threads.com",
                            "www.threads.com")),
    "tiktok": ("TikTok", ("tiktok.com", "www.tiktok.com")),
    "x": ("X", ("x.com", "twitter.com", "www.x.com", "www.twitter.com")),
    "youtube": ("YouTube", ("youtube.com", "www.youtube.com")),
}
SOCIAL_HOSTS: Final = {key: hosts for key, (_, hosts) in SOCIAL_NETWORKS.items()}
SOCIAL_NAMES: Final = {key: name for key, (name, _) in SOCIAL_NETWORKS.items()}

# --- redaction: what a tombstone keeps, and how it is shown ------------------------------
# A redacted pledge keeps its dates and versions (and its file name, the slug, for good).
TOMBSTONE_FIELDS: Final = ("signed", "mission_version", "reaffirmed", "status", "withdrawn",
                           "withdrawn_by", "status_index", "signed_again", "redacted")
REDACTED_NAME: Final = "Redacted signatory"  # what every page and badge shows instead

# --- revocation: the W3C Bitstring Status List (https://www.w3.org/TR/vc-bitstring-status-list/)
# Each signature's permanent index in the registry's one revocation list (`status_index`):
# the spec's minimum length, 16 KiB of bits, below which verifiers refuse a list.
STATUS_LIST_SIZE: Final = 131_072
# The environment variable that holds the issuer's Ed25519 seed (base64), which signs the
# Open Badges 3.0 credentials (credentials/issuer.py): here, so that the up-to-date check
# (mkdocs/uptodate.py) can read it without loading the signer.
ISSUER_SEED_VARIABLE: Final = "SOCIALMISSION_ISSUER_SEED"

# --- maintainers -------------------------------------------------------------------------
MAINTAINERS_MIN: Final = 1
MAINTAINERS_MAX: Final = 10
# GitHub: 1-39 characters, letters, digits and single hyphens, no hyphen at either end.
GITHUB_LOGIN_PATTERN: Final = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"
GITHUB_LOGIN_RE: Final = re.compile(GITHUB_LOGIN_PATTERN)

# --- logo ----------------------------------------------------------------------------
LOGO_PATTERN: Final = r"^logos/[a-z0-9]+(?:-[a-z0-9]+)*\.png$"
LOGO_RE: Final = re.compile(LOGO_PATTERN)
LOGO_MAX_BYTES: Final = 200 * 1024
LOGO_MIN_PX: Final = 64  # each side
LOGO_MAX_PX: Final = 1024  # each side

# --- dates ---------------------------------------------------------------------------
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_RE: Final = re.compile(DATE_PATTERN)

# --- publishing ------------------------------------------------------------------------
UPLOAD_JOBS: Final = 8  # uploads in flight at once: `socialmission deploy`'s default

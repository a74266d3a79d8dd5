"""Where everything of a registry lives: its folders on disk, and its public addresses.

Every module that needs a folder of the registry or a URL of the published site asks
here, so a path or an address is spelt once. Folders are relative to the registry's root
(the folder that holds ``mission.yaml``); URLs are built on the registry's base address
(``site_url``, always ending in '/').
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final
from urllib.parse import quote

from socialmission.model import constants as c

# --- the registry's folders and files, relative to its root -------------------------------
MISSION_FILE: Final = "mission.yaml"
# The mission's translations, beside it: TRANSLATIONS_DIR/v<N>/<language>.yaml, one file a
# published version and language (translation_file)
TRANSLATIONS_DIR: Final = "translations"
TRANSLATION_VERSION_PREFIX: Final = "v"  # a version's folder: v1, v2...
SETTINGS_FILE: Final = "registry.yaml"
MKDOCS_FILE: Final = "mkdocs.yml"
PLEDGES_DIR: Final = "pledges"
LOGO_DIR: Final = "logos"  # below PLEDGES_DIR, and the logos' folder on the site
TEMPLATE_NAME: Final = "TEMPLATE.yaml.txt"  # kept in pledges/ but never read as a pledge
DESIGN_DIR: Final = "badges"  # templates, palette and fonts of the badges
FONTS_DIR: Final = "badges/fonts"
BADGES_CACHE: Final = ".cache/badges"  # rendered badges, by content
# What a deploy to an object store keeps beside the deployment, read back by a build that
# has no badge cache of its own (site/published.py): which badge folders are published.
PUBLISHED_BADGES: Final = ".cache/published-badges.json"
# the logo check's verdicts and the re-encoded logos the site publishes, by content
LOGOS_CACHE: Final = ".cache/logos"
# the pledge files that passed their own checks, by content and validator (the build's)
VALIDATION_CACHE: Final = ".cache/validation"
# the site's web fonts, subset from FONTS_DIR and SITE_FONTS_DIR, by (font's hash,
# characters' hash)
WEBFONTS_CACHE: Final = ".cache/webfonts"
# the registry's PNG icons (render/icons.py), by design and drawing
ICONS_CACHE: Final = ".cache/icons"
# the signed Open Badges 3.0 documents (credentials/signing.py), by content and key
CREDENTIALS_CACHE: Final = ".cache/credentials"
# The project's own documents, at the repository's root (README.md maps them): the README,
# and the signatories', the operators' and the developers' guides.
README_FILE: Final = "README.md"
SIGNATORIES_GUIDE: Final = "CONTRIBUTING.md"
OPERATORS_GUIDE: Final = "OPERATORS.md"
DEVELOPERS_GUIDE: Final = "DEVELOPERS.md"
GUIDES: Final = (README_FILE, SIGNATORIES_GUIDE, OPERATORS_GUIDE, DEVELOPERS_GUIDE)
SITE_OUT: Final = "public"  # the built site
# what the last complete build of each output folder was built from (mkdocs/uptodate.py)
BUILD_STAMPS: Final = ".cache/builds"
# What the generator writes for the site engine (site/tree.py): the source tree
# (BUILD_DIR/docs), the derived configs beside it, and the engine's output (BUILD_DIR/site)
BUILD_DIR: Final = ".build"
HAND_WRITTEN_DIR: Final = "site"  # the hand-written pages and assets
# The Regular weight of the badge fonts' scripts, for the site alone (the badges are bold,
# and a font added to FONTS_DIR would change their design's fingerprint): read by the
# build (site/webfonts.py), never published as they are.
SITE_FONTS_DIR: Final = "site/fonts"
OVERRIDES_DIR: Final = "site/overrides"  # the theme's template overrides
SCHEMA_FILE: Final = "site/schema/pledge.schema.json"  # the committed, published schema
SETTINGS_SCHEMA_FILE: Final = "site/schema/registry.schema.json"  # registry.yaml's schema
# a translation's schema (check/translations.py)
TRANSLATION_SCHEMA_FILE: Final = "site/schema/translation.schema.json"
SIGN_FORM_FILE: Final = ".github/ISSUE_TEMPLATE/sign.yml"  # the issue form to sign with
CHANGE_FORM_FILE: Final = ".github/ISSUE_TEMPLATE/change.yml"  # to update or withdraw
# To report a false or abusive signature: read by people, never by the workflows
REPORT_FORM_FILE: Final = ".github/ISSUE_TEMPLATE/report.yml"
# To propose a change to the mission: read by people, never by the workflows
PROPOSAL_FORM_FILE: Final = ".github/ISSUE_TEMPLATE/proposal.yml"
# What `socialmission verify` found: read by the build for the proof marks, never by the
# badges (a missing or unreadable store only loses the marks)
PROOFS_STORE: Final = ".cache/proofs.json"
# The file a signatory's website may serve to confirm its signature (its lines name slugs)


def translation_folder(version: int) -> str:
    """The folder of a mission version's translations, relative to the registry's root."""
    return f"{TRANSLATIONS_DIR}/{TRANSLATION_VERSION_PREFIX}{version}"


def translation_file(version: int, language: str) -> str:
    """A translation's file, relative to the registry's root: its version's folder and its
    language's tag (`translations/v1/fr.yaml`)."""
    return f"{translation_folder(version)}/{language}{c.PLEDGE_SUFFIX}"


def pledges_dir(root: Path) -> Path:
    return root / PLEDGES_DIR


def fonts_dir(root: Path) -> Path:
    return root / FONTS_DIR


def site_fonts_dir(root: Path) -> Path:
    return root / SITE_FONTS_DIR


def logos_cache(root: Path) -> Path:
    return root / LOGOS_CACHE


def validation_cache(root: Path) -> Path:
    return root / VALIDATION_CACHE


# --- the site's paths, relative to its root, and the public URLs built on them -------------
BADGES_PATH: Final = "badges"  # badges/<slug>/ on the site
GENERIC_BADGE: Final = "mission"  # badges/mission/: the unnamed press-kit badges
# the press kit's download: every file of badges/mission/ in one zip ('.' is in no slug)
BADGE_KIT_SUFFIX: Final = "-badges"  # the press kit's zip: <proof_name>-badges.zip


# A badge's styles (a template each, badges/templates/<style>.svg.j2) and variants (a
# palette each, badges/palette.yaml); a badge folder holds, for each style and variant,
# the SVG and the PNG drawn at BADGE_PNG_SCALE times its size (DEVELOPERS.md, "Badges").
COMPACT_STYLE: Final = "compact"
CARD_STYLE: Final = "card"
BADGE_STYLES: Final = (COMPACT_STYLE, CARD_STYLE)
LIGHT_VARIANT: Final = "light"
DARK_VARIANT: Final = "dark"
BADGE_VARIANTS: Final = (LIGHT_VARIANT, DARK_VARIANT)
BADGE_PNG_SCALE: Final = 2


def badge_kit_path(name: str) -> str:
    """The press kit's zip of generic badges, named after the mission (`proof_name`)."""
    return f"{BADGES_PATH}/{name}{BADGE_KIT_SUFFIX}.zip"


def badge_stem(style: str, variant: str) -> str:
    """A badge file's name in its folder, without its suffix."""
    return f"{style}-{variant}"


def badge_svg(style: str, variant: str) -> str:
    return f"{badge_stem(style, variant)}.svg"


def badge_png(stem: str) -> str:
    """The PNG of the drawing `stem` (badge_stem), at BADGE_PNG_SCALE times its size."""
    return f"{stem}@{BADGE_PNG_SCALE}x.png"


# The light card's PNG: the Open Badges documents' image, the e-mail snippet's picture
# and the press kit's example
LIGHT_CARD_PNG: Final = badge_png(badge_stem(CARD_STYLE, LIGHT_VARIANT))


SIGNATORIES_PATH: Final = "signatories"
# The page "About this registry" (the hand-written site/about.md), which every page's
# footer links to (site/overrides/main.html)
ABOUT_PATH: Final = "about/"
OPENBADGES_PATH: Final = "openbadges"
SCHEMA_PATH: Final = "schema/pledge.schema.json"
SETTINGS_SCHEMA_PATH: Final = "schema/registry.schema.json"
TRANSLATION_SCHEMA_PATH: Final = "schema/translation.schema.json"
API_PATH: Final = "api/v1"
# A shields.io endpoint document for every signatory, whatever its standing, at
# SHIELDS_PATH/<slug>.json (site/shields.py): an embed made while it was active keeps
# answering, so the address never moves.
SHIELDS_PATH: Final = f"{API_PATH}/shields"
FEED_PATH: Final = "feed.xml"
# The site's colours and web fonts' faces (site/theme.py, site/webfonts.py), and the fonts
THEME_CSS_PATH: Final = "assets/theme.css"
WEBFONTS_PATH: Final = "assets/fonts"
# The registry's own logo and icons, drawn from the badge's mark (site/brand.py)
REGISTRY_LOGO_PATH: Final = "assets/logo.svg"  # the header's
FAVICON_PATH: Final = "assets/favicon.svg"
FAVICON_PNG_PATH: Final = "assets/favicon.png"  # for browsers without SVG favicons
TOUCH_ICON_PATH: Final = "assets/apple-touch-icon.png"  # a phone's home screen


# The generated pages, by source path (the engine's name for a page: `<address>.md`, or
# `<address>index.md`, published at `<address>`)
HOME_SOURCE: Final = "index.md"
HISTORY_SOURCE: Final = "history.md"  # the mission's versions, one section each
HISTORY_PATH: Final = "history/"
# A translation's page, one a published version and language, beside the history page:
# HISTORY_PATH + v<N>/<language>/ (translation_source). Its address never changes: when
# version N+1 is published, version N's translations stay at theirs, with their version,
# and the mission page links only to version N+1's.
PRESS_KIT_SOURCE: Final = "press-kit.md"
STATS_SOURCE: Final = "stats.md"
FORMER_SOURCE: Final = f"{SIGNATORIES_PATH}/former.md"  # the withdrawn signatories
# Every signatory, active and withdrawn, and each one's record; the directory's own data
API_SIGNATORIES_PATH: Final = f"{API_PATH}/signatories.json"
API_SIGNATORY_DIR: Final = f"{API_PATH}/signatories/"  # <slug>.json: one signatory's record
DIRECTORY_DATA_PATH: Final = f"{API_PATH}/directory.json"


def translation_source(version: int, language: str) -> str:
    """A translation's page's source path: `history/v1/fr.md`, published at history/v1/fr/."""
    return f"{HISTORY_PATH}{TRANSLATION_VERSION_PREFIX}{version}/{language}.md"


def translation_path(version: int, language: str) -> str:
    """A translation's page, relative to the site's root (`history/v1/fr/`)."""
    return f"{HISTORY_PATH}{TRANSLATION_VERSION_PREFIX}{version}/{language}/"


def pledge_file(slug: str) -> str:
    """A pledge's file, relative to the registry's root."""
    return f"{PLEDGES_DIR}/{slug}{c.PLEDGE_SUFFIX}"


def page_path(slug: str) -> str:
    """A signatory's page, relative to the site's root."""
    return f"{SIGNATORIES_PATH}/{slug}/"


def signatory_source(slug: str) -> str:
    """A signatory's page's source path (the engine's name for the page)."""
    return f"{SIGNATORIES_PATH}/{slug}.md"


def directory_source(number: int) -> str:
    """The source path of the directory's `number`th page (1, 2, ...)."""
    return f"{SIGNATORIES_PATH}/index.md" if number == 1 else \
        f"{SIGNATORIES_PATH}/page/{number}.md"


def api_signatory_path(slug: str) -> str:
    """A signatory's record in the API, relative to the site's root."""
    return f"{API_SIGNATORY_DIR}{slug}.json"


def mission_version_url(base: str, version: int) -> str:
    """A mission version's section of the history page."""
    return f"{base}{HISTORY_PATH}#{mission_version_anchor(version)}"


def mission_version_anchor(version: int) -> str:
    return f"mission-v{version}"


# The history page's section of the draft version (never a version's own anchor, which
# the version takes once published).
MISSION_DRAFT_ANCHOR: Final = "mission-proposed"


def signature_anchor(number: int) -> str:
    """A signature's item on its signatory's page (1 the first): the feed's id of a
    signature after a withdrawal."""
    return f"signature-{number}"


def badge_folder_path(slug: str) -> str:
    return f"{BADGES_PATH}/{slug}/"


def shields_path(slug: str) -> str:
    """A signatory's shields.io endpoint document, relative to the site's root."""
    return f"{SHIELDS_PATH}/{slug}.json"


def issuer_path() -> str:
    return f"{OPENBADGES_PATH}/issuer.json"


def badge_class_path(version: int) -> str:
    return f"{OPENBADGES_PATH}/mission-v{version}.json"


def assertion_path(slug: str, version: int | None = None, signature: int = 1) -> str:
    """A signatory's assertion for one mission version of one of its signatures (1 the
    first, 2 the first signed again...). Without a version (or for the version the
    signature first signed, which the caller passes as None), the first signature's is
    `assertions/<slug>.json`, the address every badge baked before reaffirmations existed
    carries; a reaffirmed version's is `assertions/<slug>.v<N>.json`. A later signature's
    are `assertions/<slug>.s<K>.json` and `<slug>.s<K>.v<N>.json`, so that signing a
    version again never takes an earlier signature's address ('.' is never in a slug, so
    no slug's assertion can take another's, as '-v2' or '-s2' could)."""
    return f"{OPENBADGES_PATH}/assertions/{slug}{_signature_suffix(version, signature)}.json"


def _signature_suffix(version: int | None, signature: int) -> str:
    """What follows a slug in the address of one of its signature's documents."""
    suffix = "" if signature == 1 else f".s{signature}"
    return suffix + ("" if version is None else f".v{version}")


# The Open Badges 3.0 documents, beside the 2.0 ones: the issuer's DID document (the DID
# `did:web:<host>[:<path>]:openbadges` is read at <site_url>openbadges/did.json; never
# .well-known/, which the site engines drop), each mission version's Achievement, and a
# credential for each version of each signature, at the address its 2.0 assertion has
# under `assertions/`.
DID_DOCUMENT_PATH: Final = f"{OPENBADGES_PATH}/did.json"
CREDENTIALS_PATH: Final = f"{OPENBADGES_PATH}/v3"


# The registry's revocation list, a signed BitstringStatusListCredential
# (model/statuslist.py): every credential's credentialStatus points into it.
STATUS_LIST_PATH: Final = f"{CREDENTIALS_PATH}/status/revocation.json"


def achievement_path(version: int) -> str:
    return f"{CREDENTIALS_PATH}/achievements/mission-v{version}.json"


def credential_path(slug: str, version: int | None = None, signature: int = 1) -> str:
    """A signatory's Open Badges 3.0 credential: as assertion_path, under v3/."""
    return f"{CREDENTIALS_PATH}/{slug}{_signature_suffix(version, signature)}.json"


def logo_path(slug: str) -> str:
    """A pledge's logo, named after the pledge: its `logo` value, relative to pledges/,
    and where the site publishes the logo's re-encoded copy, relative to the site's root."""
    return f"{LOGO_DIR}/{slug}.png"


def page_url(base: str, slug: str) -> str:
    return base + page_path(slug)


def badge_folder_url(base: str, slug: str) -> str:
    return base + badge_folder_path(slug)


def shields_url(base: str, slug: str) -> str:
    return base + shields_path(slug)


def issuer_url(base: str) -> str:
    return base + issuer_path()


def badge_class_url(base: str, version: int) -> str:
    return base + badge_class_path(version)


def assertion_url(base: str, slug: str, version: int | None = None,
                  signature: int = 1) -> str:
    return base + assertion_path(slug, version, signature)


# --- other services' addresses that the pages link to -------------------------------------
# shields.io's endpoint badge: it draws a badge from the JSON document at its `url` query
# parameter (shields.io/badges/endpoint-badge).
SHIELDS_ENDPOINT: Final = "https://img.shields.io/endpoint"
# LinkedIn's "Add to Profile" for certifications: the member's own profile, with a
# certification filled in from the query (site/linkedin.py names its parameters).
LINKEDIN_ADD_TO_PROFILE: Final = "https://www.linkedin.com/profile/add"


def shields_badge_url(document_url: str) -> str:
    """shields.io's badge drawn from the endpoint document at `document_url`: the address
    percent-encoded whole as the one query value, so shields.io reads it back exactly."""
    return f"{SHIELDS_ENDPOINT}?url={quote(document_url, safe='')}"


# --- the registry's repository on GitHub (registry.yaml's `repository`) --------------------
GITHUB_HOST: Final = "github.com"
# A repository's address: its owner (a login or organisation) and its name, as GitHub
# allows them. An ECMA-262 pattern that means the same in Python (the settings' schema).
GITHUB_REPOSITORY_PATTERN: Final = (
    r"^https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})"
    r"/((?!\.\.?(?:\.git)?/?$)[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$")
# The file the "Sign on GitHub" link proposes, below PLEDGES_DIR: GitHub's page lets the
# signatory rename it, and the pull request's checks say what the name must be.
SIGN_FILE_NAME: Final = "your-page-address.yaml"
# GitHub answers 414 (URI Too Long) past its server's limit; browsers take far longer
# addresses. Links built here stay below this many characters.
GITHUB_URL_MAX: Final = 8000


def github_repository(repository: str) -> tuple[str, str] | None:
    """(owner, name) when `repository` is a repository's address on github.com, else None."""
    found = re.fullmatch(GITHUB_REPOSITORY_PATTERN, repository)
    return (found[1], found[2]) if found else None


def _github(owner_name: tuple[str, str]) -> str:
    return f"https://{GITHUB_HOST}/{owner_name[0]}/{owner_name[1]}"


def github_new_file_url(owner_name: tuple[str, str], branch: str, path: str,
                        text: str) -> str:
    """GitHub's "new file" page on `branch`, with the file `path` and its `text` filled in.
    Every query value is percent-encoded whole (spaces, '&', '#', '+' and newlines
    included), so GitHub reads back exactly `text`."""
    return (f"{_github(owner_name)}/new/{quote(branch, safe='/')}"
            f"?filename={quote(path, safe='/')}&value={quote(text, safe='')}")


def github_issue_form_url(owner_name: tuple[str, str], form_file: str) -> str:
    """A new issue from one of the repository's issue forms (its file under
    .github/ISSUE_TEMPLATE/)."""
    return f"{_github(owner_name)}/issues/new?template={quote(Path(form_file).name, safe='')}"


def github_pull_requests_url(owner_name: tuple[str, str]) -> str:
    return f"{_github(owner_name)}/pulls"

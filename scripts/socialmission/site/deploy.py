"""`socialmission deploy`: the built site into an S3 bucket (behind a CDN), changes only.

Two steps with one job each. `plan` compares the built site with the manifest kept in
the bucket (what each published file's content and headers are) and with the bucket's
listing, and says what to upload; `publish` carries the plan out, then writes the new
manifest, after every object it lists.

What a deploy promises:
- Only files whose content (SHA-256) or headers changed are uploaded.
- Nothing is ever deleted. Badge and Open Badges URLs are promises made to signatories
  and to whoever verifies an assertion; an old fingerprinted stylesheet is still named by
  pages that a CDN or a browser keeps for their max-age; and any other old address keeps
  answering rather than turning into a 404. Files that left the site stay in the bucket
  and in the manifest (as stale), so a later deploy still knows them.
- Safe to interrupt and run again: an S3 PUT either stores the whole object or nothing,
  each object carries its SHA-256 in its metadata, and the manifest is written last. A
  rerun finds what a killed deploy had already stored (in the listing, confirmed by the
  object's own SHA-256) and uploads only what is missing or changed.
- Pages go up after everything they link to, so a visitor never gets a new page whose
  new stylesheet or badge is not there yet.

The manifest also keeps the badge state beside the deployment: for every signatory's badge
folder stored in full, the key of what it holds (render/cache.py's published_key: what it
shows, and the signed credential baked into its cards). A build with no badge cache of its
own reads it back (`socialmission badge-state`, site/published.py) and renders only the
badges that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Final, NamedTuple, Protocol

from socialmission.errors import EXIT_PROBLEMS, UsageError
from socialmission.model.constants import UPLOAD_JOBS
from socialmission.model.paths import BADGES_PATH, OPENBADGES_PATH, badge_folder_path
from socialmission.render.cache import Entry as CacheEntry

MANIFEST: Final = ".socialmission/deploy-manifest.json"  # relative to the target's prefix
MANIFEST_FORMAT: Final = 1
METADATA_KEY: Final = "sha256"  # x-amz-meta-sha256: each object's own content hash

# Badges change when a signatory withdraws, and pages, the API and the feed with every
# merge: a short max-age, never `immutable`. Fingerprinted assets (the theme's
# `main.<hash>.min.css`) never change under their name: a year.
SHORT_CACHE: Final = "public, max-age=300"  # 5 minutes
LONG_CACHE: Final = "public, max-age=31536000, immutable"  # a year
FINGERPRINTED_RE: Final = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:css|js)(?:\.map)?$")

CONTENT_TYPES: Final[dict[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".map": "application/json",  # source maps
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".gz": "application/gzip",  # sitemap.xml.gz: served as the file, not decoded
    ".zip": "application/zip",  # the press kit's badges/<proof_name>-badges.zip
    ".webmanifest": "application/manifest+json",
}
PROMISES: Final = (f"{BADGES_PATH}/", f"{OPENBADGES_PATH}/")  # URLs handed out for good


class DeployError(UsageError):
    """The deploy could not be done or finished; what was stored is kept (see publish)."""

    exit_code = EXIT_PROBLEMS


# --- where to ---------------------------------------------------------------------------
_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_SEGMENT_RE = re.compile(r"[A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str  # '' or segments joined by '/', without a leading or trailing '/'

    def key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def parse_target(text: str, option: str = "--to") -> Target:
    """`s3://BUCKET[/PREFIX]`: an S3 bucket name (3-63 lower-case letters, digits, dots and
    hyphens) and an optional folder in it, of letters, digits and `._~-` only. `option`
    names where the address was given, in the message."""
    rule = (f"{option} must be s3://BUCKET or s3://BUCKET/PREFIX, with a bucket name of 3-63 "
            "lower-case letters, digits, dots and hyphens and a prefix of folder names "
            f"made of letters, digits and ._~- (got {text!r})")
    if not text.startswith("s3://"):
        raise UsageError(rule)
    bucket, _, prefix = text.removeprefix("s3://").partition("/")
    segments = prefix.strip("/").split("/") if prefix.strip("/") else []
    if not _BUCKET_RE.fullmatch(bucket) or ".." in bucket or any(
            not _SEGMENT_RE.fullmatch(s) or s in (".", "..") for s in segments):
        raise UsageError(rule)
    return Target(bucket, "/".join(segments))


def parse_endpoint(text: str | None) -> str | None:
    """An S3-compatible service's address: http(s), without spaces; None (or empty, as an
    unset CI variable is) for AWS itself."""
    if not text:
        return None
    if not text.startswith(("https://", "http://")) or any(ch.isspace() for ch in text):
        raise UsageError(f"--endpoint must be an http(s) address, such as "
                         f"https://ACCOUNT.r2.cloudflarestorage.com (got {text!r})")
    return text


# --- what is to be published --------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One published file as the manifest records it."""

    sha256: str
    size: int
    content_type: str
    cache_control: str

    def as_json(self) -> dict[str, object]:
        return {"sha256": self.sha256, "size": self.size, "content_type": self.content_type,
                "cache_control": self.cache_control}


@dataclass(frozen=True)
class LocalFile:
    path: str  # relative to the site's root, with '/'
    source: Path
    entry: Entry


def headers_for(path: str) -> tuple[str, str] | None:
    """(Content-Type, Cache-Control) of a site path; None for a type this does not know."""
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        return None
    name = PurePosixPath(path).name
    cache = LONG_CACHE if FINGERPRINTED_RE.search(name) and not path.startswith(PROMISES) \
        else SHORT_CACHE
    return content_type, cache


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_site(site: Path) -> list[LocalFile]:
    """Every file of the built site, sorted by path, with its hash and headers. Refuses a
    site that is not a folder of plain files of known types (every problem at once)."""
    if not site.is_dir():
        raise UsageError(f"{site} is not a built site: run 'socialmission build' first, or "
                         "pass --site")
    found: list[LocalFile] = []
    problems: list[str] = []
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            source = Path(folder) / name
            path = source.relative_to(site).as_posix()
            if source.is_symlink() or not source.is_file():
                problems.append(f"{path}: a link or special file; the site must be plain "
                                "files (a link could publish a file from outside it)")
                continue
            if path.startswith(MANIFEST.split("/", 1)[0] + "/"):
                problems.append(f"{path}: the deploy keeps its manifest under "
                                f"{MANIFEST.split('/', 1)[0]}/; the site may not use it")
                continue
            headers = headers_for(path)
            if headers is None:
                problems.append(f"{path}: no Content-Type is known for "
                                f"{PurePosixPath(path).suffix or 'a name without a suffix'}:"
                                " add it to CONTENT_TYPES in site/deploy.py")
                continue
            entry = Entry(_sha256(source), source.stat().st_size, *headers)
            found.append(LocalFile(path, source, entry))
    if problems:
        raise DeployError(f"{site} cannot be published as it is:\n  "
                          + "\n  ".join(sorted(problems)))
    found.sort(key=lambda f: f.path)
    return found


# --- the manifest -------------------------------------------------------------------------
_CONTENT_KEY = re.compile(r"[0-9a-f]{64}")
_FOLDER_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class Manifest(NamedTuple):
    files: dict[str, Entry]
    note: str | None = None  # why the manifest in the bucket was not used, if it was not
    # signatory (badge folder name) -> the published key of what its stored folder holds
    badges: dict[str, str] = {}  # noqa: RUF012 - a NamedTuple default, never mutated


def parse_manifest(data: bytes | None) -> Manifest:
    """The manifest's entries and badge state, and a note when it was there but unreadable
    (then it is taken as empty: every file is checked against the bucket itself, every
    badge is rendered, nothing is lost)."""
    if data is None:
        return Manifest({})
    try:
        document = json.loads(data)
        if document.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"format {document.get('format')!r}, not {MANIFEST_FORMAT}")
        badges = document.get("badges", {})
        if not isinstance(badges, dict) or not all(
                isinstance(k, str) and _FOLDER_NAME.fullmatch(k) and isinstance(v, str)
                and _CONTENT_KEY.fullmatch(v) for k, v in badges.items()):
            raise ValueError("its badge state is not a map of folder names to keys")
        entries = {}
        for path, item in document["files"].items():
            if not isinstance(path, str) or set(item) != {"sha256", "size", "content_type",
                                                          "cache_control"}:
                raise ValueError(f"entry {path!r}")
            entry = Entry(**item)
            if not (isinstance(entry.sha256, str) and isinstance(entry.size, int)
                    and isinstance(entry.content_type, str)
                    and isinstance(entry.cache_control, str)):
                raise ValueError(f"entry {path!r}")
            entries[path] = entry
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        return Manifest({}, f"the manifest {MANIFEST} in the bucket is not one this version "
                            f"writes ({error}): every file is checked against the bucket "
                            "instead")
    return Manifest(entries, None, badges)


def manifest_bytes(entries: Mapping[str, Entry],
                   badges: Mapping[str, str] | None = None) -> bytes:
    """The manifest, deterministic: the same entries give the same bytes."""
    document = {"format": MANIFEST_FORMAT,
                "badges": {slug: (badges or {})[slug] for slug in sorted(badges or {})},
                "files": {path: entries[path].as_json() for path in sorted(entries)}}
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def _badge_folders(paths: Iterable[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """(site path, SHA-256) pairs of files in `badges/<folder>/` by folder and file name."""
    folders: dict[str, dict[str, str]] = {}
    for path, digest in paths:
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == BADGES_PATH:
            folders.setdefault(parts[1], {})[parts[2]] = digest
    return folders


def badge_keys(local: Iterable[LocalFile], cache: Mapping[str, CacheEntry],
               previous: Mapping[str, str]) -> dict[str, str]:
    """The badge state this deploy leaves, if every upload succeeds: each badge folder in
    the site whose files are exactly those the badge cache wrote has the cache's published
    key for it (what it shows and the credential baked in, so a folder re-baked with
    another credential has another key); a folder the site does not hold (a build with the
    published state leaves out the folders the bucket has already) keeps the key the
    bucket's manifest gave it. A folder in the site that the cache cannot vouch for has
    none: the next build with the state renders it again."""
    site = _badge_folders((f.path, f.entry.sha256) for f in local)
    keys = {slug: key for slug, key in previous.items() if slug not in site}
    for slug, files in site.items():
        entry = cache.get(slug)
        if entry is not None and {n: r[2] for n, r in entry.files.items()} == files:
            keys[slug] = entry.published
    return keys


# --- the plan -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    upload: list[LocalFile]  # new or changed, pages last
    verify: list[LocalFile]  # in the bucket but not as the manifest says: check the object
    unchanged: list[LocalFile]
    stale: list[str]  # in the manifest, gone from the site: kept (never deleted)
    previous: dict[str, Entry]  # the manifest as read
    notes: list[str] = field(default_factory=list)
    badges: dict[str, str] = field(default_factory=dict)  # the badge state to leave

    @property
    def stale_promises(self) -> list[str]:
        return [path for path in self.stale if path.startswith(PROMISES)]


def _pages_last(files: Iterable[LocalFile]) -> list[LocalFile]:
    return sorted(files, key=lambda f: (f.path.endswith(".html"), f.path))


def plan(local: list[LocalFile], manifest: Mapping[str, Entry],
         listing: Mapping[str, int]) -> Plan:
    """What to upload: each site file the manifest does not record as it is now, or that
    the bucket's listing (path: size) lacks. One that the listing has at the right size,
    though the manifest disagrees, may be there already (stored by a deploy that was
    stopped before its manifest): it is to be verified, not uploaded blindly."""
    upload, verify, unchanged = [], [], []
    for file in local:
        size = listing.get(file.path)
        if manifest.get(file.path) == file.entry and size == file.entry.size:
            unchanged.append(file)
        elif size == file.entry.size:
            verify.append(file)
        else:
            upload.append(file)
    here = {file.path for file in local}
    stale = sorted(path for path in manifest if path not in here)
    return Plan(_pages_last(upload), verify, unchanged, stale, dict(manifest))


# --- the bucket ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Stored:
    sha256: str | None
    content_type: str
    cache_control: str


class Store(Protocol):
    """An object store, by paths relative to the target's prefix."""

    def listing(self) -> dict[str, int]: ...
    def get(self, path: str) -> bytes | None: ...
    def head(self, path: str) -> Stored | None: ...
    def put(self, path: str, body: bytes, entry: Entry) -> None: ...


class S3Store:
    """The S3 API through boto3: AWS, or any compatible service at `endpoint`
    (Cloudflare R2, MinIO, SeaweedFS). Credentials come from boto3's usual sources
    (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role)."""

    def __init__(self, target: Target, endpoint: str | None = None) -> None:
        import boto3  # noqa: PLC0415 - only a deploy needs it, and it is slow to import
        from botocore.config import Config  # noqa: PLC0415

        session = boto3.session.Session()
        config = Config(retries={"max_attempts": 5, "mode": "standard"},
                        connect_timeout=10, read_timeout=60,
                        max_pool_connections=UPLOAD_JOBS,
                        # a custom endpoint (R2, MinIO) names the bucket in the path
                        s3={"addressing_style": "path" if endpoint else "auto"})
        self.target = target
        self.client: Any = session.client("s3", endpoint_url=endpoint, config=config,
                                          region_name=session.region_name or "us-east-1")

    def listing(self) -> dict[str, int]:
        start = f"{self.target.prefix}/" if self.target.prefix else ""
        sizes: dict[str, int] = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.target.bucket, Prefix=start)
        for page in pages:
            for item in page.get("Contents", []):
                sizes[item["Key"].removeprefix(start)] = int(item["Size"])
        return sizes

    def _object(self, call: str, path: str) -> Any:
        """The answer of the client's `call` (get_object, head_object) for `path`, or None
        when the bucket has no such object."""
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            return getattr(self.client, call)(Bucket=self.target.bucket,
                                              Key=self.target.key(path))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    def get(self, path: str) -> bytes | None:
        if (answer := self._object("get_object", path)) is None:
            return None
        body: bytes = answer["Body"].read()
        return body

    def head(self, path: str) -> Stored | None:
        if (answer := self._object("head_object", path)) is None:
            return None
        return Stored(answer.get("Metadata", {}).get(METADATA_KEY),
                      answer.get("ContentType", ""), answer.get("CacheControl", ""))

    def put(self, path: str, body: bytes, entry: Entry) -> None:
        self.client.put_object(Bucket=self.target.bucket, Key=self.target.key(path),
                               Body=body, ContentType=entry.content_type,
                               CacheControl=entry.cache_control,
                               Metadata={METADATA_KEY: entry.sha256})


def _store_errors() -> tuple[type[BaseException], ...]:
    """What a store raises when the bucket, the network or the credentials fail."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415
    except ImportError:
        return (OSError,)
    return (BotoCoreError, ClientError, OSError)


def read_plan(store: Store, local: list[LocalFile],
              cache: Mapping[str, CacheEntry] | None = None) -> Plan:
    """Read the manifest and the listing, and plan (see plan); with the badge cache's
    entries, the badge state to leave too (see badge_keys)."""
    try:
        previous = parse_manifest(store.get(MANIFEST))
        listing = store.listing()
    except _store_errors() as error:
        raise DeployError(f"cannot read the bucket: {error}") from None
    planned = plan(local, previous.files, listing)
    planned.badges.update(badge_keys(local, cache or {}, previous.badges))
    if previous.note:
        planned.notes.append(previous.note)
    return planned


def read_badge_state(store: Store) -> Manifest:
    """The badge state kept beside the deployment (see the module's docstring): only the
    folders whose every file the manifest records as stored."""
    try:
        manifest = parse_manifest(store.get(MANIFEST))
    except _store_errors() as error:
        raise DeployError(f"cannot read the bucket: {error}") from None
    stored = _badge_folders((path, entry.sha256) for path, entry in manifest.files.items())
    return manifest._replace(badges={slug: key for slug, key in manifest.badges.items()
                                     if stored.get(slug)})


@dataclass(frozen=True)
class Result:
    uploaded: list[str]
    verified: list[str]  # found stored already, as they are now (a stopped deploy's work)
    unchanged: int
    stale: list[str]


def publish(store: Store, planned: Plan, *, jobs: int = UPLOAD_JOBS,
            progress: Callable[[str], None] | None = None) -> Result:
    """Upload what `planned` says, pages last, then write the manifest: the previous one's
    stale entries (kept in the bucket) and every site file now stored. If an upload fails,
    the manifest is still written for what was stored, and the error is raised."""
    stored: dict[str, Entry] = {path: planned.previous[path] for path in planned.stale}
    stored.update({f.path: f.entry for f in planned.unchanged})
    uploaded: list[str] = []
    verified: list[str] = []

    def check(file: LocalFile) -> bool:
        found = store.head(file.path)
        return found is not None and (found.sha256, found.content_type,
                                      found.cache_control) == (
            file.entry.sha256, file.entry.content_type, file.entry.cache_control)

    def send(file: LocalFile) -> LocalFile:
        store.put(file.path, file.source.read_bytes(), file.entry)
        if progress:
            progress(file.path)
        return file

    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            to_send = list(planned.upload)
            for file, there in zip(planned.verify, pool.map(check, planned.verify),
                                   strict=True):
                if there:
                    verified.append(file.path)
                    stored[file.path] = file.entry
                else:
                    to_send.append(file)
            to_send = _pages_last(to_send)
            for pages in (False, True):  # everything a page links to, then the pages
                batch = [f for f in to_send if f.path.endswith(".html") is pages]
                for file in pool.map(send, batch):
                    uploaded.append(file.path)
                    stored[file.path] = file.entry
        except _store_errors() as error:
            failure = error
    # The badge state names only folders whose files are all stored as the site has them
    # (an upload that failed leaves its folder out: the next build renders it again).
    site = _badge_folders((f.path, f.entry.sha256) for f in
                          [*planned.upload, *planned.verify, *planned.unchanged])
    badges = {slug: key for slug, key in planned.badges.items()
              if all(stored.get(badge_folder_path(slug) + name) is not None
                     and stored[badge_folder_path(slug) + name].sha256 == digest
                     for name, digest in site.get(slug, {}).items())}
    body = manifest_bytes(stored, badges)
    try:
        store.put(MANIFEST, body, Entry(hashlib.sha256(body).hexdigest(), 0,
                                        "application/json", "no-store"))
    except _store_errors() as error:
        failure = failure or error
    if failure is not None:
        raise DeployError(f"the deploy stopped after {len(uploaded)} uploads: {failure}; "
                          "what was stored is recorded: run the same deploy again to "
                          "finish it") from None
    return Result(uploaded, verified, len(planned.unchanged), planned.stale)

"""`socialmission deploy`: the plan (the site against the bucket's manifest) and the upload,
against a real S3 server on 127.0.0.1 (SeaweedFS, s3_support.py), never a mock.

What these tests do not prove is in OPERATORS.md ("Publishing past one host"): AWS's and
R2's own checksum defaults, and that a CDN serves /slug/index.html for /slug/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, WORDS
from s3_support import S3Server, running_s3
from sample_registry import sample_registry
from socialmission.errors import UsageError
from socialmission.model import hosts
from socialmission.model.paths import BADGES_CACHE, BADGES_PATH, GENERIC_BADGE, PUBLISHED_BADGES
from socialmission.site import deploy
from socialmission.site.deploy import (
    LONG_CACHE,
    MANIFEST,
    SHORT_CACHE,
    DeployError,
    Entry,
    LocalFile,
    headers_for,
    manifest_bytes,
    parse_manifest,
    parse_target,
    plan,
    scan_site,
)

EPOCH = "1780000000"
WAIT = 120.0  # s at most for anything a test waits for
SOCIALMISSION = Path(sys.executable).parent / "socialmission"


# --- the registry's address ----------------------------------------------------------------
@pytest.mark.parametrize(("url", "domain"), [
    ("https://acme.github.io/registry/", "github.io"),
    ("https://ACME.GitHub.IO/", "github.io"),  # host names are case-blind
    ("https://registry.pages.dev/", "pages.dev"),
    ("https://a.b.gitlab.io./", "gitlab.io"),  # a trailing dot names the same host
    ("https://x.netlify.app:443/", "netlify.app"),
    ("https://x.vercel.app/", "vercel.app"),
    ("https://bucket.s3.eu-west-1.amazonaws.com/", "amazonaws.com"),
    ("https://socialmission.example.org/", None),
    ("https://notgithub.io/", None),  # a suffix of a label is not the domain
    ("https://github.io.example.org/", None),  # nor is a label at the start
    ("https://[::1/", None),  # unparseable: no notice, and no crash
])
def test_a_hosts_default_domain_is_recognised(url: str, domain: str | None) -> None:
    found = hosts.host_default_domain(url)
    assert (found[0] if found else None) == domain


def test_the_named_list_has_the_hosts_the_issue_names() -> None:
    assert {"github.io", "pages.dev", "gitlab.io", "netlify.app", "vercel.app"} <= set(
        hosts.HOST_DEFAULT_DOMAINS)
    for domain in hosts.HOST_DEFAULT_DOMAINS:  # spelt as a host name matches them
        assert domain == domain.lower().strip(".") and " " not in domain


def test_the_notice_says_the_rule_the_fix_and_the_value() -> None:
    notice = hosts.borrowed_address_notice("https://acme.github.io/")
    assert notice is not None
    assert "https://acme.github.io/" in notice and "GitHub Pages" in notice
    assert "a domain the registry owns" in notice
    assert hosts.borrowed_address_notice("https://socialmission.example.org/") is None


# --- where to -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "bucket", "prefix"), [
    ("s3://registry", "registry", ""),
    ("s3://registry/", "registry", ""),
    ("s3://my.registry-1/site/v1/", "my.registry-1", "site/v1"),
])
def test_a_target_names_a_bucket_and_a_folder(text: str, bucket: str, prefix: str) -> None:
    target = parse_target(text)
    assert (target.bucket, target.prefix) == (bucket, prefix)
    assert target.key("index.html") == (f"{prefix}/index.html" if prefix else "index.html")


@pytest.mark.parametrize("text", [
    "registry", "https://registry/", "s3://", "s3://ab", "s3://Registry", "s3://-registry",
    "s3://reg..istry", "s3://registry/../elsewhere", "s3://registry/a//b",
    "s3://registry/a b", "s3://registry/a?b", "s3://registry/é", "s3://registry/a\nb",
    "s3://registry/%2e%2e", "s3://" + "r" * 64,
])
def test_a_bad_target_is_refused_with_the_rule(text: str) -> None:
    with pytest.raises(UsageError, match=r"--to must be s3://BUCKET .*\(got "):
        parse_target(text)


# --- headers --------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "content_type", "cache"), [
    ("index.html", "text/html; charset=utf-8", SHORT_CACHE),
    ("signatories/ana-perez/index.html", "text/html; charset=utf-8", SHORT_CACHE),
    ("badges/ana-perez/card-dark.svg", "image/svg+xml", SHORT_CACHE),
    ("badges/ana-perez/card-dark@2x.png", "image/png", SHORT_CACHE),
    ("openbadges/assertions/ana-perez.json", "application/json", SHORT_CACHE),
    ("api/v1/signatories.json", "application/json", SHORT_CACHE),
    ("feed.xml", "application/xml", SHORT_CACHE),
    ("robots.txt", "text/plain; charset=utf-8", SHORT_CACHE),
    ("sitemap.xml.gz", "application/gzip", SHORT_CACHE),
    ("assets/registry.css", "text/css; charset=utf-8", SHORT_CACHE),  # not fingerprinted
    ("assets/directory.js", "text/javascript; charset=utf-8", SHORT_CACHE),
    ("assets/fonts/inter.woff2", "font/woff2", SHORT_CACHE),
    ("assets/stylesheets/main.57a0d79d.min.css", "text/css; charset=utf-8", LONG_CACHE),
    ("assets/javascripts/bundle.a5f9d56c.min.js", "text/javascript; charset=utf-8",
     LONG_CACHE),
    ("assets/javascripts/bundle.a5f9d56c.min.js.map", "application/json", LONG_CACHE),
    # a badge is never cached for good, whatever its name looks like
    ("badges/x/card.0123abcd.min.js", "text/javascript; charset=utf-8", SHORT_CACHE),
])
def test_each_kind_of_file_gets_its_type_and_cache(path: str, content_type: str,
                                                   cache: str) -> None:
    assert headers_for(path) == (content_type, cache)


def test_badges_and_assertions_are_never_immutable() -> None:
    assert "immutable" not in SHORT_CACHE and "max-age=300" in SHORT_CACHE
    for path in ("badges/a/card.svg", "openbadges/assertions/a.json", "index.html"):
        headers = headers_for(path)
        assert headers is not None and "immutable" not in headers[1]


def test_a_site_that_cannot_be_published_is_refused_with_every_reason(tmp_path: Path) -> None:
    site = tmp_path / "public"
    (site / ".socialmission").mkdir(parents=True)
    (site / "index.html").write_text("<p>ok</p>")
    (site / "notes.exe").write_bytes(b"MZ")
    (site / "README").write_text("no suffix")
    (site / ".socialmission" / "deploy-manifest.json").write_text("{}")
    (tmp_path / "secret.html").write_text("outside the site")
    (site / "leak.html").symlink_to(tmp_path / "secret.html")
    (site / "linked").symlink_to(tmp_path)
    with pytest.raises(DeployError) as raised:
        scan_site(site)
    lines = str(raised.value).splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == [
        ".socialmission/deploy-manifest.json", "README", "leak.html", "linked", "notes.exe"]
    assert "add it to CONTENT_TYPES" in str(raised.value)
    with pytest.raises(UsageError, match="run 'socialmission build' first"):
        scan_site(tmp_path / "missing")


# --- the manifest and the plan --------------------------------------------------------------
def _file(path: str, content: bytes, tmp_path: Path) -> LocalFile:
    import hashlib

    source = tmp_path / path.replace("/", "_")
    source.write_bytes(content)
    headers = headers_for(path)
    assert headers is not None
    return LocalFile(path, source, Entry(hashlib.sha256(content).hexdigest(), len(content),
                                         *headers))


def test_the_manifest_reads_back_what_it_wrote_and_is_deterministic(tmp_path: Path) -> None:
    files = [_file("index.html", b"<p>home</p>", tmp_path), _file("a.svg", b"<svg/>", tmp_path)]
    entries = {f.path: f.entry for f in files}
    data = manifest_bytes(entries)
    assert data == manifest_bytes(dict(reversed(entries.items())))
    assert parse_manifest(data) == (entries, None, {})
    assert parse_manifest(None) == ({}, None, {})
    badges = {"ana-perez": "a" * 64, "tomas-novak": "b" * 64}
    data = manifest_bytes(entries, badges)
    assert data == manifest_bytes(entries, dict(reversed(badges.items())))
    assert parse_manifest(data) == (entries, None, badges)


@pytest.mark.parametrize("data", [
    b"", b"\xff\xfe", b"[]", b'"text"', b'{"format": 2, "files": {}}', b'{"format": 1}',
    b'{"format": 1, "files": []}', b'{"format": 1, "files": {"a": {"sha256": 1}}}',
    b'{"format": 1, "files": {"a": {"sha256": "x", "size": "1", "content_type": "t", '
    b'"cache_control": "c"}}}',
    # a badge state that is not folder names and content keys: never trusted in part
    b'{"format": 1, "files": {}, "badges": []}',
    b'{"format": 1, "files": {}, "badges": {"../../etc": "' + b"a" * 64 + b'"}}',
    b'{"format": 1, "files": {}, "badges": {"ana": "not-a-key"}}',
    b'{"format": 1, "files": {}, "badges": {"ana": 7}}',
    b'{"format": 1, "files": {}, "badges": {"Ana": "' + b"a" * 64 + b'"}}',
])
def test_an_unreadable_manifest_means_checking_the_bucket_not_a_crash(data: bytes) -> None:
    entries, note, badges = parse_manifest(data)
    assert entries == {} and badges == {}
    assert note is not None and "every file is checked against the bucket" in note


def test_the_badge_state_names_only_folders_the_cache_rendered_as_the_site_has_them(
        tmp_path: Path) -> None:
    from socialmission.render.cache import Entry as CacheEntry

    ana = [_file(f"badges/ana/{n}", n.encode(), tmp_path) for n in ("a.svg", "b.png")]
    bo = [_file("badges/bo/a.svg", b"edited by hand", tmp_path)]
    cy = [_file("badges/cy/a.svg", b"a.svg", tmp_path)]
    page = _file("index.html", b"<p>home</p>", tmp_path)
    cache = {"ana": CacheEntry("a" * 64, {f.path.rsplit("/", 1)[1]: (1, 1, f.entry.sha256)
                                          for f in ana}),
             "bo": CacheEntry("b" * 64, {"a.svg": (1, 1, "0" * 64)}),  # not the site's bytes
             "cy": CacheEntry("c" * 64, {"a.svg": (1, 1, cy[0].entry.sha256),
                                         "b.png": (1, 1, "0" * 64)})}  # a file short
    previous = {"ana": "9" * 64, "bo": "8" * 64, "dee": "7" * 64}
    keys = deploy.badge_keys([*ana, *bo, *cy, page], cache, previous)
    # ana: the cache's key; bo and cy: the cache cannot vouch for them, so none; dee: not in
    # this site (a build with the published state), so the bucket's key stays
    assert keys == {"ana": "a" * 64, "dee": "7" * 64}


def test_the_plan_uploads_what_changed_and_checks_what_may_be_there(tmp_path: Path) -> None:
    same = _file("same.svg", b"<svg>1</svg>", tmp_path)
    changed = _file("changed.svg", b"<svg>new</svg>", tmp_path)
    page = _file("index.html", b"<p>new</p>", tmp_path)
    stored_early = _file("early.png", b"PNG", tmp_path)
    lost = _file("lost.json", b"{}", tmp_path)
    manifest = {same.path: same.entry, lost.path: lost.entry,
                changed.path: Entry("0" * 64, 99, "image/svg+xml", SHORT_CACHE),
                "badges/gone/card.svg": Entry("1" * 64, 5, "image/svg+xml", SHORT_CACHE),
                "old.html": Entry("2" * 64, 5, "text/html; charset=utf-8", SHORT_CACHE)}
    listing = {same.path: same.entry.size, changed.path: 99, stored_early.path: 3,
               "badges/gone/card.svg": 5, "old.html": 5}
    planned = plan([changed, stored_early, page, same, lost], manifest, listing)
    # pages last; a file the manifest records but the bucket lost is sent again
    assert [f.path for f in planned.upload] == ["changed.svg", "lost.json", "index.html"]
    assert [f.path for f in planned.verify] == ["early.png"]
    assert [f.path for f in planned.unchanged] == ["same.svg"]
    assert planned.stale == ["badges/gone/card.svg", "old.html"]
    assert planned.stale_promises == ["badges/gone/card.svg"]


# --- against a real S3 server ---------------------------------------------------------------
@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with running_s3(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def bucket(s3: S3Server, request: pytest.FixtureRequest) -> str:
    name = "t-" + str(request.node.name).lower().replace("_", "-")[:50].strip("-")
    s3.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def credentials(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)


class Requests:
    """The S3 calls boto3 makes, by operation and key, as each one is made."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str]] = []

    def count(self, name: str) -> int:
        return sum(1 for operation, _ in self.made if operation == name)

    def keys(self, name: str) -> set[str]:
        return {key for operation, key in self.made if operation == name}


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch, credentials: None) -> Requests:
    """Every client boto3 makes in this process (with the test server's credentials)
    reports its calls to the returned log."""
    import boto3.session

    seen = Requests()
    make_client = boto3.session.Session.client

    def client(self: Any, *args: Any, **kwargs: Any) -> Any:
        made = make_client(self, *args, **kwargs)

        def record(params: dict[str, Any], model: Any, **_: Any) -> None:
            seen.made.append((model.name, params.get("Key", "")))

        made.meta.events.register("before-parameter-build.s3", record)
        return made

    monkeypatch.setattr(boto3.session.Session, "client", client)
    return seen


def build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SOCIALMISSION), "--root", str(root), "build", "--out", str(out)],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="module")
def site(registry: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "public"
    result = build(registry, out)
    assert result.returncode == 0, result.stderr
    return out


def run_deploy(s3: S3Server, bucket: str, site: Path, *extra: str) -> str:
    result = subprocess.run([str(SOCIALMISSION), "deploy", "--to", f"s3://{bucket}/reg",
                             "--endpoint", s3.endpoint, "--site", str(site), *extra],
                            capture_output=True, text=True, timeout=WAIT, check=False,
                            env={**os.environ, **s3.env()})
    assert result.returncode == 0, result.stdout + result.stderr
    return str(result.stdout)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def manifest_of(s3: S3Server, bucket: str) -> dict[str, Any]:
    body = s3.client().get_object(Bucket=bucket, Key=f"reg/{MANIFEST}")["Body"].read()
    document: dict[str, Any] = json.loads(body)
    return document


@pytest.mark.slow
def test_a_first_upload_sends_every_file_with_its_headers_then_nothing(
        s3: S3Server, bucket: str, site: Path, requests: Requests) -> None:
    files = site_files(site)
    out = run_deploy(s3, bucket, site)
    assert f"{len(files)} uploaded, 0 already there" in out
    objects = s3.objects(bucket)
    assert set(objects) == {f"reg/{path}" for path in files} | {f"reg/{MANIFEST}"}
    client = s3.client()
    for path in ("index.html", "badges/ana-perez/card-dark.svg", "feed.xml",
                 "openbadges/assertions/ana-perez.json", "sitemap.xml.gz"):
        head = client.head_object(Bucket=bucket, Key=f"reg/{path}")
        assert (head["ContentType"], head["CacheControl"]) == headers_for(path)
        assert client.get_object(Bucket=bucket, Key=f"reg/{path}")["Body"].read() == files[path]
    fingerprinted = [p for p in files if deploy.FINGERPRINTED_RE.search(p)]
    assert fingerprinted
    assert client.head_object(Bucket=bucket, Key=f"reg/{fingerprinted[0]}")[
        "CacheControl"] == LONG_CACHE
    assert set(manifest_of(s3, bucket)["files"]) == set(files)

    # the same site again: the manifest and one listing are read, nothing is sent
    from socialmission.cli import main

    requests.made.clear()  # from here on, the deploy's own calls
    assert main(["deploy", "--to", f"s3://{bucket}/reg", "--endpoint", s3.endpoint,
                 "--site", str(site)]) == 0
    assert requests.count("PutObject") == 1  # the manifest, rewritten (identical bytes)
    assert requests.count("HeadObject") == 0
    assert s3.objects(bucket)[f"reg/{MANIFEST}"]["etag"] == objects[f"reg/{MANIFEST}"]["etag"]


@pytest.mark.slow
def test_a_one_pledge_change_uploads_only_what_it_changed(
        s3: S3Server, bucket: str, site: Path, registry: Path, requests: Requests) -> None:
    run_deploy(s3, bucket, site)
    before = site_files(site)
    pledge = registry / "pledges" / "tomas-novak.yaml"
    original = pledge.read_text(encoding="utf-8")
    pledge.write_text(original.replace("name: Tomáš Novák", "name: Tomáš Novák Jr"),
                      encoding="utf-8")
    try:
        changed_site = registry.parent / "changed" / "public"
        result = build(registry, changed_site)
        assert result.returncode == 0, result.stderr
    finally:
        pledge.write_text(original, encoding="utf-8")
    after = site_files(changed_site)
    differ = {path for path in after if before.get(path) != after[path]}
    assert any(p.startswith("badges/tomas-novak/") for p in differ)
    assert "openbadges/assertions/tomas-novak.json" in differ
    others = [p for p in differ if "/" in p and any(
        slug in p for slug in (q.stem for q in (registry / "pledges").glob("*.yaml"))
        if slug != "tomas-novak")]
    assert others == []  # no other signatory's page, badge or assertion

    from socialmission.cli import main

    requests.made.clear()  # from here on, the deploy's own calls
    assert main(["deploy", "--to", f"s3://{bucket}/reg", "--endpoint", s3.endpoint,
                 "--site", str(changed_site)]) == 0
    assert requests.keys("PutObject") == {f"reg/{p}" for p in differ} | {f"reg/{MANIFEST}"}
    assert requests.count("PutObject") == len(differ) + 1
    client = s3.client()
    for path in differ:
        body = client.get_object(Bucket=bucket, Key=f"reg/{path}")["Body"].read()
        assert body == after[path]


@pytest.mark.slow
def test_nothing_is_deleted_when_a_file_leaves_the_site(
        s3: S3Server, bucket: str, site: Path, tmp_path: Path, credentials: None) -> None:
    run_deploy(s3, bucket, site)
    smaller = tmp_path / "public"
    subprocess.run(["cp", "-a", str(site), str(smaller)], check=True)
    (smaller / "openbadges" / "assertions" / "ana-perez.json").unlink()
    for badge in (smaller / "badges" / "ana-perez").iterdir():
        badge.unlink()
    (smaller / "404.html").unlink()
    out = run_deploy(s3, bucket, smaller)
    assert "0 uploaded" in out
    objects = s3.objects(bucket)
    for path in ("openbadges/assertions/ana-perez.json", "badges/ana-perez/card-dark.svg",
                 "404.html"):
        assert f"reg/{path}" in objects
    # still known to the manifest (stale), so a later deploy can tell them from others'
    assert "openbadges/assertions/ana-perez.json" in manifest_of(s3, bucket)["files"]


SLOW_CHILD = """\
import sys, time
import boto3.session
make_client = boto3.session.Session.client
def client(self, *args, **kwargs):
    made = make_client(self, *args, **kwargs)
    made.meta.events.register("before-send.s3.PutObject", lambda **kw: time.sleep(0.05))
    return made
boto3.session.Session.client = client
from socialmission.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_a_deploy_killed_half_way_is_finished_by_the_next_and_nothing_twice(
        s3: S3Server, bucket: str, site: Path, requests: Requests) -> None:
    files = site_files(site)
    # The child is the real command with each upload slowed by 50 ms, so that the kill
    # lands half-way (the server on this machine is otherwise too quick to catch).
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_CHILD, "deploy", "--to", f"s3://{bucket}/reg",
         "--endpoint", s3.endpoint, "--site", str(site), "--jobs", "2"],
        env={**os.environ, **s3.env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT
    try:
        while len(s3.objects(bucket)) < 20:
            assert child.poll() is None, "the deploy ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(WAIT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(WAIT)
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    stored = {key.removeprefix("reg/"): item for key, item in s3.objects(bucket).items()}
    assert MANIFEST not in stored  # written last: the killed deploy never got there
    assert 20 <= len(stored) < len(files)

    from socialmission.cli import main

    requests.made.clear()  # from here on, the deploy's own calls
    assert main(["deploy", "--to", f"s3://{bucket}/reg", "--endpoint", s3.endpoint,
                 "--site", str(site)]) == 0
    # only what was missing is sent; what the killed deploy stored is confirmed by its
    # own SHA-256 (one HEAD each), never sent again
    missing = set(files) - set(stored)
    assert requests.keys("PutObject") == {f"reg/{p}" for p in missing} | {f"reg/{MANIFEST}"}
    assert requests.count("PutObject") == len(missing) + 1
    assert requests.count("HeadObject") == len(stored)
    final = {key.removeprefix("reg/"): item for key, item in s3.objects(bucket).items()}
    assert set(final) == set(files) | {MANIFEST}
    for path, item in stored.items():  # untouched since the kill
        assert final[path] == item
    assert set(manifest_of(s3, bucket)["files"]) == set(files)


@pytest.mark.slow
def test_a_build_on_a_hosts_domain_notices_it_and_still_succeeds(tmp_path: Path) -> None:
    root = sample_registry(tmp_path / "registry")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: https://socialmission.example.org/", "site_url: https://acme.github.io/"),
        encoding="utf-8")
    result = build(root, tmp_path / "public")  # strict, as every build is
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if "github.io" in line]
    assert len(notices) == 1
    assert notices[0].startswith("socialmission: notice: site_url https://acme.github.io/")
    assert "WARNING" not in result.stderr
    assert (tmp_path / "public" / "index.html").is_file()
    # on the shipped placeholder, the other notice, through the same path
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://acme.github.io/", "https://socialmission.example.org/"), encoding="utf-8")
    again = build(root, tmp_path / "public")
    assert again.returncode == 0, again.stderr
    assert [line for line in again.stderr.splitlines() if "notice" in line] == [
        "socialmission: notice: site_url https://socialmission.example.org/ is a placeholder: "
        "example.org is a name reserved for examples and tests (RFC 2606), which nobody can "
        "own or visit, and every badge, assertion and snippet would embed it. Set site_url "
        "in mkdocs.yml to the address the registry is published at, on a domain it owns, "
        "before publishing"]
    assert "WARNING" not in again.stderr
    # and on the registry's own domain, nothing is said
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://socialmission.example.org/", "https://registry.socially-m.org/"),
        encoding="utf-8")
    third = build(root, tmp_path / "public")
    assert third.returncode == 0, third.stderr
    assert "notice" not in third.stderr


def test_the_s3_workflow_builds_as_publish_does_and_keeps_secrets_out_of_scripts() -> None:
    import yaml

    workflows = ROOT / ".github" / "workflows"
    workflow = yaml.safe_load((workflows / "publish-s3.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "workflow_dispatch"}
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    (job,) = workflow["jobs"].values()
    scripts = [step.get("run", "") for step in job["steps"]]
    # the badge state first, then the build that uses it, then the deploy that renews it
    (state_at,) = [i for i, s in enumerate(scripts) if "socialmission badge-state" in s]
    (build_at,) = [i for i, s in enumerate(scripts) if s.startswith("make site SITE_FLAGS")]
    (deploy_at,) = [i for i, s in enumerate(scripts) if "socialmission deploy" in s]
    assert state_at < build_at < deploy_at
    state_file = scripts[state_at].split("--out ")[1].split()[0] if "--out" in \
        scripts[state_at] else PUBLISHED_BADGES
    assert scripts[build_at] == f"make site SITE_FLAGS=--published-badges={state_file}"
    assert any("SOURCE_DATE_EPOCH" in s for s in scripts[:build_at])
    # no badge cache restored: the state lives beside the deployment
    (setup,) = [step for step in job["steps"] if step.get("uses", "").endswith(
        "setup-registry")]
    assert setup["with"] == {"badge-cache": "false"}
    for script in scripts:
        assert "${{" not in script and "secrets." not in script
    for at in (state_at, deploy_at):
        env = job["steps"][at]["env"]
        assert env["AWS_ACCESS_KEY_ID"] == "${{ secrets.AWS_ACCESS_KEY_ID }}"
        assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    # the build never sees the bucket's keys: its one secret is the issuer's signing seed
    # (tests/test_issuer_key.py)
    assert job["steps"][build_at]["env"] == {
        "SOCIALMISSION_ISSUER_SEED": "${{ secrets.SOCIALMISSION_ISSUER_SEED }}"}


@pytest.mark.parametrize("endpoint", ["ftp://example.org", "127.0.0.1:9000", "https://a b"])
def test_a_bad_endpoint_is_refused_before_anything_is_read(endpoint: str,
                                                           tmp_path: Path) -> None:
    from socialmission.cli import main

    assert main(["deploy", "--to", "s3://registry", "--endpoint", endpoint,
                 "--site", str(tmp_path)]) == 2


# --- the badge state kept beside the deployment ---------------------------------------------
def _slugs(registry: Path) -> list[str]:
    return sorted(p.stem for p in (registry / "pledges").glob("*.yaml")
                  if not p.name.startswith("_"))


def _published(site: Path) -> set[str]:
    return {p.name for p in (site / BADGES_PATH).iterdir() if p.is_dir()} - {GENERIC_BADGE}


@pytest.mark.slow
def test_a_build_with_no_badge_cache_renders_and_uploads_only_what_the_bucket_lacks(
        s3: S3Server, bucket: str, tmp_path: Path, requests: Requests) -> None:
    from socialmission.cli import main
    from socialmission.render.cache import load_entries

    # The first deploy, from a full build: the bucket's manifest records every signatory's
    # badge folder with the key the cache wrote it for.
    registry = sample_registry(tmp_path / "registry")
    site = tmp_path / "first" / "public"
    assert build(registry, site).returncode == 0
    run_deploy(s3, bucket, site, "--badges", str(registry / BADGES_CACHE))
    cache, _ = load_entries(registry / BADGES_CACHE)
    first = manifest_of(s3, bucket)["badges"]
    assert first == {slug: cache[slug].published
                     for slug in [*_slugs(registry), GENERIC_BADGE]}

    # A fresh checkout (CI keeps no badge cache), one pledge renamed.
    fresh = tmp_path / "fresh"
    shutil.copytree(registry, fresh, ignore=shutil.ignore_patterns(".cache"))
    pledge = fresh / "pledges" / "tomas-novak.yaml"
    pledge.write_text(pledge.read_text(encoding="utf-8").replace(
        "name: Tomáš Novák", "name: Tomáš Novák Jr"), encoding="utf-8")
    state = tmp_path / "state.json"
    assert main(["--root", str(fresh), "badge-state", "--from", f"s3://{bucket}/reg",
                 "--endpoint", s3.endpoint, "--out", str(state)]) == 0
    assert json.loads(state.read_bytes())["badges"] == first

    with_state = tmp_path / "with-state" / "public"
    result = subprocess.run(
        [str(SOCIALMISSION), "--root", str(fresh), "build", "--out", str(with_state),
         "--published-badges", str(state)],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    # only the renamed signatory's badges were rendered, and only they are in the site
    rendered = {p.name for p in (fresh / BADGES_CACHE).iterdir() if not p.name.startswith(".")}
    assert rendered == {GENERIC_BADGE, "tomas-novak"}
    assert _published(with_state) == {"tomas-novak"}

    # The site is a full build's, byte for byte, less the folders the bucket has.
    full = tmp_path / "full" / "public"
    assert build(fresh, full).returncode == 0
    kept = {slug for slug in _slugs(fresh) if slug != "tomas-novak"}
    assert site_files(with_state) == {
        path: data for path, data in site_files(full).items()
        if not (path.startswith(f"{BADGES_PATH}/") and path.split("/")[1] in kept)}

    requests.made.clear()  # from here on, the deploy's own calls
    assert main(["deploy", "--to", f"s3://{bucket}/reg", "--endpoint", s3.endpoint,
                 "--site", str(with_state), "--badges", str(fresh / BADGES_CACHE)]) == 0
    sent = {key.removeprefix("reg/") for key in requests.keys("PutObject")}
    assert {p for p in sent if p.startswith(f"{BADGES_PATH}/")} == {
        f"{BADGES_PATH}/tomas-novak/{p.name}" for p in (with_state / BADGES_PATH /
                                                         "tomas-novak").iterdir()}
    after = manifest_of(s3, bucket)["badges"]
    fresh_cache, _ = load_entries(fresh / BADGES_CACHE)
    assert after == first | {"tomas-novak": fresh_cache["tomas-novak"].published}
    assert after["tomas-novak"] != first["tomas-novak"]
    # every other signatory's badges are still served, as the full build made them
    client = s3.client()
    for path, data in site_files(full).items():
        if path.startswith(f"{BADGES_PATH}/"):
            assert client.get_object(Bucket=bucket, Key=f"reg/{path}")["Body"].read() == data

    # and the next state, read back, is what the deploy left
    assert main(["--root", str(fresh), "badge-state", "--from", f"s3://{bucket}/reg",
                 "--endpoint", s3.endpoint, "--out", str(state)]) == 0
    assert json.loads(state.read_bytes())["badges"] == after


@pytest.mark.slow
def test_the_badge_state_of_an_empty_bucket_is_empty(s3: S3Server, bucket: str,
                                                     tmp_path: Path, credentials: None) -> None:
    from socialmission.cli import main

    state = tmp_path / "state.json"
    assert main(["badge-state", "--from", f"s3://{bucket}/reg", "--endpoint", s3.endpoint,
                 "--out", str(state)]) == 0
    assert json.loads(state.read_bytes()) == {"badges": {}, "format": 1}


def test_the_badge_state_names_only_folders_stored_in_full() -> None:
    class Bucket:
        def __init__(self, manifest: bytes) -> None:
            self.manifest = manifest

        def get(self, path: str) -> bytes | None:
            return self.manifest if path == MANIFEST else None

    files = {"badges/ana/a.svg": Entry("1" * 64, 1, "image/svg+xml", SHORT_CACHE)}
    data = manifest_bytes(files, {"ana": "a" * 64, "gone": "b" * 64})
    state = deploy.read_badge_state(Bucket(data))  # type: ignore[arg-type]
    assert state.badges == {"ana": "a" * 64}  # "gone" has no file stored: rendered again


@pytest.mark.parametrize(("content", "says"), [
    (None, "no such badge state"),
    (b"{", "not a badge state"),
    (b"\xff", "not a badge state"),
    (b"[]", "not a badge state of format 1"),
    (b'{"format": 2, "badges": {}}', "not a badge state of format 1"),
    (b'{"format": 1, "badges": []}', "not a badge state of format 1"),
    (b'{"format": 1, "badges": {"../x": "' + b"a" * 64 + b'"}}', "'../x'"),
    (b'{"format": 1, "badges": {"ana": "<script>"}}', "'ana'"),
    (b'{"format": 1, "badges": {"ana": null}}', "1 entries are not"),
])
def test_a_bad_badge_state_is_refused_with_what_to_do(
        tmp_path: Path, content: bytes | None, says: str) -> None:
    from socialmission.site.published import read_state

    path = tmp_path / "state.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        read_state(path)
    assert says in str(caught.value)
    assert "run 'socialmission badge-state' again" in str(caught.value)


def test_an_oversized_badge_state_is_refused_before_it_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.site import published

    path = tmp_path / "state.json"
    path.write_bytes(published.state_bytes({f"s{n}": "a" * 64 for n in range(100)}))
    monkeypatch.setattr(published, "MAX_BYTES", 1000)
    with pytest.raises(UsageError, match="over the 1,000 a badge state may have"):
        published.read_state(path)


def test_a_build_refuses_a_bad_badge_state_and_keeps_the_site(tmp_path: Path) -> None:
    root = sample_registry(tmp_path / "registry")
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("the previous site", encoding="utf-8")
    state = tmp_path / "state.json"
    state.write_text('{"format": 1, "badges": {"x": "y"}}', encoding="utf-8")
    result = subprocess.run(
        [str(SOCIALMISSION), "--root", str(root), "build", "--out", str(out),
         "--published-badges", str(state)],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 1
    assert "not a badge folder name and a 64-digit key" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert not (root / BADGES_CACHE).exists()  # refused before anything was rendered


def test_published_badges_are_skipped_only_when_their_key_is_the_one_now(
        tmp_path: Path) -> None:
    from socialmission.check.validate import validate
    from socialmission.model.mission import load_mission
    from socialmission.render.cache import build_badges, content_key
    from socialmission.render.design import load_design
    from socialmission.render.face import face_of, masthead_of
    from socialmission.render.layout import name_check
    from socialmission.site.published import already_published

    root = sample_registry(tmp_path / "registry")
    mission = load_mission(root)
    pledges = validate([root / "pledges"], mission, name_fits=name_check(root)).pledges
    base = "https://registry.example.org/"
    design = load_design(root)
    masthead = masthead_of(root, mission, base)
    key = {p.slug: content_key(design, face_of(p, base, mission.current.version, words=WORDS),
                               masthead)
           for p in pledges}
    store = tmp_path / "badges"
    published = {"ana-perez": key["ana-perez"], "tomas-novak": "0" * 64,
                 "nobody-now": "1" * 64}
    # ana-perez: as it would be rendered now; tomas-novak: an older rendering
    assert already_published(root, store, mission, pledges, base,
                             published=published) == {"ana-perez"}
    # a local cache that holds the folder wins: it is reused and published as usual
    build_badges(root, store, mission, [p for p in pledges if p.slug == "ana-perez"], base,
                 workers=1)
    assert already_published(root, store, mission, pledges, base, published=published) == set()

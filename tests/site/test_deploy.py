"""`socialmission deploy`: the plan (the site against the bucket's manifest) and the upload,
against a real S3 server on 127.0.0.1 (SeaweedFS, s3_support.py), never a mock.

What these tests do not prove is in the README ("Publishing past one host"): AWS's and
R2's own checksum defaults, and that a CDN serves /slug/index.html for /slug/.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from s3_support import S3Server, running_s3
from sample_registry import sample_registry
from socialmission.errors import UsageError
from socialmission.model import hosts
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
    assert parse_manifest(data) == (entries, None)
    assert parse_manifest(None) == ({}, None)


@pytest.mark.parametrize("data", [
    b"", b"\xff\xfe", b"[]", b'"text"', b'{"format": 2, "files": {}}', b'{"format": 1}',
    b'{"format": 1, "files": []}', b'{"format": 1, "files": {"a": {"sha256": 1}}}',
    b'{"format": 1, "files": {"a": {"sha256": "x", "size": "1", "content_type": "t", '
    b'"cache_control": "c"}}}',
])
def test_an_unreadable_manifest_means_checking_the_bucket_not_a_crash(data: bytes) -> None:
    entries, note = parse_manifest(data)
    assert entries == {}
    assert note is not None and "every file is checked against the bucket" in note


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
    build_at = next(i for i, s in enumerate(scripts) if s == "make site")
    (deploy_at,) = [i for i, s in enumerate(scripts) if "socialmission deploy" in s]
    assert build_at < deploy_at
    assert any("SOURCE_DATE_EPOCH" in s for s in scripts[:build_at])
    for script in scripts:
        assert "${{" not in script and "secrets." not in script
    env = job["steps"][deploy_at]["env"]
    assert env["AWS_ACCESS_KEY_ID"] == "${{ secrets.AWS_ACCESS_KEY_ID }}"
    assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"


@pytest.mark.parametrize("endpoint", ["ftp://example.org", "127.0.0.1:9000", "https://a b"])
def test_a_bad_endpoint_is_refused_before_anything_is_read(endpoint: str,
                                                           tmp_path: Path) -> None:
    from socialmission.cli import main

    assert main(["deploy", "--to", "s3://registry", "--endpoint", endpoint,
                 "--site", str(tmp_path)]) == 2

"""A built registry's signed credentials, checked by the independent verifier (tests/vc/,
Digital Bazaar's libraries, none of the registry's Python code), offline: every credential
the build publishes, the credential baked into each card badge's PNG and SVG, and the
signed revocation list verify; the withdrawn signatures, the redacted pledge's and the
first signature of a pledge signed again are reported revoked; a redacted pledge's
addresses hold only unsigned tombstones.

The registry is the tests' own (sample_registry.py), brought to that state the way an
operator does it: `status-index`, `withdraw`, `redact` and `sign-again` through the CLI.
It is signed with a key of its own, made as the operators' guide says: a seed in the
environment, and the `issuer_keys` entry `socialmission issuer-key` prints for it added to
registry.yaml. Skips with the reason where Node 20+ or the verifier's libraries are
missing; fails instead in CI (tests/vc_support.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import NAME_FITS
from sample_registry import sample_registry
from socialmission.check.validate import validate
from socialmission.cli import main
from socialmission.credentials import proof
from socialmission.credentials.issuer import SEED_VARIABLE
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Pledge
from socialmission.render.design import VARIANTS
from socialmission.render.unbake import unbake
from vc_support import Verdict, require_node, verify

pytestmark = pytest.mark.slow

WITHDRAWN = "northwind-media"  # withdrawn after it had its index: its credential is revoked
REDACTED = "tomas-novak"  # withdrawn, then redacted: tombstones, every index revoked
AGAIN = "priya-sharma"  # withdrawn, then signed again: the first revoked, the second valid
EPOCH = "1780000000"  # 2026-05-28
SEED, NEXT_SEED = (base64.b64encode(hashlib.sha256(text).digest()).decode()
                   for text in (b"the test registry's issuer", b"its next key"))


def cli(root: Path, *args: str) -> None:
    assert main(["--root", str(root), *args]) == 0, args


def add_issuer_key(root: Path) -> None:
    """Add the entry `issuer-key` prints for the seed to registry.yaml."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        cli(root, "issuer-key")
    printed = out.getvalue()
    # the block after "Add to issuer_keys in registry.yaml:": the whole setting for a
    # registry's first key, the list's new item once it has one
    entry = printed.split("\n\n")[1]
    settings = root / "registry.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.rstrip("\n") + "\n" + entry + "\n", encoding="utf-8")


def pledges_of(root: Path) -> list[Pledge]:
    report = validate([paths.pledges_dir(root)], load_mission(root), name_fits=NAME_FITS)
    assert report.ok, report.problems
    return report.pledges


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The registry and its built site."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.setenv(SEED_VARIABLE, SEED)
        root = sample_registry(tmp_path_factory.mktemp("vc-registry") / "registry")
        add_issuer_key(root)
        for pledge in pledges_of(root):
            if pledge.active:
                cli(root, "status-index", pledge.slug)
        for slug in (WITHDRAWN, REDACTED, AGAIN):
            cli(root, "withdraw", "--reason", "We no longer take part.", "--date",
                "2026-03-01", slug)
        cli(root, "redact", "--reason", "A legal request.", "--date", "2026-04-01", REDACTED)
        cli(root, "sign-again", "--date", "2026-05-01", AGAIN)
        out = root.parent / "public"
        cli(root, "build", "--out", str(out))
    return root, out


@pytest.fixture(scope="module")
def verdict(registry: tuple[Path, Path]) -> Verdict:
    return verify(require_node(), registry[1])


def card_badges(slug: str) -> list[str]:
    """The site paths of a signatory's card badges: the ones that carry the credential."""
    folder = paths.badge_folder_path(slug)
    return [folder + name for variant in VARIANTS
            for name in (paths.badge_svg(paths.CARD_STYLE, variant),
                         paths.badge_png(paths.badge_stem(paths.CARD_STYLE, variant)))]


def credential_files(out: Path) -> dict[str, dict[str, Any]]:
    """Every signed credential the build published, by site path."""
    found = {}
    for path in sorted((out / paths.CREDENTIALS_PATH).rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "OpenBadgeCredential" in document.get("type", ()) and "proof" in document:
            found[path.relative_to(out).as_posix()] = document
    return found


def test_every_credential_badge_and_list_verifies_and_the_withdrawn_are_revoked(
        registry: tuple[Path, Path], verdict: Verdict) -> None:
    root, out = registry
    entries = verdict.by_file()
    assert verdict.code == 2, verdict.report  # every one verified, some revoked
    assert verdict.report["unreadable"] == [], verdict.report["unreadable"]
    published = credential_files(out)
    pledges = {pledge.slug: pledge for pledge in pledges_of(root)}
    for slug, pledge in pledges.items():
        if pledge.tombstone or all(s.status_index is None for s in pledge.signatures):
            assert not any(f"/{slug}." in file for file in published), slug
            continue
        expected_revoked = not pledge.active or pledge.tombstone
        mine = [file for file in published if f"/{slug}." in file]
        assert mine, f"{slug}: no credential published"
        for file in [*mine, *card_badges(slug)]:
            entry = entries[file]
            assert entry["verified"], (file, entry)
            if slug == AGAIN:
                continue
            assert entry["revoked"] is expected_revoked, (file, entry)
    assert set(published) <= set(entries)
    lists = verdict.report["statusLists"]
    assert len(lists) == 1 and lists[0]["verified"], lists


def test_a_pledge_signed_again_has_its_first_signature_revoked_and_its_second_valid(
        registry: tuple[Path, Path], verdict: Verdict) -> None:
    _, out = registry
    entries = verdict.by_file()
    mine = {file: entries[file] for file in credential_files(out) if f"/{AGAIN}." in file}
    first = [entry for file, entry in mine.items() if ".s2" not in file]
    second = [entry for file, entry in mine.items() if ".s2" in file]
    assert first and second, sorted(mine)
    assert all(entry["verified"] and entry["revoked"] for entry in first), first
    assert all(entry["verified"] and not entry["revoked"] for entry in second), second
    for file in card_badges(AGAIN):  # the badge carries the signature in force
        assert entries[file]["verified"] and not entries[file]["revoked"], file


def test_a_redacted_pledges_addresses_hold_unsigned_tombstones(
        registry: tuple[Path, Path], verdict: Verdict) -> None:
    _, out = registry
    tombstones = [file for file in verdict.report["unsigned"] if f"/{REDACTED}." in file]
    assert tombstones, verdict.report["unsigned"]
    for file in tombstones:
        document = json.loads((out / file).read_text(encoding="utf-8"))
        assert "credentialSubject" not in document and "evidence" not in document
        assert "proof" not in document


def test_the_registrys_own_verify_badge_agrees_on_the_baked_badges(
        registry: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, out = registry
    valid = [pledge.slug for pledge in pledges_of(registry[0])
             if pledge.active and pledge.slug != AGAIN and pledge.current.status_index]
    for file in card_badges(valid[0]):
        assert main(["verify-badge", "--site", str(out), str(out / file)]) == 0, file
    for file in card_badges(WITHDRAWN):
        assert main(["verify-badge", "--site", str(out), str(out / file)]) == 1, file
        assert "revoked" in capsys.readouterr().out.lower()


def test_every_published_document_expands_with_no_dropped_term(
        registry: tuple[Path, Path]) -> None:
    """What a verifier in JSON-LD's safe mode refuses: a term the contexts leave
    undefined. Every 3.0 document the build wrote (credentials, tombstones, achievements,
    the status list, the DID document) must expand whole."""
    _, out = registry
    documents = [out / paths.DID_DOCUMENT_PATH,
                 *sorted((out / paths.CREDENTIALS_PATH).rglob("*.json"))]
    checked = 0
    for path in documents:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert proof.dropped_terms(document) == [], path
        checked += 1
    assert checked > len(credential_files(out)), "the 3.0 documents were not found"


def test_a_signatory_page_names_the_credential_its_badges_carry(
        registry: tuple[Path, Path]) -> None:
    root, out = registry
    for pledge in pledges_of(root):
        page = (out / "signatories" / pledge.slug / "index.html").read_text(encoding="utf-8")
        baked = (out / paths.badge_folder_path(pledge.slug)
                 / paths.badge_svg(paths.CARD_STYLE, VARIANTS[0])).read_text(encoding="utf-8")
        carries = "<openbadges:credential" in baked
        assert ("signed <a href=\"https://www.imsglobal.org/spec/ob/v3p0/\">" in page) is \
            carries, pledge.slug
        if carries:
            document = json.loads(baked.split("<![CDATA[", 1)[1].split("]]>", 1)[0])
            assert f'<a href="{document["id"]}">' in page, pledge.slug
            assert ("now revoked" in page.split("Open Badges 3.0", 1)[1][:300]) is \
                (not pledge.active), pledge.slug


def test_a_rotation_signs_and_bakes_again_and_a_compromised_key_stops_verifying(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the operators' guide rotates: key-1 retired and key-2 current, the seed replaced;
    the next build signs every credential again and bakes it into the badges, and a
    badge saved before still verifies; once key-1 is marked compromised
    that saved badge stops verifying."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv(SEED_VARIABLE, SEED)
    root = sample_registry(tmp_path / "registry")
    add_issuer_key(root)
    slug = next(pledge.slug for pledge in pledges_of(root) if pledge.active)
    cli(root, "status-index", slug)
    out = tmp_path / "public"
    cli(root, "build", "--out", str(out))
    card = out / paths.badge_folder_path(slug) / paths.LIGHT_CARD_PNG
    saved = tmp_path / "saved.png"
    saved.write_bytes(card.read_bytes())
    settings = root / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "state: current", "state: retired"), encoding="utf-8")
    monkeypatch.setenv(SEED_VARIABLE, NEXT_SEED)
    add_issuer_key(root)
    cli(root, "build", "--out", str(out))
    baked = unbake(card.read_bytes()).credential
    assert baked is not None and baked["proof"]["verificationMethod"].endswith("#key-2")
    assert main(["verify-badge", "--site", str(out), str(card)]) == 0
    assert main(["verify-badge", "--site", str(out), str(saved)]) == 0  # key-1 retired
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "state: retired", "state: compromised"), encoding="utf-8")
    cli(root, "build", "--out", str(out))
    assert main(["verify-badge", "--site", str(out), str(card)]) == 0
    assert main(["verify-badge", "--site", str(out), str(saved)]) == 1

"""The build's signed Open Badges 3.0 documents, from a registry with every kind of
signature: Acme (in force), Brio (withdrawn), Cora (withdrawn, then signed again), Dove
(redacted) and Eden (in force, signed before the revocation list: no status_index).

Every credential verifies under the DID document the build wrote; the signed list has the
bit of each withdrawn or redacted signature set; a redacted pledge's addresses hold
unsigned tombstones; Eden gets no credential and the build says so, once; each card badge
is handed the credential it is to bake; signing is cached (a warm build signs nothing, a
change signs its own documents again, a tampered entry is signed again); two builds write
the same bytes; and a build that would need a context not vendored fails, fetching
nothing."""

from __future__ import annotations

import base64
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from conftest import copy_registry
from socialmission.credentials import contexts, issuer, proof
from socialmission.model import openbadges, paths, statuslist
from socialmission.model.progress import Progress
from socialmission.site.generator import (
    GenerationError,
    SiteContent,
    generate,
    without_index_notice,
)
from vc_support import require_node, verify

BASE = "https://registry.example.org/"
V3 = paths.CREDENTIALS_PATH + "/"
INDEXES = {"acme": 11, "brio": 12, "cora-1": 13, "cora-2": 14, "dove": 15}


def _pledge(name: str, slug: str, extra: str = "") -> str:
    return (f"name: {name}\nkind: organisation\nwebsite: https://{slug}.example.org/\n"
            f"signed: 2024-05-16\nmission_version: 1\nmaintainers:\n  - login: {slug}\n"
            f"    id: {100 + len(slug)}\n{extra}")


PLEDGES = {
    "acme": _pledge("Acme Media", "acme", f"status_index: {INDEXES['acme']}\n"),
    "brio": _pledge("Brio Works", "brio", f"status_index: {INDEXES['brio']}\n"
                    "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We closed.\n"),
    "cora": _pledge("Cora Cafe", "cora", f"status_index: {INDEXES['cora-1']}\n"
                    "withdrawn: 2025-02-10\nwithdrawn_reason: We paused.\n"
                    "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
                    f"    status_index: {INDEXES['cora-2']}\n"),
    "dove": ("signed: 2024-01-10\nmission_version: 1\nstatus: withdrawn\n"
             f"withdrawn: 2024-05-01\nredacted: 2024-06-01\nstatus_index: {INDEXES['dove']}\n"),
    "eden": _pledge("Eden Books", "eden"),
}
SIGNED = {f"{V3}acme.json", f"{V3}brio.json", f"{V3}cora.json", f"{V3}cora.s2.json",
          paths.STATUS_LIST_PATH}


def registry(target: Path) -> Path:
    root = copy_registry(target)
    for slug, text in PLEDGES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return root


def build(root: Path) -> tuple[SiteContent, str]:
    """The generator's content and what it said."""
    said = io.StringIO()
    content = generate(root, BASE, said=Progress(said))
    return content, said.getvalue()


def v3_files(content: SiteContent) -> dict[str, bytes]:
    """Every Open Badges 3.0 file of the site."""
    return {path: data for path, data in content.files.items()
            if path.startswith(V3) or path == paths.DID_DOCUMENT_PATH}


def document(content: SiteContent, path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(content.files[path])
    return loaded


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteContent, str]:
    root = registry(tmp_path_factory.mktemp("registry"))
    content, said = build(root)
    return root, content, said


def test_every_credential_verifies_under_the_built_did_document(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, said = built
    keys = issuer.public_keys(document(content, paths.DID_DOCUMENT_PATH))
    signed = {path for path in v3_files(content) if "proof" in document(content, path)}
    assert signed == SIGNED
    for path in signed:
        proof.verify(document(content, path), keys)
        assert document(content, path)["id"] == BASE + path
    assert "signing 5 credentials (0 unchanged)\n" in said


def test_each_credential_carries_its_signatures_entry(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, _ = built
    list_url = BASE + paths.STATUS_LIST_PATH
    for path, index in ((f"{V3}acme.json", "acme"), (f"{V3}brio.json", "brio"),
                        (f"{V3}cora.json", "cora-1"), (f"{V3}cora.s2.json", "cora-2")):
        assert document(content, path)["credentialStatus"] == \
            statuslist.status_entry(list_url, INDEXES[index])


def test_the_signed_list_revokes_the_withdrawn_and_redacted(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, _ = built
    revocation = document(content, paths.STATUS_LIST_PATH)
    proof.verify(revocation, issuer.public_keys(document(content, paths.DID_DOCUMENT_PATH)))
    assert revocation["issuer"] == document(content, f"{V3}acme.json")["issuer"]["id"]
    bits = statuslist.decoded_list(revocation["credentialSubject"]["encodedList"])
    assert {name for name, index in INDEXES.items() if statuslist.is_set(bits, index)} == \
        {"brio", "cora-1", "dove"}
    # the day it last changed: dates from the pledges, never the clock
    assert revocation["validFrom"] == revocation["proof"]["created"] == "2025-02-10T00:00:00Z"


def test_a_redacted_pledges_address_holds_an_unsigned_tombstone(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, _ = built
    left = document(content, f"{V3}dove.json")
    assert not {"proof", "credentialSubject", "evidence", "credentialStatus"} & set(left)
    assert left["description"].startswith("Revoked. ")


def test_a_signature_without_an_index_gets_no_credential_and_is_said_once(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, said = built
    assert f"{V3}eden.json" not in content.files
    notices = [line for line in said.splitlines() if "status_index" in line]
    assert notices == [
        "socialmission: 1 signature has no status_index (signed before the revocation "
        "list), so no signed Open Badges 3.0 credential: one that could never be revoked "
        "is never issued. Give each signature in force its index with `socialmission "
        "status-index SLUG` (eden); a withdrawn one never gets one."]


def test_each_card_badge_is_handed_its_current_signatures_credential(
        built: tuple[Path, SiteContent, str]) -> None:
    _, content, _ = built
    assert content.badge_credentials == {
        slug: openbadges.dumps(document(content, path)) for slug, path in (
            ("acme", f"{V3}acme.json"), ("brio", f"{V3}brio.json"),
            ("cora", f"{V3}cora.s2.json"))}


def test_signing_is_cached_by_content_and_key(tmp_path: Path,
                                             built: tuple[Path, SiteContent, str]) -> None:
    root = tmp_path / "registry"
    shutil.copytree(built[0], root)  # its caches with it
    warm, said = build(root)
    assert "credentials: 5 signed documents, all unchanged\n" in said
    assert "signing" not in said
    assert v3_files(warm) == v3_files(built[1])
    (root / "pledges" / "acme.yaml").write_text(
        PLEDGES["acme"].replace("Acme Media", "Acme Media Group"), encoding="utf-8")
    renamed, said = build(root)
    assert "signing 1 credential (4 unchanged)\n" in said
    assert "Acme Media Group" in document(renamed, f"{V3}acme.json")["description"]
    entries = sorted((root / paths.CREDENTIALS_CACHE).iterdir())
    assert len(entries) == 5  # the old credential's entry is gone
    kept = next(entry for entry in entries if "Acme Media Group" in entry.read_text())
    kept.write_text(kept.read_text().replace("https://acme.example.org",
                                             "https://attacker.example"))
    mended, said = build(root)
    assert "signing 1 credential (4 unchanged)\n" in said
    assert v3_files(mended) == v3_files(renamed)


def test_two_builds_write_the_same_bytes(tmp_path: Path,
                                         built: tuple[Path, SiteContent, str]) -> None:
    again, _ = build(registry(tmp_path / "again"))  # no cache: everything signed again
    assert v3_files(again) == v3_files(built[1])
    assert again.badge_credentials == built[1].badge_credentials


def test_the_current_keys_seed_signs_under_the_registrys_did(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = registry(tmp_path / "registry")
    seed = bytes(range(32))
    with (root / paths.SETTINGS_FILE).open("a", encoding="utf-8") as settings:
        settings.write(f"issuer_keys:\n  - id: key-1\n    public_key: "
                       f"{proof.multikey(proof.public_key(seed))}\n    since: 2025-03-01\n"
                       "    state: current\n")
    monkeypatch.setenv(issuer.SEED_VARIABLE, base64.b64encode(seed).decode())
    content, _ = build(root)
    did = document(content, paths.DID_DOCUMENT_PATH)
    assert did["id"] == "did:web:registry.example.org:openbadges"
    acme = document(content, f"{V3}acme.json")
    assert acme["proof"]["created"] == "2025-03-01T00:00:00Z"  # the key's since: later
    proof.verify(acme, issuer.public_keys(did))


@pytest.mark.parametrize("seed", ["not a seed", base64.b64encode(bytes(32)).decode()])
def test_a_wrong_seed_stops_the_build_with_a_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: str) -> None:
    monkeypatch.setenv(issuer.SEED_VARIABLE, seed)
    with pytest.raises(GenerationError, match=issuer.SEED_VARIABLE) as raised:
        build(registry(tmp_path / "registry"))
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_build_that_needs_a_context_not_vendored_fails_and_fetches_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fetched: list[str] = []

    def fetch(url: str, options: dict[str, Any]) -> Any:
        fetched.append(url)
        raise AssertionError(f"fetched {url}")

    newer = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.4.json"
    monkeypatch.setattr(contexts, "OPEN_BADGES_V3", newer)
    default = jsonld.get_document_loader()
    jsonld.set_document_loader(fetch)  # pyld's own loader, were anything to reach it
    try:
        with pytest.raises(GenerationError, match="not vendored") as raised:
            build(registry(tmp_path / "registry"))
    finally:
        jsonld.set_document_loader(default)
    assert newer in str(raised.value)
    assert fetched == []


def test_the_independent_verifier_agrees(tmp_path: Path,
                                         built: tuple[Path, SiteContent, str]) -> None:
    """Digital Bazaar's verifier (tests/vc/), offline, on the built documents: every
    credential and the list verify; the withdrawn signatures' credentials are revoked."""
    node = require_node()
    for path, data in built[1].files.items():
        if path.startswith(paths.OPENBADGES_PATH + "/"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
    verdict = verify(node, tmp_path)
    found = verdict.by_file()
    assert set(found) == SIGNED
    assert all(entry["verified"] for entry in found.values()), verdict.report
    assert {path for path, entry in found.items() if entry["revoked"]} == \
        {f"{V3}brio.json", f"{V3}cora.json"}
    assert verdict.code == 2, verdict.report  # all verified, some revoked


def test_the_notice_counts_every_signature_and_names_a_few_to_give_an_index() -> None:
    missing = [(f"org-{number}", 1, True) for number in range(7)] + [("gone", 1, False)]
    notice = without_index_notice(missing)
    assert notice.startswith("socialmission: 8 signatures have no status_index ")
    assert "(org-0, org-1, org-2, org-3, org-4 and 2 more)" in notice
    assert "gone" not in notice
    only_withdrawn = without_index_notice([("gone", 1, False)])
    assert only_withdrawn.startswith("socialmission: 1 signature has no status_index ")
    assert "status-index" not in only_withdrawn  # nothing to give an index to

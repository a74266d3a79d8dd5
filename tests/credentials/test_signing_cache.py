"""The build's signing cache: keyed by content and key, so a warm build signs nothing and a
changed document is signed again alone; read as untrusted, so an entry that is not what
this build would sign is signed again; the same bytes in one process or on a pool."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from socialmission.credentials import credential, issuer, proof, signing
from socialmission.credentials.credential import Unsigned
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.progress import Progress
from socialmission.model.settings import Settings
from socialmission.model.urls import parse_https_url

BASE = "https://registry.example.org/"
TEST_KEY = issuer.signer(BASE, (), None, publishing=False)
SEED = bytes(range(32))
REAL_KEY = issuer.Signer(issuer.did(BASE), "key-1", SEED, dt.date(2024, 1, 1), test=False)


def pledges(count: int, *, day: int = 1) -> list[Pledge]:
    """`count` active pledges, each with its index, signed on the `day`th of May 2024."""
    return [Pledge(slug=f"signatory-{number}", path=Path(f"pledges/signatory-{number}.yaml"),
                   name=f"Signatory {number}", kind="organisation",
                   website=parse_https_url(f"https://signatory-{number}.example.org/"),
                   signed=dt.date(2024, 5, day), mission_version=1, maintainers=("octocat",),
                   status_index=100 + number) for number in range(count)]


def unsigned(mission: Mission, settings: Settings, found: list[Pledge],
             signer: issuer.Signer = TEST_KEY) -> dict[str, Unsigned]:
    return credential.documents(BASE, settings, mission, found, signer).unsigned


def sign(cache: Path, documents: dict[str, Unsigned], signer: issuer.Signer = TEST_KEY,
         **options: Any) -> signing.SigningResult:
    return signing.sign_all(documents, signer, cache, **options)


def entry(cache: Path, documents: dict[str, Unsigned], path: str,
          signer: issuer.Signer = TEST_KEY) -> Path:
    """The cache entry of the document at `path`."""
    public = proof.multikey(proof.public_key(signer.seed))
    return cache / f"{signing.cache_key(documents[path], signer.verification_method, public)}.json"


def test_a_warm_build_signs_nothing_and_gives_the_same_documents(
        tmp_path: Path, mission: Mission, settings: Settings) -> None:
    documents = unsigned(mission, settings, pledges(3))
    said = io.StringIO()
    cold = sign(tmp_path, documents, said=Progress(said))
    assert sorted(cold.signed) == sorted(documents) and cold.reused == []
    assert said.getvalue() == "signing 4 credentials (0 unchanged)\n"
    said = io.StringIO()
    warm = sign(tmp_path, documents, said=Progress(said))
    assert warm.signed == [] and sorted(warm.reused) == sorted(documents)
    assert said.getvalue() == "credentials: 4 signed documents, all unchanged\n"
    assert warm.documents == cold.documents
    keys = {TEST_KEY.verification_method: proof.public_key(TEST_KEY.seed)}
    for document in warm.documents.values():
        proof.verify(document, keys)


def test_a_changed_pledge_signs_its_credential_again_alone(
        tmp_path: Path, mission: Mission, settings: Settings) -> None:
    found = pledges(3)
    sign(tmp_path, unsigned(mission, settings, found))
    found[1] = dataclasses.replace(found[1], name="Signatory One, renamed")
    again = sign(tmp_path, unsigned(mission, settings, found))
    assert again.signed == ["openbadges/v3/signatory-1.json"]
    # the old entry is gone: the cache holds what the build wants, no more
    assert len(list(tmp_path.glob("*.json"))) == 4


def test_a_withdrawal_signs_its_credential_and_the_list_again(
        tmp_path: Path, mission: Mission, settings: Settings) -> None:
    found = pledges(3)
    sign(tmp_path, unsigned(mission, settings, found))
    found[2] = dataclasses.replace(found[2], status="withdrawn",
                                   withdrawn=dt.date(2025, 1, 5))
    # the credential says the same (its revocation is the list's bit): only the list
    again = sign(tmp_path, unsigned(mission, settings, found))
    assert again.signed == ["openbadges/v3/status/revocation.json"]
    assert again.documents["openbadges/v3/status/revocation.json"]["proof"]["created"] == \
        "2025-01-05T00:00:00Z"


def test_another_key_signs_everything_again(tmp_path: Path, mission: Mission,
                                            settings: Settings) -> None:
    sign(tmp_path, unsigned(mission, settings, pledges(2)))
    # the same DID and key id, another seed: a key's id alone never reuses a signature
    other = dataclasses.replace(TEST_KEY, seed=SEED)
    again = sign(tmp_path, unsigned(mission, settings, pledges(2), other), other)
    assert len(again.signed) == 3
    keys = {other.verification_method: proof.public_key(SEED)}
    for document in again.documents.values():
        proof.verify(document, keys)


def _tamper_body(document: dict[str, Any]) -> Any:
    document["name"] = "Someone else"
    return document


def _tamper_created(document: dict[str, Any]) -> Any:
    document["proof"]["created"] = "2030-01-01T00:00:00Z"
    return document


def _tamper_method(document: dict[str, Any]) -> Any:
    document["proof"]["verificationMethod"] = "did:web:elsewhere.example#key-1"
    return document


def _tamper_value(document: dict[str, Any]) -> Any:
    document["proof"]["proofValue"] = "z" + "1" * 20
    return document


def _extra_proof_field(document: dict[str, Any]) -> Any:
    document["proof"]["domain"] = "elsewhere.example"
    return document


def _no_proof(document: dict[str, Any]) -> Any:
    del document["proof"]
    return document


TAMPERINGS = [_tamper_body, _tamper_created, _tamper_method, _tamper_value,
              _extra_proof_field, _no_proof, lambda document: [document],
              lambda document: "not an object", lambda document: None]


def read_entry(kept: Path) -> dict[str, Any]:
    """The signed document a cache entry holds (its body's line, then its proof's)."""
    body, found, end = kept.read_text(encoding="utf-8").split("\n")
    assert end == ""
    return {**json.loads(body), "proof": json.loads(found)}


@pytest.mark.parametrize("tamper", TAMPERINGS)
@pytest.mark.parametrize("written", ["as an entry", "as one JSON document"])
def test_a_tampered_entry_is_signed_again(tmp_path: Path, mission: Mission,
                                          settings: Settings, tamper: Any,
                                          written: str) -> None:
    documents = unsigned(mission, settings, pledges(2))
    cold = sign(tmp_path, documents)
    path = "openbadges/v3/signatory-0.json"
    kept = entry(tmp_path, documents, path)
    changed = tamper(read_entry(kept))
    if written == "as an entry" and isinstance(changed, dict) and "proof" in changed:
        kept.write_text(signing.entry_text(changed), encoding="utf-8")
    else:
        kept.write_text(json.dumps(changed), encoding="utf-8")
    again = sign(tmp_path, documents)
    assert again.signed == [path]
    assert again.documents == cold.documents
    assert read_entry(kept) == cold.documents[path]  # mended


def test_an_entry_as_written_is_reused(tmp_path: Path, mission: Mission,
                                       settings: Settings) -> None:
    """The tampering test's own rewriting, without a change: reused (so a tampered entry
    is signed again for its change, not for the rewriting)."""
    documents = unsigned(mission, settings, pledges(1))
    sign(tmp_path, documents)
    kept = entry(tmp_path, documents, "openbadges/v3/signatory-0.json")
    kept.write_text(signing.entry_text(read_entry(kept)), encoding="utf-8")
    assert sign(tmp_path, documents).signed == []


@pytest.mark.parametrize("data", [b"", b"{", b"\xff\xfe", b"[" * 100_000, b"null",
                                  b"{}\n" + b"[" * 100_000 + b"\n", b"{}\n{}\n"])
def test_an_unreadable_entry_is_signed_again(tmp_path: Path, mission: Mission,
                                             settings: Settings, data: bytes) -> None:
    documents = unsigned(mission, settings, pledges(1))
    cold = sign(tmp_path, documents)
    entry(tmp_path, documents, "openbadges/v3/signatory-0.json").write_bytes(data)
    again = sign(tmp_path, documents)
    assert again.signed == ["openbadges/v3/signatory-0.json"]
    assert again.documents == cold.documents


def test_an_entry_that_is_a_folder_is_signed_again(tmp_path: Path, mission: Mission,
                                                   settings: Settings) -> None:
    documents = unsigned(mission, settings, pledges(1))
    kept = entry(tmp_path, documents, "openbadges/v3/signatory-0.json")
    (kept / "inside").mkdir(parents=True)
    again = sign(tmp_path, documents)
    assert "openbadges/v3/signatory-0.json" in again.signed
    assert kept.is_file()


def test_files_that_are_not_entries_are_left_alone(tmp_path: Path, mission: Mission,
                                                   settings: Settings) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / f"{'0' * 64}.json.tmp1").write_text("half")
    stale = tmp_path / f"{'0' * 64}.json"
    stale.write_text("{}")
    sign(tmp_path, unsigned(mission, settings, pledges(1)))
    assert (tmp_path / "notes.txt").exists() and (tmp_path / f"{'0' * 64}.json.tmp1").exists()
    assert not stale.exists()


def test_a_pool_signs_the_same_bytes_as_one_process(tmp_path: Path, mission: Mission,
                                                    settings: Settings) -> None:
    documents = unsigned(mission, settings, pledges(signing.POOL_MINIMUM + 2),
                         REAL_KEY)
    pooled = sign(tmp_path / "pool", documents, REAL_KEY, workers=2)
    alone = sign(tmp_path / "alone", documents, REAL_KEY, workers=1)
    assert pooled.documents == alone.documents
    assert len(pooled.signed) == signing.POOL_MINIMUM + 3
    assert sorted(path.name for path in (tmp_path / "pool").iterdir()) == \
        sorted(path.name for path in (tmp_path / "alone").iterdir())


def test_a_document_that_cannot_be_signed_is_refused(tmp_path: Path, mission: Mission,
                                                     settings: Settings) -> None:
    documents = unsigned(mission, settings, pledges(1))
    path = "openbadges/v3/signatory-0.json"
    bad = Unsigned({**documents[path].document, "pledgeSlug": "signatory-0"},
                   documents[path].created)
    with pytest.raises(ValueError, match="pledgeSlug"):
        sign(tmp_path, {path: bad})
    assert list(tmp_path.glob("*.json")) == []


def test_the_key_names_content_method_created_and_public_key(
        mission: Mission, settings: Settings) -> None:
    document = unsigned(mission, settings, pledges(1))["openbadges/v3/signatory-0.json"]
    public = proof.multikey(proof.public_key(SEED))
    key = signing.cache_key(document, "did:web:a#key-1", public)
    assert len({key,
                signing.cache_key(dataclasses.replace(document, created="2030-01-01T00:00:00Z"),
                                  "did:web:a#key-1", public),
                signing.cache_key(document, "did:web:a#key-2", public),
                signing.cache_key(document, "did:web:a#key-1",
                                  proof.multikey(proof.public_key(bytes(32)))),
                signing.cache_key(Unsigned({**document.document, "name": "x"},
                                           document.created), "did:web:a#key-1", public)}) == 5
    # the key of the same content in another key order: the same
    reordered = Unsigned(dict(reversed(document.document.items())), document.created)
    assert signing.cache_key(reordered, "did:web:a#key-1", public) == key


def test_an_earlier_key_since_moves_created_and_signs_again(
        tmp_path: Path, mission: Mission, settings: Settings) -> None:
    later = dataclasses.replace(REAL_KEY, since=dt.date(2024, 6, 1))
    sign(tmp_path, unsigned(mission, settings, pledges(1), REAL_KEY), REAL_KEY)
    again = sign(tmp_path, unsigned(mission, settings, pledges(1), later), later)
    assert len(again.signed) == 2
    assert {document["proof"]["created"] for document in again.documents.values()} == \
        {"2024-06-01T00:00:00Z"}


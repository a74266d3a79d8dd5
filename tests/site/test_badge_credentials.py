"""The signed credential baked into the card badges, through the build and the deployment's
badge state: the generator bakes `content.badge_credentials` into the cards and compares
what the bucket records with the key of what would be published now, the credential's
digest included, so a folder whose credential changed (signed again after a key
rotation) is not "already published", and the deploy records that key."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import WORDS
from sample_registry import sample_registry
from socialmission.check.validate import validate
from socialmission.model.mission import load_mission
from socialmission.model.paths import GENERIC_BADGE
from socialmission.render.cache import (
    Entry,
    build_badges,
    content_key,
    credential_digest,
    load_entries,
    published_key,
)
from socialmission.render.design import load_design
from socialmission.render.face import face_of, masthead_of
from socialmission.render.folder import CARD_FILES
from socialmission.render.layout import name_check
from socialmission.render.unbake import unbake
from socialmission.site import deploy, generator
from socialmission.site.published import already_published

BASE = "https://registry.example.org/"


def fake_credential(slug: str, generation: int) -> str:
    """A credential's JSON text as the cache sees it: baking never reads what it bakes."""
    return json.dumps({"type": ["VerifiableCredential", "OpenBadgeCredential"],
                       "id": f"{BASE}openbadges/v3/{slug}.json", "generation": generation},
                      sort_keys=True)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, list[Any]]:
    root = sample_registry(tmp_path_factory.mktemp("credentials") / "registry")
    mission = load_mission(root)
    pledges = validate([root / "pledges"], mission, name_fits=name_check(root)).pledges
    return root, mission, pledges


def keys_now(root: Path, mission: Any, pledges: list[Any]) -> dict[str, str]:
    design, masthead = load_design(root), masthead_of(root, mission, BASE)
    return {p.slug: content_key(design, face_of(p, BASE, mission.current.version, words=WORDS),
                                masthead) for p in pledges}


def test_the_published_key_is_the_content_key_and_the_credentials_digest() -> None:
    content = "c" * 64
    assert published_key(content, None) == content
    baked = credential_digest(fake_credential("ana", 1))
    assert baked is not None and len(baked) == 64
    assert published_key(content, baked) not in (content, baked)
    assert published_key(content, baked) != published_key(
        content, credential_digest(fake_credential("ana", 2)))
    assert Entry(content, {}, baked).published == published_key(content, baked)


def test_a_folder_whose_credential_changed_is_not_already_published(
        registry: tuple[Path, Any, list[Any]], tmp_path: Path) -> None:
    root, mission, pledges = registry
    content = keys_now(root, mission, pledges)
    old = {p.slug: fake_credential(p.slug, 1) for p in pledges}
    recorded = {slug: published_key(key, credential_digest(old[slug]))
                for slug, key in content.items()}
    store = tmp_path / "badges"
    every = {p.slug for p in pledges}
    assert already_published(root, store, mission, pledges, BASE, published=recorded,
                             credentials=old) == every
    # re-signed (a key rotation): every folder is to be published again
    new = {p.slug: fake_credential(p.slug, 2) for p in pledges}
    assert already_published(root, store, mission, pledges, BASE, published=recorded,
                             credentials=new) == set()
    # one signatory's credential gone, one's changed: only they are built again
    changed = dict(old, **{"ana-perez": new["ana-perez"]})
    del changed["tomas-novak"]
    assert already_published(root, store, mission, pledges, BASE, published=recorded,
                             credentials=changed) == every - {"ana-perez", "tomas-novak"}
    # a state from before the credentials (the content key alone) is not what is baked now
    assert already_published(root, store, mission, pledges, BASE, published=content,
                             credentials=old) == set()


def test_a_local_folder_with_the_recorded_credential_is_reused_not_skipped(
        registry: tuple[Path, Any, list[Any]], tmp_path: Path) -> None:
    root, mission, pledges = registry
    ana = [p for p in pledges if p.slug == "ana-perez"]
    texts = {"ana-perez": fake_credential("ana-perez", 1)}
    store = tmp_path / "badges"
    built = build_badges(root, store, mission, ana, BASE, workers=1, credentials=texts)
    recorded = {"ana-perez": built.entries["ana-perez"].published}
    assert recorded["ana-perez"] != built.entries["ana-perez"].content
    # the local cache holds it as published: the build reuses it, and publishes it
    assert already_published(root, store, mission, pledges, BASE, published=recorded,
                             credentials=texts) == set()
    # without it, the bucket's copy is the one wanted
    assert already_published(root, tmp_path / "empty", mission, pledges, BASE,
                             published=recorded, credentials=texts) == {"ana-perez"}


def test_the_deploy_records_the_key_with_the_credential(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = {"a.svg": b"<svg/>", "b.png": b"PNG"}
    for name, data in files.items():
        path = site / "badges" / "ana" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    local = deploy.scan_site(site)
    records = {f.path.rsplit("/", 1)[1]: (1, 1, f.entry.sha256) for f in local}
    baked = credential_digest(fake_credential("ana", 1))
    cache = {"ana": Entry("a" * 64, records, baked)}
    assert deploy.badge_keys(local, cache, {}) == {"ana": published_key("a" * 64, baked)}
    cache = {"ana": Entry("a" * 64, records, None)}
    assert deploy.badge_keys(local, cache, {}) == {"ana": "a" * 64}


# --- through the generator --------------------------------------------------------------------
@dataclasses.dataclass
class Credentialed(generator.SiteContent):
    """The site's content with a credential for each of the sample's signatories (whose
    pledges hold no revocation index, so the build signs none): whatever the build puts
    in `badge_credentials` before the badges are built, these fill the rest."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "badge_credentials":  # `pledges` comes first: set already
            value = {**{p.slug: fake_credential(p.slug, 1) for p in self.pledges}, **value}
        super().__setattr__(name, value)


def test_the_generator_bakes_the_credentials_and_compares_them_when_published(
        registry: tuple[Path, Any, list[Any]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = registry
    monkeypatch.setattr(generator, "SiteContent", Credentialed)
    store = tmp_path / "badges"
    content = generator.generate(root, BASE, badges_dir=store, workers=1)
    credentials = content.badge_credentials
    assert set(credentials) == {p.slug for p in content.pledges}
    for slug, text in credentials.items():
        for name in CARD_FILES:
            assert unbake((store / slug / name).read_bytes()).credential == json.loads(text)
    entries, _ = load_entries(store)
    # the bucket holds every folder as built: nothing to build with no local cache
    state = {slug: entries[slug].published for slug in credentials}
    empty = tmp_path / "no-cache"
    again = generator.generate(root, BASE, badges_dir=empty, workers=1, published=state)
    assert again.published == set(credentials)
    assert sorted(p.name for p in empty.iterdir() if not p.name.startswith(".")) == \
        [GENERIC_BADGE]
    # the bucket holds ana-perez's folder with another credential: it is built again
    older = dict(state, **{"ana-perez": published_key(
        entries["ana-perez"].content, credential_digest(fake_credential("ana-perez", 0)))})
    third = generator.generate(root, BASE, badges_dir=tmp_path / "third", workers=1,
                               published=older)
    assert third.published == set(credentials) - {"ana-perez"}
    assert unbake((tmp_path / "third" / "ana-perez" / CARD_FILES[0]).read_bytes()) \
        .credential == json.loads(credentials["ana-perez"])

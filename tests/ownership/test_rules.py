"""check-pr's rules one by one, each called directly on what it judges; and OPERATORS.md's
list of them, which must be the rules' own docstrings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import pytest

from conftest import ROOT
from git_support import ACME, ALICE, BRIO, KEEPER, LEGACY, MALLORY, SETTINGS, pledge
from socialmission.check.across import NAME_TAKEN, SITE_WITHIN, Caution
from socialmission.model import paths, statuslist
from socialmission.model.problems import Problem
from socialmission.model.settings import Settings, parse_settings
from socialmission.model.urls import Url
from socialmission.ownership import rules
from socialmission.ownership.rules import (
    AccountCheck,
    Author,
    ChangedFile,
    DomainProof,
    ProofCheck,
    PullRequest,
)

PLAIN = parse_settings(SETTINGS.encode(), "registry.yaml")
PROVING = parse_settings((SETTINGS + "domain_proof: true\n").encode(), "registry.yaml")
TWO_AT_ONCE = parse_settings((SETTINGS + "new_pledges_per_pull_request: 2\n").encode(),
                             "registry.yaml")
TRANSLATING = parse_settings((SETTINGS + "translators:\n  - login: ana\n    id: 500\n").encode(),
                             "registry.yaml")
ANA = Author("ana", 500)  # a translator
CAROL = Author("carol", 300)  # matches LEGACY's login-only entry
TAKER = Author("taker", 777)
ORPHAN = pledge("Orphan Org", "orphan.example.org", "- login: gone1", "  id: 901")
TAKEN = ORPHAN + "  - login: taker\n    id: 777\n"
OP = "pledges/orphan.yaml"
# A pledge's signatures: withdrawn by its maintainers, or by the registry's; signed again.
WITHDRAWN = ACME + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
AGAIN = "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
SIGNED_AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + AGAIN
BY_REGISTRY = WITHDRAWN + "withdrawn_by: registry\n"
TOMBSTONE = ("signed: 2024-05-17\nmission_version: 1\nstatus: withdrawn\n"
             "withdrawn: 2025-01-31\nredacted: 2025-10-01\n")


def everyone_gone(number: int) -> bool:
    return False


def pull(author: Author = ALICE, *, settings: Settings | None = PLAIN,
         proofs: ProofCheck | None = None, changes: dict[str, str] | None = None,
         pushed: bool = False, new_pledges: tuple[str, ...] = (),
         mission: tuple[dict[int, str] | None, dict[int, str] | None] | None = None,
         used: frozenset[int] = frozenset()) -> PullRequest:
    registry = rules.match(author, settings.maintainers) if settings is not None else None
    translator = rules.match(author, settings.translators) if settings is not None else None
    return PullRequest(author, settings, registry, pushed and registry is not None, proofs,
                       changes or {}, new_pledges, mission, status_indexes=used,
                       translator=translator)


def pledge_file(base: bytes | None = ACME.encode(), head: bytes | None = ACME.encode(), *,
                change: str = "modified", mode: str | None = "100644",
                renamed_to: str | None = None, accounts: AccountCheck | None = None,
                path: str = "pledges/acme.yaml") -> ChangedFile:
    slug = PurePosixPath(path).stem
    return ChangedFile(path, change, slug, mode, base, head, renamed_to, accounts)


def new(head: str, **given: Any) -> ChangedFile:
    return pledge_file(None, head.encode(), change="added", **given)


def signatures(base: str, head: str) -> ChangedFile:
    """A published pledge's file, as the base branch and the head have it."""
    return pledge_file(base.encode(), head.encode())


def orphan(head: str = TAKEN, accounts: AccountCheck = everyone_gone) -> ChangedFile:
    """The orphan's pledge: its one maintainer's account is gone (by default)."""
    return pledge_file(ORPHAN.encode(), head.encode(), accounts=accounts, path=OP)


def logo(base: str | None, *, slug: str = "acme", change: str = "modified",
         mode: str | None = "100644") -> ChangedFile:
    return ChangedFile(f"pledges/logos/{slug}.png", change, slug, mode,
                       None if base is None else base.encode(), b"\x89PNG")


def translation(change: str = "modified", mode: str | None = "100644") -> ChangedFile:
    """A translation's file: not a pledge's, so it carries no pledge (`base`)."""
    return ChangedFile(FR, change, "", mode, None, None if mode is None else b"language: fr\n")


def proof(names_slug: bool, *maintainers: tuple[str, int]) -> ProofCheck:
    def check(slug: str, website: Url) -> DomainProof:
        return DomainProof(names_slug, maintainers, () if names_slug else ("nothing answered",))
    return check


def caution(rule: str, file: ChangedFile) -> Caution:
    return Caution(rule, Problem(file.path, 1, 7, "takes a name the registry shows as its own"))


def refused(path: str, what: str, line: int = 0) -> tuple[str, str, int, str]:
    return ("error", path, line, what)


def noted(what: str) -> tuple[str, str, int, str]:
    return ("notice", "", 0, what)


# Each case: the rule, what it is given, and its findings as (level, path, line, the message
# up to its first colon: what is wrong, before how to fix it).
A = "pledges/acme.yaml"
FR = "translations/v1/fr.yaml"
RENAMED = ACME.replace("Acme Media", "Acme Media Ltd")
Said = list[tuple[str, str, int, str]]
CASES: list[tuple[Callable[..., list[Problem]], tuple[Any, ...], Said]] = [
    # --- every changed file
    (rules.plain_path, (pledge_file(path="docs/a\u200bb.md", change="added"), pull()),
     [refused("", "the path holds bytes that are not UTF-8 text, a control or invisible "
                  "character, or a backslash, so it may not check out as the file it looks "
                  "like")]),
    (rules.plain_path, (pledge_file(path="pledges/e\u0301.yaml"), pull()),
     [refused("", "the path is not in Unicode's composed form (NFC), so it may not check "
                  "out as the file it looks like")]),
    (rules.plain_path, (pledge_file(path="docs/a\u200bb.md", change="deleted"), pull()), []),
    (rules.plain_path, (pledge_file(), pull()), []),
    # --- pledges
    (rules.pledge_kept, (pledge_file(change="deleted", head=None, mode=None), pull()),
     [refused(A, "a pledge is never deleted or renamed, because its address and badges stay "
                 "published for good")]),
    (rules.pledge_kept, (pledge_file(change="deleted", renamed_to="pledges/acme2.yaml"),
                         pull(KEEPER)), [refused(A, "renamed to pledges/acme2.yaml")]),
    (rules.pledge_kept, (pledge_file(), pull()), []),
    (rules.pledge_is_a_file, (pledge_file(mode="120000"), pull()),
     [refused(A, "a pledge must be a regular file, not a link or submodule")]),
    (rules.pledge_is_a_file, (pledge_file(mode="160000"), pull(KEEPER)),
     [refused(A, "a pledge must be a regular file, not a link or submodule")]),
    (rules.pledge_is_a_file, (pledge_file(mode="100755"), pull()), []),
    (rules.redacted_by_registry_maintainers,
     (pledge_file(head=b"redacted: 2025-06-01\n" + ACME.encode()), pull()),
     [refused(A, "only the registry's maintainers redact a pledge, for legal or abuse "
                 "requests, and alice is not one of them")]),
    (rules.redacted_by_registry_maintainers,
     (pledge_file(head=b"redacted: 2025-06-01\n" + ACME.encode()), pull(KEEPER)), []),
    (rules.redacted_by_registry_maintainers,
     (pledge_file(b"redacted: 2025-06-01\n", b"redacted: 2025-06-02\n"), pull()), []),
    (rules.new_pledge_gives_ids, (new(pledge("A", "a.example.org", "- alice")), pull()),
     [refused(A, "a new pledge lists each maintainer with the account's id, and 'alice' has "
                 "none", 7)]),
    (rules.new_pledge_gives_ids,
     (new(pledge("A", "a.example.org", "- login: someone", "  id: 100")), pull()),
     [refused(A, "the entry with your account's id, 100, gives the login 'someone'", 7)]),
    (rules.new_pledge_gives_ids,
     (new(pledge("A", "a.example.org", "- alice")), pull(KEEPER, pushed=True)), []),
    (rules.new_pledge_gives_ids, (pledge_file(ACME.encode(), LEGACY.encode()), pull()), []),
    (rules.new_pledge_lists_its_author, (new(BRIO), pull()),
     [refused(A, "a new pledge must list you among its maintainers")]),
    (rules.new_pledge_lists_its_author, (new(ACME), pull()), []),
    (rules.new_pledge_lists_its_author, (new(ACME), pull(KEEPER, pushed=True)), []),
    (rules.new_pledge_proven, (new(ACME), pull()), []),
    (rules.new_pledge_proven, (new(ACME), pull(settings=PROVING)),
     [refused(A, "this registry adds a pledge only once its website confirms it, and no "
                 "proof could be checked here")]),
    (rules.new_pledge_proven, (new(ACME), pull(settings=PROVING, proofs=proof(True))),
     [noted("acme.example.org confirms acme")]),
    (rules.new_pledge_proven, (new(ACME), pull(settings=PROVING, proofs=proof(False))),
     [refused(A, "this registry adds a pledge only once its website confirms it, and "
                 "acme.example.org does not name acme yet")]),
    (rules.new_pledge_proven, (pledge_file(), pull(settings=PROVING)), []),
    (rules.published_pledge_by_its_maintainers, (pledge_file(head=RENAMED.encode()), pull()),
     []),
    (rules.published_pledge_by_its_maintainers,
     (pledge_file(head=RENAMED.encode()), pull(MALLORY)),
     [refused(A, "only the maintainers of acme listed on the base branch may change it, and "
                 "mallory (id 666) is not one of them")]),
    (rules.published_pledge_by_its_maintainers,
     (pledge_file(head=RENAMED.encode()), pull(KEEPER)),
     [noted("keeper changed pledges/acme.yaml as a registry maintainer (editing a pledge "
            "it does not maintain), not as one of its maintainers")]),
    (rules.published_pledge_by_its_maintainers,
     (pledge_file(LEGACY.encode(), LEGACY.encode()), pull(CAROL)),
     [("warning", A, 7, "the maintainer 'Carol' is matched by login only")]),
    (rules.published_pledge_by_its_maintainers,
     (orphan(), pull(TAKER)), []),
    (rules.published_pledge_by_its_maintainers, (new(BRIO), pull(MALLORY)), []),
    (rules.orphan_taken_over,
     (orphan(),
      pull(TAKER, proofs=proof(True, ("taker", 777)))),
     [noted("taker (id 777) takes over orphan")]),
    (rules.orphan_taken_over,
     (orphan(TAKEN + "country: GB\n"),
      pull(TAKER, proofs=proof(True, ("taker", 777)))),
     [refused(OP, "every maintainer of orphan is gone from GitHub (gone1 (id 901)); the pledge "
                 "can be taken over, but only by a pull request whose only change to it adds "
                 "you to its maintainers, keeping the others")]),
    (rules.orphan_taken_over,
     (orphan(), pull(TAKER)),
     [refused(OP, "every maintainer of orphan is gone from GitHub (gone1 (id 901)), but its "
                 "website could not be checked for who takes it over")]),
    (rules.orphan_taken_over,
     (orphan(),
      pull(TAKER, proofs=proof(True, ("mallory", 666)))),
     [refused(OP, "every maintainer of orphan is gone from GitHub (gone1 (id 901)); to take it "
                 "over, its domain must name you")]),
    (rules.orphan_taken_over,
     (orphan(accounts=lambda number: True),
      pull(TAKER, proofs=proof(True, ("taker", 777)))), []),
    (rules.orphan_taken_over,
     (orphan(), pull(KEEPER)), []),
    (rules.fixed_once_published,
     (pledge_file(head=ACME.replace("2024-05-17", "2024-05-18").encode()), pull()),
     [refused(A, "this change edits its 'signed', which only the registry's maintainers "
                 "change once a pledge is published", 4)]),
    (rules.fixed_once_published,
     (pledge_file(head=ACME.replace("2024-05-17", "2024-05-18").replace(
         "mission_version: 1", "mission_version: 2").encode()), pull(KEEPER)),
     [noted("keeper changed pledges/acme.yaml as a registry maintainer (changing its "
            "'signed' and its 'mission_version'), not as one of its maintainers")]),
    (rules.fixed_once_published,
     (signatures(SIGNED_AGAIN, SIGNED_AGAIN.replace("2025-06-01", "2025-06-02")), pull()),
     [refused(A, "this change edits its current signature's 'signed', which only the "
                 "registry's maintainers change once a pledge is published", 12)]),
    (rules.fixed_once_published,
     (signatures(WITHDRAWN, WITHDRAWN.replace("2024-05-17", "2024-05-18")), pull()), []),
    (rules.fixed_once_published, (pledge_file(head=RENAMED.encode()), pull()), []),
    (rules.fixed_once_published, (new(ACME), pull()), []),
    # --- a pledge's signatures
    (rules.withdrawal_undone_only_by_signing_again, (signatures(WITHDRAWN, ACME), pull()),
     [refused(A, "this change undoes the withdrawal of acme (on 2025-01-31) by hand, which "
                 "would un-revoke every badge issued before it", 4)]),
    (rules.withdrawal_undone_only_by_signing_again,
     (signatures(BY_REGISTRY, WITHDRAWN.replace("status: withdrawn\n", "")), pull(KEEPER)),
     [refused(A, "this change undoes the withdrawal of acme (on 2025-01-31) by hand, which "
                 "would un-revoke every badge issued before it", 4)]),
    (rules.withdrawal_undone_only_by_signing_again, (signatures(WITHDRAWN, SIGNED_AGAIN),
                                                     pull()), []),
    (rules.withdrawal_undone_only_by_signing_again,
     (signatures(WITHDRAWN, WITHDRAWN + "country: GB\n"), pull()), []),
    (rules.earlier_signatures_kept,
     (signatures(WITHDRAWN, WITHDRAWN.replace("paused.", "paused!")), pull(KEEPER)),
     [refused(A, "this change edits 'withdrawn_reason' of the first signature (signed "
                 "2024-05-17), withdrawn on 2025-01-31", 11)]),
    (rules.earlier_signatures_kept, (signatures(SIGNED_AGAIN, WITHDRAWN), pull(KEEPER)),
     [refused(A, "this change removes the signature signed again on 2025-06-01 (entry 1 of "
                 "'signed_again')", 4)]),
    (rules.earlier_signatures_kept, (signatures(WITHDRAWN, TOMBSTONE), pull(KEEPER)), []),
    (rules.earlier_signatures_kept, (signatures(WITHDRAWN, TOMBSTONE), pull()),
     [refused(A, "this change edits 'withdrawn_reason' of the first signature (signed "
                 "2024-05-17), withdrawn on 2025-01-31", 1)]),
    (rules.earlier_signatures_kept,
     (signatures(SIGNED_AGAIN, SIGNED_AGAIN + "    reaffirmed:\n      - version: 2\n"
                                              "        date: 2025-07-01\n"), pull()), []),
    (rules.withdrawn_by_registry_maintainers,
     (signatures(ACME, BY_REGISTRY), pull()),
     [refused(A, "only the registry's maintainers write 'withdrawn_by' (it records that they "
                 "withdrew a signature), and alice is not one of them", 12)]),
    (rules.withdrawn_by_registry_maintainers, (signatures(ACME, BY_REGISTRY), pull(KEEPER)),
     []),
    (rules.withdrawn_by_registry_maintainers, (signatures(BY_REGISTRY, BY_REGISTRY + AGAIN),
                                               pull()), []),
    (rules.signs_again_by_its_maintainers, (signatures(WITHDRAWN, SIGNED_AGAIN), pull()), []),
    (rules.signs_again_by_its_maintainers, (signatures(BY_REGISTRY, BY_REGISTRY + AGAIN),
                                            pull()),
     [refused(A, "acme was withdrawn by the registry's maintainers ('withdrawn_by", 14)]),
    (rules.signs_again_by_its_maintainers, (signatures(BY_REGISTRY, BY_REGISTRY + AGAIN),
                                            pull(KEEPER)),
     [noted("keeper signs acme again as a registry maintainer, after the registry's "
            "withdrawal")]),
    (rules.signs_again_by_its_maintainers, (signatures(TOMBSTONE, TOMBSTONE + AGAIN),
                                            pull(KEEPER)),
     [refused(A, "acme is redacted, and a redacted pledge never signs again, whoever asks",
              7)]),
    (rules.signs_again_by_its_maintainers,
     (signatures(LEGACY + "status: withdrawn\nwithdrawn: 2025-01-31\n",
                 LEGACY + "withdrawn: 2025-01-31\n" + AGAIN), pull(CAROL)),
     [refused(A, "a pledge signs again in its maintainers' name, so only a maintainer listed "
                 "with an account id signs it again, and the base branch lists 'Carol' by "
                 "login only", 10)]),
    (rules.new_signature_proven, (signatures(WITHDRAWN, SIGNED_AGAIN), pull()), []),
    (rules.new_signature_proven, (signatures(WITHDRAWN, SIGNED_AGAIN), pull(settings=PROVING)),
     [refused(A, "this registry adds a new signature to a pledge only once its website "
                 "confirms it, and no proof could be checked here")]),
    (rules.new_signature_proven, (signatures(WITHDRAWN, SIGNED_AGAIN),
                                  pull(settings=PROVING, proofs=proof(False))),
     [refused(A, "this registry adds a new signature to a pledge only once its website "
                 "confirms it, and acme.example.org does not name acme yet")]),
    (rules.new_signature_proven, (signatures(WITHDRAWN, SIGNED_AGAIN),
                                  pull(settings=PROVING, proofs=proof(True))),
     [noted("acme.example.org confirms acme")]),
    (rules.new_signature_proven, (signatures(WITHDRAWN, WITHDRAWN + "country: GB\n"),
                                  pull(settings=PROVING, proofs=proof(False))), []),
    # --- logos and every other file
    (rules.logo_is_a_file, (logo(ACME, mode="120000"), pull()),
     [refused("pledges/logos/acme.png", "a logo must be a regular PNG file, not a link or "
                                        "submodule")]),
    (rules.logo_is_a_file, (logo(ACME, change="deleted", mode=None), pull()), []),
    (rules.logo_is_a_file, (logo(ACME), pull()), []),
    (rules.logo_of_its_pledge, (logo(ACME), pull()), []),
    (rules.logo_of_its_pledge, (logo(ACME), pull(MALLORY)),
     [refused("pledges/logos/acme.png", "this logo belongs to pledges/acme.yaml, which "
                                        "mallory does not maintain")]),
    (rules.logo_of_its_pledge, (logo(ACME), pull(KEEPER)),
     [noted("keeper changed pledges/logos/acme.png as a registry maintainer (changing a "
            "logo), not as one of its maintainers")]),
    (rules.logo_of_its_pledge,
     (logo(None, slug="delta", change="added"), pull(changes={"pledges/delta.yaml": "added"})),
     []),
    (rules.logo_of_its_pledge, (logo(None, slug="delta", change="added"), pull()),
     [refused("pledges/logos/delta.png", "no pledge pledges/delta.yaml owns this logo")]),
    (rules.registry_files, (ChangedFile(".github/workflows/ci.yml", "modified"), pull()),
     [refused(".github/workflows/ci.yml", "only the registry's maintainers may change "
                                          ".github/workflows/ci.yml")]),
    (rules.registry_files, (ChangedFile("registry.yaml", "modified"), pull(KEEPER)), []),
    # --- the pull request as a whole
    (rules.published_mission_kept, (pull(),), []),
    (rules.published_mission_kept, (pull(mission=({1: "a"}, {1: "a", 2: "b"})),), []),
    (rules.published_mission_kept, (pull(KEEPER, mission=({1: "a", 2: "b"}, {1: "c"})),),
     [refused("mission.yaml", "mission version 1 is published and never changes"),
      refused("mission.yaml", "mission version 2 is published and never changes")]),
    (rules.published_mission_kept, (pull(mission=({1: "a"}, None)),),
     [refused("mission.yaml", "the mission file cannot be read")]),
    (rules.published_mission_kept, (pull(mission=(None, None)),), []),
    (rules.new_pledges_per_pull_request, (pull(new_pledges=("a", "b")),),
     [refused("", "the pull request adds 2 new pledges, and one whose author is not a "
                  "registry maintainer adds at most 1 new pledge")]),
    (rules.new_pledges_per_pull_request, (pull(new_pledges=("a",)),), []),
    (rules.new_pledges_per_pull_request, (pull(KEEPER, new_pledges=("a", "b", "c")),), []),
    (rules.new_pledges_per_pull_request, (pull(settings=None, new_pledges=("a", "b")),),
     [refused("", "the pull request adds 2 new pledges, and one whose author is not a "
                  "registry maintainer adds at most 1 new pledge")]),
    (rules.new_pledges_per_pull_request,
     (pull(settings=TWO_AT_ONCE, new_pledges=("a", "b", "c")),),
     [refused("", "the pull request adds 3 new pledges, and one whose author is not a "
                  "registry maintainer adds at most 2 new pledges")]),
    # --- the mission's translations
    (rules.translation_is_a_file, (translation(mode="120000"), pull(ANA, settings=TRANSLATING)),
     [refused(FR, "a translation must be a regular file, not a link or submodule")]),
    (rules.translation_is_a_file, (translation(change="deleted", mode=None), pull(KEEPER)), []),
    (rules.translation_is_a_file, (translation(), pull(ANA, settings=TRANSLATING)), []),
    (rules.translations_by_translators, (translation(), pull(ANA, settings=TRANSLATING)),
     [noted("ana (id 500) changed translations/v1/fr.yaml as one of the registry's "
            "translators")]),
    # the id decides: a renamed translator keeps the right, a login taken over gets none
    (rules.translations_by_translators,
     (translation("added"), pull(Author("ana-renamed", 500), settings=TRANSLATING)),
     [noted("ana-renamed (id 500) changed translations/v1/fr.yaml as one of the registry's "
            "translators")]),
    (rules.translations_by_translators,
     (translation(), pull(Author("ana", 501), settings=TRANSLATING)),
     [refused(FR, "only the registry's translators and maintainers may change the mission's "
                  "translations, and ana (id 501) is neither")]),
    (rules.translations_by_translators, (translation(), pull(ALICE, settings=TRANSLATING)),
     [refused(FR, "only the registry's translators and maintainers may change the mission's "
                  "translations, and alice (id 100) is neither")]),
    (rules.translations_by_translators, (translation("deleted", None), pull(KEEPER)), []),
    (rules.translations_by_translators, (translation(), pull(ANA, settings=None)),
     [refused(FR, "only the registry's translators and maintainers may change the mission's "
                  "translations, and ana (id 500) is neither")]),
    # a translator is nobody elsewhere: the mission, a pledge, the settings
    (rules.registry_files,
     (ChangedFile("mission.yaml", "modified"), pull(ANA, settings=TRANSLATING)),
     [refused("mission.yaml", "only the registry's maintainers may change mission.yaml")]),
    (rules.published_pledge_by_its_maintainers,
     (pledge_file(), pull(ANA, settings=TRANSLATING)),
     [refused(A, "only the maintainers of acme listed on the base branch may change it, and "
                 "ana (id 500) is not one of them")]),
    # --- what the validator only warns of
    (rules.cautions_brought_in, (caution(NAME_TAKEN, new(ACME)), new(ACME), pull()),
     [refused(A, "takes a name the registry shows as its own", 1)]),
    (rules.cautions_brought_in, (caution(NAME_TAKEN, new(ACME)), new(ACME), pull(KEEPER)),
     [refused(A, "takes a name the registry shows as its own", 1)]),
    (rules.cautions_brought_in, (caution(SITE_WITHIN, new(ACME)), new(ACME), pull(KEEPER)),
     [noted("keeper is a registry maintainer, so pledges/acme.yaml is allowed, though it "
            "takes a name the registry shows as its own")]),
    (rules.cautions_brought_in,
     (caution(NAME_TAKEN, pledge_file()), pledge_file(head=RENAMED.encode()), pull()),
     [refused(A, "takes a name the registry shows as its own", 1)]),
    (rules.cautions_brought_in,
     (caution(SITE_WITHIN, pledge_file()), pledge_file(head=RENAMED.encode()), pull()),
     [("warning", A, 1, "takes a name the registry shows as its own")]),
    (rules.cautions_brought_in,
     (caution(NAME_TAKEN, pledge_file()), pledge_file(change=""), pull()),
     [("warning", A, 1, "takes a name the registry shows as its own")]),
    # --- the revocation list's index of each signature
    (rules.new_signatures_carry_their_index, (new(ACME), pull(new_pledges=(A,))),
     [refused(A, "the new pledge has no 'status_index' (its place in the registry's "
                 "revocation list, which the tools write)", 4)]),
    (rules.new_signatures_carry_their_index,
     (new(ACME + "status_index: 5\n"), pull(new_pledges=(A,))), []),
    (rules.new_signatures_carry_their_index, (new(ACME), pull()), []),  # renamed: not new
    (rules.new_signatures_carry_their_index,
     (signatures(WITHDRAWN + "status_index: 5\n", SIGNED_AGAIN + "status_index: 5\n"), pull()),
     [refused(A, "the new signature (entry 1 of 'signed_again') has no 'status_index' (its "
                 "place in the registry's revocation list, which the tools write)", 12)]),
    (rules.new_signatures_carry_their_index, (signatures(ACME, RENAMED), pull()), []),
    (rules.status_index_never_changes_or_repeats,
     (signatures(ACME + "status_index: 5\n", ACME + "status_index: 6\n"), pull()),
     [refused(A, "this change edits the 'status_index' of the first signature (signed "
                 "2024-05-17)", 9)]),
    (rules.status_index_never_changes_or_repeats,
     (new(ACME + "status_index: 5\n"), pull(new_pledges=(A,), used=frozenset({5}))),
     [refused(A, "'status_index' 5 of the new pledge is already on the base branch, another "
                 "signature's or a redacted one's, and an index is never reused", 9)]),
    (rules.status_index_never_changes_or_repeats,
     (signatures(WITHDRAWN + "status_index: 5\n", WITHDRAWN.replace("status: withdrawn\n", "")
                 + "status_index: 5\n" + AGAIN + "    status_index: 5\n"),
      pull(used=frozenset({5}))),
     [refused(A, "'status_index' 5 of the new signature (entry 1 of 'signed_again') is "
                 "already on the base branch, another signature's or a redacted one's, and "
                 "an index is never reused", 15)]),
    # a published pledge from before the list is given an index, once
    (rules.status_index_never_changes_or_repeats,
     (signatures(ACME, ACME + "status_index: 9\n"), pull(used=frozenset({5}))), []),
]


@pytest.mark.parametrize(("rule", "given", "said"), CASES,
                         ids=[f"{rule.__name__}-{n}" for n, (rule, _, _) in enumerate(CASES)])
def test_each_rule_on_what_it_judges(rule: Callable[..., list[Problem]], given: tuple[Any, ...],
                                     said: Said) -> None:
    found = rule(*given)
    assert [(f.level, f.path, f.line, f.message.split(":")[0]) for f in found] == said
    assert all(f.column == 0 for f in found if rule is not rules.cautions_brought_in)
    assert all(f.column == 7 for f in found if f.level != "notice" and
               rule is rules.cautions_brought_in)


def test_every_rule_has_a_case_it_refuses_and_one_it_lets_pass() -> None:
    for rule in rules.RULES:
        outcomes = [any(level == "error" for level, *_ in said)
                    for case, _, said in CASES if case is rule]
        assert True in outcomes and False in outcomes, rule.__name__


# --- the rules, as the operators' guide and the judge list them ----------------------------
def test_every_rule_is_in_one_table_once_with_one_paragraph_for_a_docstring() -> None:
    tables = (rules.PATH_RULES, rules.PLEDGE_RULES, rules.LOGO_RULES, rules.TRANSLATION_RULES,
              rules.OTHER_FILE_RULES, rules.PULL_REQUEST_RULES, rules.CAUTION_RULES)
    listed: list[object] = [rule for table in tables for rule in table]
    assert listed == list(rules.RULES) and len(set(listed)) == len(listed)
    for rule in rules.RULES:
        doc = rule.__doc__ or ""
        assert doc.strip().endswith(".") and "\n\n" not in doc, rule.__name__
        assert doc[0].isupper(), rule.__name__


def _list_after(text: str, heading: str) -> list[str]:
    """The first Markdown list after `heading`: its lines up to the blank line after it."""
    lines = text.splitlines()
    begin = next(i for i in range(lines.index(heading), len(lines))
                 if lines[i].startswith("- "))
    assert lines[begin - 1] == "", "the list stands after a blank line"
    return lines[begin:lines.index("", begin)]


def test_the_operators_guide_lists_the_rules() -> None:
    guide = (ROOT / paths.OPERATORS_GUIDE).read_text(encoding="utf-8")
    wanted = rules.listed(90)
    assert _list_after(guide, "## Signing safely: who may change what") == \
        wanted.splitlines(), \
        f"{paths.OPERATORS_GUIDE}'s list of check-pr's rules should read:\n{wanted}"


def test_the_line_to_add_is_the_index_the_tools_would_write() -> None:
    first = statuslist.first_choice("acme", 1)
    (said,) = rules.new_signatures_carry_their_index(
        new(ACME), pull(new_pledges=(A,), used=frozenset({first})))
    assert said.message.endswith(f"add this line to the pledge: 'status_index: {first + 1}'")
    again = signatures(WITHDRAWN + f"status_index: {first}\n", SIGNED_AGAIN)
    (said,) = rules.new_signatures_carry_their_index(again, pull(used=frozenset({first})))
    second = statuslist.pick_index("acme", 2, {first})
    assert said.message.endswith("add this line to entry 1 of 'signed_again': "
                                 f"'    status_index: {second}'")
    (said,) = rules.status_index_never_changes_or_repeats(
        new(ACME + f"status_index: {first}\n"), pull(new_pledges=(A,), used=frozenset({first})))
    assert said.message.endswith(f"write 'status_index: {first + 1}' instead")

"""A pledge's signatures in the verdict: nothing of an earlier signature is ever edited or
removed, a withdrawn pledge is active again only by a new signature, and who may sign
again. Each test publishes a pledge's history on main, makes a pull request's commit on a
branch of a real temporary repository, and asks for the verdict."""

from __future__ import annotations

import pytest

from conftest import NAME_FITS, TODAY
from git_support import ACME, ALICE, BOB, KEEPER, LEGACY, Repo, mission_v2
from socialmission.changes import lifecycle
from socialmission.model.mission import load_mission
from socialmission.ownership.judge import Verdict
from socialmission.ownership.rules import Author

A = "pledges/acme.yaml"
WITHDRAWN = ACME + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
BY_REGISTRY = WITHDRAWN.replace("We paused.", "A court order.") + "withdrawn_by: registry\n"
AGAIN = ("signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
         "    status_index: 129401\n")  # the index the tools pick
SIGNED_AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + AGAIN
REGISTRY_SIGNED_AGAIN = BY_REGISTRY.replace("status: withdrawn\n", "") + AGAIN
# signed again, then withdrawn again: two earlier signatures
TWICE = SIGNED_AGAIN + "    withdrawn: 2025-09-01\nstatus: withdrawn\n"
HAND_UNDONE = ACME  # the withdrawal's lines deleted
SIGN_AGAIN = "to sign again, run 'socialmission sign-again acme', which adds a new " \
             "signature and keeps this one"
UNDONE = "this change undoes the withdrawal of acme (on 2025-01-31) by hand, which would " \
         "un-revoke every badge issued before it: a withdrawal is never undone or edited; "
KEPT = ": an earlier signature never changes, so the badges it issued stay as they were: " \
       "put back its fields as the base branch has them"
FIRST = "the first signature (signed 2024-05-17), withdrawn on 2025-01-31"


def refusals(verdict: Verdict) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in sorted(verdict.refusals)]


def published(repo: Repo, text: str, path: str = A) -> None:
    """`text` merged on main as the file at `path`; the pull request's branch starts again
    from there."""
    repo.git("checkout", "-q", "main")
    repo.write(path, text)
    repo.commit("published")
    repo.git("checkout", "-q", "pr")
    repo.git("reset", "-q", "--hard", "main")


def proposed(repo: Repo, text: str, path: str = A) -> None:
    repo.write(path, text)
    repo.commit()


def allowed(repo: Repo, author: Author) -> Verdict:
    verdict = repo.verdict(author)
    assert verdict.allowed, refusals(verdict)
    return verdict


# --- signing again ----------------------------------------------------------------------------
def test_its_maintainer_signs_again_after_their_own_withdrawal(repo: Repo) -> None:
    published(repo, WITHDRAWN)
    proposed(repo, SIGNED_AGAIN)
    assert allowed(repo, ALICE).notices == []
    # and nobody else does
    assert [path for path, _ in refusals(repo.verdict(BOB))] == [A]


def test_a_signature_signed_again_is_withdrawn_and_signed_again_by_its_maintainer(
        repo: Repo) -> None:
    published(repo, SIGNED_AGAIN)
    proposed(repo, TWICE)
    allowed(repo, ALICE)
    published(repo, TWICE)
    proposed(repo, TWICE.replace("status: withdrawn\n", "")
             + "  - signed: 2025-10-01\n    mission_version: 1\n    status_index: 104695\n")
    allowed(repo, ALICE)


def test_only_a_registry_maintainer_signs_again_after_their_withdrawal(repo: Repo) -> None:
    published(repo, BY_REGISTRY)
    proposed(repo, REGISTRY_SIGNED_AGAIN)
    assert refusals(repo.verdict(ALICE)) == [(
        A, "acme was withdrawn by the registry's maintainers ('withdrawn_by: registry'), so "
           "only they sign it again, and alice is not one of them: ask the registry's "
           "maintainers")]
    assert "keeper signs acme again as a registry maintainer, after the registry's " \
           "withdrawal" in allowed(repo, KEEPER).notices


def test_its_maintainer_cannot_undo_a_registry_withdrawal_by_hand(repo: Repo) -> None:
    published(repo, BY_REGISTRY)
    proposed(repo, HAND_UNDONE)
    assert refusals(repo.verdict(ALICE)) == [(
        A, UNDONE + "this signature was withdrawn by the registry's maintainers "
                    "('withdrawn_by: registry'), so only they sign it again: ask them")]


@pytest.mark.parametrize("author", [ALICE, KEEPER])
def test_deleting_the_withdrawal_lines_is_refused_naming_the_command(
        repo: Repo, author: Author) -> None:
    published(repo, WITHDRAWN)
    proposed(repo, HAND_UNDONE)
    assert refusals(repo.verdict(author)) == [(A, UNDONE + SIGN_AGAIN)]


def test_deleting_a_later_signatures_withdrawal_is_refused_too(repo: Repo) -> None:
    published(repo, TWICE)
    proposed(repo, SIGNED_AGAIN)
    assert refusals(repo.verdict(ALICE)) == [(
        A, UNDONE.replace("2025-01-31", "2025-09-01") + SIGN_AGAIN)]


def test_a_maintainer_listed_by_login_only_gives_the_id_before_signing_again(
        repo: Repo) -> None:
    legacy = "pledges/legacy.yaml"
    withdrawn = LEGACY + "status: withdrawn\nwithdrawn: 2025-01-31\n"
    published(repo, withdrawn, legacy)
    proposed(repo, withdrawn.replace("status: withdrawn\n", "") + AGAIN, legacy)
    assert refusals(repo.verdict(Author("carol", 300))) == [(
        legacy, "a pledge signs again in its maintainers' name, so only a maintainer listed "
                "with an account id signs it again, and the base branch lists 'Carol' by "
                "login only: first add '  id: 300' under that entry, in a pull request of "
                "its own, then sign again")]


# --- nothing of an earlier signature changes --------------------------------------------------
EDITS = {
    "its reason": (WITHDRAWN, WITHDRAWN.replace("We paused.", "We paused for a year."),
                   f"this change edits 'withdrawn_reason' of {FIRST}{KEPT}"),
    "a reason added": (WITHDRAWN.replace("withdrawn_reason: We paused.\n", ""), WITHDRAWN,
                       f"this change edits 'withdrawn_reason' of {FIRST}{KEPT}"),
    "its date": (WITHDRAWN, WITHDRAWN.replace("2025-01-31", "2025-01-30"),
                 f"this change edits 'withdrawn' of {FIRST}{KEPT}"),
    "its signed and version": (
        WITHDRAWN, WITHDRAWN.replace("2024-05-17", "2024-05-18").replace(
            "mission_version: 1", "mission_version: 2"),
        f"this change edits 'mission_version', 'signed' of the first signature (signed "
        f"2024-05-17), withdrawn on 2025-01-31{KEPT}"),
    "a reaffirmation added to it": (
        WITHDRAWN, WITHDRAWN + "reaffirmed:\n  - version: 2\n    date: 2025-01-15\n",
        f"this change edits 'reaffirmed' of {FIRST}{KEPT}"),
    "a later one's date": (
        TWICE, TWICE.replace("2025-09-01", "2025-08-31"),
        "this change edits 'withdrawn' of the signature signed again on 2025-06-01 (entry 1 "
        f"of 'signed_again'), withdrawn on 2025-09-01{KEPT}"),
}


@pytest.mark.parametrize("author", [ALICE, KEEPER])
@pytest.mark.parametrize(("base", "head", "message"), EDITS.values(), ids=EDITS.keys())
def test_an_earlier_signature_is_never_edited_by_anyone(
        repo: Repo, author: Author, base: str, head: str, message: str) -> None:
    published(repo, mission_v2(), "mission.yaml")
    published(repo, base)
    proposed(repo, head)
    assert refusals(repo.verdict(author)) == [(A, message)]


REMOVED = "this change removes the signature signed again on 2025-06-01 (entry 1 of " \
          "'signed_again'): a signature is never removed or moved, so the badges it issued " \
          "stay as they were: put it back as the base branch has it"


@pytest.mark.parametrize("author", [ALICE, KEEPER])
def test_a_signature_is_never_removed(repo: Repo, author: Author) -> None:
    published(repo, TWICE)
    proposed(repo, WITHDRAWN)
    assert refusals(repo.verdict(author)) == [(A, REMOVED)]
    # nor the one in force
    published(repo, SIGNED_AGAIN)
    proposed(repo, WITHDRAWN)
    assert (A, REMOVED) in refusals(repo.verdict(author))


def test_signatures_are_never_reordered(repo: Repo) -> None:
    third = ("  - signed: 2025-10-01\n    mission_version: 1\n    status_index: 104695\n"
             "    withdrawn: 2025-11-01\n")
    history = TWICE.replace("status: withdrawn\n", "") + third + "status: withdrawn\n"
    published(repo, history)
    second = ("  - signed: 2025-06-01\n    mission_version: 1\n    status_index: 129401\n"
              "    withdrawn: 2025-09-01\n")
    proposed(repo, history.replace(second, "").replace(third, third + second))
    assert [message.split(":")[0] for _, message in refusals(repo.verdict(KEEPER))
            if message.startswith("this change")] == [  # the validator says more
        "this change edits 'signed', 'status_index', 'withdrawn' of the signature signed "
        "again on 2025-06-01 (entry 1 of 'signed_again'), withdrawn on 2025-09-01",
        "this change edits 'signed', 'status_index', 'withdrawn' of the signature signed "
        "again on 2025-10-01 (entry 2 of 'signed_again'), withdrawn on 2025-11-01"]


def test_a_withdrawn_pledges_other_fields_are_still_its_own(repo: Repo) -> None:
    published(repo, TWICE)
    proposed(repo, TWICE.replace("Acme Media", "Acme Media Ltd"))
    allowed(repo, ALICE)


# --- withdrawn_by ----------------------------------------------------------------------------
def test_only_a_registry_maintainer_writes_withdrawn_by(repo: Repo) -> None:
    proposed(repo, BY_REGISTRY)
    assert refusals(repo.verdict(ALICE)) == [(
        A, "only the registry's maintainers write 'withdrawn_by' (it records that they "
           "withdrew a signature), and alice is not one of them: delete 'withdrawn_by' from "
           "the first signature (signed 2024-05-17)")]
    allowed(repo, KEEPER)
    # and in a signature signed again
    published(repo, SIGNED_AGAIN)
    proposed(repo, SIGNED_AGAIN + "    withdrawn: 2025-09-01\n    withdrawn_by: registry\n"
                                  "status: withdrawn\n")
    assert [message.split(": ")[-1] for _, message in refusals(repo.verdict(ALICE))] == [
        "delete 'withdrawn_by' from the signature signed again on 2025-06-01 (entry 1 of "
        "'signed_again')"]
    allowed(repo, KEEPER)
    # and in a new one, named by its place (a head's values are never repeated)
    published(repo, WITHDRAWN)
    proposed(repo, SIGNED_AGAIN + "    withdrawn: 2025-09-01\n    withdrawn_by: registry\n"
                                  "status: withdrawn\n")
    assert [message.split(": ")[-1] for _, message in refusals(repo.verdict(ALICE))] == [
        "delete 'withdrawn_by' from the new signature (entry 1 of 'signed_again')"]


# --- redaction ------------------------------------------------------------------------------
TOMBSTONE = ("signed: 2024-05-17\nmission_version: 1\nstatus: withdrawn\nwithdrawn: 2025-01-31\n"
             "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
             "    status_index: 129401\n    withdrawn: 2025-09-01\nredacted: 2025-10-01\n")


def test_a_redaction_drops_the_reasons_and_keeps_every_date(repo: Repo) -> None:
    published(repo, TWICE.replace("    withdrawn: 2025-09-01\n", "    withdrawn: 2025-09-01\n"
                                                                  "    withdrawn_reason: Sold.\n"))
    proposed(repo, TOMBSTONE)
    allowed(repo, KEEPER)
    proposed(repo, TOMBSTONE.replace("withdrawn: 2025-01-31", "withdrawn: 2025-01-30"))
    assert [message.split(":")[0] for _, message in refusals(repo.verdict(KEEPER))] == [
        f"this change edits 'withdrawn' of {FIRST}"]


def test_a_redacted_pledge_never_signs_again(repo: Repo) -> None:
    published(repo, TOMBSTONE)
    proposed(repo, TOMBSTONE.replace("status: withdrawn\n", "").replace(
        "redacted:", "  - signed: 2025-11-01\n    mission_version: 1\nredacted:"))
    assert (A, "acme is redacted, and a redacted pledge never signs again, whoever asks: "
               "delete the new entry of 'signed_again'") in refusals(repo.verdict(KEEPER))
    assert not repo.verdict(ALICE).allowed  # a tombstone lists no maintainers


# --- what stays as it was ----------------------------------------------------------------------
def test_its_maintainer_still_reaffirms_the_signature_in_force(repo: Repo) -> None:
    published(repo, mission_v2(), "mission.yaml")
    published(repo, SIGNED_AGAIN)
    proposed(repo, SIGNED_AGAIN + "    reaffirmed:\n      - version: 2\n        date: 2025-07-01\n")
    allowed(repo, ALICE)


def test_the_signature_in_forces_date_is_a_registry_maintainers_to_fix(repo: Repo) -> None:
    published(repo, SIGNED_AGAIN)
    proposed(repo, SIGNED_AGAIN.replace("2025-06-01", "2025-06-02"))
    assert [message.split(":")[0] for _, message in refusals(repo.verdict(ALICE))] == [
        "this change edits its current signature's 'signed', which only the registry's "
        "maintainers change once a pledge is published"]
    allowed(repo, KEEPER)


def test_each_refusal_points_at_its_line(repo: Repo) -> None:
    """So that the check run annotates the line to put back (or the signature to drop)."""
    published(repo, WITHDRAWN)
    proposed(repo, WITHDRAWN.replace("We paused.", "We paused for a year."))
    assert [p.line for p in repo.verdict(ALICE).refusals] == [
        WITHDRAWN.splitlines().index("withdrawn_reason: We paused.") + 1]
    published(repo, BY_REGISTRY)
    proposed(repo, REGISTRY_SIGNED_AGAIN)
    assert [p.line for p in repo.verdict(ALICE).refusals] == [
        REGISTRY_SIGNED_AGAIN.splitlines().index("  - signed: 2025-06-01") + 1]


# --- what the commands write is what the verdict lets land ----------------------------------
def _commands(repo: Repo) -> lifecycle.Registry:
    return lifecycle.Registry(repo.root, load_mission(repo.root), NAME_FITS, TODAY)


def test_what_the_commands_write_its_maintainer_lands(repo: Repo) -> None:
    published(repo, ACME)
    assert lifecycle.run_withdraw(_commands(repo), "acme", "We paused.", "2025-01-31") == 0
    repo.commit()
    allowed(repo, ALICE)
    published(repo, (repo.root / A).read_text(encoding="utf-8"))
    assert lifecycle.run_sign_again(_commands(repo), "acme", "2025-06-01") == 0
    repo.commit()
    assert allowed(repo, ALICE).notices == []
    assert [path for path, _ in refusals(repo.verdict(BOB))] == [A]


def test_what_the_commands_write_for_the_registry_only_the_registry_lands(
        repo: Repo) -> None:
    published(repo, ACME)
    assert lifecycle.run_withdraw(_commands(repo), "acme", "A court order.", "2025-01-31",
                                  by_registry=True) == 0
    repo.commit()
    allowed(repo, KEEPER)
    assert [path for path, _ in refusals(repo.verdict(ALICE))] == [A]
    published(repo, (repo.root / A).read_text(encoding="utf-8"))
    assert lifecycle.run_sign_again(_commands(repo), "acme", "2025-06-01",
                                    by_registry=True) == 0
    repo.commit()
    allowed(repo, KEEPER)
    assert [path for path, _ in refusals(repo.verdict(ALICE))] == [A]

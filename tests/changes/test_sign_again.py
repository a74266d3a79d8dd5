"""Signing again: `sign-again` appends a signature to a withdrawn pledge, and the other
life-cycle commands edit only the current (last) signature; nothing earlier changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_lifecycle import HANDWRITTEN, STYLES, life, only, write

from conftest import OWNED, TODAY, Registry
from mission_support import mission_v2_text
from socialmission.changes.lifecycle import (
    run_reaffirm,
    run_redact,
    run_sign_again,
    run_update,
    run_withdraw,
)
from socialmission.cli import main
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model import statuslist
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Signature

WITHDRAWN = HANDWRITTEN + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
# what sign-again makes of it on 2025-06-01, with the second signature's revocation index
# (model/statuslist.py: its first choice for example-media's signature 2, no other pledge)
INDEX_LINE = "    status_index: 24306\n"  # the last of a signature's fields
AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + (
    "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n") + INDEX_LINE
# and withdrawn once more
AGAIN_WITHDRAWN = AGAIN.removesuffix(INDEX_LINE).replace(
    "withdrawn: 2025-01-31", "status: withdrawn\nwithdrawn: 2025-01-31") + (
    "    withdrawn: 2025-09-01\n    withdrawn_reason: Paused again.\n") + INDEX_LINE


# --- sign-again --------------------------------------------------------------------------------
@STYLES
def test_sign_again_adds_a_signature_and_keeps_every_other_line(
        registry: Registry, newline: str, bom: bool) -> None:
    path = write(registry, WITHDRAWN, newline, bom)
    assert run_sign_again(life(registry), "example-media", "2025-06-01") == EXIT_OK
    assert path.read_bytes() == (("\ufeff" if bom else "") +
                                 AGAIN.replace("\n", newline)).encode("utf-8")
    pledge = only(registry)
    assert pledge.active
    assert pledge.signatures == (
        Signature(signed=dt.date(2024, 5, 17), mission_version=1,
                  withdrawn=dt.date(2025, 1, 31), withdrawn_reason="We paused."),
        Signature(signed=dt.date(2025, 6, 1), mission_version=1, status_index=24306))


def test_a_second_signature_again_goes_after_the_first_and_changes_nothing_of_it(
        registry: Registry) -> None:
    path = write(registry, AGAIN_WITHDRAWN.replace("    mission_version: 1\n",
                                                   "    mission_version: 1  # back\n"))
    assert run_sign_again(life(registry), "example-media", "2025-09-01") == EXIT_OK
    assert path.read_text() == AGAIN_WITHDRAWN.replace(
        "    mission_version: 1\n", "    mission_version: 1  # back\n").replace(
        "status: withdrawn\n", "") + ("  - signed: 2025-09-01\n    mission_version: 1\n"
                                      "    status_index: 31283\n")  # signature 3's
    assert [s.signed for s in only(registry).signatures] == [
        dt.date(2024, 5, 17), dt.date(2025, 6, 1), dt.date(2025, 9, 1)]


def test_sign_again_takes_an_index_no_pledge_file_has_tombstones_included(
        registry: Registry) -> None:
    path = write(registry, WITHDRAWN)
    # a tombstone holds the first choice, and another pledge the one after it
    registry.write("gone", "signed: 2024-01-10\nmission_version: 1\nstatus: withdrawn\n"
                           "withdrawn: 2024-05-01\nstatus_index: 24306\nredacted: 2024-06-01\n")
    registry.write("other", OWNED.replace("Harbour Media Ltd", "Other Ltd").replace(
        "www.example.net", "other.example.org") + "status_index: 24307\n")
    assert run_sign_again(life(registry), "example-media", "2025-06-01") == EXIT_OK
    assert path.read_text().endswith("    status_index: 24308\n")


def test_sign_again_signs_today_and_the_current_version_from_the_command_line(
        registry: Registry, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, WITHDRAWN)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    assert main(["--root", str(registry.root), "sign-again", "example-media"]) == EXIT_OK
    assert path.read_text() == AGAIN.replace("2025-06-01", "2026-05-28")
    assert "signed the pledge again on 2026-05-28 (mission version 1) in" in \
        capsys.readouterr().out


def test_sign_again_signs_the_current_mission_version(registry: Registry) -> None:
    (registry.root / "mission.yaml").write_text(mission_v2_text(), encoding="utf-8")
    registry.mission = load_mission(registry.root)
    path = write(registry, WITHDRAWN)
    assert run_sign_again(life(registry), "example-media", "2026-03-01") == EXIT_OK
    assert path.read_text().endswith("  - signed: 2026-03-01\n    mission_version: 2\n"
                                     "    status_index: 24306\n")


REFUSALS = {
    "not withdrawn": (HANDWRITTEN, [], "this pledge is not withdrawn: its signature is in "
                                       "force, so there is nothing to sign again; to sign a "
                                       "newer mission version, reaffirm it (socialmission "
                                       "reaffirm example-media)"),
    "signed again and in force": (AGAIN, [], "this pledge is not withdrawn"),
    "redacted": ("signed: 2024-05-17\nmission_version: 1\nstatus: withdrawn\n"
                 "withdrawn: 2025-01-31\nredacted: 2025-06-30\n", [],
                 "this pledge is redacted, and a redacted pledge never signs again: to sign, "
                 "write a new pledge (socialmission new)"),
    "withdrawn by the registry": (
        WITHDRAWN + "withdrawn_by: registry\n", [],
        "the registry's maintainers withdrew this signature (on 2025-01-31, withdrawn_by: "
        "registry), and only they sign it again: ask them; a registry maintainer runs this "
        "with --by-registry"),
    "a later signature withdrawn by the registry": (
        AGAIN_WITHDRAWN + "    withdrawn_by: registry\n", [],
        "the registry's maintainers withdrew this signature (on 2025-09-01"),
    "--by-registry for the maintainers' own withdrawal": (
        WITHDRAWN, ["--by-registry"], "--by-registry is for a signature the registry's "
                                      "maintainers withdrew, and the pledge's own maintainers "
                                      "withdrew this one: leave --by-registry out"),
}


@pytest.mark.parametrize(("text", "flags", "says"), REFUSALS.values(), ids=REFUSALS.keys())
def test_sign_again_is_refused_with_what_to_do_and_writes_nothing(
        registry: Registry, text: str, flags: list[str], says: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, text)
    code = main(["--root", str(registry.root), "sign-again", "example-media",
                 "--date", "2025-10-01", *flags])
    assert code == EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert err.startswith(f"socialmission: {path}: {says}"), err
    assert path.read_text() == text


@pytest.mark.parametrize(("day", "says"), [
    ("2025-01-30", "--date: 'signed' (2025-01-30) is before the first signature was "
                   "withdrawn (2025-01-31): check the dates"),
    ((TODAY + dt.timedelta(days=1)).isoformat(),
     f"--date: 'signed' is in the future ({TODAY + dt.timedelta(days=1)}): use today's date "
     "or earlier"),
])
def test_a_date_before_the_withdrawal_or_in_the_future_is_refused(
        registry: Registry, day: str, says: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, WITHDRAWN)
    assert run_sign_again(life(registry), "example-media", day) == EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert f"{path}: {says}\n" in err and "was not changed" in err
    assert path.read_text() == WITHDRAWN
    with pytest.raises(UsageError, match="--date must be a date written YYYY-MM-DD"):
        run_sign_again(life(registry), "example-media", "1/6/2025")


def test_a_date_before_a_later_withdrawal_is_refused(registry: Registry,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    write(registry, AGAIN_WITHDRAWN)
    assert run_sign_again(life(registry), "example-media", "2025-08-01") == EXIT_PROBLEMS
    assert ("--date: 'signed' (2025-08-01) is before the signature before it was withdrawn "
            "(2025-09-01): check the dates") in capsys.readouterr().err


def test_a_registry_maintainer_signs_again_what_the_registry_withdrew(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, WITHDRAWN + "withdrawn_by: registry\n")
    assert run_sign_again(life(registry), "example-media", "2025-06-01", by_registry=True) \
        == EXIT_OK
    assert path.read_text() == AGAIN.replace("We paused.\n", "We paused.\nwithdrawn_by: "
                                                             "registry\n")
    assert "only a registry maintainer makes this change: the pull request's check refuses " \
           "it from anyone else" in capsys.readouterr().out


# --- the other commands on a pledge signed again ---------------------------------------------
def test_withdraw_writes_into_the_current_signature(registry: Registry) -> None:
    path = write(registry, AGAIN)
    assert run_withdraw(life(registry), "example-media", "Paused again.", "2025-09-01") == 0
    assert path.read_text() == AGAIN_WITHDRAWN
    pledge = only(registry)
    assert (pledge.status, pledge.withdrawn, pledge.current.withdrawn) == (
        "withdrawn", dt.date(2025, 1, 31), dt.date(2025, 9, 1))
    with pytest.raises(UsageError, match=r"already withdrawn \(on 2025-09-01\)"):
        run_withdraw(life(registry), "example-media", "Again.", None)


@pytest.mark.parametrize("text", [HANDWRITTEN, AGAIN], ids=["first", "signed again"])
def test_withdraw_by_the_registry_records_it_in_the_current_signature(
        registry: Registry, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, text)
    assert main(["--root", str(registry.root), "withdraw", "example-media", "--reason",
                 "Abuse report.", "--date", "2025-10-01", "--by-registry"]) == EXIT_OK
    assert path.read_text().endswith("withdrawn: 2025-10-01\n"
                                     f"{'    ' if text == AGAIN else ''}withdrawn_reason: "
                                     f"Abuse report.\n"
                                     f"{'    ' if text == AGAIN else ''}withdrawn_by: "
                                     f"registry\n{INDEX_LINE if text == AGAIN else ''}")
    assert only(registry).current.withdrawn_by == "registry"
    out = capsys.readouterr().out
    assert "for the registry's maintainers (withdrawn_by: registry)" in out
    assert "only a registry maintainer makes this change" in out


def test_reaffirm_adds_to_the_current_signature(registry: Registry) -> None:
    (registry.root / "mission.yaml").write_text(mission_v2_text(), encoding="utf-8")
    registry.mission = load_mission(registry.root)
    path = write(registry, AGAIN)
    assert run_reaffirm(life(registry), "example-media", None, "2026-03-01") == EXIT_OK
    assert path.read_text() == AGAIN.removesuffix(INDEX_LINE) + (
        "    reaffirmed:\n      - version: 2\n        date: 2026-03-01\n") + INDEX_LINE
    registry.mission = load_mission(registry.root)
    pledge = only(registry)
    assert pledge.reaffirmed == () and pledge.versions == (1, 2)


def test_reaffirming_a_withdrawn_pledge_says_to_sign_it_again(registry: Registry) -> None:
    write(registry, WITHDRAWN)
    with pytest.raises(UsageError, match=r"a withdrawn pledge is not reaffirmed: sign it "
                                         r"again, which signs the current mission version "
                                         r"\(socialmission sign-again example-media, or "
                                         r"the change form's 'Sign again'\)"):
        run_reaffirm(life(registry), "example-media", None, None)


def test_redact_keeps_each_signatures_dates_and_drops_each_reason(registry: Registry) -> None:
    path = write(registry, AGAIN_WITHDRAWN)
    assert run_redact(life(registry), "example-media", "Legal request", "2025-10-01") == 0
    assert path.read_text() == (
        "# yaml-language-server: $schema=../site/schema/pledge.schema.json\n"
        "signed: 2024-05-17\nmission_version: 1\nstatus: withdrawn\nwithdrawn: 2025-01-31\n"
        "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
        "    withdrawn: 2025-09-01\n    status_index: 24306\nredacted: 2025-10-01\n")
    assert only(registry).tombstone


@pytest.mark.parametrize(("sets", "unsets"), [
    (["status=active"], []), ([], ["status"]), ([], ["withdrawn"]),
    ([], ["withdrawn_reason"]), ([], ["withdrawn_by"]),
])
def test_undoing_a_withdrawal_by_update_says_to_sign_again(
        registry: Registry, sets: list[str], unsets: list[str]) -> None:
    path = write(registry, WITHDRAWN)
    with pytest.raises(UsageError, match="a withdrawal is never undone, its record stays: to "
                                         "be in force again, sign again: socialmission "
                                         "sign-again SLUG"):
        run_update(life(registry), "example-media", sets, unsets)
    assert path.read_text() == WITHDRAWN


def test_a_reason_with_yaml_in_it_stays_one_value_in_the_signature(registry: Registry) -> None:
    reason = "We paused: #1, 'really'"
    path = write(registry, AGAIN)
    assert run_withdraw(life(registry), "example-media", reason, "2025-09-01") == EXIT_OK
    assert f"    withdrawn_reason: {json.dumps(reason)}\n" in path.read_text()
    assert only(registry).current.withdrawn_reason == reason


def test_redact_keeps_every_signatures_revocation_index(registry: Registry) -> None:
    path = write(registry, AGAIN_WITHDRAWN.replace("signed_again:", "status_index: 77\n"
                                                                     "signed_again:"))
    assert run_redact(life(registry), "example-media", "Legal request", "2025-10-01") == 0
    assert only(registry).status_indexes == (77, 24306)  # both bits set for good
    assert "status_index: 77\n" in path.read_text()


# --- status-index: a pledge from before the revocation list -----------------------------------
def test_status_index_gives_an_old_pledge_its_index_once(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, HANDWRITTEN)
    assert main(["--root", str(registry.root), "status-index", "example-media"]) == EXIT_OK
    index = statuslist.first_choice("example-media", 1)
    assert path.read_text() == HANDWRITTEN + f"status_index: {index}\n"
    assert only(registry).status_indexes == (index,)
    assert "gave the signature in force its revocation index in" in capsys.readouterr().out
    assert main(["--root", str(registry.root), "status-index", "example-media"]) != EXIT_OK
    assert f"its signature has its index already (status_index: {index}), and an index " \
           "never changes" in capsys.readouterr().err
    assert path.read_text() == HANDWRITTEN + f"status_index: {index}\n"


def test_status_index_writes_into_the_signature_in_force_past_used_ones(
        registry: Registry) -> None:
    path = write(registry, AGAIN.removesuffix(INDEX_LINE))
    registry.write("other", OWNED.replace("Harbour Media Ltd", "Other Ltd").replace(
        "www.example.net", "other.example.org") + "status_index: 24306\n")
    assert main(["--root", str(registry.root), "status-index", "example-media"]) == EXIT_OK
    assert path.read_text() == AGAIN.removesuffix(INDEX_LINE) + "    status_index: 24307\n"


def test_status_index_leaves_a_withdrawn_signature_without_one(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, WITHDRAWN)
    assert main(["--root", str(registry.root), "status-index", "example-media"]) != EXIT_OK
    assert "only a signature in force is given an index" in capsys.readouterr().err
    assert path.read_text() == WITHDRAWN

"""A pledge holds one or more signatures: the first at its top level, each later one an
entry of `signed_again`; every one but the last is withdrawn, and `status` is the last's."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import OWNED, Registry
from socialmission.model.pledge import Signature

WITHDRAWN = OWNED + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + (
    "signed_again:\n"
    "  - signed: 2025-06-01\n"
    "    mission_version: 1\n")


def line_of(text: str, start: str, after: int = 0) -> int:
    """The number of the first line starting `start`, past line `after`."""
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, start=1)
                if n > after and line.startswith(start))


def test_a_pledge_signed_again_is_active_with_each_signature_kept(registry: Registry) -> None:
    registry.write("harbour-media", AGAIN)
    report = registry.validate()
    assert report.problems == [] and report.warnings == []
    (pledge,) = report.pledges
    assert pledge.active
    assert pledge.signatures == (
        Signature(signed=dt.date(2024, 5, 16), mission_version=1,
                  withdrawn=dt.date(2025, 1, 31), withdrawn_reason="We paused."),
        Signature(signed=dt.date(2025, 6, 1), mission_version=1))
    assert pledge.current.signed == dt.date(2025, 6, 1)
    assert pledge.signed == dt.date(2024, 5, 16)  # the file's top level: the first


def test_a_redacted_pledge_keeps_the_dates_of_every_signature(registry: Registry) -> None:
    registry.write("harbour-media", "signed: 2024-05-16\nmission_version: 1\nstatus: withdrawn\n"
                                    "withdrawn: 2025-01-31\nsigned_again:\n"
                                    "  - signed: 2025-06-01\n    mission_version: 1\n"
                                    "    withdrawn: 2025-09-01\nredacted: 2025-10-01\n")
    assert registry.problems() == []


def test_a_cached_result_keeps_every_signature(registry: Registry) -> None:
    registry.write("harbour-media", AGAIN + "    withdrawn: 2025-09-01\n"
                                            "    withdrawn_by: registry\n"
                                            "status: withdrawn\n")
    first = registry.validate()
    again = registry.validate()  # read from the result cache
    assert first.problems == [] and again.problems == []
    assert again.pledges == first.pledges
    assert again.pledges[0].current.withdrawn_by == "registry"
    assert not again.pledges[0].active


CASES = {
    "no first withdrawal": (
        AGAIN.replace("withdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n", ""),
        [("signed_again:", "a pledge signs again only after its first signature was "
                           "withdrawn: the first signature needs its 'withdrawn: YYYY-MM-DD' "
                           "(socialmission withdraw writes it)")]),
    "signed before the withdrawal": (
        AGAIN.replace("signed: 2025-06-01", "signed: 2025-01-01"),
        [("  - signed:", "'signed' (2025-01-01) is before the first signature was withdrawn "
                         "(2025-01-31): check the dates")]),
    "an earlier later signature in force": (
        AGAIN + "  - signed: 2025-08-01\n    mission_version: 1\n",
        [("  - signed: 2025-08-01", "a signature follows only a withdrawn one: the signature "
                                    "before this has no 'withdrawn' date (socialmission "
                                    "withdraw writes it)")]),
    "status withdrawn, the last in force": (
        AGAIN + "status: withdrawn\n",
        [("status:", "a withdrawn pledge needs the date it was withdrawn: add 'withdrawn: "
                     "YYYY-MM-DD' to the last signature of 'signed_again'")]),
    "the last withdrawn, status active": (
        AGAIN + "    withdrawn: 2025-09-01\n",
        [("signed_again:", "the last signature is withdrawn, so the pledge is: add "
                           "'status: withdrawn'")]),
    "a key a signature does not have": (
        AGAIN + "    statement: Again.\n",
        [("    statement:", "a signature in 'signed_again' has only signed, mission_version, "
                             "reaffirmed, withdrawn, withdrawn_reason, withdrawn_by, "
                             "status_index: delete 'statement'")]),
    "a misspelt key": (
        AGAIN.replace("    mission_version: 1\n", "    mision_version: 1\n"),
        [("    mision_version:", "a signature in 'signed_again' has only signed, "
                                  "mission_version, reaffirmed, withdrawn, withdrawn_reason, "
                                  "withdrawn_by, status_index: delete 'mision_version' (did "
                                  "you mean "
                                  "'mission_version'?)")]),
    "a version that does not exist": (
        AGAIN.replace("    mission_version: 1\n", "    mission_version: 7\n"),
        [("    mission_version:", "'mission_version' 7 does not exist: the published "
                                   "versions are 1")]),
    "withdrawn before signed": (
        AGAIN + "    withdrawn: 2025-05-01\nstatus: withdrawn\n",
        [("    withdrawn:", "'withdrawn' (2025-05-01) is before 'signed' (2025-06-01): check "
                         "the dates")]),
    "a reason without a withdrawal": (
        AGAIN + "    withdrawn_reason: Why not.\n",
        [("    withdrawn_reason:", "'withdrawn_reason' is only for a withdrawn signature: "
                                    "add 'withdrawn: YYYY-MM-DD' or delete this line")]),
    "withdrawn by someone unknown": (
        WITHDRAWN + "withdrawn_by: me\n",
        [("withdrawn_by:", "'withdrawn_by' must be one of registry: got 'me'")]),
    "a redacted pledge's later reason": (
        "signed: 2024-05-16\nmission_version: 1\nstatus: withdrawn\nwithdrawn: 2025-01-31\n"
        "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
        "    withdrawn: 2025-09-01\n    withdrawn_reason: Closed.\nredacted: 2025-10-01\n",
        [("    withdrawn_reason:", "a redacted pledge keeps no 'withdrawn_reason': delete it")]),
    "not a list": (
        AGAIN.split("signed_again:")[0] + "signed_again: 2025-06-01\n",
        [("signed_again:", "'signed_again' must be a list of signatures, each '  - signed: "
                           "YYYY-MM-DD' with '    mission_version: N' under it (socialmission "
                           "sign-again writes it): got text")]),
}


@pytest.mark.parametrize("text, wanted", CASES.values(), ids=CASES.keys())
def test_signatures_that_do_not_follow_each_other_are_refused_at_their_line(
        text: str, wanted: list[tuple[str, str]], registry: Registry) -> None:
    registry.write("harbour-media", text)
    found = [(line, message) for _, line, _, message in registry.problems()]
    assert found == [(line_of(text, start), message) for start, message in wanted]

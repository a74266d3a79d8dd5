"""Each signature's index in the revocation list, `status_index`: an integer inside the list,
read as the signature's, and never shared by two signatures, in one pledge or in two."""

from __future__ import annotations

import pytest

from conftest import OWNED, Registry
from socialmission.model.constants import STATUS_LIST_SIZE

INDEXED = OWNED + "status_index: 48213\n"
AGAIN = INDEXED + (
    "status: active\n"
    "withdrawn: 2025-01-31\n"
    "signed_again:\n"
    "  - signed: 2025-06-01\n"
    "    mission_version: 1\n"
    "    status_index: 91544\n")


def test_each_signatures_index_is_read_as_its_own(registry: Registry) -> None:
    registry.write("harbour-media", AGAIN.replace("status: active\n", ""))
    report = registry.validate()
    assert report.problems == []
    (pledge,) = report.pledges
    assert [s.status_index for s in pledge.signatures] == [48213, 91544]
    assert pledge.status_indexes == (48213, 91544)


def test_a_published_pledge_without_one_is_still_read(registry: Registry) -> None:
    registry.write("harbour-media", OWNED)
    report = registry.validate()
    assert report.problems == []
    assert report.pledges[0].status_indexes == ()


@pytest.mark.parametrize(("value", "message"), [
    (str(STATUS_LIST_SIZE), f"'status_index' {STATUS_LIST_SIZE} is outside the revocation "
                            f"list: it must be from 0 to {STATUS_LIST_SIZE - 1}; the tools "
                            "write it, so put back the one they wrote"),
    ("-1", f"'status_index' -1 is outside the revocation list: it must be from 0 to "
           f"{STATUS_LIST_SIZE - 1}; the tools write it, so put back the one they wrote"),
    ('"48213"', f"'status_index' must be an integer from 0 to {STATUS_LIST_SIZE - 1}, "
                "written without quotes (the tools write it): got text"),
    ("true", f"'status_index' must be an integer from 0 to {STATUS_LIST_SIZE - 1}, written "
             "without quotes (the tools write it): got the boolean 'true'"),
])
def test_an_index_outside_the_list_or_not_an_integer_is_refused(
        registry: Registry, value: str, message: str) -> None:
    registry.write("harbour-media", OWNED + f"status_index: {value}\n")
    assert registry.problems() == [("harbour-media.yaml", 9, 15, message)]


def test_a_later_signatures_index_is_checked_by_the_same_rule(registry: Registry) -> None:
    text = AGAIN.replace("status: active\n", "").replace("91544", "131072")
    registry.write("harbour-media", text)
    (problem,) = registry.problems()
    assert problem[1] == 14 and "'status_index' 131072 is outside" in problem[3]


def test_two_pledges_sharing_an_index_are_each_told(registry: Registry) -> None:
    registry.write("harbour-media", INDEXED)
    registry.write("other-media", INDEXED.replace("Harbour Media", "Other Media")
                   .replace("www.example.net", "www.example.com"))
    problems = registry.problems()
    assert problems == [
        ("harbour-media.yaml", 9, 15, "'status_index' 48213 is also a signature's in "
         f"{registry.pledges / 'other-media.yaml'}: each signature has its own index, for "
         "good; the pull request that came later takes another, one no signature has had"),
        ("other-media.yaml", 9, 15, "'status_index' 48213 is also a signature's in "
         f"{registry.pledges / 'harbour-media.yaml'}: each signature has its own index, for "
         "good; the pull request that came later takes another, one no signature has had"),
    ]


def test_a_later_signature_may_not_reuse_its_own_first_index(registry: Registry) -> None:
    registry.write("harbour-media",
                   AGAIN.replace("status: active\n", "").replace("91544", "48213"))
    messages = [problem[3] for problem in registry.problems()]
    assert len(messages) == 2  # said at the first's line and at the later one's
    assert all("'status_index' 48213 is also a signature's in" in m for m in messages)


def test_a_tombstones_index_is_never_taken_again(registry: Registry) -> None:
    tombstone = ("signed: 2024-05-16\nmission_version: 1\nstatus: withdrawn\n"
                 "withdrawn: 2025-01-31\nstatus_index: 7\nredacted: 2025-02-01\n")
    registry.write("gone", tombstone)
    registry.write("harbour-media", OWNED + "status_index: 7\n")
    assert [(name, line) for name, line, _, _ in registry.problems()] == [
        ("gone.yaml", 5), ("harbour-media.yaml", 9)]

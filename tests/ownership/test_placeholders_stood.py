"""check-pr and the template's examples: a pledge the pull request does not touch keeps its
example as a warning, as every problem that already stood does; a pull request that brings
one in is refused."""

from __future__ import annotations

from git_support import ACME, ALICE, BOB, BRIO, Repo
from socialmission.check.template import entry
from socialmission.model import fields

STATEMENT = entry(next(f for f in fields.FIELDS if f.name == "statement")) + "\n"
KEPT = ("'statement' is still the template's example 'We signed because our community "
        "deserves care, not campaign…': write your own or delete the line")


def test_an_example_in_a_pledge_the_pull_request_does_not_touch_is_a_warning(
        repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("pledges/acme.yaml", ACME + STATEMENT)  # published before the rule
    repo.commit("an old pledge")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/brio.yaml", BRIO + "country: GB\n")
    repo.commit()
    verdict = repo.verdict(BOB)
    assert verdict.allowed and verdict.refusals == []
    assert [(p.path, p.line, p.message) for p in verdict.warnings] == [
        ("pledges/acme.yaml", ACME.count("\n") + 1, KEPT)]


def test_a_pull_request_that_brings_an_example_in_is_refused(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + STATEMENT)
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert not verdict.allowed
    assert [(p.path, p.line, p.message) for p in verdict.refusals] == [
        ("pledges/acme.yaml", ACME.count("\n") + 1, KEPT)]

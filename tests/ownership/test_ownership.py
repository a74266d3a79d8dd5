"""`socialmission check-pr`: who may change what, judged on real git repositories.

Each test builds a small registry in a temporary repository (main), makes a pull request's
commits on a branch, and asks for the verdict, as the trusted job does."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from draft_support import DISCUSSION
from git_support import (
    ACME,
    ALICE,
    BOB,
    BRIO,
    KEEPER,
    LEGACY,
    MALLORY,
    SETTINGS,
    Repo,
    mission_v2,
    new_pledge,
    pledge,
)
from socialmission.ownership.judge import Verdict, mission_texts
from socialmission.ownership.rules import Author, maintainers_in, match


def refusals(verdict: Verdict) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in sorted(verdict.refusals)]


# --- new pledges --------------------------------------------------------------------------
def test_a_new_pledge_by_its_maintainer_is_allowed(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", new_pledge("Delta Trust", "delta.example.org",
                                            "- login: mallory", "  id: 666"))
    repo.commit()
    verdict = repo.verdict(MALLORY)
    assert verdict.allowed, refusals(verdict)
    assert verdict.changed == ["pledges/delta.yaml"]


def test_a_new_pledge_must_list_its_author_and_says_their_id(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", pledge("Delta Trust", "delta.example.org",
                                            "- login: alice", "  id: 100"))
    repo.commit()
    assert refusals(repo.verdict(MALLORY)) == [(
        "pledges/delta.yaml", "a new pledge must list you among its maintainers: add "
        "'- login: mallory' with '  id: 666' under it (your GitHub account's id is 666)")]


# --- changing a pledge --------------------------------------------------------------------
def test_a_maintainer_may_change_and_withdraw_their_own_pledge(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "status: withdrawn\nwithdrawn: 2025-01-02\n")
    repo.commit()
    assert repo.verdict(ALICE).allowed


def test_nobody_changes_or_withdraws_another_signatorys_pledge(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME.replace("Acme Media", "Acme Media (bankrupt)")
               + "status: withdrawn\nwithdrawn: 2025-01-02\nwithdrawn_reason: Fraud.\n")
    repo.commit()
    assert refusals(repo.verdict(BOB)) == [(
        "pledges/acme.yaml", "only the maintainers of acme listed on the base branch may "
        "change it, and bob (id 200) is not one of them: ask one of them, or the registry's "
        "maintainers")]


def test_two_signatories_files_in_one_pull_request_name_the_one_not_theirs(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.write("pledges/brio.yaml", BRIO + "country: GB\n")
    repo.commit()
    assert [path for path, _ in refusals(repo.verdict(ALICE))] == ["pledges/brio.yaml"]


def test_adding_yourself_as_a_maintainer_is_judged_by_the_base_version(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "  - login: mallory\n    id: 666\n")
    repo.commit()
    assert [path for path, _ in refusals(repo.verdict(MALLORY))] == ["pledges/acme.yaml"]
    # and once that is merged by a maintainer, mallory may edit
    assert repo.verdict(ALICE).allowed


def test_a_pledge_is_never_deleted(repo: Repo) -> None:
    (repo.root / "pledges" / "acme.yaml").unlink()
    repo.commit()
    [(path, message)] = refusals(repo.verdict(ALICE))
    assert path == "pledges/acme.yaml"
    assert message.startswith("a pledge is never deleted or renamed")
    assert "withdraw the signature instead ('status: withdrawn'" in message


def test_a_rename_with_the_same_content_is_refused_as_a_rename(repo: Repo) -> None:
    repo.git("mv", "pledges/acme.yaml", "pledges/acme-media.yaml")
    repo.commit()
    messages = refusals(repo.verdict(ALICE))
    assert messages[0][0] == "pledges/acme.yaml"
    assert messages[0][1].startswith("renamed to pledges/acme-media.yaml: a pledge is never")


# --- accounts: ids, renames, freed logins, case ------------------------------------------------
def test_a_renamed_account_keeps_its_pledge(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.commit()
    assert repo.verdict(Author("alice-renamed", 100)).allowed


def test_whoever_takes_over_a_freed_login_gets_nothing(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.commit()
    assert not repo.verdict(Author("alice", 999)).allowed


def test_a_login_without_an_id_matches_in_any_case_with_a_warning(repo: Repo) -> None:
    repo.write("pledges/legacy.yaml", LEGACY + "country: GB\n")
    repo.commit()
    verdict = repo.verdict(Author("carol", 300))
    assert verdict.allowed
    assert [(p.path, p.line, p.message) for p in verdict.warnings] == [(
        "pledges/legacy.yaml", 7, "the maintainer 'Carol' is matched by login only: add "
        "'  id: 300' under the entry, so a renamed account keeps this pledge and whoever "
        "takes over a freed login does not")]


def test_match_prefers_the_id_and_never_matches_another_id() -> None:
    accounts = maintainers_in(b"maintainers:\n  - login: Alice\n    id: 100\n  - bob\n")
    assert accounts is not None
    assert match(Author("someone", 100), accounts) == accounts[0]
    assert match(Author("ALICE", 5), accounts) is None  # that login's id is 100
    assert match(Author("BOB", 7), accounts) == accounts[1]
    assert maintainers_in(b"maintainers: [") is None
    assert maintainers_in(b"\xff") is None


# --- everything outside pledges/, and the registry's maintainers -------------------------------
def test_a_pledge_and_a_workflow_change_together_are_refused_for_the_workflow(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.write(".github/workflows/ci.yml", "on: pull_request_target\n")
    repo.commit()
    assert refusals(repo.verdict(ALICE)) == [(
        ".github/workflows/ci.yml", "only the registry's maintainers may change "
        ".github/workflows/ci.yml: a pledge's pull request changes only pledges/<slug>.yaml "
        "and pledges/logos/<slug>.png, and a translator's only translations/")]


@pytest.mark.parametrize("path", [".ci/run", "README.md", "registry.yaml", "pledges/README.md",
                                  "scripts/socialmission/ownership/judge.py"])
def test_every_path_outside_a_pledge_is_the_registry_maintainers(repo: Repo, path: str) -> None:
    repo.write(path, "changed\n")
    repo.commit()
    assert [p for p, _ in refusals(repo.verdict(ALICE))] == [path]


def test_making_yourself_a_registry_maintainer_is_judged_by_the_base(repo: Repo) -> None:
    repo.write("registry.yaml", SETTINGS + "  - login: mallory\n    id: 666\n")
    repo.write("pledges/acme.yaml", ACME.replace("Acme Media", "Acme Media Ltd"))
    repo.commit()
    assert [p for p, _ in refusals(repo.verdict(MALLORY))] == ["pledges/acme.yaml",
                                                                 "registry.yaml"]


def test_a_registry_maintainer_may_change_anything_and_the_verdict_says_so(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "status: withdrawn\nwithdrawn: 2025-01-02\n")
    repo.write(".github/workflows/ci.yml", "on: [push, pull_request]\n")
    repo.write("registry.yaml", SETTINGS + "  - login: bob\n    id: 200\n")
    repo.commit()
    verdict = repo.verdict(KEEPER)
    assert verdict.allowed, refusals(verdict)
    assert verdict.notices == ["keeper changed pledges/acme.yaml as a registry maintainer "
                               "(editing a pledge it does not maintain), not as one of its "
                               "maintainers"]


def test_a_published_mission_version_is_frozen_even_for_registry_maintainers(repo: Repo) -> None:
    mission = (repo.root / "mission.yaml").read_text(encoding="utf-8")
    repo.write("mission.yaml", mission.replace("constant care", "occasional care", 1))
    repo.commit()
    assert "occasional care" in (repo.root / "mission.yaml").read_text(encoding="utf-8")
    assert refusals(repo.verdict(KEEPER)) == [(
        "mission.yaml", "mission version 1 is published and never changes: put the new "
        "wording in a new version at the end of the file")]


# --- logos ---------------------------------------------------------------------------------
def test_a_logo_belongs_to_its_pledge(repo: Repo) -> None:
    repo.write("pledges/logos/acme.png", "not really a png\n")
    repo.commit()
    assert [p for p, _ in refusals(repo.verdict(BOB))] == ["pledges/logos/acme.png"]
    orphan = refusals(repo.verdict(ALICE))
    assert all(path != "pledges/logos/acme.png" or "does not maintain" not in message
               for path, message in orphan)


def test_a_logo_without_its_pledge_is_refused(repo: Repo) -> None:
    repo.write("pledges/logos/nobody.png", "x\n")
    repo.commit()
    assert refusals(repo.verdict(ALICE)) == [(
        "pledges/logos/nobody.png", "no pledge pledges/nobody.yaml owns this logo: name a logo "
        "after its pledge (logos/<slug>.png) and add it with that pledge")]


# --- validation inside the verdict -----------------------------------------------------------
def test_problems_block_only_in_the_files_a_pull_request_changes(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("pledges/brio.yaml", BRIO.replace("kind: organisation", "kind: club"))
    repo.commit("an invalid pledge that main already has")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/acme.yaml", ACME.replace("kind: organisation", "kind: nonsense"))
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert [(p.path, p.line) for p in verdict.refusals] == [("pledges/acme.yaml", 2)]
    assert [(p.path, p.line) for p in verdict.warnings] == [("pledges/brio.yaml", 2)]


def test_a_branch_behind_main_never_shows_newer_pledges_as_deleted(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", new_pledge("Delta Trust", "delta.example.org",
                                            "- login: mallory", "  id: 666"))
    repo.commit()
    repo.git("checkout", "-q", "main")
    repo.write("pledges/echo.yaml", new_pledge("Echo Co", "echo.example.org", "- login: bob",
                                           "  id: 200"))
    repo.commit("merged meanwhile")
    verdict = repo.verdict(MALLORY)
    assert verdict.allowed, refusals(verdict)
    assert verdict.changed == ["pledges/delta.yaml"]


def test_the_working_tree_is_the_default_head(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    assert repo.verdict(ALICE, head=None).allowed
    assert not repo.verdict(BOB, head=None).allowed


# --- the command ---------------------------------------------------------------------------
def run(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialmission", "--root", str(repo.root),
                           "check-pr", *args], capture_output=True, text=True, check=False)


def test_the_command_exits_0_allowed_1_refused_2_usage(repo: Repo, tmp_path: Path) -> None:
    # The trusted checkout's fonts, for the name check; not part of any commit.
    (repo.root / "badges").symlink_to(ROOT / "badges")
    (repo.root / ".git" / "info" / "exclude").write_text("/badges\n")
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.commit()
    allowed = run(repo, "--base", "main", "--head", "pr", "--author", "alice",
                  "--author-id", "100")
    assert (allowed.returncode, allowed.stdout) == (
        0, "allowed: 1 changed file, nothing refused.\n"), allowed.stderr
    refused = run(repo, "--base", "main", "--head", "pr", "--author", "bob", "--author-id",
                  "200", "--format", "github")
    assert refused.returncode == 1
    assert refused.stdout.startswith("::error file=pledges/acme.yaml,line=1,col=1::only the")
    as_json = run(repo, "--base", "main", "--head", "pr", "--author", "bob", "--author-id",
                  "200", "--format", "json")
    assert json.loads(as_json.stdout)["allowed"] is False
    for bad in (["--base", "nope", "--author", "bob", "--author-id", "200"],
                ["--base", "--upload-pack=x", "--author", "bob", "--author-id", "200"],
                ["--base", "main", "--author", "bob", "--author-id", "0"],
                ["--base", "main", "--author", "bob;rm", "--author-id", "2"]):
        result = run(repo, *bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert "Traceback" not in result.stderr
    shutil.rmtree(repo.root / ".git")
    result = run(repo, "--base", "main", "--author", "bob", "--author-id", "200")
    assert result.returncode == 2
    assert "is not a git repository" in result.stderr


# Every published version's text (title, date, principles), by its SHA-256: a published
# version never changes, and a new one is recorded here when Socially-M publishes it.
PUBLISHED = {1: "b2a32fbb4fd00abd49767ec571b8dfa6fc16bbb340ca94b5bf3143c308e7fcfd"}


def test_every_published_mission_version_keeps_its_recorded_text() -> None:
    texts = mission_texts((ROOT / "mission.yaml").read_bytes())
    assert texts is not None
    found = {number: hashlib.sha256(text.encode()).hexdigest() for number, text in texts.items()}
    assert found == PUBLISHED


# --- what a pledge may not take: the registry's names, another's site ------------------------
def test_a_new_pledge_may_not_take_a_name_the_registry_shows(repo: Repo) -> None:
    (repo.root / "mkdocs.yml").write_text("site_name: The Social Mission\n")  # an untracked
    repo.write("pledges/delta.yaml", new_pledge("Socially-M", "delta.example.org",  # head's one
                                            "- login: mallory", "  id: 666"))
    repo.write("pledges/echo.yaml", new_pledge("Redacted Signatory", "echo.example.org",
                                           "- login: mallory", "  id: 666"))
    repo.write("registry.yaml", SETTINGS + "new_pledges_per_pull_request: 2\n")
    repo.commit()
    repo.git("checkout", "-q", "main")
    repo.write("registry.yaml", SETTINGS + "new_pledges_per_pull_request: 2\n")
    repo.write("mkdocs.yml", "site_name: The Social Mission\n")
    repo.commit("the site's name, on the base branch")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "--no-edit", "main")
    repo.write("pledges/golf.yaml", new_pledge("The S\u043ecial Mission", "golf.example.org",
                                           "- login: mallory", "  id: 666"))  # Cyrillic о
    repo.commit()
    own = ": a signatory may not sign under a name the registry shows as its own; give the " \
          "signatory's own name"
    assert refusals(repo.verdict(MALLORY)) == [
        ("", "the pull request adds 3 new pledges, and one whose author is not a registry "
             "maintainer adds at most 2 new pledges: open a pull request for each signatory"),
        ("pledges/delta.yaml", f"'name' is, or looks like, the issuer's name, 'Socially-M'{own}"),
        ("pledges/echo.yaml", "'name' is, or looks like, the name every redacted signatory is "
                              f"shown by, 'Redacted signatory'{own}"),
        ("pledges/golf.yaml", "'name' is, or looks like, the site's name, 'The Social "
                              f"Mission'{own}"),
    ]


def test_a_published_name_the_registry_shows_is_a_warning(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("pledges/acme.yaml", ACME.replace("Acme Media", "Socially-M"))
    repo.commit("a pledge the rule did not stop")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/acme.yaml", ACME.replace("Acme Media", "Socially-M") + "country: GB\n")
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert verdict.allowed, refusals(verdict)
    assert [(p.path, p.message.split(":")[0]) for p in verdict.warnings] == [
        ("pledges/acme.yaml", "'name' is, or looks like, the issuer's name, 'Socially-M'")]
    # and renaming a published pledge to one of them is taking it
    repo.git("reset", "-q", "--hard", "main")
    repo.write("pledges/brio.yaml", BRIO.replace("Brio Works", "Redacted signatory"))
    repo.commit()
    assert [path for path, _ in refusals(repo.verdict(BOB))] == ["pledges/brio.yaml"]


def test_a_new_pledge_on_another_pledges_site_is_refused_naming_it(repo: Repo) -> None:
    repo.write("pledges/shop.yaml", new_pledge("Acme Shop", "shop.acme.example.org",
                                           "- login: mallory", "  id: 666"))
    repo.commit()
    tail = " (one host is a subdomain of the other, within example.org): each signatory " \
           "signs once; if this is the same signatory, update that pledge instead (a " \
           "registry maintainer may add a separate one)"
    verdict = repo.verdict(MALLORY)
    assert refusals(verdict) == [
        ("pledges/shop.yaml", f"has a website on the same site as pledges/acme.yaml{tail}")]
    # the published one it meets is only warned of
    assert [(p.path, p.message) for p in verdict.warnings] == [
        ("pledges/acme.yaml", f"has a website on the same site as pledges/shop.yaml{tail}")]


def test_a_registry_maintainer_may_add_a_pledge_on_another_pledges_site(repo: Repo) -> None:
    repo.write("pledges/shop.yaml", new_pledge("Acme Shop", "shop.acme.example.org",
                                           "- login: keeper", "  id: 1"))
    repo.commit()
    verdict = repo.verdict(KEEPER)
    assert verdict.allowed, refusals(verdict)
    assert verdict.notices == [
        "keeper is a registry maintainer, so pledges/shop.yaml is allowed, though it has a "
        "website on the same site as pledges/acme.yaml (one host is a subdomain of the "
        "other, within example.org): each signatory signs once; if this is the same "
        "signatory, update that pledge instead (a registry maintainer may add a separate one)"]


def test_sites_of_one_public_suffix_are_not_one_site(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("pledges/alice-pages.yaml", new_pledge("Alice Pages", "alice.github.io",
                                                  "- login: alice", "  id: 100"))
    repo.commit("a pledge on github.io")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/bob-pages.yaml", new_pledge("Bob Pages", "bob.github.io",
                                                "- login: bob", "  id: 200"))
    repo.commit()
    verdict = repo.verdict(BOB)
    assert verdict.allowed, refusals(verdict)
    assert verdict.warnings == []


# --- maintainers of a new pledge: ids ------------------------------------------------------------
def test_every_maintainer_of_a_new_pledge_has_an_id(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", pledge("Delta Trust", "delta.example.org",
                                            "- Mallory", "- login: bob", "  id: 200",
                                            "- friend"))
    repo.commit()
    assert [(p.path, p.line, p.message) for p in sorted(repo.verdict(MALLORY).refusals)] == [
        ("pledges/delta.yaml", 7, "a new pledge lists each maintainer with the account's id, "
                                  "and 'Mallory' has none: add '  id: 666' under it"),
        ("pledges/delta.yaml", 10, "a new pledge lists each maintainer with the account's "
                                   "id, and 'friend' has none: add its id under it, as "
                                   "'  id: 1234567' (https://api.github.com/users/friend "
                                   "shows it)"),
    ]


def test_the_entry_with_the_authors_id_carries_the_authors_login(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", pledge("Delta Trust", "delta.example.org",
                                            "- login: bob", "  id: 666"))
    repo.commit()
    assert [(p.line, p.message) for p in repo.verdict(MALLORY).refusals] == [
        (7, "the entry with your account's id, 666, gives the login 'bob': write your own "
            "login there, 'mallory'")]


# --- what only a registry maintainer changes once a pledge is published --------------------------
@pytest.mark.parametrize(("change", "what"), [
    (lambda text: text.replace("2024-05-17", "2024-05-18"), "its 'signed'"),
    (lambda text: text.replace("mission_version: 1", "mission_version: 2"),
     "its 'mission_version'"),
])
def test_signed_and_mission_version_stay_once_published(
        repo: Repo, change: Callable[[str], str], what: str) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("mission.yaml", mission_v2())
    repo.commit("mission version 2")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/acme.yaml", change(ACME))
    repo.commit()
    assert refusals(repo.verdict(ALICE)) == [(
        "pledges/acme.yaml", f"this change edits {what}, which only the registry's "
        "maintainers change once a pledge is published: to sign a newer mission version, "
        "add it to 'reaffirmed' ('socialmission reaffirm')")]
    verdict = repo.verdict(KEEPER)
    assert verdict.allowed, refusals(verdict)
    assert f"(changing {what})" in verdict.notices[-1]


def test_a_withdrawn_pledge_is_not_made_active_again_by_editing_it(repo: Repo) -> None:
    withdrawn = ACME + "status: withdrawn\nwithdrawn: 2025-01-02\n"
    repo.git("checkout", "-q", "main")
    repo.write("pledges/acme.yaml", withdrawn)
    repo.commit("acme withdrew")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    for active in (ACME, ACME + "status: active\n", withdrawn.replace("status: withdrawn\n",
                                                                      "")):
        repo.write("pledges/acme.yaml", active)
        repo.commit()
        for author in (ALICE, KEEPER):
            assert (  # the validator may say more
                "pledges/acme.yaml", "this change undoes the withdrawal of acme (on "
                "2025-01-02) by hand, which would un-revoke every badge issued before it: a "
                "withdrawal is never undone or edited; to sign again, run 'socialmission "
                "sign-again acme', which adds a new signature and keeps this one") in \
                refusals(repo.verdict(author))
    repo.write("pledges/acme.yaml", withdrawn + "country: GB\n")
    repo.commit()
    assert repo.verdict(ALICE).allowed  # a withdrawn pledge's other fields are still its own


# --- how many new pledges one pull request adds -------------------------------------------------
def test_a_pull_request_adds_one_new_pledge_unless_a_registry_maintainer_opens_it(
        repo: Repo) -> None:
    for slug in ("delta", "echo"):
        repo.write(f"pledges/{slug}.yaml", new_pledge(slug.title(), f"{slug}.example.org",
                                                  "- login: mallory", "  id: 666",
                                                  "- login: keeper", "  id: 1"))
    repo.commit()
    assert refusals(repo.verdict(MALLORY)) == [(
        "", "the pull request adds 2 new pledges, and one whose author is not a registry "
            "maintainer adds at most 1 new pledge: open a pull request for each signatory")]
    verdict = repo.verdict(KEEPER)
    assert verdict.allowed, refusals(verdict)


# --- a draft of the mission ----------------------------------------------------------------
def with_version_2(*lines: str) -> str:
    """The real mission with a version 2 of one principle, its entry's other lines given."""
    text = (ROOT / "mission.yaml").read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n" + "\n".join([
        "  - version: 2", *lines, "    title: The Socially-M Social Mission",
        "    changes: Invented for the tests.", "    principles:", "      - One principle."]) + "\n"


DRAFTED = with_version_2("    draft: true", f"    discussion: {DISCUSSION}")
PUBLISHED_V2 = with_version_2("    date: 2024-01-01")
VERSION_2_LINE = PUBLISHED_V2.splitlines().index("  - version: 2") + 1
FROZEN = ("mission.yaml", "mission version 2 is published and never changes: put the new "
          "wording in a new version at the end of the file")


def _mission_change(repo: Repo, base: str | None, head: str) -> None:
    """mission.yaml as `base` on main (None: as it is), as `head` in the pull request."""
    if base is not None:
        repo.git("checkout", "-q", "main")
        repo.write("mission.yaml", base)
        repo.commit("the mission as it is")
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "main")
    repo.write("mission.yaml", head)
    repo.commit()


@pytest.mark.parametrize(("base", "head", "refused"), [
    (None, DRAFTED, []),  # proposing a draft
    (DRAFTED, DRAFTED.replace("One principle.", "One principle, reworded."), []),  # editing
    (DRAFTED, (ROOT / "mission.yaml").read_text(encoding="utf-8"), []),  # withdrawing it
    (DRAFTED, PUBLISHED_V2, []),  # publishing it: 'draft' out, a date in
    (DRAFTED, DRAFTED.replace("    draft: true", "    date: 2024-01-01\n    draft: true"), []),
    # an erratum beside a published text, which stays as signed
    (PUBLISHED_V2, PUBLISHED_V2.replace("    principles:\n      - One", "    errata: [Read 'a'."
                                        "]\n    principles:\n      - One"), []),
    # a published version never goes back to being a draft, nor changes, nor goes
    (PUBLISHED_V2, PUBLISHED_V2.replace("    date: 2024-01-01", "    draft: true"), [FROZEN]),
    (PUBLISHED_V2, PUBLISHED_V2.replace("One principle.", "Another principle."), [FROZEN]),
    (PUBLISHED_V2, (ROOT / "mission.yaml").read_text(encoding="utf-8"), [FROZEN]),
    # discussed elsewhere than on the registry's repository (the base branch's settings)
    (None, DRAFTED.replace("socially-m/social-mission-registry", "mallory/elsewhere"), [(
        "mission.yaml", "mission.yaml: version 2's 'discussion' must be an address on the "
                        "registry's repository (https://github.com/socially-m/social-mission-"
                        "registry/...): got https://github.com/mallory/elsewhere/issues/42")]),
    # published with a date before version 1's: the mission file cannot be read
    (DRAFTED, PUBLISHED_V2.replace("2024-01-01", "2023-09-30"), [
        ("mission.yaml", f"mission.yaml:{VERSION_2_LINE}:5: version 2 is dated 2023-09-30, "
                         "before version 1 (2023-10-01): versions must be in date order"),
        ("mission.yaml", "the mission file cannot be read: restore it")]),
])
def test_registry_maintainers_propose_edit_and_publish_a_draft(
        repo: Repo, base: str | None, head: str, refused: list[tuple[str, str]]) -> None:
    """check-pr freezes published versions only: the draft is the registry maintainers'
    to add, edit, remove, or publish by removing 'draft' and giving its date."""
    _mission_change(repo, base, head)
    assert refusals(repo.verdict(KEEPER)) == refused


@pytest.mark.parametrize(("base", "head"), [(None, DRAFTED), (DRAFTED, PUBLISHED_V2),
                                            (DRAFTED, DRAFTED.replace("One", "A"))])
def test_nobody_else_touches_a_draft(repo: Repo, base: str | None, head: str) -> None:
    _mission_change(repo, base, head)
    assert [path for path, _ in refusals(repo.verdict(ALICE))] == ["mission.yaml"]

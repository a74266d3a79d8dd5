"""Attacks on the pull-request verdict: each test is a change that once was allowed (or
crashed the trusted job) and must be refused, with the message that says why."""

from __future__ import annotations

import binascii
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from git_support import ACME, ALICE, MALLORY, Repo, pledge
from socialmission.model import constants as c
from socialmission.model import gitrepo
from socialmission.ownership import judge as ownership
from socialmission.ownership.judge import Verdict
from socialmission.ownership.rules import Author, maintainers_in, match

LOGO = next(iter(sorted((ROOT / "pledges" / "logos").glob("*.png"))))
NOT_PNG = ("the logo logos/acme.png is not a PNG file (its first bytes are not the PNG "
           "signature): export it again as PNG")


def refusals(verdict: Verdict) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in sorted(verdict.refusals)]


def on_main(repo: Repo, files: dict[str, str | Path]) -> None:
    """Merge these files into main first, then go on with the pull request's branch."""
    repo.git("checkout", "-q", "main")
    for path, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, repo.root / path)
        else:
            repo.write(path, content)
    repo.commit("on main")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")


def hash_object(repo: Repo, kind: str, data: bytes) -> str:
    """An object git would never write itself (`hash-object --literally`)."""
    result = subprocess.run(["git", "-C", str(repo.root), "hash-object", "-t", kind,
                             "--literally", "-w", "--stdin"], input=data,
                            capture_output=True, check=True)
    return result.stdout.decode().strip()


def commit_tree(repo: Repo, pledges: list[tuple[bytes, str]]) -> None:
    """Commit on pr a tree whose pledges/ folder lists exactly these (name, blob) pairs."""
    entries = b"".join(b"100644 " + name + b"\0" + binascii.unhexlify(oid)
                       for name, oid in pledges)
    folder = hash_object(repo, "tree", entries)
    top = repo.git("rev-parse", "HEAD^{tree}").strip()
    listing = repo.git("ls-tree", top).splitlines()
    rest = "".join(f"{line}\n" for line in listing if not line.endswith("\tpledges"))
    tree = subprocess.run(["git", "-C", str(repo.root), "mktree"],
                          input=f"{rest}040000 tree {folder}\tpledges\n".encode(),
                          capture_output=True, check=True).stdout.decode().strip()
    commit = repo.git("commit-tree", tree, "-p", "HEAD", "-m", "crafted").strip()
    repo.git("update-ref", "refs/heads/pr", commit)


def blob(repo: Repo, path: str) -> str:
    return repo.git("rev-parse", f"HEAD:{path}").strip()


# --- a logo's content is judged with the logo, not with its unchanged pledge ----------------
def test_a_broken_logo_under_an_unchanged_pledge_is_refused(repo: Repo) -> None:
    on_main(repo, {"pledges/logos/acme.png": LOGO, "pledges/acme.yaml": ACME.replace(
        "mission_version: 1\n", "mission_version: 1\nlogo: logos/acme.png\n")})
    repo.write("pledges/logos/acme.png", "<svg onload=alert(1)>")
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert refusals(verdict) == [("pledges/logos/acme.png", NOT_PNG)]
    assert verdict.warnings == []  # said once, on the logo


def test_a_logo_its_pledge_does_not_name_is_still_checked(repo: Repo) -> None:
    repo.write("pledges/logos/acme.png", "not a png\n" * 100)
    repo.commit()
    assert refusals(repo.verdict(ALICE)) == [("pledges/logos/acme.png", NOT_PNG)]


def test_a_good_logo_is_allowed(repo: Repo) -> None:
    shutil.copy(LOGO, repo.root / "pledges/logos/acme.png")
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert verdict.allowed, refusals(verdict)


# --- accounts ------------------------------------------------------------------------------
def test_a_bare_login_never_shadows_the_id_entry_of_that_login() -> None:
    accounts = maintainers_in(b"maintainers:\n  - login: alice\n    id: 100\n  - ALICE\n"
                              b"  - carol\n")
    assert accounts is not None
    assert match(Author("alice", 999), accounts) is None  # whoever took over the login
    assert match(Author("alice", 100), accounts) == accounts[0]
    assert match(Author("Carol", 300), accounts) == accounts[2]


def test_a_freed_login_gets_nothing_through_a_repeated_bare_entry(repo: Repo) -> None:
    on_main(repo, {"pledges/acme.yaml": ACME + "  - alice\n"})
    repo.write("pledges/acme.yaml", ACME.replace("  - login: alice\n    id: 100\n",
                                                 "  - alice\n"))
    repo.commit()
    [(path, message)] = refusals(repo.verdict(Author("alice", 999)))
    assert (path, message.split(",")[0]) == ("pledges/acme.yaml", "only the maintainers of "
                                                                  "acme listed on the base "
                                                                  "branch may change it")


# --- trees git would never write -------------------------------------------------------------
def test_a_submodule_in_pledges_is_refused_not_a_crash(repo: Repo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},pledges/zeta.yaml")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},pledges/logos/acme.png")
    repo.git("commit", "-q", "-m", "submodules")
    assert refusals(repo.verdict(MALLORY)) == [
        ("pledges/logos/acme.png", "a logo must be a regular PNG file, not a link or "
                                   "submodule"),
        ("pledges/zeta.yaml", "a pledge must be a regular file, not a link or submodule")]


def test_a_path_listed_twice_is_refused(repo: Repo) -> None:
    good, evil = blob(repo, "pledges/acme.yaml"), blob(repo, "pledges/brio.yaml")
    commit_tree(repo, [(b"acme.yaml", good), (b"acme.yaml", evil), (b"brio.yaml", evil),
                       (b"legacy.yaml", blob(repo, "pledges/legacy.yaml"))])
    [(path, message)] = refusals(repo.verdict(ALICE))
    assert path == "pledges/acme.yaml"
    assert "is listed twice in the tree of" in message
    assert message.endswith("git never writes such a tree: a pull request changes a few "
                            "files; split it or remove the crafted tree")


@pytest.mark.parametrize(("name", "why"), [
    (b".", "has an empty, '.' or '..' part"),
    (b"..", "has an empty, '.' or '..' part"),
    (b".GIT", "has a '.git' part"),
    (b"a\xffb.yaml", "holds bytes that are not UTF-8 text, a control or invisible character, "
                     "or a backslash"),
    ("mallory\u202elmay.yaml".encode(), "holds bytes that are not UTF-8 text, a control or "
                                        "invisible character, or a backslash"),
    (b"a\\b.yaml", "holds bytes that are not UTF-8 text, a control or invisible character, "
                   "or a backslash"),
    ("acme\u0301.yaml".encode(), "is not in Unicode's composed form (NFC)"),
])
def test_a_path_that_checks_out_as_another_is_refused(repo: Repo, name: bytes,
                                                      why: str) -> None:
    listed = [(n.encode(), blob(repo, f"pledges/{n}")) for n in
              ("acme.yaml", "brio.yaml", "legacy.yaml")]
    evil = hash_object(repo, "blob", pledge("Zeta Org", "zeta.example.org",
                                            "- login: mallory", "  id: 666").encode())
    commit_tree(repo, [*listed, (name, evil)])
    verdict = repo.verdict(MALLORY)
    shown = ascii(f"pledges/{name.decode('utf-8', 'surrogateescape')}")[1:-1]
    assert refusals(verdict) == [("", f"the path {why}, so it may not check out as the file "
                                      f"it looks like: name files with plain text parts: "
                                      f"got '{shown}'")]
    verdict.render("json").encode()  # printable: no lone surrogates
    verdict.render("github").encode()


# --- caps: no head makes the trusted job run out of memory or time -------------------------
def test_a_tree_over_the_cap_is_refused_before_it_is_read(repo: Repo,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitrepo, "MAX_TREE_FILES", 20)
    original = gitrepo.Repository.tree
    monkeypatch.setattr(gitrepo.Repository, "tree",
                        lambda self, commit, limit=20: original(self, commit, limit))
    for number in range(20):
        repo.write(f"docs/f{number:02}.txt", "x\n")
    repo.commit()
    [(path, message)] = refusals(repo.verdict(ALICE))
    assert message.split(" of ")[0] == "the tree"
    assert "has more than 20 files, more than the verdict reads" in message
    assert path.startswith("docs/f")


def test_a_tree_that_contains_itself_stops_at_the_cap(repo: Repo) -> None:
    """One subtree named 8 times in each of 8 levels: 16 million files to `ls-tree -r`."""
    tree = hash_object(repo, "tree", b"100644 f\0" + binascii.unhexlify(
        blob(repo, "pledges/acme.yaml")))
    for _ in range(8):
        tree = hash_object(repo, "tree", b"".join(
            b"40000 d" + str(i).encode() + b"\0" + binascii.unhexlify(tree) for i in range(8)))
    top = subprocess.run(
        ["git", "-C", str(repo.root), "mktree"], capture_output=True, check=True,
        input=f"040000 tree {tree}\tbomb\n".encode()).stdout.decode().strip()
    repo.git("update-ref", "refs/heads/pr", repo.git("commit-tree", top, "-p", "main",
                                                     "-m", "bomb").strip())
    [(_, message)] = refusals(repo.verdict(ALICE))
    assert f"has more than {gitrepo.MAX_TREE_FILES} files" in message


def test_too_many_changed_files_are_refused_without_judging_each(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ownership, "MAX_CHANGED_FILES", 5)
    for number in range(6):
        repo.write(f"pledges/p{number}.yaml", "x: 1\n")
    repo.commit()
    assert refusals(repo.verdict(MALLORY)) == [("", "the pull request changes 6 files; the "
                                                    "verdict judges at most 5: split it into "
                                                    "smaller pull requests")]


def test_a_huge_pledge_is_refused_by_its_size_and_never_read(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    size = 64 << 20
    with (repo.root / "pledges" / "zeta.yaml").open("wb") as file:
        file.write(b"name: Zeta\n" + b"#" * (size - 11))
    repo.commit()
    read: list[str] = []
    original = gitrepo.Repository.blobs

    def blobs(self: gitrepo.Repository, oids: object) -> dict[str, bytes]:
        found = original(self, oids)  # type: ignore[arg-type]
        read.extend(found)
        return found

    monkeypatch.setattr(gitrepo.Repository, "blobs", blobs)
    verdict = repo.verdict(MALLORY)
    assert blob(repo, "pledges/zeta.yaml") not in read
    messages = [m for p, m in refusals(verdict) if p == "pledges/zeta.yaml"]
    assert any(f"{size} bytes" in m and str(c.PLEDGE_MAX_BYTES) in m for m in messages), \
        messages


# --- history -------------------------------------------------------------------------------
def test_a_history_that_meets_main_twice_is_refused(repo: Repo) -> None:
    """A criss-cross: two merge bases, where `merge-base` picks one and a merge uses both."""
    repo.git("checkout", "-q", "-b", "side", "main")
    repo.write("docs/a.txt", "a\n")
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("docs/b.txt", "b\n")
    repo.commit("main")
    repo.git("merge", "-q", "--no-edit", "side")
    repo.git("checkout", "-q", "pr")
    repo.git("reset", "-q", "--hard", "side")
    repo.git("merge", "-q", "--no-edit", "main~1")
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.commit()
    [(path, message)] = refusals(repo.verdict(ALICE))
    assert path == ""
    assert message.startswith("the pull request's history meets the base branch at 2 commits")
    assert message.endswith("rebase it on the base branch")


# --- the workflow --------------------------------------------------------------------------
def test_a_pull_request_retargeted_to_another_base_is_judged_again() -> None:
    """Judged against an old branch where a pledge did not exist yet, then moved to main:
    without `edited`, the old success would stand on the head commit."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "verdict.yml").read_text(
        encoding="utf-8"))
    types = workflow[True]["pull_request_target"]["types"]  # YAML 1.1 reads 'on' as True
    assert {"opened", "synchronize", "reopened", "edited"} <= set(types)

"""A registry in a real temporary git repository, for the tests of pull-request checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NAME_FITS, ROOT
from socialmission.model import statuslist
from socialmission.ownership.judge import Verdict, judge
from socialmission.ownership.rules import Author

ALICE = Author("alice", 100)  # maintains acme
BOB = Author("bob", 200)  # maintains brio
KEEPER = Author("keeper", 1)  # a registry maintainer
MALLORY = Author("mallory", 666)  # maintains nothing

SETTINGS = """\
issuer_name: Socially-M
issuer_email: registry@example.org
issuer_url: https://socialmission.example.org/
repository: https://github.com/socially-m/social-mission-registry
maintainers:
  - login: keeper
    id: 1
mission_name: Social Mission
badge_label: Social Mission
mission_aim: for behaving well on social media
badge_aim: for social media
commitment: commits to the principles of
issuer_description: Publisher of the Social Mission.
keywords: [social media]
proof_name: social-mission
check_name: Pledge verdict
"""
CHECK_NAME = "Pledge verdict"  # the check run's name SETTINGS gives


def pledge(name: str, site: str, *maintainers: str) -> str:
    listed = "".join(f"  {entry}\n" for entry in maintainers)
    return (f"name: {name}\nkind: organisation\nwebsite: https://{site}/\nsigned: 2024-05-17\n"
            f"mission_version: 1\nmaintainers:\n{listed}")


def new_pledge(name: str, site: str, *maintainers: str) -> str:
    """A new pledge as the tools write it: with its revocation list index (one of its own,
    a hash of its site, as `socialmission new` picks one from the slug)."""
    return pledge(name, site, *maintainers) + \
        f"status_index: {statuslist.first_choice(site, 1)}\n"


ACME = pledge("Acme Media", "acme.example.org", "- login: alice", "  id: 100")
BRIO = pledge("Brio Works", "brio.example.org", "- login: bob", "  id: 200")
LEGACY = pledge("Legacy Club", "legacy.example.org", "- Carol")  # a login without an id


def mission_v2() -> str:
    """The real mission with a version 2 appended, as a registry maintainer publishes it."""
    text = (ROOT / "mission.yaml").read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n" + "\n".join([
        "  - version: 2", "    date: 2024-01-01", "    title: The Socially-M Social Mission",
        "    status: invented for the tests", "    changes: Invented for the tests.",
        "    principles:", "      - One principle."]) + "\n"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                       "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root.parent)}
        return subprocess.run(["git", "-C", str(self.root), *args], check=True,
                              capture_output=True, text=True, env=environment).stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str = "pr") -> None:
        self.git("checkout", "-q", "-b", name, "main")

    def verdict(self, author: Author, head: str | None = "pr") -> Verdict:
        return judge(self.root, "main", head, author, NAME_FITS)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "registry"
    (root / "pledges" / "logos").mkdir(parents=True)
    shutil.copy(ROOT / "mission.yaml", root / "mission.yaml")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.write("registry.yaml", SETTINGS)
    repo.write("pledges/acme.yaml", ACME)
    repo.write("pledges/brio.yaml", BRIO)
    repo.write("pledges/legacy.yaml", LEGACY)
    repo.write(".github/workflows/ci.yml", "on: push\n")
    repo.commit("the registry")
    repo.branch()
    return repo



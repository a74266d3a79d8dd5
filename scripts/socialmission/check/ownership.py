"""Who may change what: the verdict on a pull request, judged from git objects.

`socialmission check-pr` compares a pull request's head with its merge base on the base
branch and judges every changed file against the base branch's tip, the trusted side:

- a new pledge must list its author among its maintainers;
- a changed pledge (withdrawn included) must list the author among the maintainers of its
  base version, so nobody adds themselves and edits in one pull request;
- a pledge is redacted (made a tombstone, `redacted:`) only by a registry maintainer: its
  own maintainers withdraw it, they do not redact it;
- a pledge is never deleted or renamed (its address is kept forever): withdraw instead;
- a logo, `pledges/logos/<slug>.png`, belongs to the pledge `<slug>`;
- everything else (mission, design, tooling, workflows, settings) is the registry
  maintainers' (`maintainers` in the base's registry.yaml), who may also edit or withdraw
  any pledge, which the verdict then says;
- a published mission version's text is never changed, by anyone;
- the head's pledges are validated: problems in the files it changes refuse it, problems
  that already stood in files it does not touch are warnings.

Maintainers are GitHub accounts matched by their numeric id, which survives a rename and
is never given to another account; an entry with a login only is matched by login,
case-insensitively, with a warning that says which id to add. The head's files are read
with `git ls-tree` and `git cat-file` (model/gitrepo.py), never checked out or run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from socialmission.check.problems import Problem
from socialmission.check.rendering import NameCheck
from socialmission.check.validate import validate
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.accounts import Account, accounts_in
from socialmission.model.accounts import match as match_account
from socialmission.model.gitrepo import REGULAR_MODES, Entry, Repository, changed_paths
from socialmission.model.mission import load_mission
from socialmission.model.settings import SettingsError, parse_settings
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import YamlError, parse

PLEDGES = f"{paths.PLEDGES_DIR}/"
LOGOS = f"{paths.PLEDGES_DIR}/{paths.LOGO_DIR}/"


@dataclass(frozen=True)
class Author:
    login: str
    id: int


@dataclass
class Verdict:
    refusals: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    def render(self, fmt: str) -> str:
        refusals, warnings = sorted(set(self.refusals)), sorted(set(self.warnings))
        if fmt == "json":
            return json.dumps({
                "allowed": self.allowed, "changed": self.changed,
                "refusals": [p.as_dict() for p in refusals],
                "warnings": [p.as_dict() for p in warnings], "notices": self.notices,
            }, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if fmt == "github":
            lines = [p.as_github() for p in refusals]
            lines += [p.as_github(level="warning") for p in warnings]
            lines += [f"::notice::{Problem('', 0, 0, n).github_data()}" for n in self.notices]
        else:
            lines = [p.as_text() for p in refusals]
            lines += [p.as_text(level="warning") for p in warnings]
            lines += [f"notice: {notice}" for notice in self.notices]
        files = len(self.changed)
        what = "1 changed file" if files == 1 else f"{files} changed files"
        if self.allowed:
            summary = f"allowed: {what}, nothing refused"
        else:
            count = len(refusals)
            summary = (f"refused: {count} problem{'s' if count != 1 else ''} in "
                       f"{len({p.path for p in refusals})} of {what}")
        if warnings:
            summary += f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
        return "\n".join([*lines, summary + "."]) + "\n"


def maintainers_in(data: bytes) -> list[Account] | None:
    """A pledge's maintainers as committed (see model/accounts.py)."""
    return accounts_in(data)


def match(author: Author, accounts: Iterable[Account]) -> Account | None:
    """The entry that names the author (by id; a login-only entry by login)."""
    return match_account(author.login, author.id, accounts)


def _how_to_list(author: Author) -> str:
    return (f"'- login: {author.login}' with '  id: {author.id}' under it (your GitHub "
            f"account's id is {author.id})")


# --- the verdict ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Side:
    """One side of the comparison: a tree and a way to read its files."""

    tree: Mapping[str, Entry]
    contents: Mapping[str, bytes]

    def read(self, path: str) -> bytes | None:
        entry = self.tree.get(path)
        return None if entry is None else self.contents.get(entry.oid)


def judge(root: Path, base: str, head: str | None, author: Author,
          name_fits: NameCheck) -> Verdict:
    """The verdict on the change from the merge base of `base` and `head` (None: the
    working tree, against HEAD) to `head`, judged against `base`'s tip."""
    repo = Repository(root)
    base_tip = repo.commit(base)
    if head is None:
        head_tree, head_contents = repo.working_tree()
        merge_base = repo.merge_base(base_tip, repo.commit("HEAD"))
    else:
        head_commit = repo.commit(head)
        head_tree = repo.tree(head_commit)
        merge_base = repo.merge_base(base_tip, head_commit)
        head_contents = {}
    before = repo.tree(merge_base)
    trusted_tree = repo.tree(base_tip)
    changes = changed_paths(before, head_tree)
    wanted = {e.oid for p, e in head_tree.items() if _is_registry_data(p)} | {
        e.oid for p, e in trusted_tree.items() if _is_registry_data(p)} | {
        e.oid for p, e in before.items() if p in changes}
    blobs = repo.blobs(oid for oid in wanted if oid not in head_contents)
    contents = {**blobs, **head_contents}
    verdict = Verdict(changed=sorted(changes))
    _Judge(author, _Side(trusted_tree, contents), _Side(before, contents),
           _Side(head_tree, contents), changes, verdict).run()
    _validate_head(_Side(head_tree, contents), changes, name_fits, verdict)
    return verdict


def _is_registry_data(path: str) -> bool:
    """The files the verdict reads: pledges, logos, the mission and the settings."""
    return path.startswith(PLEDGES) or path in {paths.MISSION_FILE, paths.SETTINGS_FILE}


def _pledge_slug(path: str) -> str | None:
    parts = PurePosixPath(path)
    if path.startswith(PLEDGES) and parts.parent.as_posix() == paths.PLEDGES_DIR and \
            path.endswith(c.PLEDGE_SUFFIX):
        return parts.name.removesuffix(c.PLEDGE_SUFFIX)
    return None


def _is_redacted(data: bytes | None) -> bool:
    """Whether a pledge's committed text is a tombstone (has 'redacted'); a file that does
    not read as a pledge is not (the validator says what is wrong with it)."""
    if data is None:
        return False
    try:
        root = parse(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return False
    return isinstance(root, YamlMapping) and "redacted" in root.items


def _logo_owner(path: str) -> str | None:
    parts = PurePosixPath(path)
    if path.startswith(LOGOS) and parts.parent.as_posix() == LOGOS.rstrip("/") and \
            parts.suffix == ".png":
        return parts.stem
    return None


@dataclass
class _Judge:
    author: Author
    trusted: _Side  # the base branch's tip: whose word counts
    before: _Side  # the merge base: what the pull request started from
    head: _Side
    changes: dict[str, str]
    verdict: Verdict

    def run(self) -> None:
        self.registry_maintainer = match(self.author, self._registry_maintainers())
        renamed = self._renames()
        for path, change in self.changes.items():
            slug, owner = _pledge_slug(path), _logo_owner(path)
            if slug is not None:
                self._pledge(path, slug, change, renamed.get(path))
            elif owner is not None:
                self._logo(path, owner, change)
            else:
                self._registry_file(path)
        if paths.MISSION_FILE in self.changes:
            self._mission_frozen()

    def _registry_maintainers(self) -> tuple[Account, ...]:
        """The base branch's registry maintainers (none where it has no settings file)."""
        data = self.trusted.read(paths.SETTINGS_FILE)
        if data is None:
            return ()
        try:
            return parse_settings(data, paths.SETTINGS_FILE).maintainers
        except SettingsError as error:
            raise UsageError(f"the base branch's settings cannot be read, so nobody can be "
                             f"judged against them: {error}") from None

    def _refuse(self, path: str, line: int, message: str) -> None:
        self.verdict.refusals.append(Problem(path, line, 0, message))

    def _warn(self, path: str, line: int, message: str) -> None:
        self.verdict.warnings.append(Problem(path, line, 0, message))

    def _renames(self) -> dict[str, str]:
        """Deleted pledges whose exact content reappears under another name."""
        added = {self.head.tree[p].oid: p for p, ch in self.changes.items()
                 if ch == "added" and _pledge_slug(p)}
        return {p: added[self.before.tree[p].oid] for p, ch in self.changes.items()
                if ch == "deleted" and _pledge_slug(p) and self.before.tree[p].oid in added}

    def _is_maintainer_of(self, accounts: list[Account] | None, path: str) -> bool:
        found = match(self.author, accounts or [])
        if found is not None and found.id is None:
            self._warn(path, found.line, f"the maintainer '{found.login}' is matched by login "
                                         f"only: add '  id: {self.author.id}' under the entry, "
                                         "so a renamed account keeps this pledge and whoever "
                                         "takes over a freed login does not")
        return found is not None

    def _power(self, path: str, what: str) -> bool:
        """A registry maintainer may edit or withdraw any pledge; the verdict says so."""
        if self.registry_maintainer is None:
            return False
        self.verdict.notices.append(f"{self.author.login} changed {path} as a registry "
                                    f"maintainer ({what}), not as one of its maintainers")
        return True

    def _pledge(self, path: str, slug: str, change: str, renamed_to: str | None) -> None:
        if change == "deleted":
            where = f"renamed to {renamed_to}: " if renamed_to else ""
            self._refuse(path, 0, f"{where}a pledge is never deleted or renamed, because its "
                                  "address and badges stay published for good: keep the file "
                                  "and withdraw the signature instead ('status: withdrawn' "
                                  "and 'withdrawn: YYYY-MM-DD')")
            return
        if self.head.tree[path].mode not in REGULAR_MODES:
            self._refuse(path, 0, "a pledge must be a regular file, not a link or submodule")
            return
        base_version = self.trusted.read(path)
        if _is_redacted(self.head.read(path)) and not _is_redacted(base_version) and \
                self.registry_maintainer is None:
            self._refuse(path, 0, f"only the registry's maintainers redact a pledge, for legal "
                                  f"or abuse requests, and {self.author.login} is not one of "
                                  "them: a pledge's own maintainers withdraw it; to have it "
                                  "redacted, ask the registry's maintainers (CONTRIBUTING.md, "
                                  "'Redaction')")
            return
        if base_version is None:  # a new pledge
            listed = maintainers_in(self.head.read(path) or b"")
            if not self._is_maintainer_of(listed, path):
                self._refuse(path, 0, f"a new pledge must list you among its maintainers: add "
                                      f"{_how_to_list(self.author)}")
            return
        if not self._is_maintainer_of(maintainers_in(base_version), path) and \
                not self._power(path, "editing a pledge it does not maintain"):
            self._refuse(path, 0, f"only the maintainers of {slug} listed on the base branch "
                                  f"may change it, and {self.author.login} (id "
                                  f"{self.author.id}) is not one of them: ask one of them, or "
                                  "the registry's maintainers")

    def _logo(self, path: str, owner: str, change: str) -> None:
        pledge = f"{PLEDGES}{owner}{c.PLEDGE_SUFFIX}"
        entry = self.head.tree.get(path)
        if entry is not None and entry.mode not in REGULAR_MODES:
            self._refuse(path, 0, "a logo must be a regular PNG file, not a link or submodule")
            return
        base_version = self.trusted.read(pledge)
        if base_version is not None:
            if not self._is_maintainer_of(maintainers_in(base_version), path) and \
                    not self._power(path, "changing a logo"):
                self._refuse(path, 0, f"this logo belongs to {pledge}, which {self.author.login} "
                                      f"does not maintain: a logo is named after its own pledge "
                                      f"(logos/<slug>.png)")
            return
        if change != "deleted" and self.changes.get(pledge) == "added":
            return  # a new pledge's own logo: judged with the pledge
        self._refuse(path, 0, f"no pledge {pledge} owns this logo: name a logo after its pledge "
                              "(logos/<slug>.png) and add it with that pledge")

    def _registry_file(self, path: str) -> None:
        if self.registry_maintainer is not None:
            return
        self._refuse(path, 0, f"only the registry's maintainers may change {path}: a pledge's "
                              f"pull request changes only {PLEDGES}<slug>{c.PLEDGE_SUFFIX} and "
                              f"{LOGOS}<slug>.png")

    def _mission_frozen(self) -> None:
        """No published version of the mission is edited or removed, by anyone."""
        published = mission_texts(self.trusted.read(paths.MISSION_FILE))
        proposed = mission_texts(self.head.read(paths.MISSION_FILE))
        if published is None:
            return
        if proposed is None:
            self._refuse(paths.MISSION_FILE, 0, "the mission file cannot be read: restore it")
            return
        for number, text in published.items():
            if proposed.get(number) != text:
                self._refuse(paths.MISSION_FILE, 0,
                             f"mission version {number} is published and never changes: put "
                             "the new wording in a new version at the end of the file")


def mission_texts(data: bytes | None) -> dict[int, str] | None:
    """Each published version's number and its text (title, date, principles) as JSON."""
    if data is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch, paths.MISSION_FILE).write_bytes(data)
        try:
            mission = load_mission(Path(scratch))
        except UsageError:
            return None
    return {v.version: json.dumps([v.title, v.date.isoformat(), list(v.principles)],
                                  ensure_ascii=False) for v in mission.versions}


def _validate_head(head: _Side, changes: Mapping[str, str], name_fits: NameCheck,
                   verdict: Verdict) -> None:
    """The validator on the head's pledges, written out as plain files (never a checkout):
    problems in changed files refuse the pull request; others were already there."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for path, entry in head.tree.items():
            if not (path.startswith(PLEDGES) or path == paths.MISSION_FILE):
                continue
            if entry.mode not in REGULAR_MODES or ".." in PurePosixPath(path).parts:
                continue  # judged above; never written as a link
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(head.read(path) or b"")
        pledges = root / paths.PLEDGES_DIR
        (pledges / paths.LOGO_DIR).mkdir(parents=True, exist_ok=True)
        try:
            mission = load_mission(root)
        except UsageError as error:
            verdict.refusals.append(Problem(paths.MISSION_FILE, 0, 0, str(error).replace(
                str(root) + "/", "")))
            return
        report = validate([pledges], mission, name_fits=name_fits)
        for problem in report.problems:
            relative = Path(problem.path).relative_to(root).as_posix()
            moved = Problem(relative, problem.line, problem.column,
                            problem.message.replace(f"{root}/", ""))
            if relative in changes:
                verdict.refusals.append(moved)
            else:
                verdict.warnings.append(moved)

"""Who may change what: the verdict on a pull request, judged from git objects.

`socialmission check-pr` compares a pull request's head with its merge base on the base
branch and judges every changed file against the base branch's tip, the trusted side, by
the rules of ownership/rules.py: a table of small functions, each one rule, its docstring
the rule as OPERATORS.md lists it (`rules.listed`).

Then the head's pledges are validated: problems in the files it changes refuse it,
problems that already stood in files it does not touch are warnings.

The judge fetches nothing itself: the caller hands `judge` a `ProofCheck` and an
`AccountCheck` (check-pr's command builds them on site/proofs.py and the GitHub API), as
the validator is handed the name check. Maintainers are GitHub accounts matched by their
numeric id, which survives a rename and is never given to another account; an entry with a login
only is matched by login, case-insensitively, with a warning that says which id to add.
The head's files are read with `git ls-tree` and `git cat-file` (model/gitrepo.py), never
checked out or run.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from socialmission.check.across import Caution
from socialmission.check.rendering import NameCheck, check_logo
from socialmission.check.translations import check_translations
from socialmission.check.validate import validate
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import paths, statuslist
from socialmission.model.filetree import CommitTree, FileTree
from socialmission.model.gitrepo import (
    LINK_MODE,
    REGULAR_MODES,
    Entry,
    Repository,
    TreeError,
    changed_paths,
)
from socialmission.model.mission import Mission, load_mission, mission_from_bytes
from socialmission.model.problems import Frame, Problem, at_level, counted, show, with_warnings
from socialmission.model.settings import (
    Settings,
    SettingsError,
    parse_settings,
    settings_names,
)
from socialmission.ownership.rules import (
    CAUTION_RULES,
    GOES_ON_AFTER_REFUSING,
    LOGO_RULES,
    LOGOS,
    OTHER_FILE_RULES,
    PATH_RULES,
    PLEDGE_RULES,
    PLEDGES,
    PULL_REQUEST_RULES,
    TRANSLATION_RULES,
    TRANSLATIONS,
    AccountCheck,
    Author,
    ChangedFile,
    FileRule,
    ProofCheck,
    PullRequest,
    match,
    shown_path,
    unsafe_path,
)

READABLE_MODES = REGULAR_MODES | {LINK_MODE}  # blobs; a submodule's oid is a commit


# How a verdict frames its problems: JSON's lists, and the check run's sections.
VERDICT: Final = Frame(lists={"error": "refusals", "warning": "warnings", "notice": "notices"},
                       sections={"error": "Refused", "warning": "Warnings",
                                 "notice": "Notices"}, mentions=True)


@dataclass
class Verdict:
    refusals: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    def problems(self) -> list[Problem]:
        """Every refusal, warning and notice, each at its level."""
        return [*at_level(self.refusals, "error"), *at_level(self.warnings, "warning"),
                *(Problem("", 0, 0, notice, "notice") for notice in self.notices)]

    def render(self, fmt: str) -> str:
        """The verdict in one of the FORMATS, ending with what it decided."""
        what = counted(len(self.changed), "changed file")
        refused = set(self.refusals)
        summary = f"allowed: {what}, nothing refused" if self.allowed else (
            f"refused: {counted(len(refused), 'problem')} in "
            f"{len({p.path for p in refused})} of {what}")
        problems = self.problems()
        return show(problems, fmt, VERDICT, with_warnings(summary, problems),
                    {"allowed": self.allowed, "changed": self.changed})


# --- the verdict ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Side:
    """One side of the comparison: a tree and a way to read its files."""

    tree: Mapping[str, Entry]
    contents: Mapping[str, bytes]

    def read(self, path: str) -> bytes | None:
        entry = self.tree.get(path)
        return None if entry is None else self.contents.get(entry.oid)


# What the verdict reads of a head, at most: caps checked on each blob's size before a
# byte of it is read, so no head can make the trusted job run out of memory or time.
MAX_CHANGED_FILES = 1_000  # a signatory's pull request changes one to three
MAX_READ_BYTES = 1 << 20  # the mission or the settings file (each is a few KiB)
MAX_HEAD_BYTES = 64 << 20  # all of the head's changed files that are read, together


def judge(root: Path, base: str, head: str | None, author: Author,
          name_fits: NameCheck, *, proofs: ProofCheck | None = None,
          accounts: AccountCheck | None = None, pushed_to_another: bool = False) -> Verdict:
    """The verdict on the change from the merge base of `base` and `head` (None: the
    working tree, against HEAD) to `head`, judged against `base`'s tip. `proofs` reads a
    pledge's domain (needed when the base's settings say `domain_proof: true`, and for
    an orphaned pledge); `accounts` says whether a maintainer's account still exists
    (needed for an orphaned pledge). Without them, what needs them is refused.
    `pushed_to_another`: `author` is not the pull request's author but an account that
    pushed to it (see `PullRequest.maintainer_pushed`)."""
    repo = Repository(root)
    base_tip = repo.commit(base)
    head_contents: dict[str, bytes] = {}
    try:
        if head is None:
            head_tree, head_contents = repo.working_tree()
            head_commit = repo.commit("HEAD")
        else:
            head_commit = repo.commit(head)
            head_tree = repo.tree(head_commit)
    except TreeError as error:
        return Verdict(refusals=[Problem(error.path, 0, 0, f"{error}: a pull request "
                                         "changes a few files; split it or remove the "
                                         "crafted tree")])
    merge_bases = repo.merge_bases(base_tip, head_commit)
    if len(merge_bases) > 1:
        return Verdict(refusals=[Problem("", 0, 0, (
            f"the pull request's history meets the base branch at {len(merge_bases)} "
            f"commits ({', '.join(b[:12] for b in merge_bases)}), so no one of them shows "
            "what merging it would change: rebase it on the base branch"))])
    before = repo.tree(merge_bases[0])
    trusted_tree = repo.tree(base_tip)
    changes = changed_paths(before, head_tree)
    verdict = Verdict(changed=sorted(shown_path(path) for path in changes))
    if len(changes) > MAX_CHANGED_FILES:
        verdict.refusals.append(Problem("", 0, 0, (
            f"the pull request changes {len(changes)} files; the verdict judges at most "
            f"{MAX_CHANGED_FILES}: split it into smaller pull requests")))
        return verdict
    unread = _over_caps(head_tree, changes, verdict)
    wanted = {e.oid for p, e in head_tree.items() if _is_registry_data(p)
              and e.mode in READABLE_MODES and p not in unread} | {
        e.oid for p, e in trusted_tree.items() if (_is_registry_data(p) or p in _OWN_NAMES)
        and e.mode in READABLE_MODES} | {
        e.oid for p, e in before.items() if p in changes and e.mode in READABLE_MODES}
    blobs = repo.blobs(oid for oid in wanted if oid not in head_contents)
    contents = {**blobs, **head_contents}
    head_side = _Side(head_tree, contents)
    trusted_side = _Side(trusted_tree, contents)
    judged = _Judge(author, trusted_side, _Side(before, contents), head_side, changes,
                    verdict, proofs, accounts, pushed_to_another)
    judged.run()
    judged.cautions(_validate_head(head_side, changes, name_fits, verdict, trusted_side))
    return verdict


def _read_cap(path: str) -> int:
    """The most bytes of a head's file that the verdict reads (0: never read)."""
    if _pledge_slug(path) is not None:
        return c.PLEDGE_MAX_BYTES
    if _logo_owner(path) is not None:
        return c.LOGO_MAX_BYTES
    if path in {paths.MISSION_FILE, paths.SETTINGS_FILE}:
        return MAX_READ_BYTES
    if path.startswith(TRANSLATIONS):
        return c.TRANSLATION_MAX_BYTES
    return 0


def _over_caps(head: Mapping[str, Entry], changes: Mapping[str, str],
               verdict: Verdict) -> set[str]:
    """The head's files that are not read, being over their caps (the validator still
    sees their size, and says what to do); the mission over its cap is refused here."""
    unread = {path for path, entry in head.items() if entry.size > _read_cap(path)}
    if head.get(paths.MISSION_FILE) and paths.MISSION_FILE in unread:
        verdict.refusals.append(Problem(paths.MISSION_FILE, 0, 0, (
            f"the mission file is {head[paths.MISSION_FILE].size} bytes; the limit is "
            f"{MAX_READ_BYTES}: keep the versions' texts only")))
    total = 0
    for path in sorted(changes):
        entry = head.get(path)
        if entry is None or path in unread or not _is_registry_data(path):
            continue
        total += entry.size
        if total > MAX_HEAD_BYTES:
            unread.add(path)
            verdict.refusals.append(Problem(path, 0, 0, (
                f"the pull request's changed files add up to more than {MAX_HEAD_BYTES} "
                "bytes by here, more than the verdict reads: split it")))
    return unread

def _is_registry_data(path: str) -> bool:
    """The files the verdict reads: pledges, logos, the mission, its translations and the
    settings."""
    return path.startswith((PLEDGES, TRANSLATIONS)) or \
        path in {paths.MISSION_FILE, paths.SETTINGS_FILE}


def _pledge_slug(path: str) -> str | None:
    parts = PurePosixPath(path)
    if path.startswith(PLEDGES) and parts.parent.as_posix() == paths.PLEDGES_DIR and \
            path.endswith(c.PLEDGE_SUFFIX):
        return parts.name.removesuffix(c.PLEDGE_SUFFIX)
    return None


def _logo_owner(path: str) -> str | None:
    parts = PurePosixPath(path)
    if path.startswith(LOGOS) and parts.parent.as_posix() == LOGOS.rstrip("/") and \
            parts.suffix == ".png":
        return parts.stem
    return None


@dataclass
class _Judge:
    """The walk: each changed file through its rules (ownership/rules.py), then the pull
    request as a whole, then the validator's cautions on the head's pledges."""

    author: Author
    trusted: _Side  # the base branch's tip: whose word counts
    before: _Side  # the merge base: what the pull request started from
    head: _Side
    changes: dict[str, str]
    verdict: Verdict
    proofs: ProofCheck | None = None
    accounts: AccountCheck | None = None
    pushed_to_another: bool = False  # the author pushed to another's pull request

    def run(self) -> None:
        renamed = self._renames()
        self.pull = self._pull_request(renamed)
        if self.pull.maintainer_pushed:
            self.verdict.notices.append(
                f"{self.author.login} (id {self.author.id}), a registry maintainer, pushed "
                "to this pull request: judged with a registry maintainer's rights")
        for path, change in self.changes.items():
            self._apply(self._file(path, change, renamed.get(path)))
        for rule in PULL_REQUEST_RULES:
            self._record(rule(self.pull))

    def cautions(self, found: list[Caution]) -> None:
        """The validator's cautions on the head's pledges, through CAUTION_RULES."""
        for caution in found:
            path = caution.problem.path
            file = ChangedFile(path, self.changes.get(path, ""), base=self.trusted.read(path),
                               head=self.head.read(path))
            for rule in CAUTION_RULES:
                self._record(rule(caution, file, self.pull))

    def _pull_request(self, renamed: Mapping[str, str]) -> PullRequest:
        settings = self._settings()
        maintainers = settings.maintainers if settings is not None else ()
        registry_maintainer = match(self.author, maintainers)
        translator = match(self.author, settings.translators) if settings is not None else None
        mission = paths.MISSION_FILE
        return PullRequest(
            self.author, settings, registry_maintainer,
            self.pushed_to_another and registry_maintainer is not None, self.proofs,
            self.changes, new_pledges=tuple(
                p for p, change in self.changes.items() if change == "added"
                and _pledge_slug(p) is not None and p not in renamed.values()),
            mission=(mission_texts(self.trusted.read(mission)),
                     mission_texts(self.head.read(mission))) if mission in self.changes
            else None, status_indexes=self._status_indexes(), translator=translator)

    def _status_indexes(self) -> frozenset[int]:
        """Every revocation list index the base branch's pledge files write."""
        return frozenset(index for path in self.trusted.tree if _pledge_slug(path)
                         for index in statuslist.indexes_written(
                             (self.trusted.read(path) or b"").decode("utf-8", "replace")))

    def _settings(self) -> Settings | None:
        """The base branch's settings (None where it has no settings file: no registry
        maintainers, no proof required)."""
        data = self.trusted.read(paths.SETTINGS_FILE)
        if data is None:
            return None
        try:
            return parse_settings(data, paths.SETTINGS_FILE)
        except SettingsError as error:
            raise UsageError(f"the base branch's settings cannot be read, so nobody can be "
                             f"judged against them: {error}") from None

    def _renames(self) -> dict[str, str]:
        """Deleted pledges whose exact content reappears under another name."""
        added = {self.head.tree[p].oid: p for p, ch in self.changes.items()
                 if ch == "added" and _pledge_slug(p)}
        return {p: added[self.before.tree[p].oid] for p, ch in self.changes.items()
                if ch == "deleted" and _pledge_slug(p) and self.before.tree[p].oid in added}

    def _file(self, path: str, change: str, renamed_to: str | None) -> ChangedFile:
        """A changed file as its rules judge it: a logo with its pledge's base version."""
        slug = _pledge_slug(path)
        slug = slug if slug is not None else _logo_owner(path)
        entry = self.head.tree.get(path)
        pledge = f"{PLEDGES}{slug}{c.PLEDGE_SUFFIX}" if slug is not None else path
        return ChangedFile(path, change, slug or "", entry.mode if entry else None,
                           self.trusted.read(pledge), self.head.read(path), renamed_to,
                           functools.cache(self.accounts) if self.accounts is not None else None)

    def _apply(self, file: ChangedFile) -> None:
        """PATH_RULES, then the rules of the file's kind, until one refuses it."""
        kind = PLEDGE_RULES if _pledge_slug(file.path) is not None else \
            LOGO_RULES if _logo_owner(file.path) is not None else \
            TRANSLATION_RULES if file.path.startswith(TRANSLATIONS) else OTHER_FILE_RULES
        rule: FileRule
        for rule in (*PATH_RULES, *kind):
            found = rule(file, self.pull)
            self._record(found)
            if rule not in GOES_ON_AFTER_REFUSING and \
                    any(problem.level == "error" for problem in found):
                return

    def _record(self, found: list[Problem]) -> None:
        """Each problem into the verdict, as a refusal, a warning or a notice."""
        for problem in found:
            if problem.level == "notice":
                self.verdict.notices.append(problem.message)
            elif problem.level == "error":
                self.verdict.refusals.append(problem)
            else:
                self.verdict.warnings.append(problem)


def mission_texts(data: bytes | None) -> dict[int, str] | None:
    """Each published version's number and its text (title, date, principles) as JSON."""
    if data is None:
        return None
    try:
        mission = mission_from_bytes(data, paths.MISSION_FILE)
    except UsageError:
        return None
    return {v.version: json.dumps([v.title, v.date.isoformat(), list(v.principles)],
                                  ensure_ascii=False) for v in mission.versions}


def _validate_head(head: _Side, changes: Mapping[str, str], name_fits: NameCheck,
                   verdict: Verdict, trusted: _Side) -> list[Caution]:
    """The validator on the head's pledges, read from its git objects (never written out
    or checked out): problems in changed files refuse the pull request; others were
    already there. A changed logo is checked on its own, so a pledge that did not change
    cannot carry a new logo's problems as mere warnings."""
    tree = CommitTree({path: entry for path, entry in head.tree.items()
                       if (path.startswith((PLEDGES, TRANSLATIONS))
                           or path == paths.MISSION_FILE)
                       # judged above; never read as a link or outside the folder
                       and entry.mode in REGULAR_MODES and not unsafe_path(path)},
                      head.contents)
    try:
        mission = load_mission(Path(), tree)
    except UsageError as error:
        verdict.refusals.append(Problem(paths.MISSION_FILE, 0, 0, str(error)))
        return []
    if paths.MISSION_FILE in changes:
        verdict.refusals += [Problem(paths.MISSION_FILE, 0, 0, message)
                             for message in _discussions_elsewhere(mission, trusted)]
    _translations_of_head(tree, mission, changes, verdict)
    logo_messages = _changed_logos(tree, head, changes, verdict)
    pledges = Path(paths.PLEDGES_DIR)
    report = validate([pledges] if tree.is_folder(pledges) else [], mission,
                      name_fits=name_fits, settings_names=_trusted_names(trusted), tree=tree)
    for problem in report.problems:
        if problem.message in logo_messages.get(problem.path, ()):
            continue  # refused on the logo itself
        if problem.path in changes:
            verdict.refusals.append(problem)
        else:
            verdict.warnings.append(problem)
    return report.cautions


def _translations_of_head(tree: FileTree, mission: Mission, changes: Mapping[str, str],
                          verdict: Verdict) -> None:
    """Where the pull request changes a translation, the head's translations checked
    against the head's mission: problems in the files it changes refuse it, others were
    already there (warnings)."""
    if not any(path.startswith(TRANSLATIONS) for path in changes):
        return
    for problem in check_translations(mission, Path(paths.TRANSLATIONS_DIR), tree).problems:
        (verdict.refusals if problem.path in changes else verdict.warnings).append(problem)


# The base branch's files that give the registry's own names (the issuer's, the site's).
_OWN_NAMES = frozenset({paths.SETTINGS_FILE, paths.MKDOCS_FILE})


def _discussions_elsewhere(mission: Mission, trusted: _Side) -> list[str]:
    """Each version's 'discussion' that is not on the registry's repository, as the base
    branch's settings name it (no settings there: nothing to compare with)."""
    data = trusted.read(paths.SETTINGS_FILE)
    if data is None:
        return []
    try:
        repository = parse_settings(data, paths.SETTINGS_FILE).repository
    except SettingsError:
        return []  # the base's settings are judged, and refused, on their own
    return mission.discussion_problems(repository)


def _trusted_names(trusted: _Side) -> list[tuple[str, str]]:
    """The issuer's and the site's names as the base branch gives them."""
    return settings_names(Path(), CommitTree(
        {path: trusted.tree[path] for path in _OWN_NAMES
         if path in trusted.tree and trusted.tree[path].mode in REGULAR_MODES},
        trusted.contents))


def _changed_logos(tree: FileTree, head: _Side, changes: Mapping[str, str],
                   verdict: Verdict) -> dict[str, set[str]]:
    """Each added or changed logo, checked as its pledge's logo and refused on its own
    path; the messages, by pledge, that the validator will repeat on the pledge."""
    found: dict[str, set[str]] = {}
    refused = {p.path for p in verdict.refusals}  # not theirs to change: no cascade
    for path, change in changes.items():
        owner = _logo_owner(path)
        entry = head.tree.get(path)
        if owner is None or change == "deleted" or entry is None or path in refused or \
                entry.mode not in REGULAR_MODES or unsafe_path(path):
            continue
        pledge = f"{PLEDGES}{owner}{c.PLEDGE_SUFFIX}"
        for problem in check_logo(Path(pledge), paths.logo_path(owner), (0, 0), tree):
            verdict.refusals.append(Problem(path, 0, 0, problem.message))
            found.setdefault(pledge, set()).add(problem.message)
    return found

"""Who may change what: the verdict on a pull request, judged from git objects.

`socialmission check-pr` compares a pull request's head with its merge base on the base
branch and judges every changed file against the base branch's tip, the trusted side:

- a new pledge must list its author among its maintainers, each maintainer with an id and
  the author's id with the author's login;
- a new pledge takes no name the registry shows as its own, and no other pledge's site
  (a registry maintainer may add one there); what already stood is a warning;
- a pull request by anyone but a registry maintainer adds at most
  `new_pledges_per_pull_request` new pledges;
- once a pledge is on the base branch, only a registry maintainer changes its `signed` or
  `mission_version`, or moves it from withdrawn back to active;
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

With `domain_proof: true` in the base's settings, a new pledge also waits for its website
to confirm it (its `/.well-known/<proof_name>.txt`, or the DNS TXT record
`_<proof_name>.<registrable domain>`, naming the slug: the base's `proof_name`), and a
pledge whose maintainers' accounts are all gone can be taken over by one whose name the
domain's proof gives (`maintainer: <login> <id>`, see `orphan`). check/ fetches nothing
itself: the caller hands `judge` a `ProofCheck` and an `AccountCheck` (cli.py builds them
on site/proofs.py and the GitHub API), as the validator is handed the name check.

Maintainers are GitHub accounts matched by their numeric id, which survives a rename and
is never given to another account; an entry with a login only is matched by login,
case-insensitively, with a warning that says which id to add. The head's files are read
with `git ls-tree` and `git cat-file` (model/gitrepo.py), never checked out or run.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final
from urllib.parse import urljoin

from socialmission.check.across import CAUTION_FIELDS, NAME_TAKEN, Caution
from socialmission.check.problems import Frame, Problem, at_level, counted, show, with_warnings
from socialmission.check.rendering import NameCheck, check_logo
from socialmission.check.validate import validate
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.accounts import Account, accounts_in
from socialmission.model.accounts import match as match_account
from socialmission.model.gitrepo import (
    LINK_MODE,
    REGULAR_MODES,
    Entry,
    Repository,
    TreeError,
    changed_paths,
)
from socialmission.model.mission import load_mission
from socialmission.model.settings import (
    Settings,
    SettingsError,
    parse_settings,
    settings_names,
)
from socialmission.model.settings import default as setting_default
from socialmission.model.urls import Url, UrlError, parse_https_url
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import Scalar, YamlError, parse
from socialmission.model.yamlwrite import plain_value

PLEDGES = f"{paths.PLEDGES_DIR}/"
LOGOS = f"{paths.PLEDGES_DIR}/{paths.LOGO_DIR}/"
READABLE_MODES = REGULAR_MODES | {LINK_MODE}  # blobs; a submodule's oid is a commit


@dataclass(frozen=True)
class Author:
    login: str
    id: int


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


@dataclass(frozen=True)
class DomainProof:
    """What a pledge's domain publishes about it, as a ProofCheck found it."""

    names_slug: bool  # the well-known file or the TXT record names the slug
    # the `maintainer: <login> <id>` lines of a proof that names the slug
    maintainers: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()  # what was tried and failed, for the message


# The slug and the pledge's website (checked) -> what its domain says. Built by the caller
# (cli.py, on site/proofs.py); never raises: a failure is a note.
ProofCheck = Callable[[str, Url], DomainProof]
# A GitHub account's id -> whether the account still exists (False only when GitHub
# answers that there is no such account; any doubt is True).
AccountCheck = Callable[[int], bool]


def proof_file_url(website: Url, settings: Settings) -> str:
    """Where a website's proof file is: on its own host (and port, as the pledge gives
    it), named by the registry's settings."""
    return urljoin(website.text, settings.proof_file)


def proof_record(website: Url, settings: Settings) -> str:
    return f"{settings.proof_record}.{website.registrable}"


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
    pushed to it (see `_Judge.maintainer_pushed`)."""
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


# Characters no file name of the registry carries: controls, invisible formatting (bidi
# overrides, zero widths), line and paragraph separators, surrogates (bytes not UTF-8).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def unsafe_path(path: str) -> str | None:
    """Why a path cannot be judged as the file it looks like, or None. Git lets a crafted
    tree hold names that a checkout refuses, rewrites or folds into another file ('.',
    '..', '.git', a backslash) or that show as another name (invisible characters, bytes
    that are not UTF-8, a decomposed accent beside its composed twin)."""
    if any(unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in path) or "\\" in path:
        return "holds bytes that are not UTF-8 text, a control or invisible character, or a " \
               "backslash"
    parts = path.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return "has an empty, '.' or '..' part"
    if any(part.rstrip(". ").casefold() in {".git", "git~1"} for part in parts):
        return "has a '.git' part"
    if not unicodedata.is_normalized("NFC", path):
        return "is not in Unicode's composed form (NFC)"
    return None


def shown_path(path: str) -> str:
    """A path as it can be printed: escaped when it is unsafe."""
    return ascii(path)[1:-1] if unsafe_path(path) else path


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


def _fields_of(data: bytes | None) -> dict[str, object] | None:
    """A pledge's values as committed, or None when it does not read as a mapping."""
    if data is None:
        return None
    try:
        root = parse(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return None
    values = plain_value(root) if isinstance(root, YamlMapping) else None
    return values if isinstance(values, dict) else None


def _website(data: bytes | None) -> Url | None:
    """A pledge's website, checked (None: missing or not a valid https address)."""
    try:
        root = parse((data or b"").decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return None
    node = root.items.get("website", (None, None))[1] if isinstance(root, YamlMapping) \
        else None
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        return None
    try:
        return parse_https_url(node.value)
    except UrlError:
        return None


def _only_added_maintainer(base: bytes, head: bytes | None, author: Author) -> bool:
    """Whether `head` is `base` with the author added to its maintainers (login and id),
    every other field and every earlier maintainer as they were."""
    before, after = _fields_of(base), _fields_of(head)
    if before is None or after is None:
        return False
    old, new = before.pop("maintainers", None), after.pop("maintainers", None)
    if before != after or not isinstance(old, list) or not isinstance(new, list):
        return False
    entry = {"login": author.login, "id": author.id}
    rest = [item for item in new if item != entry]
    return len(rest) == len(new) - 1 and rest == old


# --- rules on new and published pledges ------------------------------------------------------
def too_many_new_pledges(added: int, limit: int) -> str | None:
    """A pull request whose author is not a registry maintainer adds at most
    `new_pledges_per_pull_request` new pledges (registry.yaml; 1 by default)."""
    if added <= limit:
        return None
    most = "1 new pledge" if limit == 1 else f"{limit} new pledges"
    return (f"the pull request adds {added} new pledges, and one whose author is not a "
            f"registry maintainer adds at most {most}: open a pull request for each "
            "signatory")


def unnamed_new_maintainers(accounts: list[Account], author: Author) -> list[tuple[int, str]]:
    """On a new pledge every maintainer has an id, and the entry with the author's id
    carries the author's login (so no entry is matched by a login someone else may take
    over, and the pledge does not show another's login for the author's account)."""
    found: list[tuple[int, str]] = []
    for account in accounts:
        if account.id is None:
            number = author.id if account.login.casefold() == author.login.casefold() \
                else None
            found.append((account.line, (
                f"a new pledge lists each maintainer with the account's id, and "
                f"'{account.login}' has none: add "
                + (f"'  id: {number}' under it" if number is not None else
                   f"its id under it, as '  id: 1234567' (https://api.github.com/users/"
                   f"{account.login} shows it)"))))
        elif account.id == author.id and account.login.casefold() != author.login.casefold():
            found.append((account.line, (
                f"the entry with your account's id, {author.id}, gives the login "
                f"'{account.login}': write your own login there, '{author.login}'")))
    return found


# A published pledge's fields that only a registry maintainer changes: signing again is a
# new entry of `reaffirmed`, never an edit of these.
FIXED_ONCE_PUBLISHED = ("signed", "mission_version")


def fixed_once_published(base: bytes, head: bytes | None) -> list[str]:
    """Once a pledge is on the base branch, only a registry maintainer changes its
    `signed` or `mission_version`, or moves it from withdrawn back to active (that would
    silently un-revoke a published assertion). What this change does of those."""
    before, after = _fields_of(base), _fields_of(head)
    if before is None or after is None:
        return []  # the validator says what is wrong with the file
    changed = [f"its '{key}'" for key in FIXED_ONCE_PUBLISHED
               if key in before and before.get(key) != after.get(key)]
    if before.get("status") == "withdrawn" and after.get("status") != "withdrawn":
        changed.append("its withdrawal")
    return changed


def caution_is_refused(caution: Caution, introduced: bool, registry_maintainer: bool) -> bool:
    """What the validator only warns of in a published pledge (across.py: a name the
    registry shows as its own, a website on the same site as another's) is refused where
    the pull request brings it in (a new pledge, or the field changed); a registry
    maintainer may bring in a website on another's site, with a notice."""
    if not introduced:
        return False
    return caution.rule == NAME_TAKEN or not registry_maintainer


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
    proofs: ProofCheck | None = None
    accounts: AccountCheck | None = None
    pushed_to_another: bool = False  # the author pushed to another's pull request

    def run(self) -> None:
        self.settings = self._settings()
        maintainers = self.settings.maintainers if self.settings is not None else ()
        self.registry_maintainer = match(self.author, maintainers)
        if self.maintainer_pushed():
            self.verdict.notices.append(
                f"{self.author.login} (id {self.author.id}), a registry maintainer, pushed "
                "to this pull request: judged with a registry maintainer's rights")
        renamed = self._renames()
        for path, change in self.changes.items():
            slug, owner = _pledge_slug(path), _logo_owner(path)
            if change != "deleted" and (why := unsafe_path(path)):
                self._refuse("", 0, f"the path {why}, so it may not check out as the file "
                                    f"it looks like: name files with plain text parts: got "
                                    f"'{shown_path(path)}'")
            elif slug is not None:
                self._pledge(path, slug, change, renamed.get(path))
            elif owner is not None:
                self._logo(path, owner, change)
            else:
                self._registry_file(path)
        if paths.MISSION_FILE in self.changes:
            self._mission_frozen()
        self._new_pledges_counted(renamed)

    def maintainer_pushed(self) -> bool:
        """A registry maintainer who pushes to another's pull request (a fix, "Update
        branch") is judged with a registry maintainer's rights, need not be listed on a
        new pledge (its author is judged for that), and is named in a notice."""
        return self.pushed_to_another and self.registry_maintainer is not None

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
            # A registry maintainer's push: the pull request's author is judged for the list.
            if not self.maintainer_pushed():
                if unnamed := unnamed_new_maintainers(listed or [], self.author):
                    for line, message in unnamed:
                        self._refuse(path, line, message)
                    return
                if not self._is_maintainer_of(listed, path):
                    self._refuse(path, 0, f"a new pledge must list you among its maintainers: "
                                          f"add {_how_to_list(self.author)}")
                    return
            if self.settings is not None and self.settings.domain_proof:
                self._proven(path, slug)
            return
        if not self._is_maintainer_of(maintainers_in(base_version), path) and \
                not self._power(path, "editing a pledge it does not maintain") and \
                not self._orphan(path, slug, base_version):
            self._refuse(path, 0, f"only the maintainers of {slug} listed on the base branch "
                                  f"may change it, and {self.author.login} (id "
                                  f"{self.author.id}) is not one of them: ask one of them, or "
                                  "the registry's maintainers")
            return
        self._fixed_fields(path, base_version)

    def _fixed_fields(self, path: str, base_version: bytes) -> None:
        """fixed_once_published, for the pull request's author."""
        changed = fixed_once_published(base_version, self.head.read(path))
        what = " and ".join(changed)
        if changed and not self._power(path, f"changing {what}"):
            self._refuse(path, 0, f"this change edits {what}, which only the registry's "
                                  "maintainers change once a pledge is published: to sign a "
                                  "newer mission version, add it to 'reaffirmed' "
                                  "('socialmission reaffirm'); to sign again after "
                                  "withdrawing, ask the registry's maintainers")

    def _new_pledges_counted(self, renamed: Mapping[str, str]) -> None:
        """too_many_new_pledges, unless the author is a registry maintainer."""
        limit = self.settings.new_pledges_per_pull_request if self.settings is not None \
            else setting_default("new_pledges_per_pull_request")
        added = [p for p, change in self.changes.items() if change == "added"
                 and _pledge_slug(p) is not None and p not in renamed.values()]
        if self.registry_maintainer is None and \
                (message := too_many_new_pledges(len(added), limit)):
            self._refuse("", 0, message)

    def cautions(self, found: list[Caution]) -> None:
        """caution_is_refused, on each caution of the head's pledges; a caution that
        stood on the base branch, or in a file the pull request does not change, is a
        warning."""
        for caution in found:
            problem = caution.problem
            introduced = self._introduces(problem.path, CAUTION_FIELDS[caution.rule])
            if caution_is_refused(caution, introduced, self.registry_maintainer is not None):
                self.verdict.refusals.append(problem)
            elif introduced:
                self.verdict.notices.append(f"{self.author.login} is a registry maintainer, "
                                            f"so {problem.path} is allowed, though it "
                                            f"{problem.message}")
            else:
                self.verdict.warnings.append(problem)

    def _introduces(self, path: str, key: str) -> bool:
        """Whether the pull request brings in a pledge's `key`: a new pledge, or a changed
        value."""
        if self.changes.get(path) not in {"added", "modified"}:
            return False
        before = _fields_of(self.trusted.read(path))
        return before is None or before.get(key) != (_fields_of(self.head.read(path)) or {}
                                                     ).get(key)

    def _proven(self, path: str, slug: str) -> None:
        """`domain_proof`: a new pledge passes once its website's domain names its slug."""
        website = _website(self.head.read(path))
        if website is None or self.settings is None:
            return  # no valid website: the validator refuses the pledge and says why
        where = (f"publish the file {proof_file_url(website, self.settings)} (text/plain) "
                 f"with the line '{slug}', or the DNS TXT record "
                 f"{proof_record(website, self.settings)} with the value "
                 f"'{slug}', then run the verdict again (push a commit, or re-run its job)")
        if self.proofs is None:
            self._refuse(path, 0, f"this registry adds a pledge only once its website "
                                  f"confirms it, and no proof could be checked here: {where}")
            return
        found = self.proofs(slug, website)
        if found.names_slug:
            self.verdict.notices.append(f"{website.host} confirms {slug}")
            return
        tried = f" (found: {'; '.join(found.notes)})" if found.notes else ""
        self._refuse(path, 0, f"this registry adds a pledge only once its website confirms "
                              f"it, and {website.host} does not name {slug} yet: {where}"
                              f"{tried}")

    def _orphan(self, path: str, slug: str, base_version: bytes) -> bool:
        """An orphaned pledge (every maintainer's account is gone) may be taken over by one
        its domain names: the pull request only adds the author to its maintainers, and
        the domain's proof names the slug and `maintainer: <login> <id>` for the author.
        True when that allowed it; the refusal otherwise says what was missing, once it
        is an orphan (a pledge with a live maintainer is refused as any other)."""
        listed = maintainers_in(base_version) or []
        if not listed or self.accounts is None or any(a.id is None for a in listed):
            return False
        if any(self.accounts(account.id) for account in listed if account.id is not None):
            return False
        gone = ", ".join(f"{a.login} (id {a.id})" for a in listed)
        head = self.head.read(path)
        added = _only_added_maintainer(base_version, head, self.author)
        if not added:
            self._refuse(path, 0, f"every maintainer of {slug} is gone from GitHub ({gone}); "
                                  "the pledge can be taken over, but only by a pull request "
                                  "whose only change to it adds you to its maintainers, "
                                  f"keeping the others: {_how_to_list(self.author)}")
            return True  # refused: said once
        website = _website(base_version)
        if website is None or self.proofs is None or self.settings is None:
            self._refuse(path, 0, f"every maintainer of {slug} is gone from GitHub ({gone}), "
                                  "but its website could not be checked for who takes it over: "
                                  "ask the registry's maintainers")
            return True
        found = self.proofs(slug, website)
        line = f"maintainer: {self.author.login} {self.author.id}"
        if found.names_slug and any(number == self.author.id and
                                    login.casefold() == self.author.login.casefold()
                                    for login, number in found.maintainers):
            self.verdict.notices.append(f"{self.author.login} (id {self.author.id}) takes over "
                                        f"{slug}: every listed maintainer is gone from GitHub "
                                        f"({gone}) and {website.host} names them ('{line}')")
            return True
        tried = f" (found: {'; '.join(found.notes)})" if found.notes else ""
        self._refuse(path, 0, f"every maintainer of {slug} is gone from GitHub ({gone}); "
                              f"to take it over, its domain must name you: publish the file "
                              f"{proof_file_url(website, self.settings)} (text/plain) "
                              f"with the lines '{slug}' and '{line}', or the DNS TXT record "
                              f"{proof_record(website, self.settings)} with the strings "
                              f"'{slug}' and "
                              f"'{line}', then run the verdict again{tried}")
        return True

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
                   verdict: Verdict, trusted: _Side) -> list[Caution]:
    """The validator on the head's pledges, written out as plain files (never a checkout):
    problems in changed files refuse the pull request; others were already there. A
    changed logo is checked on its own, so a pledge that did not change cannot carry a
    new logo's problems as mere warnings."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for path, entry in head.tree.items():
            if not (path.startswith(PLEDGES) or path == paths.MISSION_FILE):
                continue
            if entry.mode not in REGULAR_MODES or unsafe_path(path):
                continue  # judged above; never written as a link or outside the folder
            target = root / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                data = head.read(path)
                if data is None:  # over its cap, never read: the validator sees its size
                    target.touch()
                    os.truncate(target, entry.size)
                else:
                    target.write_bytes(data)
            except OSError:
                continue  # a folder and a file of one name: refused as a repeated path
        pledges = root / paths.PLEDGES_DIR
        (pledges / paths.LOGO_DIR).mkdir(parents=True, exist_ok=True)
        try:
            mission = load_mission(root)
        except UsageError as error:
            verdict.refusals.append(Problem(paths.MISSION_FILE, 0, 0, str(error).replace(
                str(root) + "/", "")))
            return []
        logo_messages = _changed_logos(root, head, changes, verdict)
        report = validate([pledges], mission, name_fits=name_fits,
                          settings_names=_trusted_names(trusted))
        for problem in report.problems:
            relative = Path(problem.path).relative_to(root).as_posix()
            message = problem.message.replace(f"{root}/", "")
            if message in logo_messages.get(relative, ()):
                continue  # refused on the logo itself
            moved = Problem(relative, problem.line, problem.column, message)
            if relative in changes:
                verdict.refusals.append(moved)
            else:
                verdict.warnings.append(moved)
        return [Caution(caution.rule, Problem(
            Path(caution.problem.path).relative_to(root).as_posix(), caution.problem.line,
            caution.problem.column, caution.problem.message.replace(f"{root}/", "")))
            for caution in report.cautions]


# The base branch's files that give the registry's own names (the issuer's, the site's).
_OWN_NAMES = frozenset({paths.SETTINGS_FILE, paths.MKDOCS_FILE})


def _trusted_names(trusted: _Side) -> list[tuple[str, str]]:
    """The issuer's and the site's names as the base branch gives them."""
    with tempfile.TemporaryDirectory() as scratch:
        for path in _OWN_NAMES:
            data = trusted.read(path)
            if data is not None and trusted.tree[path].mode in REGULAR_MODES:
                Path(scratch, path).write_bytes(data)
        return settings_names(Path(scratch))


def _changed_logos(root: Path, head: _Side, changes: Mapping[str, str],
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
        for problem in check_logo(root / pledge, paths.logo_path(owner), (0, 0)):
            message = problem.message.replace(f"{root}/", "")
            verdict.refusals.append(Problem(path, 0, 0, message))
            found.setdefault(pledge, set()).add(message)
    return found

"""check-pr's rules: one small function a rule, whose docstring is the rule as OPERATORS.md
lists it (`listed` writes that list; a test compares it).

A rule takes what it judges (a changed file's base and head, the pull request: its author,
the base branch's settings, what it changes) and returns its findings: refusals, warnings
and notices. The tables below give the rules in the order they apply; ownership/judge.py
walks the changed files through them. To add a rule, write its function here, put it in
its table, give it cases in tests/ownership/test_rules.py (one it refuses, one it lets
pass), and run those tests: they say what to paste in OPERATORS.md.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from socialmission.check.across import CAUTION_FIELDS, NAME_TAKEN, Caution
from socialmission.model import constants as c
from socialmission.model import fields, paths, statuslist
from socialmission.model.accounts import Account, accounts_in
from socialmission.model.accounts import match as match_account
from socialmission.model.gitrepo import REGULAR_MODES
from socialmission.model.problems import Problem
from socialmission.model.settings import Settings
from socialmission.model.settings import default as setting_default
from socialmission.model.urls import Url, UrlError, parse_https_url
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import Scalar, YamlError, parse
from socialmission.model.yamlread import Sequence as YamlSequence
from socialmission.model.yamlwrite import plain_value

PLEDGES = f"{paths.PLEDGES_DIR}/"
LOGOS = f"{paths.PLEDGES_DIR}/{paths.LOGO_DIR}/"
TRANSLATIONS = f"{paths.TRANSLATIONS_DIR}/"


# --- what the rules judge ------------------------------------------------------------------
@dataclass(frozen=True)
class Author:
    login: str
    id: int


@dataclass(frozen=True)
class DomainProof:
    """What a pledge's domain publishes about it, as a ProofCheck found it."""

    names_slug: bool  # the well-known file or the TXT record names the slug
    # the `maintainer: <login> <id>` lines of a proof that names the slug
    maintainers: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()  # what was tried and failed, for the message


# The slug and the pledge's website (checked) -> what its domain says. Built by check-pr's
# command, on site/proofs.py; never raises: a failure is a note.
ProofCheck = Callable[[str, Url], DomainProof]
# A GitHub account's id -> whether the account still exists (False only when GitHub
# answers that there is no such account; any doubt is True).
AccountCheck = Callable[[int], bool]


@dataclass(frozen=True)
class PullRequest:
    """The pull request as the rules see it, and the base branch's word on it."""

    author: Author
    settings: Settings | None  # the base branch's (None: it has no settings file)
    registry_maintainer: Account | None  # the base's entry naming the author, if any
    # A registry maintainer pushed to another's pull request: judged with a registry
    # maintainer's rights, and the pull request's author is judged for a new pledge's list.
    maintainer_pushed: bool
    proofs: ProofCheck | None  # reads a pledge's domain (None: nothing can be checked)
    changes: Mapping[str, str]  # path -> "added", "modified" or "deleted"
    new_pledges: tuple[str, ...] = ()  # the pledges it adds (a rename adds none)
    # The mission's versions (number -> text) on the base branch and on the head, where
    # the pull request changes the mission file (None: it cannot be read).
    mission: tuple[dict[int, str] | None, dict[int, str] | None] | None = None
    # Every revocation list index the base branch's pledge files write, tombstones included.
    status_indexes: frozenset[int] = frozenset()
    # The base's `translators` entry naming the author, if any: who may change translations.
    translator: Account | None = None


@dataclass(frozen=True)
class ChangedFile:
    """One changed file (or the file a caution is on), as a rule judges it."""

    path: str
    change: str  # "added", "modified" or "deleted"; "" for an unchanged file
    slug: str = ""  # the pledge's slug; a logo's, its pledge's
    head_mode: str | None = None  # its git mode on the head (None: deleted)
    # The file as the base branch's tip has it (a logo: its pledge), None where new.
    base: bytes | None = None
    head: bytes | None = None  # as the head has it (None: deleted, or over its cap)
    renamed_to: str | None = None  # a deleted pledge whose content reappears there
    # Whether a maintainer's account still exists (the walk asks once an account a file).
    accounts: AccountCheck | None = None


def refusal(path: str, message: str, line: int = 0) -> Problem:
    return Problem(path, line, 0, message)


def notice(message: str) -> Problem:
    return Problem("", 0, 0, message, "notice")


FileRule = Callable[[ChangedFile, PullRequest], list[Problem]]
PullRequestRule = Callable[[PullRequest], list[Problem]]
CautionRule = Callable[[Caution, ChangedFile, PullRequest], list[Problem]]


# --- reading a committed pledge ------------------------------------------------------------
def _mapping_of(data: bytes | None) -> YamlMapping | None:
    """A committed file's top-level mapping, or None when it does not read as one (the
    validator says what is wrong with it)."""
    try:
        root = parse((data or b"").decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return None
    return root if isinstance(root, YamlMapping) else None


def is_redacted(data: bytes | None) -> bool:
    """Whether a pledge's committed text is a tombstone (has 'redacted')."""
    root = _mapping_of(data)
    return root is not None and "redacted" in root.items


def fields_of(data: bytes | None) -> dict[str, object] | None:
    """A pledge's values as committed, or None when it does not read as a mapping."""
    root = _mapping_of(data)
    values = plain_value(root) if root is not None else None
    return values if isinstance(values, dict) else None


Signature = dict[str, object]  # one signature's fields, as committed


def signatures_of(data: bytes | None) -> list[Signature] | None:
    """A pledge's signatures as committed, oldest first, each its fields of
    SIGNATURE_FIELDS (the first's at the top level, then each entry of `signed_again`);
    None when the file or its `signed_again` does not read as that (the validator says
    what is wrong with it)."""
    values = fields_of(data)
    later = values.get("signed_again", []) if values is not None else None
    if values is None or not isinstance(later, list) or \
            not all(isinstance(entry, dict) for entry in later):
        return None
    return [{key: value for key, value in entry.items() if key in c.SIGNATURE_FIELDS}
            for entry in (values, *later)]


def _withdrawn(signature: Signature) -> bool:
    return signature.get("withdrawn") is not None


def _named(index: int, signature: Signature | None) -> str:
    """A signature as a message names it: by the base branch's `signature`, or by its
    place alone where it is new (a head's values are never repeated)."""
    if signature is None:
        return f"the new signature (entry {index} of 'signed_again')"
    if index == 0:
        return f"the first signature (signed {signature.get('signed')})"
    return f"the signature signed again on {signature.get('signed')} (entry {index} of " \
           "'signed_again')"


def _line_in(data: bytes | None, index: int, key: str = "") -> int:
    """The line of signature `index`'s `key` in a committed pledge; where the key is not
    there, the signature's first line (the first's `signed`); 0 where it does not read."""
    root = _mapping_of(data)
    entries = root.items.get("signed_again", (None, None))[1] if root is not None else None
    entry = entries.items[index - 1] if isinstance(entries, YamlSequence) and \
        0 < index <= len(entries.items) else None
    node = root if index == 0 else entry
    if not isinstance(node, YamlMapping):
        return 0
    if key in node.items:
        return node.items[key][0].line
    if index > 0:
        return node.line
    return node.items["signed"][0].line if "signed" in node.items else 0


def _sign_again(slug: str) -> str:
    """The command that signs a pledge again, as the field table gives it."""
    command = fields.SIGNED_AGAIN.own_command
    assert command is not None  # declared with the field
    return command.replace("SLUG", slug)


def _histories(file: ChangedFile) -> tuple[list[Signature], list[Signature]] | None:
    """A published pledge's signatures on the base branch and on the head; None for a
    new pledge, or where either does not read (the validator says why)."""
    before, after = signatures_of(file.base), signatures_of(file.head)
    if file.base is None or before is None or after is None:
        return None
    return before, after


def website_of(data: bytes | None) -> Url | None:
    """A pledge's website, checked (None: missing or not a valid https address)."""
    root = _mapping_of(data)
    node = root.items.get("website", (None, None))[1] if root is not None else None
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        return None
    try:
        return parse_https_url(node.value)
    except UrlError:
        return None


def maintainers_in(data: bytes) -> list[Account] | None:
    """A pledge's maintainers as committed (see model/accounts.py)."""
    return accounts_in(data)


def match(author: Author, accounts: Iterable[Account]) -> Account | None:
    """The entry that names the author (by id; a login-only entry by login)."""
    return match_account(author.login, author.id, accounts)


def proof_file_url(website: Url, settings: Settings) -> str:
    """Where a website's proof file is: on its own host (and port, as the pledge gives
    it), named by the registry's settings."""
    return urljoin(website.text, settings.proof_file)


def proof_record(website: Url, settings: Settings) -> str:
    return f"{settings.proof_record}.{website.registrable}"


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


def _how_to_list(author: Author) -> str:
    return (f"'- login: {author.login}' with '  id: {author.id}' under it (your GitHub "
            f"account's id is {author.id})")


def _listed(accounts: list[Account] | None, path: str, author: Author
            ) -> tuple[bool, list[Problem]]:
    """Whether the author is among `accounts`, and the warning when only by login."""
    found = match(author, accounts or [])
    if found is None or found.id is not None:
        return found is not None, []
    return True, [Problem(path, found.line, 0,
                          f"the maintainer '{found.login}' is matched by login only: add "
                          f"'  id: {author.id}' under the entry, so a renamed account keeps "
                          "this pledge and whoever takes over a freed login does not",
                          "warning")]


def _power(pr: PullRequest, path: str, what: str) -> Problem | None:
    """A registry maintainer's edit of a pledge that is not theirs, as the verdict says it."""
    if pr.registry_maintainer is None:
        return None
    return notice(f"{pr.author.login} changed {path} as a registry maintainer ({what}), not "
                  "as one of its maintainers")


def _maintained(file: ChangedFile, pr: PullRequest, what: str) -> list[Problem] | None:
    """What is said where the author may change a published pledge's file, being one of
    its maintainers or a registry maintainer; None where they may not."""
    listed, said = _listed(maintainers_in(file.base or b""), file.path, pr.author)
    if listed:
        return said
    power = _power(pr, file.path, what)
    return None if power is None else [power]


def _orphaned(file: ChangedFile) -> bool:
    """Whether every maintainer the base branch lists has an id and is gone from GitHub."""
    listed = maintainers_in(file.base or b"") or []
    if not listed or file.accounts is None or any(a.id is None for a in listed):
        return False
    return not any(file.accounts(a.id) for a in listed if a.id is not None)


def _only_added_maintainer(base: bytes, head: bytes | None, author: Author) -> bool:
    """Whether `head` is `base` with the author added to its maintainers (login and id),
    every other field and every earlier maintainer as they were."""
    before, after = fields_of(base), fields_of(head)
    if before is None or after is None:
        return False
    old, new = before.pop("maintainers", None), after.pop("maintainers", None)
    if before != after or not isinstance(old, list) or not isinstance(new, list):
        return False
    entry = {"login": author.login, "id": author.id}
    rest = [item for item in new if item != entry]
    return len(rest) == len(new) - 1 and rest == old


def _gone(file: ChangedFile) -> str:
    return ", ".join(f"{a.login} (id {a.id})" for a in maintainers_in(file.base or b"") or [])


def _found(proof: DomainProof) -> str:
    return f" (found: {'; '.join(proof.notes)})" if proof.notes else ""


# --- every changed file --------------------------------------------------------------------
def plain_path(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A file a pull request adds or changes has a plain path: no control or invisible
    character, backslash, bytes that are not UTF-8, decomposed accent, or '.', '..' or
    '.git' part, so that it checks out as the file it looks like."""
    why = unsafe_path(file.path) if file.change != "deleted" else None
    if why is None:
        return []
    return [refusal("", f"the path {why}, so it may not check out as the file it looks "
                        f"like: name files with plain text parts: got '{shown_path(file.path)}'")]


# --- pledges -------------------------------------------------------------------------------
def pledge_kept(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge is never deleted or renamed (its address is kept forever): withdraw it
    instead."""
    if file.change != "deleted":
        return []
    where = f"renamed to {file.renamed_to}: " if file.renamed_to else ""
    return [refusal(file.path, f"{where}a pledge is never deleted or renamed, because its "
                               "address and badges stay published for good: keep the file "
                               "and withdraw the signature instead ('status: withdrawn' and "
                               "'withdrawn: YYYY-MM-DD')")]


def pledge_is_a_file(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge is a regular file, not a link or a submodule."""
    if file.head_mode in REGULAR_MODES:
        return []
    return [refusal(file.path, "a pledge must be a regular file, not a link or submodule")]


def redacted_by_registry_maintainers(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge is redacted (made a tombstone, `redacted:`) only by a registry maintainer:
    its own maintainers withdraw it, they do not redact it."""
    if not is_redacted(file.head) or is_redacted(file.base) or \
            pr.registry_maintainer is not None:
        return []
    return [refusal(file.path, f"only the registry's maintainers redact a pledge, for legal or "
                               f"abuse requests, and {pr.author.login} is not one of them: a "
                               "pledge's own maintainers withdraw it; to have it redacted, ask "
                               "the registry's maintainers "
                               f"({paths.SIGNATORIES_GUIDE}, 'Redaction')")]


def new_pledge_gives_ids(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A new pledge lists each maintainer with the account's numeric id, and the entry
    with the author's id carries the author's login (so no entry is matched by a login
    someone else may take over, and the pledge does not show another's login for the
    author's account)."""
    if file.base is not None or pr.maintainer_pushed:
        return []
    author, found = pr.author, []
    for account in maintainers_in(file.head or b"") or []:
        if account.id is None:
            number = author.id if account.login.casefold() == author.login.casefold() \
                else None
            found.append(refusal(file.path, (
                f"a new pledge lists each maintainer with the account's id, and "
                f"'{account.login}' has none: add "
                + (f"'  id: {number}' under it" if number is not None else
                   f"its id under it, as '  id: 1234567' (https://api.github.com/users/"
                   f"{account.login} shows it)")), account.line))
        elif account.id == author.id and account.login.casefold() != author.login.casefold():
            found.append(refusal(file.path, (
                f"the entry with your account's id, {author.id}, gives the login "
                f"'{account.login}': write your own login there, '{author.login}'"),
                account.line))
    return found


def new_pledge_lists_its_author(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A new pledge lists its author among its maintainers (where a registry maintainer
    pushed to another's pull request, its author is judged for that)."""
    if file.base is not None or pr.maintainer_pushed:
        return []
    listed, said = _listed(maintainers_in(file.head or b""), file.path, pr.author)
    if listed:
        return said
    return [*said, refusal(file.path, f"a new pledge must list you among its maintainers: "
                                      f"add {_how_to_list(pr.author)}")]


def new_pledge_proven(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """With `domain_proof: true` in the base branch's settings, a new pledge waits for its
    website's domain to confirm it: its `/.well-known/<proof_name>.txt`, or the DNS TXT
    record `_<proof_name>.<registrable domain>`, names the slug."""
    if file.base is not None or pr.settings is None or not pr.settings.domain_proof:
        return []
    return _awaits_proof(file, pr, pr.settings, "a pledge")


def _awaits_proof(file: ChangedFile, pr: PullRequest, settings: Settings,
                  what: str) -> list[Problem]:
    """What is said where `what` (a pledge, or a pledge's new signature) passes only once
    the head's website names the slug: a notice once it does, else what to publish."""
    website = website_of(file.head)
    if website is None:
        return []  # no valid website: the validator refuses the pledge and says why
    where = (f"publish the file {proof_file_url(website, settings)} (text/plain) "
             f"with the line '{file.slug}', or the DNS TXT record "
             f"{proof_record(website, settings)} with the value "
             f"'{file.slug}', then run the verdict again (push a commit, or re-run its job)")
    if pr.proofs is None:
        return [refusal(file.path, f"this registry adds {what} only once its website "
                                   f"confirms it, and no proof could be checked here: {where}")]
    found = pr.proofs(file.slug, website)
    if found.names_slug:
        return [notice(f"{website.host} confirms {file.slug}")]
    return [refusal(file.path, f"this registry adds {what} only once its website confirms "
                               f"it, and {website.host} does not name {file.slug} yet: "
                               f"{where}{_found(found)}")]


def published_pledge_by_its_maintainers(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge on the base branch is changed (withdrawn included) only by the maintainers
    its base version lists, so nobody adds themselves and edits in one pull request, or by
    a registry maintainer, which the verdict then says."""
    if file.base is None:
        return []
    if (said := _maintained(file, pr, "editing a pledge it does not maintain")) is not None:
        return said
    if _orphaned(file):
        return []  # orphan_taken_over judges it
    return [refusal(file.path, f"only the maintainers of {file.slug} listed on the base branch "
                               f"may change it, and {pr.author.login} (id {pr.author.id}) is "
                               "not one of them: ask one of them, or the registry's "
                               "maintainers")]


def orphan_taken_over(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge whose maintainers' accounts are all gone from GitHub may be taken over by
    a pull request whose only change to it adds its author to its maintainers, when the
    domain's proof names the slug and `maintainer: <login> <id>` for the author."""
    author = pr.author
    if file.base is None or match(author, maintainers_in(file.base) or []) is not None or \
            pr.registry_maintainer is not None or not _orphaned(file):
        return []
    slug, gone = file.slug, _gone(file)
    if not _only_added_maintainer(file.base, file.head, author):
        return [refusal(file.path, f"every maintainer of {slug} is gone from GitHub ({gone}); "
                                   "the pledge can be taken over, but only by a pull request "
                                   "whose only change to it adds you to its maintainers, "
                                   f"keeping the others: {_how_to_list(author)}")]
    website = website_of(file.base)
    if website is None or pr.proofs is None or pr.settings is None:
        return [refusal(file.path, f"every maintainer of {slug} is gone from GitHub ({gone}), "
                                   "but its website could not be checked for who takes it "
                                   "over: ask the registry's maintainers")]
    found = pr.proofs(slug, website)
    line = f"maintainer: {author.login} {author.id}"
    if found.names_slug and any(number == author.id and
                                login.casefold() == author.login.casefold()
                                for login, number in found.maintainers):
        return [notice(f"{author.login} (id {author.id}) takes over {slug}: every listed "
                       f"maintainer is gone from GitHub ({gone}) and {website.host} names "
                       f"them ('{line}')")]
    return [refusal(file.path, f"every maintainer of {slug} is gone from GitHub ({gone}); to "
                               f"take it over, its domain must name you: publish the file "
                               f"{proof_file_url(website, pr.settings)} (text/plain) with the "
                               f"lines '{slug}' and '{line}', or the DNS TXT record "
                               f"{proof_record(website, pr.settings)} with the strings "
                               f"'{slug}' and '{line}', then run the verdict again"
                               f"{_found(found)}")]


# --- a pledge's signatures ------------------------------------------------------------------
def withdrawal_undone_only_by_signing_again(file: ChangedFile,
                                            pr: PullRequest) -> list[Problem]:
    """A withdrawn pledge is active again only by a new signature (an entry appended to
    `signed_again`), never by deleting or editing its withdrawal, by anyone: that would
    silently un-revoke every badge issued before it."""
    histories = _histories(file)
    if histories is None or not _withdrawn(histories[0][-1]):
        return []
    before, after = histories
    last = len(before) - 1
    erased = last < len(after) and not _withdrawn(after[last])
    active = (fields_of(file.head) or {}).get("status") != "withdrawn"
    if not erased and not (active and len(after) <= len(before)):
        return []
    how = f"to sign again, run '{_sign_again(file.slug)}', which adds a new signature " \
          "and keeps this one"
    if before[last].get("withdrawn_by") == c.WITHDRAWN_BY_REGISTRY and \
            pr.registry_maintainer is None:
        how = "this signature was withdrawn by the registry's maintainers ('withdrawn_by: " \
              "registry'), so only they sign it again: ask them"
    line = _line_in(file.head, last) if erased else _line_in(file.head, 0, "status")
    return [refusal(file.path, f"this change undoes the withdrawal of {file.slug} (on "
                               f"{before[last].get('withdrawn')}) by hand, which would "
                               "un-revoke every badge issued before it: a withdrawal is never "
                               f"undone or edited; {how}", line)]


def earlier_signatures_kept(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """Nothing of a pledge's earlier signatures is ever edited or removed, by anyone: each
    signature on the base branch stays in its place, and a withdrawn one keeps each of its
    fields exactly as it was (a registry maintainer's redaction drops only its
    `withdrawn_reason`)."""
    histories = _histories(file)
    if histories is None:
        return []
    before, after = histories
    # what a registry maintainer's redaction drops (the validator says it must)
    dropped = {"withdrawn_reason"} if is_redacted(file.head) and \
        pr.registry_maintainer is not None else set()
    found = []
    for index, old in enumerate(before):
        if index >= len(after):
            found.append(refusal(file.path, f"this change removes {_named(index, old)}: a "
                                            "signature is never removed or moved, so the "
                                            "badges it issued stay as they were: put it back "
                                            "as the base branch has it",
                                 _line_in(file.head, 0, "signed_again")))
            continue
        if not _withdrawn(old):
            continue  # the signature in force: fixed_once_published judges it
        edited = sorted(key for key in {*old, *after[index]} - dropped
                        if old.get(key) != after[index].get(key))
        if edited:
            fields = ", ".join(f"'{key}'" for key in edited)
            found.append(refusal(file.path, f"this change edits {fields} of "
                                            f"{_named(index, old)}, withdrawn on "
                                            f"{old.get('withdrawn')}: an earlier signature "
                                            "never changes, so the badges it issued stay as "
                                            "they were: put back its fields as the base "
                                            "branch has them",
                                 _line_in(file.head, index, edited[0])))
    return found


def withdrawn_by_registry_maintainers(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """Only a registry maintainer writes (adds or changes) a signature's `withdrawn_by`:
    it records that the registry's maintainers withdrew the signature."""
    histories = _histories(file)
    if histories is None or pr.registry_maintainer is not None:
        return []
    before, after = histories
    for index, new in enumerate(after):
        old = before[index] if index < len(before) else None
        if new.get("withdrawn_by") is not None and \
                new.get("withdrawn_by") != (old or {}).get("withdrawn_by"):
            return [refusal(file.path, f"only the registry's maintainers write "
                                       f"'withdrawn_by' (it records that they withdrew a "
                                       f"signature), and {pr.author.login} is not one of "
                                       f"them: delete 'withdrawn_by' from "
                                       f"{_named(index, old)}",
                            _line_in(file.head, index, "withdrawn_by"))]
    return []


def signs_again_by_its_maintainers(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A published pledge signs again (an entry appended to `signed_again`) by a
    maintainer its base version lists by account id, after their own withdrawal; after a
    registry maintainer's withdrawal (`withdrawn_by: registry`) only a registry
    maintainer signs it again; a redacted pledge never signs again, whoever asks."""
    histories = _histories(file)
    if histories is None or len(histories[1]) <= len(histories[0]):
        return []
    last, line = histories[0][-1], _line_in(file.head, len(histories[0]))
    if is_redacted(file.base) or is_redacted(file.head):
        return [refusal(file.path, f"{file.slug} is redacted, and a redacted pledge never "
                                   "signs again, whoever asks: delete the new entry of "
                                   "'signed_again'", line)]
    by_registry = last.get("withdrawn_by") == c.WITHDRAWN_BY_REGISTRY
    if pr.registry_maintainer is not None:
        return [notice(f"{pr.author.login} signs {file.slug} again as a registry maintainer, "
                       "after the registry's withdrawal")] if by_registry else []
    if by_registry:
        return [refusal(file.path, f"{file.slug} was withdrawn by the registry's maintainers "
                                   "('withdrawn_by: registry'), so only they sign it again, "
                                   f"and {pr.author.login} is not one of them: ask the "
                                   "registry's maintainers", line)]
    found = match(pr.author, maintainers_in(file.base or b"") or [])
    if found is None or found.id is not None:
        return []  # not listed: published_pledge_by_its_maintainers judges it
    return [refusal(file.path, f"a pledge signs again in its maintainers' name, so only a "
                               f"maintainer listed with an account id signs it again, and "
                               f"the base branch lists '{found.login}' by login only: first "
                               f"add '  id: {pr.author.id}' under that entry, in a pull "
                               "request of its own, then sign again", line)]


def new_signature_proven(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """With `domain_proof: true` in the base branch's settings, a published pledge's new
    signature (an entry appended to `signed_again`) waits for its website's domain to
    confirm it, as a new pledge does (a domain can change hands); no other change to a
    published pledge waits for a proof."""
    histories = _histories(file)
    if histories is None or len(histories[1]) <= len(histories[0]) or \
            pr.settings is None or not pr.settings.domain_proof:
        return []
    return _awaits_proof(file, pr, pr.settings, "a new signature to a pledge")


def _new_signatures(file: ChangedFile, pr: PullRequest) -> tuple[list[Signature], int] | None:
    """The head's signatures and how many of them the base branch has (0 for a new
    pledge); None where the head does not read (the validator says why), and for a
    renamed pledge's new path (pledge_kept refuses the rename)."""
    after = signatures_of(file.head)
    if after is None or file.head is None or \
            (file.base is None and file.path not in pr.new_pledges):
        return None
    if file.base is None:
        return after, 0
    before = signatures_of(file.base)
    return None if before is None else (after, len(before))


def _called(number: int, before: list[Signature]) -> str:
    """The head's signature `number` as a message names it (`before`: the base's)."""
    if number == 0 and not before:
        return "the new pledge"
    return _named(number, before[number] if number < len(before) else None)


def _index_line(file: ChangedFile, pr: PullRequest, number: int,
                after: list[Signature]) -> str:
    """The line that gives the head's signature `number` (0 the first) its index: the one
    the tools would write, past every index on the base branch and in the head's file."""
    used = pr.status_indexes | {i for s in after if isinstance(i := s.get("status_index"), int)}
    index = statuslist.pick_index(file.slug, number + 1, used)
    return f"'status_index: {index}'" if number == 0 else f"'    status_index: {index}'"


def new_signatures_carry_their_index(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A new pledge, and each new signature of a published one (an entry appended to
    `signed_again`), carries its `status_index`, its place in the revocation list, which
    `socialmission new`, the forms and `sign-again` write: one without it is refused with
    the line to add."""
    found = _new_signatures(file, pr)
    if found is None:
        return []
    after, published = found
    for number in range(published, len(after)):
        if "status_index" not in after[number]:
            where = "the pledge" if number == 0 else f"entry {number} of 'signed_again'"
            return [refusal(file.path, f"{_called(number, [])} "
                                       "has no 'status_index' (its place in the registry's "
                                       "revocation list, which the tools write): add this "
                                       f"line to {where}: {_index_line(file, pr, number, after)}",
                            _line_in(file.head, number))]
    return []


def status_index_never_changes_or_repeats(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A signature's `status_index` never changes once on the base branch, and an index
    written anew is none that any pledge on the base branch has, tombstones included: an
    index is never reused, so what it revoked stays revoked (a published pledge's signature
    without one may be given one)."""
    found = _new_signatures(file, pr)
    if found is None:
        return []
    after, published = found
    before = signatures_of(file.base) or []
    for number, signature in enumerate(after):
        old = before[number].get("status_index") if number < published else None
        new = signature.get("status_index")
        if old is not None and new != old:
            return [refusal(file.path, f"this change edits the 'status_index' of "
                                       f"{_named(number, before[number])}: an index never "
                                       f"changes, or its credentials' revocation would move: "
                                       f"put back 'status_index: {old}'",
                            _line_in(file.head, number, "status_index"))]
        if old is None and isinstance(new, int) and new in pr.status_indexes:
            return [refusal(file.path, f"'status_index' {new} of "
                                       f"{_called(number, before[:published])} is already on "
                                       "the base branch, another signature's or a redacted "
                                       "one's, and an index is never reused: write "
                                       f"{_index_line(file, pr, number, after)} instead",
                            _line_in(file.head, number, "status_index"))]
    return []


# The fields of the signature in force that only a registry maintainer changes: a newer
# mission version is a new entry of its `reaffirmed`, never an edit of these.
FIXED_ONCE_PUBLISHED = ("signed", "mission_version")


def fixed_once_published(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """Once a pledge is on the base branch, only a registry maintainer changes the
    `signed` or `mission_version` of its signature in force."""
    histories = _histories(file)
    if histories is None:
        return []
    before, after = histories
    index = len(before) - 1
    if _withdrawn(before[index]) or index >= len(after):
        return []  # earlier_signatures_kept judges it
    whose = "its" if index == 0 else "its current signature's"
    keys = [key for key in FIXED_ONCE_PUBLISHED
            if key in before[index] and before[index].get(key) != after[index].get(key)]
    what = " and ".join(f"{whose} '{key}'" for key in keys)
    if not keys:
        return []
    if power := _power(pr, file.path, f"changing {what}"):
        return [power]
    return [refusal(file.path, f"this change edits {what}, which only the registry's "
                               "maintainers change once a pledge is published: to sign a "
                               "newer mission version, add it to 'reaffirmed' "
                               "('socialmission reaffirm')", _line_in(file.head, index, keys[0]))]


# --- logos and every other file ------------------------------------------------------------
def logo_is_a_file(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A logo is a regular PNG file, not a link or a submodule."""
    if file.head_mode is None or file.head_mode in REGULAR_MODES:
        return []
    return [refusal(file.path, "a logo must be a regular PNG file, not a link or submodule")]


def logo_of_its_pledge(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A logo, `pledges/logos/<slug>.png`, belongs to the pledge `<slug>`: its maintainers
    (or a registry maintainer) change it, and a new one comes with its new pledge."""
    pledge = f"{PLEDGES}{file.slug}{c.PLEDGE_SUFFIX}"
    if file.base is not None:
        if (said := _maintained(file, pr, "changing a logo")) is not None:
            return said
        return [refusal(file.path, f"this logo belongs to {pledge}, which {pr.author.login} "
                                   f"does not maintain: a logo is named after its own pledge "
                                   f"(logos/<slug>.png)")]
    if file.change != "deleted" and pr.changes.get(pledge) == "added":
        return []  # a new pledge's own logo: judged with the pledge
    return [refusal(file.path, f"no pledge {pledge} owns this logo: name a logo after its "
                               "pledge (logos/<slug>.png) and add it with that pledge")]


def registry_files(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """Every other file (the mission, the design, tooling, workflows, settings) is the
    registry maintainers' (`maintainers` in the base branch's registry.yaml)."""
    if pr.registry_maintainer is not None:
        return []
    return [refusal(file.path, f"only the registry's maintainers may change {file.path}: a "
                               f"pledge's pull request changes only {PLEDGES}<slug>"
                               f"{c.PLEDGE_SUFFIX} and {LOGOS}<slug>.png, and a "
                               f"translator's only {TRANSLATIONS}")]


# --- the mission's translations ------------------------------------------------------------
def translation_is_a_file(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A file under `translations/` is a regular file, not a link or a submodule."""
    if file.head_mode is None or file.head_mode in REGULAR_MODES:
        return []
    return [refusal(file.path, "a translation must be a regular file, not a link or "
                               "submodule")]


def translations_by_translators(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A file under `translations/` (the mission's translations) is added, changed or
    deleted by a registry maintainer or by one of `translators` in the base branch's
    registry.yaml, matched by account id, which the verdict then says; a translator may
    change nothing else (every other file meets its own rules)."""
    if pr.registry_maintainer is not None:
        return []
    who = f"{pr.author.login} (id {pr.author.id})"
    if pr.translator is not None:
        return [notice(f"{who} changed {file.path} as one of the registry's translators")]
    return [refusal(file.path, f"only the registry's translators and maintainers may change "
                               f"the mission's translations, and {who} is neither: ask the "
                               "registry's maintainers to list your account in "
                               f"'translators' ({paths.SETTINGS_FILE}), or to take your "
                               "translation in a pull request of theirs")]


# --- the pull request as a whole -----------------------------------------------------------
def published_mission_kept(pr: PullRequest) -> list[Problem]:
    """A published mission version's text is never changed or removed, by anyone; the
    draft (the last version, with `draft: true`) is not published, and the registry's
    maintainers add, edit, remove or publish it."""
    published, proposed = pr.mission or (None, None)
    if published is None:
        return []
    if proposed is None:
        return [refusal(paths.MISSION_FILE, "the mission file cannot be read: restore it")]
    return [refusal(paths.MISSION_FILE, f"mission version {number} is published and never "
                                        "changes: put the new wording in a new version at "
                                        "the end of the file")
            for number, text in published.items() if proposed.get(number) != text]


def new_pledges_per_pull_request(pr: PullRequest) -> list[Problem]:
    """A pull request by anyone but a registry maintainer adds at most
    `new_pledges_per_pull_request` new pledges (registry.yaml)."""
    limit = pr.settings.new_pledges_per_pull_request if pr.settings is not None \
        else setting_default("new_pledges_per_pull_request")
    added = len(pr.new_pledges)
    if pr.registry_maintainer is not None or added <= limit:
        return []
    most = "1 new pledge" if limit == 1 else f"{limit} new pledges"
    return [refusal("", f"the pull request adds {added} new pledges, and one whose author is "
                        f"not a registry maintainer adds at most {most}: open a pull request "
                        "for each signatory")]


# --- what the validator only warns of ------------------------------------------------------
def cautions_brought_in(caution: Caution, file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A pledge takes no name the registry shows as its own, and no other pledge's site,
    where the pull request brings it in (a new pledge, or the field changed); a registry
    maintainer may bring in a website on another's site, with a notice, and what already
    stood is a warning."""
    problem, key = caution.problem, CAUTION_FIELDS[caution.rule]
    before = fields_of(file.base)
    introduced = file.change in {"added", "modified"} and (
        before is None or before.get(key) != (fields_of(file.head) or {}).get(key))
    if not introduced:
        return [replace(problem, level="warning")]
    if caution.rule == NAME_TAKEN or pr.registry_maintainer is None:
        return [replace(problem, level="error")]
    return [notice(f"{pr.author.login} is a registry maintainer, so {problem.path} is "
                   f"allowed, though it {problem.message}")]


# --- the tables ----------------------------------------------------------------------------
# A changed file meets PATH_RULES, then the rules of its kind, in order, until one refuses
# it (one problem, said once); after a refusal of GOES_ON_AFTER_REFUSING's the rest apply.
PATH_RULES: tuple[FileRule, ...] = (plain_path,)
PLEDGE_RULES: tuple[FileRule, ...] = (
    pledge_kept, pledge_is_a_file, redacted_by_registry_maintainers, new_pledge_gives_ids,
    new_pledge_lists_its_author, new_pledge_proven, published_pledge_by_its_maintainers,
    orphan_taken_over, withdrawal_undone_only_by_signing_again, earlier_signatures_kept,
    withdrawn_by_registry_maintainers, signs_again_by_its_maintainers, new_signature_proven,
    fixed_once_published, new_signatures_carry_their_index,
    status_index_never_changes_or_repeats)
LOGO_RULES: tuple[FileRule, ...] = (logo_is_a_file, logo_of_its_pledge)
TRANSLATION_RULES: tuple[FileRule, ...] = (translation_is_a_file, translations_by_translators)
OTHER_FILE_RULES: tuple[FileRule, ...] = (registry_files,)
GOES_ON_AFTER_REFUSING: frozenset[FileRule] = frozenset({orphan_taken_over})
# Then the pull request as a whole, and the validator's cautions on the head's pledges.
PULL_REQUEST_RULES: tuple[PullRequestRule, ...] = (published_mission_kept,
                                                   new_pledges_per_pull_request)
CAUTION_RULES: tuple[CautionRule, ...] = (cautions_brought_in,)

RULES: tuple[Callable[..., list[Problem]], ...] = (
    *PATH_RULES, *PLEDGE_RULES, *LOGO_RULES, *TRANSLATION_RULES, *OTHER_FILE_RULES,
    *PULL_REQUEST_RULES, *CAUTION_RULES)


def listed(width: int) -> str:
    """The rules as a Markdown list, each its docstring, wrapped at `width` characters."""
    return "\n".join(textwrap.fill(" ".join((rule.__doc__ or "").split()), width,
                                   initial_indent="- ", subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False)
                     for rule in RULES)

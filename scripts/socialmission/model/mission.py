"""The mission text and its versions, read from the one file that holds them.

mission.yaml is read like a pledge, by model/yamlread.py (YAML 1.2, so an unquoted `NO`
is text; no anchors, tags or duplicate keys), and a problem names its file:line:column.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from socialmission.errors import UsageError
from socialmission.model import yamlread
from socialmission.model.constants import DATE_RE
from socialmission.model.filetree import FileTree
from socialmission.model.paths import GITHUB_HOST, MISSION_FILE, github_repository

# The numbers a sentence spells out ("Ten principles"); larger ones are written in digits.
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                 "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def principles_phrase(count: int) -> str:
    """'ten principles', 'one principle', '21 principles': how texts count principles."""
    number = _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)
    return f"{number} principle{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class MissionVersion:
    version: int
    date: dt.date
    title: str
    status: str
    source: str
    changes: str
    principles: tuple[str, ...]
    # Notes on a wording mistake in the published text ("'it's audience': read 'its
    # audience'"), shown beside the frozen text: the text signed never changes.
    errata: tuple[str, ...] = ()
    # Where the version was (or is being) discussed: an address on the registry's
    # repository ('' for none).
    discussion: str = ""


@dataclass(frozen=True)
class Mission:
    # The PUBLISHED versions, oldest first: everything that reads the current version or
    # the list of versions reads these; a draft is apart (`draft`), asked for by name.
    versions: tuple[MissionVersion, ...]
    # The sectors a pledge may name, in the forms' order: added to freely; one a pledge
    # names cannot go (the validator then refuses that pledge, at its 'sector' line).
    sectors: tuple[str, ...] = ()
    # The words the site shows for each sector, in the same order (sector_words below when
    # mission.yaml gives none).
    sector_labels: tuple[str, ...] = ()
    # The version proposed next, if any: only the history page shows it.
    draft: MissionDraft | None = None

    def published(self) -> Mission:
        """This mission without its draft: what every published reading depends on (the
        caches' keys)."""
        return dataclasses.replace(self, draft=None)

    def discussion_problems(self, repository: str) -> list[str]:
        """Each version's 'discussion' not on `repository` (registry.yaml's), as a
        message."""
        texts = [*self.versions, *((self.draft.text,) if self.draft else ())]
        ours = github_repository(repository)
        return [f"{MISSION_FILE}: version {v.version}'s 'discussion' must be an address on "
                f"the registry's repository ({repository.rstrip('/')}/...): got {v.discussion}"
                for v in texts if v.discussion and (ours is None or _repository_of(
                    v.discussion) != tuple(part.casefold() for part in ours))]

    def sector_label(self, sector: str) -> str:
        """The words the site shows for `sector` (a pledge's 'sector', one of `sectors`)."""
        for known, label in zip(self.sectors, self.sector_labels, strict=False):
            if known == sector:
                return label
        return sector_words(sector)

    @property
    def current(self) -> MissionVersion:
        return self.versions[-1]

    def get(self, number: int) -> MissionVersion | None:
        for version in self.versions:
            if version.version == number:
                return version
        return None

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(v.version for v in self.versions)


@dataclass(frozen=True)
class MissionDraft:
    """The next version while it is proposed (mission.yaml's last entry, `draft: true`):
    read by the history page only, never as a published version."""

    text: MissionVersion  # its date is the previous version's when the draft gives none
    dated: bool  # whether the draft gives a date of its own


def load_mission(root: Path, tree: FileTree | None = None) -> Mission:
    """Read and check `mission.yaml` (from `tree`, else from the disk, a link followed); a
    broken mission file is the maintainers' error."""
    path = root / MISSION_FILE
    try:
        data = path.read_bytes() if tree is None else tree.read(path)
    except OSError as error:
        raise UsageError(f"{path}: cannot read the mission: {error}") from None
    return mission_from_bytes(data, str(path))


def mission_from_bytes(data: bytes, where: str) -> Mission:
    """The mission in mission.yaml's bytes, read as text files are (every line ending a
    newline), or UsageError naming `where`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{where}: cannot read the mission: {error}") from None
    return parse_mission(text.replace("\r\n", "\n").replace("\r", "\n"), where)


# A version entry's keys, as OPERATORS.md lists them: whether each is required ('date':
# of a published version).
VERSION_KEYS: Final = {
    "version": True, "date": True, "title": True, "status": False, "source": False,
    "changes": True, "principles": True, "draft": False, "discussion": False,
    "errata": False}
DISCUSSION_MAX: Final = 300  # characters of a version's 'discussion' address
ERRATA_MAX: Final = 500  # characters of one erratum note
# The characters of a 'discussion' address: RFC 3986's, without quotes, parentheses or
# brackets (so a Markdown link holds it whole)
_ADDRESS_CHARACTERS: Final = r"[A-Za-z0-9._~:/?#@!$&+,;=%-]+"


def parse_mission(text: str, where: str) -> Mission:
    """The mission in `text` (mission.yaml), or UsageError naming `where`:line:column."""
    try:
        root = yamlread.parse(text)
    except yamlread.YamlError as error:
        raise UsageError(f"{where}:{error.line}:{error.column}: {error.message}") from None

    def fail(node: yamlread.Node, message: str) -> UsageError:
        return UsageError(f"{where}:{node.line}:{node.column}: {message}")

    if isinstance(root, yamlread.Mapping):
        for key, (key_node, _) in root.items.items():
            if key not in ("sectors", "versions"):
                raise fail(key_node, f"unknown key '{key}': mission.yaml holds 'sectors' and "
                                     "'versions'")
    entries = root.items.get("versions") if isinstance(root, yamlread.Mapping) else None
    if entries is None or not isinstance(entries[1], yamlread.Sequence):
        raise fail(entries[1] if entries else root,
                   "expected a mapping with a 'versions' list")
    versions: list[MissionVersion] = []
    draft: MissionDraft | None = None
    for index, entry in enumerate(entries[1].items, start=1):
        if draft is not None:
            raise fail(entry, f"version {index} follows the draft (version {index - 1}): a "
                              "draft is always the last version; publish it first, or "
                              "make this one the draft")
        version, is_draft = _version(entry, index, versions[-1] if versions else None, fail)
        if is_draft:
            draft = MissionDraft(version, dated=isinstance(entry, yamlread.Mapping)
                                 and "date" in entry.items)
        else:
            versions.append(version)
    if not versions:
        raise fail(entries[1], "there is no version published: add one to the 'versions' "
                               "list (a draft alone is not a mission)")
    sectors = _sectors(root, fail)
    return Mission(tuple(versions), tuple(sectors), tuple(sectors.values()), draft)


SECTOR_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # as a pledge writes it
SECTOR_MAX: Final = 40  # characters of a sector's name
SECTOR_LABEL_MAX: Final = 60  # characters of the words the site shows for a sector
SECTORS_MAX: Final = 100  # sectors in the list


def sector_words(sector: str) -> str:
    """What the site shows for a sector mission.yaml lists without words of its own: its
    name's words, the first capitalised ('arts-and-culture': 'Arts and culture')."""
    words = sector.replace("-", " ")
    return words[:1].upper() + words[1:]


def _sector_label(value: object) -> str | None:
    """Why `value` cannot be a sector's words, or None: 1 to SECTOR_LABEL_MAX characters
    on one line, no control or invisible formatting character, no space at either end."""
    if not isinstance(value, str) or not 1 <= len(value) <= SECTOR_LABEL_MAX:
        return f"a sector's words must be text of 1 to {SECTOR_LABEL_MAX} characters"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        return ("a sector's words must be one line of text, without control or invisible "
                f"formatting characters: got {value!r}")
    if value != value.strip():
        return f"a sector's words must not start or end with a space: got {value!r}"
    return None


def _sectors(root: yamlread.Node,
             fail: Callable[[yamlread.Node, str], UsageError]) -> dict[str, str]:
    """The 'sectors', each with the words the site shows for it: a list of names
    (lower-case words joined by hyphens, each shown as its words: sector_words), or a
    mapping of each name to its words ('arts-and-culture: Arts and culture'); distinct
    names, distinct words."""
    entry = root.items.get("sectors") if isinstance(root, yamlread.Mapping) else None
    if entry is None:
        raise fail(root, "there is no 'sectors' list: add one, such as 'sectors: [education, "
                         "media, other]', naming the sectors a pledge may give")
    node = entry[1]
    items: list[tuple[yamlread.Node, yamlread.Node | None]] = []
    if isinstance(node, yamlread.Mapping):
        items = [(key_node, value) for key_node, value in node.items.values()]
    elif isinstance(node, yamlread.Sequence):
        items = [(item, None) for item in node.items]
    if not items or len(items) > SECTORS_MAX:
        raise fail(node, f"'sectors' must be a list of 1 to {SECTORS_MAX} sector names, or a "
                         "mapping of each name to the words the site shows for it")
    found: dict[str, str] = {}
    seen: dict[str, str] = {}  # casefolded words: the sector that shows them
    for item, words in items:
        value = item.value if isinstance(item, yamlread.Scalar) else None
        if not isinstance(value, str) or len(value) > SECTOR_MAX or \
                not re.fullmatch(SECTOR_PATTERN, value):
            raise fail(item, f"each sector must be lower-case letters and digits, words "
                             f"joined by single hyphens, at most {SECTOR_MAX} characters")
        if value in found:
            raise fail(item, f"the sector '{value}' is listed twice: keep one")
        if words is None:
            label = sector_words(value)
        else:
            text = words.value if isinstance(words, yamlread.Scalar) else None
            if problem := _sector_label(text):
                raise fail(words, f"the sector '{value}': {problem}")
            label = str(text)
        if label.casefold() in seen:
            raise fail(words or item, f"the sectors '{seen[label.casefold()]}' and '{value}' "
                                      f"would both show as '{label}': give each its own "
                                      "words")
        seen[label.casefold()] = value
        found[value] = label
    return found


def _version(entry: yamlread.Node, index: int, previous: MissionVersion | None,
             fail: Callable[[yamlread.Node, str], UsageError]) -> tuple[MissionVersion, bool]:
    """Version entry `index` (after `previous`, the last published one) and whether it is a
    draft ('draft: true'; undated, it takes `previous`'s date)."""
    if not isinstance(entry, yamlread.Mapping):
        raise fail(entry, f"version entry {index} is not a mapping")
    for key, (key_node, _) in entry.items.items():
        if key not in VERSION_KEYS:
            close = difflib.get_close_matches(key, list(VERSION_KEYS), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise fail(key_node, f"version entry {index} has the unknown key '{key}'{hint}: "
                                 f"the keys are {', '.join(VERSION_KEYS)}")
    draft = _draft(entry, index, fail)
    for key, required in VERSION_KEYS.items():
        if required and key not in entry.items and not (key == "date" and draft):
            raise fail(entry, f"version entry {index} lacks '{key}': add a '{key}:' line")

    def text(key: str) -> str:
        if key not in entry.items:
            return ""
        node = entry.items[key][1]
        if not isinstance(node, yamlread.Scalar) or not isinstance(node.value, str) \
                or not node.value.strip():
            raise fail(node, f"version {index}: '{key}' must be text")
        return node.value

    number = entry.items["version"][1]
    if not isinstance(number, yamlread.Scalar) or number.value != index or \
            isinstance(number.value, bool):
        shown = number.text if isinstance(number, yamlread.Scalar) else "not a number"
        raise fail(number, f"versions must be numbered 1, 2, 3... in order; entry {index} "
                           f"says {shown}")
    date = _date(entry, index, previous, fail)
    if draft and "errata" in entry.items:
        raise fail(entry.items["errata"][0], f"version {index} is a draft: correct its text "
                                             "instead of giving 'errata' (they are notes on "
                                             "a published text, which never changes)")
    return MissionVersion(
        version=index, date=date, title=text("title"), status=text("status"),
        source=text("source"), changes=text("changes"),
        principles=_texts(entry, "principles", index, fail) or (),
        errata=_texts(entry, "errata", index, fail, ERRATA_MAX) or (),
        discussion=_discussion(entry, index, fail)), draft


def _draft(entry: yamlread.Mapping, index: int,
           fail: Callable[[yamlread.Node, str], UsageError]) -> bool:
    """'draft': true, or absent (a published version); anything else is refused."""
    if "draft" not in entry.items:
        return False
    node = entry.items["draft"][1]
    if not isinstance(node, yamlread.Scalar) or node.value is not True:
        raise fail(node, f"version {index}: 'draft' must be true (a version being proposed); "
                         "to publish it, remove the 'draft' line and give it its 'date'")
    return True


def _date(entry: yamlread.Mapping, index: int, previous: MissionVersion | None,
          fail: Callable[[yamlread.Node, str], UsageError]) -> dt.date:
    """The entry's date, not before `previous`'s; a draft's without one is `previous`'s."""
    if "date" not in entry.items:
        if previous is None:
            raise fail(entry, f"version {index} is a draft with no version published before "
                              "it: publish a first version")
        return previous.date
    date_node = entry.items["date"][1]
    date = None
    if isinstance(date_node, yamlread.Scalar) and isinstance(date_node.value, str) and \
            DATE_RE.match(date_node.value):
        with contextlib.suppress(ValueError):  # such as 2024-02-30
            date = dt.date.fromisoformat(date_node.value)
    if date is None:
        raise fail(date_node, f"version {index}: 'date' must be a YYYY-MM-DD date")
    if previous is not None and date < previous.date:
        raise fail(entry, f"version {index} is dated {date.isoformat()}, before version "
                          f"{index - 1} ({previous.date.isoformat()}): versions must be in "
                          "date order")
    return date


def _texts(entry: yamlread.Mapping, key: str, index: int,
           fail: Callable[[yamlread.Node, str], UsageError],
           limit: int | None = None) -> tuple[str, ...] | None:
    """The list of texts under `key` ('principles', 'errata': one or more), None if absent."""
    if key not in entry.items:
        return None
    node = entry.items[key][1]
    what = key.rstrip("s").replace("errata", "erratum")
    if not isinstance(node, yamlread.Sequence) or not node.items:
        raise fail(node, f"version {index} must have one or more {key}, as a list "
                         "('- ...' lines)")
    for item in node.items:
        if not isinstance(item, yamlread.Scalar) or not isinstance(item.value, str) or \
                not item.value.strip():
            raise fail(item, f"version {index}: each {what} must be text")
        if limit is not None and len(item.value) > limit:
            raise fail(item, f"version {index}: an {what} is at most {limit} characters")
    return tuple(item.value for item in node.items if isinstance(item, yamlread.Scalar))


def _repository_of(address: str) -> tuple[str, ...] | None:
    """The (owner, name) of the repository on GitHub that `address` is a page of, lower-case
    (GitHub's names are), or None."""
    parts = address.split("/")
    found = github_repository("/".join(parts[:5])) if len(parts) >= 6 and parts[5] else None
    return None if found is None else tuple(part.casefold() for part in found)


def _discussion(entry: yamlread.Mapping, index: int,
                fail: Callable[[yamlread.Node, str], UsageError]) -> str:
    """'discussion': an https address on a repository on GitHub (registry.yaml's
    repository, which the build checks: Mission.discussion_problems), or ''."""
    if "discussion" not in entry.items:
        return ""
    node = entry.items["discussion"][1]
    value = node.value if isinstance(node, yamlread.Scalar) else None
    if not isinstance(value, str) or len(value) > DISCUSSION_MAX or \
            _repository_of(value) is None or not re.fullmatch(_ADDRESS_CHARACTERS, value):
        raise fail(node, f"version {index}: 'discussion' must be the address of a page on "
                         f"the registry's repository, such as https://{GITHUB_HOST}/OWNER/"
                         f"NAME/issues/12, at most {DISCUSSION_MAX} characters")
    return value

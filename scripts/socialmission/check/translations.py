"""The mission's translations, read and checked: `translations/v<N>/<language>.yaml`.

API (the pages read translations only through this):
- `check_translations(mission, folder, tree)` reads every file under the translations'
  folder and returns a `TranslationReport`: `.translations`, the valid ones
  (model/translation.py's `Translation`: version, language, direction, language_name,
  title, principles, translator, reviewer, updated, path), sorted by version then tag;
  `.problems`, every problem at once, each with its file and line (model/problems.py);
  `.checked`, the files read. The build refuses to publish while there are problems,
  as `socialmission validate` does (exit 1): site/generator.py's `load_translations`
  raises GenerationError listing them, and otherwise puts the translations in
  `SiteContent.translations`, which is where the pages read them.
- `of_version(translations, number)`: one version's, in tag order (what a version's
  page lists: version N's translations stay with version N).
- `FIELDS`, the field table: each key a translation holds, its rule (one sentence), its
  JSON Schema and an example; `schema_text()` is the published schema derived from it
  (site/schema/translation.schema.json) and `fields_table()` the guide's table of it.

What is refused, each with where: a file not at `v<N>/<tag>.yaml`; a folder `v<N>`
whose version is not published (none such, or the draft: a draft is translated once it
is published); a file over TRANSLATION_MAX_BYTES (model/constants.py), a link, or YAML
that the strict reader refuses (model/yamlread.py: no anchors, tags or duplicate keys);
an unknown or missing key, an empty value; a language that is not a tag
model/translation.py takes, or not the file's name; two files of one version in the same
language (tags equal ignoring case); a number of principles other than the version's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import json
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from socialmission.check.files import TRANSLATION, read_capped
from socialmission.check.text import forbidden_character, nfc
from socialmission.model import constants as c
from socialmission.model import paths, yamlread
from socialmission.model.clock import today
from socialmission.model.filetree import DISK, FileTree
from socialmission.model.mission import Mission, MissionVersion, principles_phrase
from socialmission.model.problems import FileProblems, Problem
from socialmission.model.translation import (
    TAG_MAX,
    TAG_PATTERN,
    TAG_RULE,
    TagError,
    Translation,
    direction,
    parse_tag,
    same_language,
)

TITLE_MAX: Final = 200  # characters of the translated title
PRINCIPLE_MAX: Final = 1000  # characters of one translated principle
LANGUAGE_NAME_MAX: Final = 60  # characters of the language's name in itself
# A version's folder: 'v' and its number, without leading zeros.
VERSION_FOLDER: Final = re.compile(rf"{paths.TRANSLATION_VERSION_PREFIX}([1-9][0-9]{{0,5}})")
# Files that may sit in the translations' folder beside the versions' folders.
_COMPANIONS: Final = frozenset({c.README_NAME, ".gitkeep"})

Found = list[tuple[yamlread.Node, str]]  # a field's problems, each at its node


@dataclass(frozen=True)
class Context:
    """What a field is checked against: the version it translates (None: not a
    published version, said once for the file) and the day of the check."""

    version: MissionVersion | None
    day: dt.date


Reader = Callable[[yamlread.Node, yamlread.Node, Context], tuple[Any, Found]]


@dataclass(frozen=True)
class TranslationField:
    """One key of a translation: its rule as one sentence (the guide's and the schema's
    description), its JSON Schema, an example, and its reader (the value, and what is
    wrong at which node)."""

    name: str
    rule: str
    schema: dict[str, Any]
    example: Any
    # the key's node, its value's node, and what it is checked against
    read: Reader


def _one_line(limit: int, what: str) -> Reader:
    """The reader of one line of text, 1 to `limit` characters after NFC normalisation,
    with a pledge name's character rules (check/text.py)."""
    def read(key: yamlread.Node, node: yamlread.Node, context: Context) -> tuple[Any, Found]:
        return _text(node, limit, what, "write it on one line")
    return read


def _text(node: yamlread.Node, limit: int, what: str, one_line: str) -> tuple[Any, Found]:
    """The text at `node`, or what is wrong with it (`one_line`: how to fix a line break)."""
    value = node.value if isinstance(node, yamlread.Scalar) else None
    if not isinstance(value, str) or not value.strip():
        return None, [(node, f"{what} must be text, not empty")]
    text = nfc(value.strip())
    if len(text) > limit:
        return None, [(node, f"{what} is {len(text)} characters long; the limit is {limit}")]
    if "\n" in text:
        return None, [(node, f"{what} breaks a line: {one_line}")]
    if bad := forbidden_character(text):
        return None, [(node, f"{what} must not contain {bad[1]}: delete it")]
    return text, []


def _language(key: yamlread.Node, node: yamlread.Node, context: Context) -> tuple[Any, Found]:
    value = node.value if isinstance(node, yamlread.Scalar) else None
    if not isinstance(value, str):
        return None, [(node, f"'language' must be {TAG_RULE}")]
    try:
        return parse_tag(value), []
    except TagError as error:
        return None, [(node, f"'language': {error}")]


def _principles(key: yamlread.Node, node: yamlread.Node,
                context: Context) -> tuple[Any, Found]:
    """Each principle of the version, translated: as many, in its order, each text."""
    if not isinstance(node, yamlread.Sequence) or not node.items:
        return None, [(node, "'principles' must be a list of the translated principles, "
                             "one '- ...' item each, in the version's order")]
    found: Found = []
    texts = []
    for number, item in enumerate(node.items, start=1):
        text, wrong = _text(item, PRINCIPLE_MAX, f"principle {number}",
                            "a principle is one paragraph: start it with '>-' on the item's "
                            "line, so that its lines join")
        found += wrong
        texts.append(text)
    wanted = context.version
    if wanted is not None and len(node.items) != len(wanted.principles):
        found.append((key, f"version {wanted.version} has "
                            f"{principles_phrase(len(wanted.principles))} and this "
                            f"translation {len(node.items)}: translate each principle once, "
                            "in the version's order"))
    return (tuple(texts) if not found else None), found


def _updated(key: yamlread.Node, node: yamlread.Node, context: Context) -> tuple[Any, Found]:
    value = node.value if isinstance(node, yamlread.Scalar) else None
    day = None
    if isinstance(value, str) and c.DATE_RE.match(value):
        with contextlib.suppress(ValueError):  # such as 2026-02-30
            day = dt.date.fromisoformat(value)
    if day is None:
        return None, [(node, "'updated' must be a YYYY-MM-DD date")]
    if day > context.day:
        return None, [(node, f"'updated' is {day.isoformat()}, in the future: give the "
                             "day the translation last changed")]
    if context.version is not None and day < context.version.date:
        return None, [(node, f"'updated' is {day.isoformat()}, before version "
                             f"{context.version.version} was published "
                             f"({context.version.date.isoformat()})")]
    return day, []


def _line_schema(limit: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": limit,
            "pattern": r"^\S(?:[^\n\r\u2028\u2029]*\S)?$"}


FIELDS: Final[tuple[TranslationField, ...]] = (
    TranslationField(
        "language",
        f"The language, as {TAG_RULE}; the file is named after it "
        "(`translations/v1/pt-BR.yaml`), and one version has one translation a language "
        "(tags equal ignoring case are one language). Its direction follows its script: "
        "right to left for Arabic, Hebrew, Persian, Urdu and the other right-to-left "
        "scripts.",
        {"type": "string", "maxLength": TAG_MAX, "pattern": TAG_PATTERN},
        "pt-BR", _language),
    TranslationField(
        "language_name",
        f"The language's name in itself, as its readers write it (`Français`, "
        f"`العربية`): the language switch shows it; one line of 1-{LANGUAGE_NAME_MAX} "
        "characters.",
        _line_schema(LANGUAGE_NAME_MAX), "Português (Brasil)",
        _one_line(LANGUAGE_NAME_MAX, "'language_name'")),
    TranslationField(
        "title",
        f"The version's title, translated: one line of 1-{TITLE_MAX} characters.",
        _line_schema(TITLE_MAX), "A Missão Social", _one_line(TITLE_MAX, "'title'")),
    TranslationField(
        "principles",
        "Each of the version's principles, translated: as many as it has, in its order, "
        f"each a text of 1-{PRINCIPLE_MAX} characters (one paragraph, as the original's).",
        {"type": "array", "minItems": 1,
         "items": {"type": "string", "minLength": 1, "maxLength": PRINCIPLE_MAX}},
        ["As redes sociais funcionam 24 horas por dia..."], _principles),
    TranslationField(
        "translator",
        f"Who translated it, by the name the page shows (a person's, 1-{c.NAME_MAX} "
        "characters on one line).",
        _line_schema(c.NAME_MAX), "Ana Pereira", _one_line(c.NAME_MAX, "'translator'")),
    TranslationField(
        "reviewer",
        "Who reviewed it, a second reader of the language and not the translator, by the "
        f"name the page shows (1-{c.NAME_MAX} characters on one line).",
        _line_schema(c.NAME_MAX), "João Costa", _one_line(c.NAME_MAX, "'reviewer'")),
    TranslationField(
        "updated",
        "The day the translation's text last changed, `YYYY-MM-DD`: not in the future, "
        "nor before its version was published.",
        {"type": "string", "pattern": c.DATE_PATTERN, "format": "date"}, "2026-11-30",
        _updated),
)
_BY_NAME: Final = {entry.name: entry for entry in FIELDS}


@dataclass
class TranslationReport:
    translations: list[Translation] = field(default_factory=list)  # by version, then tag
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0  # the translation files read


def check_translations(mission: Mission, folder: Path = Path(paths.TRANSLATIONS_DIR),
                       tree: FileTree = DISK, on: dt.date | None = None) -> TranslationReport:
    """Every translation under `folder` (the registry's translations folder, as `tree`
    reads it: messages show its paths), checked against the published `mission` on the
    day `on` (default today); no folder, no translations."""
    report = TranslationReport()
    day = on or today()
    read: list[_Read] = []
    for path, number in _files(folder, tree, report.problems):
        report.checked += 1
        problem = FileProblems(str(path), report.problems)
        version = _published(mission, number, problem)
        data = _read(path, tree, problem)
        if data is not None:
            read.append(_translation(data, path, number, Context(version, day), problem))
    report.translations = _distinct(read, report.problems)
    report.problems.sort()
    return report


@dataclass(frozen=True)
class _Read:
    """One file as read: where it is, its version's number, its 'language' as written
    and where (None: none there as text), and the translation when it has no problem."""

    path: str
    number: int
    language: str | None = None
    line: int = 0
    column: int = 0
    translation: Translation | None = None


def of_version(translations: Iterable[Translation], number: int) -> list[Translation]:
    """Version `number`'s translations, in tag order."""
    return sorted((t for t in translations if t.version == number), key=lambda t: t.language)


def _files(folder: Path, tree: FileTree, problems: list[Problem]) -> list[tuple[Path, int]]:
    """Each translation file under `folder` with its version's number; whatever else is
    there, a problem."""
    try:
        info = tree.lstat(folder)
    except OSError:
        return []  # no translations yet
    if not stat.S_ISDIR(info.st_mode):
        problems.append(Problem(str(folder), 0, 0, "this must be the folder of the mission's "
                                                   "translations, not a file or a link"))
        return []
    found: list[tuple[Path, int]] = []
    for name, is_folder in sorted(_entries(tree, folder, problems).items()):
        number = VERSION_FOLDER.fullmatch(name)
        if number is not None and is_folder:
            for file, file_is_folder in sorted(_entries(tree, folder / name, problems).items()):
                if file.endswith(c.PLEDGE_SUFFIX) and not file_is_folder:
                    found.append((folder / name / file, int(number[1])))
                else:
                    problems.append(Problem(str(folder / name / file), 0, 0, (
                        f"only translations belong in {name}/, each named after its language "
                        f"('<language>{c.PLEDGE_SUFFIX}', such as 'fr{c.PLEDGE_SUFFIX}'): "
                        "rename, move or delete it")))
        elif name not in _COMPANIONS:
            problems.append(Problem(str(folder / name), 0, 0, (
                f"only a folder for each translated version ('{paths.TRANSLATION_VERSION_PREFIX}"
                "<N>/', such as 'v1/', its number as mission.yaml gives it) belongs in "
                f"{folder.name}/: rename, move or delete it")))
    return found


def _entries(tree: FileTree, folder: Path, problems: list[Problem]) -> dict[str, bool]:
    try:
        return tree.entries(folder)
    except OSError as error:
        problems.append(Problem(str(folder), 0, 0, f"cannot list the folder: {error.strerror}"))
        return {}


def _published(mission: Mission, number: int, problem: FileProblems) -> MissionVersion | None:
    """The published version `number`, or None, said once for the file."""
    version = mission.get(number)
    if version is not None:
        return version
    draft = mission.draft is not None and mission.draft.text.version == number
    problem(0, 0, (f"version {number} is the draft, not yet published: translate it once "
                   "it is published" if draft else
                   f"there is no version {number} of the mission (the published ones are "
                   f"{', '.join(map(str, mission.numbers))}): put the translation in the "
                   "folder of the version it translates"))
    return None


def _read(path: Path, tree: FileTree, problem: FileProblems) -> str | None:
    """The file's text, refusing links, non-files and files over the cap before reading."""
    data = read_capped(path, problem, tree, TRANSLATION)
    if data is None:
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        problem(1, 1, f"the file is not UTF-8 text (byte {error.start + 1}): save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _translation(text: str, path: Path, number: int, context: Context,
                 problem: FileProblems) -> _Read:
    """The file as read from its text: its language, and the translation when it has no
    problems (each said through `problem`)."""
    repeats: list[yamlread.YamlError] = []
    try:
        root = yamlread.parse(text, repeats)
    except yamlread.YamlError as error:
        problem(error.line, error.column, error.message)
        return _Read(str(path), number)
    for repeat in repeats:
        problem(repeat.line, repeat.column, repeat.message)
    if not isinstance(root, yamlread.Mapping):
        problem(root.line, root.column, "a translation is a mapping of keys: "
                                        f"{', '.join(_BY_NAME)}")
        return _Read(str(path), number)
    given = root.items.get("language", (None, None))[1]
    said = _Read(str(path), number, given.value, given.line, given.column) if isinstance(
        given, yamlread.Scalar) and isinstance(given.value, str) else _Read(str(path), number)
    values, wrong = _values(root, context, problem)
    wrong = _across(root, values, path, problem) or wrong
    if wrong or repeats or context.version is None:
        return said
    tag = values.pop("language")  # every other key is the attribute of its name
    return dataclasses.replace(said, translation=Translation(
        version=number, language=tag.text, direction=direction(tag),
        path=paths.translation_file(number, tag.text), **values))


def _across(root: yamlread.Mapping, values: dict[str, Any], path: Path,
            problem: FileProblems) -> bool:
    """The rules between fields, where each field read well: the language is the file's
    name, and the reviewer is not the translator. Whether one was broken (each said)."""
    wrong = False
    tag, stem = values.get("language"), path.name.removesuffix(c.PLEDGE_SUFFIX)
    if tag is not None and tag.text != stem:
        node = root.items["language"][1]
        problem(node.line, node.column, (
            f"the language is '{tag.text}' but the file is named {path.name}: name the file "
            f"{tag.text}{c.PLEDGE_SUFFIX}, or give the language it is in"))
        wrong = True
    translator, reviewer = values.get("translator"), values.get("reviewer")
    if translator is not None and reviewer is not None and same_language(translator, reviewer):
        node = root.items["reviewer"][1]
        problem(node.line, node.column, "the reviewer must be another person than the "
                                        "translator: a second reader of the language")
        wrong = True
    return wrong


def _values(root: yamlread.Mapping, context: Context,
            problem: FileProblems) -> tuple[dict[str, Any], bool]:
    """Each field's value read by its reader (None where it has a problem), and whether a
    key is unknown, missing or wrong (each said)."""
    wrong = False
    for key, (key_node, _) in root.items.items():
        if key not in _BY_NAME:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problem(key_node.line, key_node.column, f"unknown key '{key[:40]}'{hint}: a "
                                                    f"translation holds {', '.join(_BY_NAME)}")
            wrong = True
    values: dict[str, Any] = {}
    for name, entry in _BY_NAME.items():
        if name not in root.items:
            problem(root.line, root.column, f"'{name}' is missing: add a '{name}:' line")
            wrong = True
            continue
        values[name], found = entry.read(*root.items[name], context)
        for node, message in found:
            problem(node.line, node.column, message)
        wrong = wrong or bool(found)
    return values, wrong


def _distinct(read: Sequence[_Read], problems: list[Problem]) -> list[Translation]:
    """The translations, one a version and language: a second file of a version in the
    same language (its 'language' equal ignoring case, whatever else is wrong) is refused
    at its language's line, naming the first."""
    first: dict[tuple[int, str], _Read] = {}
    for found in read:  # in path order
        if found.language is None:
            continue
        key = (found.number, found.language.casefold())
        if key in first:
            problems.append(Problem(found.path, found.line, found.column, (
                f"version {found.number} is translated into '{found.language}' twice, here "
                f"and in {first[key].path} (tags equal ignoring case are one language): "
                "keep one")))
        else:
            first[key] = found
    return sorted((f.translation for f in first.values() if f.translation is not None),
                  key=lambda t: (t.version, t.language))


# --- what is derived from the field table ---------------------------------------------------
def schema() -> dict[str, Any]:
    """The published JSON Schema of a translation, derived from FIELDS."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": paths.TRANSLATION_SCHEMA_PATH,
        "title": "A translation of the mission",
        "description": (
            f"One version's text in one language: {paths.TRANSLATIONS_DIR}/v<N>/"
            f"<language>{c.PLEDGE_SUFFIX} in the registry. The signed text is always the "
            "original. The validator checks more than this schema can (the version, the "
            "number of principles, one file a language): run 'socialmission validate'."),
        "type": "object",
        "required": list(_BY_NAME),
        "additionalProperties": False,
        "properties": {entry.name: {"title": entry.name.replace("_", " ").capitalize(),
                                    "description": entry.rule, **entry.schema,
                                    "examples": [entry.example]} for entry in FIELDS},
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def fields_table() -> str:
    """The guide's table of a translation's keys, each with its rule."""
    rows = [f"| `{entry.name}` | {entry.rule} |" for entry in FIELDS]
    return "\n".join(["| key | what it holds |", "| --- | --- |", *rows]) + "\n"

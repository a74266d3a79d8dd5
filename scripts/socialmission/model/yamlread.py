"""Read a pledge's YAML as a tree of positioned nodes, refusing every risky YAML feature.

PyYAML's loaders silently keep the last of two duplicate keys, expand aliases
(exponentially, given the chance), construct arbitrary tags and read YAML 1.1, where an
unquoted `NO` is `False`. So we never let PyYAML construct anything: we walk libyaml's
*events* and build the tree ourselves, which gives every value its line and column, lets
us refuse anchors, aliases, tags, merge keys and duplicate keys where they appear, and
resolves plain scalars by the YAML 1.2 core schema (the one editors and JSON Schema
tools use), so `NO` is the string "NO". A block mapping that does not parse is read
again by `parse_entries`, one top-level entry at a time, so that one broken entry hides
none of the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ~10x faster; its wheel ships with PyYAML on every common platform.
    from yaml import CBaseLoader as _Loader  # only its events are read (get_event)
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 8  # nesting levels; a pledge needs 2 (a mapping of lists or mappings)
MAX_NODES = 2000  # scalars and collections; a full pledge has well under 100


class YamlError(Exception):
    """The file cannot be read as a pledge. Carries a 1-based position."""

    def __init__(self, line: int, column: int, message: str,
                 context: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.context = context  # where what failed began (an opening quote), if known


@dataclass(slots=True)
class Node:
    line: int  # 1-based
    column: int  # 1-based
    # Where the node's text starts and ends, as offsets into the parsed text (characters,
    # as libyaml counts them), for model/yamlwrite.py. A block scalar's end includes the
    # line breaks after it; a block collection ends where its last item ends.
    start: int = field(default=0, kw_only=True)
    end: int = field(default=0, kw_only=True)


@dataclass(slots=True)
class Scalar(Node):
    text: str
    plain: bool  # unquoted, so subject to type resolution
    value: Any = None  # resolved by the YAML 1.2 core schema: str, int, float, bool, None
    # libyaml's style: "" plain, "'" or '"' quoted, "|" literal or ">" folded block
    style: str = field(default="", kw_only=True)


@dataclass(slots=True)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
    flow: bool = field(default=False, kw_only=True)  # written [a, b] rather than '- a' lines


@dataclass(slots=True)
class Mapping(Node):
    # key text -> (key node, value node), in file order
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    flow: bool = field(default=False, kw_only=True)  # written {a: b} rather than in lines


# YAML 1.2 core schema resolution (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_MAX_NUMBER_DIGITS = 40  # int("9"*10**6) is slow and pointless
# The first characters the patterns above can match ('$' also matches before a final
# newline); a plain scalar that starts with anything else is a string.
_TYPED_STARTS = frozenset("~nNtTfF+-.0123456789\n")


def resolve_plain(text: str) -> Any:
    """Type of an unquoted scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _TYPED_STARTS:
        return text  # the common case, such as every key, without four pattern matches
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if len(text) <= _MAX_NUMBER_DIGITS:
        if _INT.match(text):
            if text.startswith("0o"):
                return int(text[2:], 8)
            if text.startswith("0x"):
                return int(text[2:], 16)
            return int(text)
        if _FLOAT.match(text):
            # '.inf', '-.Inf' and '.NaN' are Python's 'inf', '-Inf' and 'NaN'
            special = text.lstrip("+-").startswith(".") and text.rstrip()[-1:].isalpha()
            return float(text.replace(".", "", 1) if special else text)
    return text


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _end(event: Any) -> int:
    """The offset just after an event's text."""
    return int(event.end_mark.index)


def _describe(event: Any) -> str:
    return type(event).__name__.removesuffix("Event").lower()


_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
# The line breaks editors count: libyaml also breaks lines at U+0085, U+2028 and U+2029,
# which editors show as nothing or a box; those are refused, so both count alike.
_LINE_BREAK = re.compile("\r\n|\r|\n")
_SEPARATORS = {"\u2028": "line separator", "\u2029": "paragraph separator"}
MAX_KEY = 1024  # characters: libyaml's limit for a key written on one line


def _lint_text(text: str) -> None:
    """Refuse what libyaml would report less clearly: tab indents and control characters."""
    if "\t" not in text and not _CONTROL.search(text):
        return  # nothing to find; the loop below says where, when there is
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            raise YamlError(number, line.index("\t") + 1, "a tab indents this line: YAML "
                            "needs spaces, so indent with spaces only")
        if control := _CONTROL.search(line):
            char = control.group()
            if char in _SEPARATORS:
                raise YamlError(number, control.start() + 1,
                                f"the Unicode {_SEPARATORS[char]} U+{ord(char):04X} is not "
                                "allowed in a pledge (editors do not show it, but YAML "
                                "reads it as a new line): delete it")
            raise YamlError(number, control.start() + 1,
                            f"the control character U+{ord(char):04X} is not "
                            "allowed in a pledge: delete it")


def _long_key(text: str, line: int) -> YamlError | None:
    """libyaml's error for a key past MAX_KEY, said as it is, or None."""
    lines = _LINE_BREAK.split(text)
    if not 1 <= line <= len(lines):
        return None
    content = lines[line - 1]
    start = len(content) - len(content.lstrip(" -"))
    key = re.split(r":(?: |$)", content[start:], maxsplit=1)[0]
    if len(key) <= MAX_KEY:
        return None
    return YamlError(line, start + 1, f"this key is {len(key)} characters long; YAML allows "
                                      f"at most {MAX_KEY} in a key: a pledge's keys are "
                                      "field names such as 'name' or 'website'")


def parse(text: str, duplicates: list[YamlError] | None = None) -> Node:
    """Parse one YAML document into positioned nodes, or raise YamlError.

    A key given twice in one mapping raises too, unless `duplicates` is a list: then each
    repeat is appended there as its error, the first value is kept, and parsing goes on,
    so that a file's other problems can be reported in the same run."""
    _lint_text(text)
    try:
        return _Builder(text, duplicates).build()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = _pos(mark) if mark else (1, 1)
        began = _pos(error.context_mark) if error.context_mark else None
        problem = error.problem or error.context or "invalid YAML"
        if problem in _KEY_TOO_LONG_PROBLEMS and (long_key := _long_key(text, line)):
            raise long_key from None
        if error.context == "while scanning a quoted scalar" and began:
            raise YamlError(*began, "this quoted text is never closed: end it with the "
                                    "quote mark it starts with") from None
        raise YamlError(line, column,
                        f"this is not valid YAML: {problem}; check the indentation and "
                        "put text containing ': ' or '#' in quotes", began) from None
    except yaml.YAMLError as error:  # pragma: no cover - _lint_text catches reader errors
        raise YamlError(1, 1, f"this is not valid YAML: {error}") from None


# What libyaml says when a key is longer than it will look ahead for the ':'.
_KEY_TOO_LONG_PROBLEMS = frozenset({"could not find expected ':'",
                                    "mapping values are not allowed in this context"})
_ScalarEvent = yaml.ScalarEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_MappingEndEvent = yaml.MappingEndEvent


class _Builder:
    def __init__(self, text: str, duplicates: list[YamlError] | None = None) -> None:
        # PyYAML's event API: the events alone, nothing constructed or resolved. A
        # Loader's get_event (the interface yaml.parse drives) is called directly: a
        # pledge is some 30 events, and a generator step around each cost a sixth of
        # reading it.
        self.loader = _Loader(text)
        self.duplicates = duplicates
        self.nodes = 0
        self._next: Callable[[], Any] = self.loader.get_event

    def build(self) -> Node:
        try:
            return self._document()
        finally:
            self.loader.dispose()  # frees libyaml's parser, even when a refusal stops it

    def _document(self) -> Node:
        self._next()  # StreamStart
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):
            raise YamlError(1, 1, "the file holds no YAML document: start from the template "
                                  "in pledges/TEMPLATE.yaml.txt")
        root = self._node(self._next(), depth=1)
        self._next()  # DocumentEnd
        event = self._next()
        if not isinstance(event, yaml.StreamEndEvent):
            line, column = _pos(event.start_mark)
            raise YamlError(line, column, "the file holds more than one YAML document "
                                          "('---'): keep one pledge per file")
        return root

    def _node(self, event: Any, depth: int) -> Node:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError(line, column, f"the file has more than {MAX_NODES} values: "
                                          "a pledge is a short list of fields")
        if type(event) is _ScalarEvent and event.anchor is None and event.tag is None:
            # The common case, in short: what the checks below do for a plain scalar.
            text = event.value
            plain = event.implicit[0]
            return Scalar(line, column, text, plain, resolve_plain(text) if plain else text,
                          start=mark.index, end=_end(event), style=event.style or "")
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(line, column, f"aliases (*{event.anchor}) are not allowed: "
                                          "write the value out in full")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlError(line, column, f"anchors (&{anchor}) are not allowed: "
                                          "write each value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:  # only an explicit tag (`!!str`, `!!python/object`, `!`) sets it
            raise YamlError(line, column, f"YAML tags ({_shorten(tag)}) are not allowed: "
                                          "remove the tag; put the value in quotes if it "
                                          "is text")
        if isinstance(event, yaml.ScalarEvent):
            plain = event.implicit[0]  # untagged and unquoted: libyaml's "plain"
            value = resolve_plain(event.value) if plain else event.value
            return Scalar(line, column, event.value, plain, value, start=mark.index,
                          end=_end(event), style=event.style or "")
        if depth > MAX_DEPTH:
            raise YamlError(line, column, f"values are nested more than {MAX_DEPTH} levels "
                                          "deep: a pledge needs at most 2")
        if isinstance(event, yaml.SequenceStartEvent):
            flow = bool(event.flow_style)
            sequence = Sequence(line, column, start=mark.index, flow=flow)
            next_event, items = self._next, sequence.items
            while not isinstance(item := next_event(), _SequenceEndEvent):
                items.append(self._node(item, depth + 1))
            sequence.end = _end(item) if flow or not items else items[-1].end
            return sequence
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(line, column, depth, mark.index, bool(event.flow_style))
        raise YamlError(line, column, f"unexpected YAML {_describe(event)}")  # pragma: no cover

    def _mapping(self, line: int, column: int, depth: int, start: int, flow: bool) -> Mapping:
        mapping = Mapping(line, column, start=start, flow=flow)
        next_event, node = self._next, self._node
        last: Node | None = None
        while not isinstance(key_event := next_event(), _MappingEndEvent):
            key = node(key_event, depth + 1)
            value = last = node(next_event(), depth + 1)
            if not isinstance(key, Scalar):
                raise YamlError(key.line, key.column,
                                "keys must be plain names such as 'name' or 'website'")
            if key.plain and key.text == "<<":
                raise YamlError(key.line, key.column, "merge keys ('<<') are not allowed: "
                                                      "write each field out in full")
            if key.text in mapping.items:
                first = mapping.items[key.text][0]
                repeat = YamlError(key.line, key.column,
                                   f"'{_shorten(key.text)}' is given twice (first on line "
                                   f"{first.line}): keep one")
                if self.duplicates is None:
                    raise repeat
                self.duplicates.append(repeat)
                continue
            mapping.items[key.text] = (key, value)
        mapping.end = _end(key_event) if flow or last is None else last.end
        return mapping


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- a file that does not parse, read again entry by entry ----------------------------------
@dataclass(slots=True)
class Entries:
    """What a block mapping that does not parse as a whole still says: the fields whose
    entries read alone (`root`), one error for each entry that does not, and the names of
    the fields those entries would give (so none is said to be missing)."""

    root: Mapping
    errors: list[YamlError]
    failed: set[str]


# A line that starts an entry: text at the left margin that is not a comment, nor a list
# item (YAML lets a field's list start at its key's indentation).
_ENTRY_START = re.compile(r"[^\s#-]|-[^\s-]|--[^-]|---\S")
_DOCUMENT_MARK = re.compile(r"(?:---|\.\.\.)(?:\s|$)")
# A first line that holds a key and its ':' before any comment.
_FIELD_LINE = re.compile(r"[^#\n]*?:(?:\s|$)")
_NOT_BLOCK_STARTS = frozenset("[{%-")


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Each line as (its number, its offset, its text without the line break)."""
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for number, match in enumerate(_LINE_BREAK.finditer(text + "\n"), start=1):
        spans.append((number, offset, text[offset:match.start()]))
        offset = match.end()
        if offset > len(text):
            break
    return spans


def _chunks(text: str) -> list[tuple[int, int, int]] | None:
    """The top-level entries as (first line, offset, end offset), or None when the file
    does not start as a block mapping."""
    chunks: list[tuple[int, int, int]] = []
    began = False
    for number, offset, line in _spans(text):
        if not began and (not line.strip() or line.lstrip().startswith("#")
                          or line.partition(" #")[0].rstrip() == "---"):
            continue  # comments, and the start of the document
        if not began and (line[:1] in _NOT_BLOCK_STARTS or line[:1].isspace()
                          or _DOCUMENT_MARK.match(line)):
            return None
        began = True
        if _ENTRY_START.match(line) or _DOCUMENT_MARK.match(line):
            if chunks:
                chunks[-1] = (*chunks[-1][:2], offset)
            chunks.append((number, offset, len(text)))
    return chunks or None


def parse_entries(text: str) -> Entries | None:
    """Read a block mapping that does not parse as a whole again, one top-level entry at
    a time (its key line with the indented, blank and comment lines under it), each by
    `parse`; None when the file is not a block mapping or no entry reads as a field."""
    chunks = _chunks(text)
    if chunks is None:
        return None
    root: Mapping | None = None
    errors: list[YamlError] = []
    failed: set[str] = set()
    try:
        _lint_text(text[: chunks[0][1]])  # the comments above the first entry
    except YamlError as error:
        errors.append(error)
    nodes = 1
    for line, start, end in chunks:
        entry = text[start:end]
        if _DOCUMENT_MARK.match(entry):
            errors.append(YamlError(line, 1, "a '---' or '...' line ends the YAML document "
                                             "here: keep one pledge per file and delete "
                                             "this line"))
            continue
        found = _entry(entry, line, start, errors)
        if found is None:
            failed.add(_key_guess(entry))
            continue
        read, count = found
        nodes += count - 1  # its own mapping is the root
        if root is None:
            root = Mapping(read.line, read.column, start=read.start)
        for key, pair in read.items.items():
            if key in root.items:
                errors.append(YamlError(pair[0].line, pair[0].column,
                                        f"'{_shorten(key)}' is given twice (first on line "
                                        f"{root.items[key][0].line}): keep one"))
            else:
                root.items[key] = pair
        root.end = read.end
    if root is None or nodes > MAX_NODES:  # the limit holds for the file, not each entry
        return None
    return Entries(root, errors, failed)


def _entry(entry: str, line: int, start: int,
           errors: list[YamlError]) -> tuple[Mapping, int] | None:
    """One entry parsed alone, moved to its lines and offsets in the file, and how many
    nodes it holds; its one error appended to `errors` when it does not read as a field."""
    last = len(_LINE_BREAK.split(entry.rstrip()))  # its last line with text, from 1
    repeats: list[YamlError] = []
    try:
        node = parse(entry, repeats)
    except YamlError as error:
        if not _FIELD_LINE.match(entry):
            errors.append(_no_colon(line))
        else:
            context = error.context if error.context and error.context[0] <= last else None
            at, column = ((error.line, error.column) if error.line <= last else context) \
                or (last, 1)
            errors.append(YamlError(at + line - 1, column, error.message))
        return None
    if not isinstance(node, Mapping) or node.flow:
        errors.append(_no_colon(line))
        return None
    errors += [YamlError(r.line + line - 1, r.column, r.message) for r in repeats]
    return node, _shift(node, start, line - 1)


def _no_colon(line: int) -> YamlError:
    return YamlError(line, 1, "this line is not a field: write 'key: value' (a ':' and a "
                              "space after the key), or start a note with '#'")


def _key_guess(entry: str) -> str:
    """The field an entry that does not read was meant to give: its first word."""
    return re.split(r"[\s:]", entry.strip(), maxsplit=1)[0].strip("'\"")


def _shift(node: Node, offset: int, lines: int) -> int:
    """Move a node read alone (and its children) to where its text is in the file, by
    `offset` characters and `lines` lines; how many nodes it holds."""
    node.start += offset
    node.end += offset
    node.line += lines
    count = 1
    if isinstance(node, Sequence):
        for item in node.items:
            count += _shift(item, offset, lines)
    elif isinstance(node, Mapping):
        for key, value in node.items.values():
            count += _shift(key, offset, lines) + _shift(value, offset, lines)
    return count

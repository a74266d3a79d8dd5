"""Edit a pledge's YAML in place: only the lines an edit must touch change.

The life-cycle commands (update, withdraw, reaffirm, redact) change a few fields of a file
that a person wrote, with its comments, its order and its quoting. So nothing here
re-serialises the document: an edit replaces the text at the exact span that
model/yamlread.py reports for a value (after the key's ':' up to the value's last
character, so a comment after it stays), inserts a whole key line, or removes the whole
lines of a key. The file's line ends (LF, CRLF or CR) and its byte order mark are kept.

Values are written by an emitter, never pasted: a string is written plain only when the
reader reads that plain text back as the same string (so never as a number, a boolean,
null, a comment or another key), and otherwise double-quoted with JSON's escapes, which
YAML reads back exactly. Every edit is read back before it is returned: the edited value
must read as the value given, and every other field as it was, or EditError is raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence as Seq
from dataclasses import dataclass
from typing import Union

import yaml.resolver

from socialmission.model.constants import DATE_RE
from socialmission.model.yamlread import Mapping, Node, Scalar, Sequence, YamlError, parse

# What the writer writes: text, whole numbers, and lists and mappings of them.
Value = Union[str, int, list["Value"], dict[str, "Value"]]  # noqa: UP007 - a recursive alias
# Where a value is: the keys down to it, with an item's index (from 0, or -1 for the
# last) where a block list holds it, such as ("signed_again", -1, "withdrawn").
Path = Seq[str | int]

BOM = "\ufeff"
INDENT = 2  # spaces per nesting level in what the writer adds, as the template writes
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK = " \t\r\n"


class EditError(Exception):
    """The edit cannot be made to this text. The message says why and what to do."""


@dataclass(frozen=True)
class _Doc:
    bom: str  # "" or BOM
    body: str  # the text without its BOM
    newline: str
    root: Mapping


def _load(text: str) -> _Doc:
    bom = BOM if text.startswith(BOM) else ""
    body = text.removeprefix(BOM)
    try:
        root = parse(body)
    except YamlError as error:
        raise EditError(f"line {error.line}, column {error.column}: {error.message}") \
            from None
    if not isinstance(root, Mapping):
        raise EditError("the file does not hold a mapping of fields: fix it by hand first")
    if root.flow:
        raise EditError("the fields are written in one flow mapping ({...}): write one "
                        "field a line to edit the file with this command")
    found = _LINE_BREAK.search(body)
    return _Doc(bom, body, found.group() if found else "\n", root)


# --- reading values back -----------------------------------------------------------------
def plain_value(node: Node) -> object:
    """A node as Python data: a scalar's resolved value, lists and dicts of them."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [plain_value(item) for item in node.items]
    assert isinstance(node, Mapping)
    return {key: plain_value(value) for key, (_, value) in node.items.items()}


# --- emitting values ---------------------------------------------------------------------
# Characters a double-quoted scalar writes as escapes: the controls, line separators and
# byte order mark that the reader refuses raw (json.dumps escapes only U+0000-U+001F).
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def scalar(value: str | int) -> str:
    """A scalar as YAML that reads back as exactly `value` (an int as a number, a str as
    text): plain where that is safe, else double-quoted."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"only text and whole numbers are written, not {value!r}")
    if isinstance(value, int):
        return str(value)
    if _SURROGATE.search(value):
        raise EditError(f"{value!a} is not valid Unicode text (a lone surrogate, as "
                        "undecodable bytes give): give it as UTF-8 text")
    if value and _reads_back_plain(value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


_YAML11 = yaml.resolver.Resolver()
_YAML11_YN = frozenset("yYnN")  # booleans in the YAML 1.1 spec that PyYAML leaves as text


def _reads_back_plain(text: str) -> bool:
    """Whether `text`, unquoted, reads back as this string, here (YAML 1.2) and in YAML 1.1
    tools too, where `NO`, `on` and `1_000` are not text (a date may stay bare)."""
    if any(ch in text for ch in "\r\n\t") or text != text.strip() or text in _YAML11_YN:
        return False
    tag = _YAML11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag != _STR_TAG and not (tag == _TIMESTAMP_TAG and DATE_RE.match(text)):
        return False
    try:
        root = parse(f"k: {text}\n")
    except YamlError:
        return False
    if not isinstance(root, Mapping) or list(root.items) != ["k"]:
        return False
    node = root.items["k"][1]
    return isinstance(node, Scalar) and node.plain and node.value == text


def _is_scalar(value: Value) -> bool:
    return isinstance(value, str | int) or not value  # an empty list or dict is inline


def _inline(value: Value) -> str:
    if isinstance(value, list):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    return scalar(value)


def block_lines(value: Value, indent: int) -> list[str]:
    """A list or mapping as block YAML lines, its entries `indent` spaces in."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if _is_scalar(item):
                lines.append(f"{pad}{scalar(key)}: {_inline(item)}")
            else:
                lines += [f"{pad}{scalar(key)}:", *block_lines(item, indent + INDENT)]
        return lines
    assert isinstance(value, list)
    for item in value:
        if _is_scalar(item):
            lines.append(f"{pad}- {_inline(item)}")
        else:
            inner = block_lines(item, indent + INDENT)
            lines += [f"{pad}- {inner[0][indent + INDENT:]}", *inner[1:]]
    return lines


def _after_colon(newline: str, value: Value, indent: int) -> str:
    """What follows a key's ':' for `value`: ' scalar', or the block lines below it."""
    if _is_scalar(value):
        return f" {_inline(value)}"
    return newline + newline.join(block_lines(value, indent + INDENT))


# --- spans ----------------------------------------------------------------------------------
def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, pos: int) -> int:
    """The offset just after the line break of the line holding `pos` (or the text's end)."""
    found = _LINE_BREAK.search(text, pos)
    return found.end() if found else len(text)


def _content_end(text: str, node: Node) -> int:
    """Where a value's own text ends: a block scalar's or block collection's end without
    the line breaks and spaces libyaml counts into it."""
    end = node.end
    while end > node.start and text[end - 1] in _BLANK:
        end -= 1
    return end


def _colon(text: str, key: Scalar) -> int:
    """The offset just after the ':' that follows a key."""
    at = key.end
    while at < len(text) and text[at] in " \t":
        at += 1
    if at >= len(text) or text[at] != ":":
        raise EditError(f"line {key.line}: the key '{key.text}' is not followed by ':' on "
                        "its line: write it as 'key: value' to edit it with this command")
    return at + 1


def _dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _node_at(root: Mapping, path: Path) -> Node:
    """The node at `path`: a key of a mapping, or an item of a block list by its index."""
    node: Node = root
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, Sequence) or not -len(node.items) <= part < len(node.items):
                raise EditError(f"there is no '{_dotted(path)}' to edit")
            if node.flow:
                raise EditError(f"'{_dotted(path)}' is in a list written in flow style "
                                "([...]): write it one item a line to edit it with this "
                                "command")
            node = node.items[part]
        elif not isinstance(node, Mapping) or part not in node.items:
            raise EditError(f"there is no '{_dotted(path)}' to edit")
        else:
            node = node.items[part][1]
    return node


def _mapping_at(root: Mapping, path: Path) -> Mapping:
    node = _node_at(root, path)
    if not isinstance(node, Mapping):
        raise EditError(f"'{_dotted(path)}' is not a mapping of keys")
    return node


# --- edits ----------------------------------------------------------------------------------
def set_value(text: str, path: Path, value: Value, order: Seq[str] = ()) -> str:
    """`text` with the key at `path` (such as ("name",), ("social", "mastodon") or
    ("signed_again", -1, "withdrawn")) set to `value`: in place when the key is there,
    else as a new line placed by `order` (the keys in the order the file should give
    them; unknown ones go last)."""
    doc = _load(text)
    parents, key = _split(path)
    mapping = _mapping_at(doc.root, parents)
    if mapping.flow:
        raise EditError(f"'{_dotted(parents)}' is written in flow style ({{...}}): write "
                        "it one key a line to edit it with this command")
    body = doc.body
    if key in mapping.items:
        key_node, node = mapping.items[key]
        start = _colon(body, key_node)
        end = _content_end(body, node) if not _is_empty(node) else start
        indent = _line_indent(body, key_node)
        new = body[:start] + _after_colon(doc.newline, value, indent) + body[end:]
    else:
        new = _insert(doc, mapping, key, value, order)
    _check(doc, new, path, value)
    return doc.bom + new


def _is_empty(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.text == ""


def _line_indent(text: str, key: Scalar) -> int:
    """The column (0-based) where a key's own entry starts: its key's column."""
    return key.column - 1


def _insert(doc: _Doc, mapping: Mapping, key: str, value: Value, order: Seq[str]) -> str:
    body, newline = doc.body, doc.newline
    present = list(mapping.items)
    if not present:
        raise EditError("the mapping to add to is empty: write its first key by hand")
    indent = next(iter(mapping.items.values()))[0].column - 1
    rank = {name: number for number, name in enumerate(order)}
    mine = rank.get(key, len(rank))
    before = [name for name in present if rank.get(name, len(rank)) <= mine]
    line = " " * indent + f"{scalar(key)}:{_after_colon(newline, value, indent)}"
    if before:
        _, last = mapping.items[before[-1]]
        at = _line_end(body, _content_end(body, last))
        head = body[:at]
        if head and not _LINE_BREAK.search(head[-1]):
            head += newline
        return head + line + newline + body[at:]
    first_key = mapping.items[present[0]][0]
    at = _line_start(body, first_key.start)
    if body[at:first_key.start].strip(" "):
        raise EditError(f"line {first_key.line}: '{first_key.text}' does not start its "
                        "line: write one key a line to edit the file with this command")
    return body[:at] + line + newline + body[at:]


def _split(path: Path) -> tuple[Path, str]:
    """The path to the mapping that holds the key, and the key."""
    *parents, key = path
    if not isinstance(key, str):
        raise TypeError(f"a path ends with a key, not an index: {path!r}")
    return parents, key


def remove_value(text: str, path: Path) -> str:
    """`text` without the key at `path` and its value: their whole lines go. A key that
    is not there leaves the text as it is."""
    doc = _load(text)
    parents, key = _split(path)
    mapping = _mapping_at(doc.root, parents)
    if key not in mapping.items:
        return text
    if mapping.flow:
        raise EditError(f"'{_dotted(parents)}' is written in flow style ({{...}}): write "
                        "it one key a line to edit it with this command")
    body = doc.body
    key_node, node = mapping.items[key]
    start = _line_start(body, key_node.start)
    if body[start:key_node.start].strip(" "):
        raise EditError(f"line {key_node.line}: '{key}' does not start its line: write one "
                        "key a line to edit it with this command")
    if len(mapping.items) == 1:
        raise EditError(f"'{key}' is the only key of '{_dotted(parents)}': remove "
                        f"'{_dotted(parents)}' instead" if parents else
                        f"'{key}' is the file's only field: a pledge cannot be emptied")
    end = _line_end(body, _content_end(body, node) if not _is_empty(node) else
                    key_node.end)
    new = body[:start] + body[end:]
    _check(doc, new, path, None)
    return doc.bom + new


def append_item(text: str, path: Path, value: Value) -> str:
    """`text` with `value` added as the last item of the block list at `path`, in lines
    of its own after the list's last item (the items before it stay byte for byte)."""
    doc = _load(text)
    listed = _node_at(doc.root, path)
    if not isinstance(listed, Sequence) or not listed.items:
        raise EditError(f"'{_dotted(path)}' is not a list of items")
    if listed.flow:
        raise EditError(f"'{_dotted(path)}' is written in flow style ([...]): write it one "
                        "item a line to edit it with this command")
    body, first, last = doc.body, listed.items[0], listed.items[-1]
    dash = body.rfind("-", _line_start(body, first.start), first.start)
    if dash < 0 or body[_line_start(body, first.start):dash].strip(" "):
        raise EditError(f"line {first.line}: the first item of '{_dotted(path)}' does not "
                        "start its line with '- ': write one item a line to edit it here")
    at = _line_end(body, _content_end(body, last))
    head = body[:at]
    if head and not _LINE_BREAK.search(head[-1]):
        head += doc.newline
    lines = block_lines([value], dash - _line_start(body, dash))
    new = head + doc.newline.join(lines) + doc.newline + body[at:]
    expected = plain_value(doc.root)
    held = _plain_at(expected, path)
    assert isinstance(held, list)
    held.append(value)
    _read_back(new, expected, path)
    return doc.bom + new


def _plain_at(data: object, path: Path) -> object:
    """The part of plain data (plain_value's) at `path`, which _node_at found."""
    for part in path:
        if isinstance(part, int):
            assert isinstance(data, list)
            data = data[part]
        else:
            assert isinstance(data, dict)
            data = data[part]
    return data


def _check(doc: _Doc, new: str, path: Path, value: Value | None) -> None:
    """Read the edit back: the key at `path` holds `value` (None: it is gone) and every
    other value of the file reads as it did."""
    expected = plain_value(doc.root)
    parents, key = _split(path)
    target = _plain_at(expected, parents)
    assert isinstance(target, dict)
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    _read_back(new, expected, path)


def _read_back(new: str, expected: object, path: Path) -> None:
    """The edited text reads as `expected`, or EditError."""
    try:
        root = parse(new)
    except YamlError as error:  # pragma: no cover - the emitter writes valid YAML
        raise EditError(f"the edit would not be valid YAML ({error.message}): nothing was "
                        "changed") from None
    if plain_value(root) != expected:
        # Such as an indented comment that, once the key between them is gone, would be
        # read as part of the block text above it.
        raise EditError(f"changing '{_dotted(path)}' here would change how the lines "
                        "around it read: edit this file by hand")


EDITOR_COMMENT = "# yaml-language-server:"  # the first line that gives editors the schema
_TRAILING_COMMENT = re.compile(r"[ \t]+#.*$")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|(?<=[^\r\n])$)")  # a line and its break


def strip_comments(text: str) -> str:
    """`text` without its comments (whole comment lines and comments after a value), but
    for an editor's schema line at the top; for a redaction, since a comment is free text
    that may name whoever is being removed. Refused (EditError) when a '#' is part of a
    value, such as inside quotes."""
    doc = _load(text)
    kept: list[str] = []
    for number, found in enumerate(_LINE.finditer(doc.body)):
        content, end = found.group(1), found.group(2)
        if content.lstrip(" ").startswith("#"):
            if number == 0 and content.startswith(EDITOR_COMMENT):
                kept.append(content + end)
            continue
        kept.append(_TRAILING_COMMENT.sub("", content) + end)
    new = "".join(kept)
    try:
        same = plain_value(parse(new)) == plain_value(doc.root)
    except YamlError:
        same = False
    if not same:
        raise EditError("a '#' here is part of a value, not a comment: remove the "
                        "comments by hand")
    return doc.bom + new

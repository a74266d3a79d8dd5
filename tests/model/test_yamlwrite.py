"""The in-place YAML writer: an edit changes only the lines it must, and reads back exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialmission.model.yamlread import Mapping, parse
from socialmission.model.yamlwrite import (
    EditError,
    Value,
    append_item,
    plain_value,
    remove_value,
    scalar,
    set_value,
)

LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines(text: str) -> list[str]:
    return LINES.findall(text.removeprefix("\ufeff"))


def read(text: str) -> dict[str, object]:
    root = parse(text.removeprefix("\ufeff"))
    assert isinstance(root, Mapping)
    value = plain_value(root)
    assert isinstance(value, dict)
    return value


# --- examples -----------------------------------------------------------------------------
SAMPLE = ("\ufeff# yaml-language-server: $schema=x\r\n"
          "name: 'Old Name'   # the name we use\r\n"
          "statement: >-\r\n  We signed\r\n  long ago.\r\n\r\n"
          "social: {mastodon: 'https://a.example/@x'}\r\n"
          "maintainers: [harbour]\r\n"
          "# the end\r\n")


def test_a_value_is_replaced_in_place_keeping_its_comment_bom_and_crlf() -> None:
    edited = set_value(SAMPLE, ["name"], "New: #1")
    assert edited == SAMPLE.replace("'Old Name'", '"New: #1"')


def test_a_block_scalar_becomes_one_line_and_the_rest_stays() -> None:
    edited = set_value(SAMPLE, ["statement"], "Today.")
    assert edited == SAMPLE.replace(">-\r\n  We signed\r\n  long ago.", "Today.")


def test_a_new_key_goes_where_the_order_puts_it_with_the_files_line_ends() -> None:
    edited = set_value(SAMPLE, ["country"], "NO", ["name", "country", "statement"])
    assert edited == SAMPLE.replace("name we use\r\n", 'name we use\r\ncountry: "NO"\r\n')
    last = set_value(SAMPLE, ["status"], "withdrawn", ["name", "maintainers", "status"])
    assert last == SAMPLE.replace("[harbour]\r\n", "[harbour]\r\nstatus: withdrawn\r\n")


def test_removing_a_key_removes_its_whole_lines() -> None:
    assert remove_value(SAMPLE, ["statement"]) == SAMPLE.replace(
        "statement: >-\r\n  We signed\r\n  long ago.\r\n", "")
    assert remove_value(SAMPLE, ["country"]) == SAMPLE


def test_a_block_list_of_mappings_is_written_as_the_template_writes_it() -> None:
    text = "name: x\nmaintainers:\n  - login: a\n    id: 1  # me\nkind: individual\n"
    edited = set_value(text, ["maintainers"], [{"login": "b", "id": 2}, {"login": "c", "id": 3}])
    assert edited == ("name: x\nmaintainers:\n  - login: b\n    id: 2\n  - login: c\n"
                      "    id: 3  # me\nkind: individual\n")


def test_a_key_in_a_block_mapping_is_set_and_added_in_place() -> None:
    text = "social:\n  mastodon: https://a.example/@x # mine\nname: x\n"
    assert set_value(text, ["social", "mastodon"], "https://b.example/@y") == \
        "social:\n  mastodon: https://b.example/@y # mine\nname: x\n"
    assert set_value(text, ["social", "x"], "https://x.com/me", ["mastodon", "x"]) == \
        "social:\n  mastodon: https://a.example/@x # mine\n  x: https://x.com/me\nname: x\n"


def test_an_empty_value_is_filled_in() -> None:
    assert set_value("name:\nkind: x\n", ["name"], "A") == "name: A\nkind: x\n"
    assert remove_value("name:\nkind: x\n", ["name"]) == "kind: x\n"


def test_a_file_without_a_final_line_break_gets_one_before_a_new_line() -> None:
    assert set_value("name: a", ["kind"], "b", ["name", "kind"]) == "name: a\nkind: b\n"


# A pledge signed again: its later signatures, each a mapping in a block list.
AGAIN = ("signed: 2024-05-16\nstatus: withdrawn\nwithdrawn: 2025-01-31\n"
         "signed_again:\n  - signed: 2025-06-01  # back\n    mission_version: 1\n"
         "# kept\nredacted: 2026-01-01\n")


def test_a_key_in_a_list_item_is_set_added_and_removed_by_its_index() -> None:
    order = ["signed", "mission_version", "withdrawn"]
    added = set_value(AGAIN, ["signed_again", -1, "withdrawn"], "2025-09-01", order)
    assert added == AGAIN.replace("    mission_version: 1\n",
                                  "    mission_version: 1\n    withdrawn: 2025-09-01\n")
    assert set_value(added, ["signed_again", 0, "withdrawn"], "2025-10-01") == \
        added.replace("2025-09-01", "2025-10-01")
    assert remove_value(added, ["signed_again", 0, "withdrawn"]) == AGAIN
    with pytest.raises(EditError, match=r"no 'signed_again\.1' to edit"):
        set_value(AGAIN, ["signed_again", 1, "withdrawn"], "2025-09-01")


def test_an_item_is_appended_after_the_last_and_the_others_stay() -> None:
    crlf = ("\ufeff" + AGAIN).replace("\n", "\r\n")
    appended = append_item(crlf, ["signed_again"], {"signed": "2026-02-01",
                                                    "mission_version": 1})
    assert appended == crlf.replace("1\r\n# kept", "1\r\n  - signed: 2026-02-01\r\n"
                                                    "    mission_version: 1\r\n# kept")
    flush = "a:\n- 1\n- 2  # two\nb: x"
    assert append_item(flush, ["a"], 3) == "a:\n- 1\n- 2  # two\n- 3\nb: x"


@pytest.mark.parametrize(("text", "says"), [
    ("a: [1, 2]\n", "flow style"), ("a: 1\n", "not a list"), ("a: []\n", "not a list"),
    ("a: {b: [1]}\n", "flow style"), ("b: 1\n", "no 'a'"),
])
def test_an_item_is_appended_only_to_a_block_list(text: str, says: str) -> None:
    with pytest.raises(EditError, match=says):
        append_item(text, ["a"] if "{" not in text else ["a", "b"], 3)


@pytest.mark.parametrize("text", ["{name: a}\n", "- a\n", "name: [\n"])
def test_what_cannot_be_edited_in_place_is_refused(text: str) -> None:
    with pytest.raises(EditError):
        set_value(text, ["name"], "b")


def test_an_edit_that_would_change_the_lines_around_it_is_refused() -> None:
    text = "name: |\n  A\nkind: b\n  # indented\nwebsite: c\n"
    with pytest.raises(EditError, match="lines around it"):
        remove_value(text, ["kind"])


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(EditError, match="surrogate"):
        scalar("\udcff")


HOSTILE = ["NO", "yes", "on", "~", "null", "", " x", "x ", "1_000", "0x1F", "1e3", ".inf",
           "a: b", "a #b", "#c", "- d", "[e]", "{f: g}", "&h", "*i", "!j", "%k", "@l", "`m",
           "'n", '"o', "|", ">-", "? p", "---", "...", "line\nbreak", "tab\tx", "\u2028",
           "\x85", "\ufeff", "\x00", "\\", "é😀", "\u202e", "key: value\nother: 1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_string_reads_back_as_the_same_string_and_adds_no_key(value: str) -> None:
    edited = set_value("name: a\nkind: b\n", ["name"], value)
    assert read(edited) == {"name": value, "kind": "b"}


@pytest.mark.parametrize("value", ["NO", "on", "1_000", "y"])
def test_what_yaml_1_1_reads_otherwise_is_quoted(value: str) -> None:
    assert scalar(value).startswith('"')


# --- properties -----------------------------------------------------------------------------
KEYS = ["name", "kind", "website", "signed", "statement", "social", "maintainers", "logo",
        "country", "status"]
WORD = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF,
                             blacklist_categories=["Cc"]), min_size=1, max_size=12)
SAFE = st.from_regex(r"[A-Za-z][A-Za-z0-9 .é-]{0,10}[A-Za-z]", fullmatch=True)
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)


def _styled_scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        SAFE, st.integers(0, 9999).map(str),
        WORD.map(lambda w: "'" + w.replace("'", "''") + "'"),
        WORD.map(lambda w: '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'))


def _styled_value(newline: str) -> st.SearchStrategy[str]:
    """What follows 'key:' on its line, in one of several styles."""
    block = st.lists(SAFE, min_size=1, max_size=3)
    return st.one_of(
        _styled_scalar().map(lambda s: " " + s),
        block.map(lambda ws: " |" + newline + newline.join("  " + w for w in ws)),
        block.map(lambda ws: " >-" + newline + newline.join("  " + w for w in ws)),
        st.lists(SAFE, max_size=3).map(lambda ws: " [" + ", ".join(ws) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), SAFE), max_size=3,
                 unique_by=lambda kv: kv[0]).map(
            lambda kvs: " {" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"),
        st.lists(_styled_scalar(), min_size=1, max_size=3).map(
            lambda ws: newline + newline.join("  - " + w for w in ws)),
        st.lists(st.tuples(st.sampled_from(["login", "id", "x"]), _styled_scalar()),
                 min_size=1, max_size=3, unique_by=lambda kv: kv[0]).map(
            lambda kvs: newline + newline.join(f"    {k}: {v}" for k, v in kvs)
            .replace("    ", "  - ", 1)),
    )


@st.composite
def documents(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    out = []
    if draw(st.booleans()):
        out.append("# a comment" + newline)
    for key in keys:
        value = draw(_styled_value(newline))
        comment = draw(st.sampled_from(["", "  # note", " # é"]))
        if value.startswith((" |", " >")):
            comment = ""  # a comment after a block scalar's last line would be its text
        out.append(f"{key}:{value}{comment}{newline}")
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["", "# between", "  # indented"])) + newline)
    text = "".join(out)
    return ("\ufeff" if draw(st.booleans()) else "") + text


NEW_VALUES: st.SearchStrategy[Value] = st.one_of(
    ANY_TEXT, st.integers(0, 10**6),
    st.lists(st.one_of(ANY_TEXT, st.fixed_dictionaries({"login": SAFE,
                                                        "id": st.integers(1, 10**8)})),
             max_size=3),
    st.dictionaries(st.sampled_from(["mastodon", "x", "NO"]), ANY_TEXT, max_size=3))


def _entry_lines(text: str, key: str) -> tuple[int, int]:
    """The 0-based range of lines [first, last] that a top-level key's entry takes."""
    body = text.removeprefix("\ufeff")
    root = parse(body)
    assert isinstance(root, Mapping)
    key_node, node = root.items[key]
    end = node.end
    while end > node.start and body[end - 1] in " \r\n":
        end -= 1
    last = len(lines(body[:max(end, key_node.end)])) - 1
    return key_node.line - 1, last


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(documents(), st.data())
def test_setting_a_key_changes_only_its_lines(text: str, data: st.DataObject) -> None:
    before = read(text)
    key = data.draw(st.sampled_from(list(before)))
    value = data.draw(NEW_VALUES)
    edited = set_value(text, [key], value, KEYS)
    assert edited.startswith("\ufeff") == text.startswith("\ufeff")
    assert read(edited) == {**before, key: value}
    first, last = _entry_lines(text, key)
    old, new = lines(text), lines(edited)
    assert new[:first] == old[:first]
    tail = old[last + 1:]
    assert new[len(new) - len(tail):] == tail
    newline = "\r\n" if "\r\n" in text else "\n"
    assert all(line.endswith(newline) for line in new)


@PROPERTY
@given(documents(), st.data())
def test_adding_a_key_inserts_lines_and_keeps_every_other(text: str,
                                                          data: st.DataObject) -> None:
    before = read(text)
    missing = [k for k in KEYS if k not in before]
    if not missing:
        return
    key = data.draw(st.sampled_from(missing))
    value = data.draw(NEW_VALUES)
    edited = set_value(text, [key], value, KEYS)
    assert read(edited) == {**before, key: value}
    old, new = lines(text), lines(edited)
    added = len(new) - len(old)
    assert added >= 1
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    assert new[:at] + new[at + added:] == old


@PROPERTY
@given(documents(), st.data())
def test_removing_a_key_removes_only_its_lines(text: str, data: st.DataObject) -> None:
    before = read(text)
    key = data.draw(st.sampled_from(list(before)))
    if len(before) == 1:
        with pytest.raises(EditError, match="only field"):
            remove_value(text, [key])
        return
    try:
        edited = remove_value(text, [key])
    except EditError as error:  # an indented comment would join a block scalar above
        assert "lines around it" in str(error)
        assert "  # indented" in text
        return
    after = dict(before)
    del after[key]
    assert read(edited) == after
    first, last = _entry_lines(text, key)
    old = lines(text)
    assert lines(edited) == old[:first] + old[last + 1:]


@PROPERTY
@given(documents(), st.data())
def test_appending_an_item_inserts_lines_and_keeps_every_other(text: str,
                                                               data: st.DataObject) -> None:
    before = read(text)
    listed = [k for k, v in before.items() if isinstance(v, list) and v]
    if not listed:
        return
    key = data.draw(st.sampled_from(listed))
    value = data.draw(NEW_VALUES)
    root = parse(text.removeprefix("\ufeff"))
    assert isinstance(root, Mapping)
    if getattr(root.items[key][1], "flow", False):
        with pytest.raises(EditError, match="flow style"):
            append_item(text, [key], value)
        return
    edited = append_item(text, [key], value)
    held = before[key]
    assert isinstance(held, list)
    assert read(edited) == {**before, key: [*held, value]}
    old, new = lines(text), lines(edited)
    added = len(new) - len(old)
    assert added >= 1
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    assert new[:at] + new[at + added:] == old
    newline = "\r\n" if "\r\n" in text else "\n"
    assert all(line.endswith(newline) for line in new)

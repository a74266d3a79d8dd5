"""The YAML reader refuses every risky feature with a positioned message, and never raises
anything but YamlError."""

from __future__ import annotations

import math

import pytest

from socialmission.model.yamlread import Mapping, Scalar, Sequence, YamlError, parse, resolve_plain


def error_of(text: str) -> tuple[int, int, str]:
    with pytest.raises(YamlError) as caught:
        parse(text)
    return caught.value.line, caught.value.column, caught.value.message


def test_values_keep_their_positions() -> None:
    root = parse("name: Acme\nmaintainers:\n  - a\n  - b\n")
    assert isinstance(root, Mapping)
    key, value = root.items["maintainers"]
    assert (key.line, key.column) == (2, 1)
    assert isinstance(value, Sequence)
    assert [(i.line, i.column) for i in value.items] == [(3, 5), (4, 5)]


@pytest.mark.parametrize(("text", "expected"), [
    # YAML 1.2 core schema: what editors and JSON Schema tools read.
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("on", "on"), ("y", "y"),
    ("true", True), ("False", False), ("", None), ("~", None), ("null", None),
    ("12", 12), ("0x1F", 31), ("0o17", 15), ("1.5", 1.5), ("2024-01-02", "2024-01-02"),
    ("1_000", "1_000"), ("012", 12), ("9" * 41, "9" * 41),
])
def test_plain_scalars_resolve_by_yaml_1_2(text: str, expected: object) -> None:
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


@pytest.mark.parametrize(("text", "expected"), [
    (".inf", math.inf), ("+.Inf", math.inf), ("-.INF", -math.inf), (".5", 0.5), ("1.e2", 100.0),
])
def test_infinities_are_numbers_not_a_crash(text: str, expected: float) -> None:
    # '.inf' once raised ValueError out of the validator: float() spells it 'inf'
    assert resolve_plain(text) == expected
    root = parse(f"mission_version: {text}\n")
    assert isinstance(root, Mapping)
    assert root.items["mission_version"][1] == Scalar(1, 18, text, True, expected, start=17,
                                                      end=17 + len(text))


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_not_a_number_is_a_number(text: str) -> None:
    assert math.isnan(resolve_plain(text))


def test_quoted_scalars_are_always_text() -> None:
    root = parse('a: "1"\nb: \'true\'\nc: NO\n')
    assert isinstance(root, Mapping)
    values = {k: v.value for k, (_, v) in root.items.items() if isinstance(v, Scalar)}
    assert values == {"a": "1", "b": "true", "c": "NO"}


@pytest.mark.parametrize(("text", "expected"), [
    # duplicate keys: PyYAML would keep the last one silently
    ("name: a\nname: b\n", (2, 1, "'name' is given twice (first on line 1): keep one")),
    # anchors and aliases: exponential expansion ("billion laughs")
    ("a: &x [1, 2]\nb: *x\n",
     (1, 4, "anchors (&x) are not allowed: write each value out in full")),
    ("a: *x\n", (1, 4, "aliases (*x) are not allowed: write the value out in full")),
    # tags: arbitrary object construction
    ("a: !!python/object/apply:os.system ['id']\n",
     (1, 4, "YAML tags (tag:yaml.org,2002:python/object/apply:o…) are not allowed: "
            "remove the tag; put the value in quotes if it is text")),
    ("a: !!str 5\n", (1, 4, "YAML tags (tag:yaml.org,2002:str) are not allowed: remove the "
                            "tag; put the value in quotes if it is text")),
    ("<<: {name: a}\n", (1, 1, "merge keys ('<<') are not allowed: write each field out in "
                               "full")),
    ("a: 1\n---\nb: 2\n", (2, 1, "the file holds more than one YAML document ('---'): keep "
                                 "one pledge per file")),
    ("# just a comment\n", (1, 1, "the file holds no YAML document: start from the template "
                                  "in pledges/TEMPLATE.yaml.txt")),
    ("a:\n\t- b\n", (2, 1, "a tab indents this line: YAML needs spaces, so indent with "
                           "spaces only")),
    ("a: b\x07\n", (1, 5, "the control character U+0007 is not allowed in a pledge: "
                          "delete it")),
    # lines as editors count them: libyaml breaks lines at U+2028 and U+2029 too
    ('name: "a\u2028b"\nkind: [\n', (1, 9, "the Unicode line separator U+2028 is not "
                                           "allowed in a pledge (editors do not show it, "
                                           "but YAML reads it as a new line): delete it")),
    ("a: 1\nb: x\u2029y\n", (2, 5, "the Unicode paragraph separator U+2029 is not allowed "
                                   "in a pledge (editors do not show it, but YAML reads "
                                   "it as a new line): delete it")),
    ("a: 1\rb: \x07\n", (2, 4, "the control character U+0007 is not allowed in a pledge: "
                              "delete it")),
    ("a: 1\r\nb: [\n", (3, 1, "this is not valid YAML: did not find expected node "
                             "content; check the indentation and put text containing ': ' "
                             "or '#' in quotes")),
    # keys past libyaml's 1,024 characters
    ("k" * 1025 + ": x\n", (1, 1, "this key is 1025 characters long; YAML allows at most "
                                  "1024 in a key: a pledge's keys are field names such as "
                                  "'name' or 'website'")),
    ("name: x\nsocial:\n  " + "k" * 1100 + ": x\n",
     (3, 3, "this key is 1100 characters long; YAML allows at most 1024 in a key: a "
            "pledge's keys are field names such as 'name' or 'website'")),
    ("a: [" * 10 + "]" * 10, (1, 17, "values are nested more than 8 levels deep: a pledge "
                                     "needs at most 2")),
    ("? [a, b]\n: 1\n", (1, 3, "keys must be plain names such as 'name' or 'website'")),
    ("a: b: c\n", (1, 5, "this is not valid YAML: mapping values are not allowed in this "
                         "context; check the indentation and put text containing ': ' or "
                         "'#' in quotes")),
])
def test_risky_yaml_is_refused_where_it_stands(text: str, expected: tuple[int, int, str]) -> None:
    assert error_of(text) == expected


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    assert error_of("\n".join(lines))[:2] == (1, 5)


def test_too_many_values_are_refused() -> None:
    text = "a: [" + ", ".join(["1"] * 3000) + "]\n"
    _, _, message = error_of(text)
    assert message == "the file has more than 2000 values: a pledge is a short list of fields"


def test_a_key_of_1024_characters_is_still_read() -> None:
    root = parse("k" * 1024 + ": x\n")
    assert isinstance(root, Mapping) and list(root.items) == ["k" * 1024]

"""Forgiving answers, strict files: one normaliser a field (check/answers.py), the same on
every route that takes typed answers: `new`'s flags and prompts, the sign form and the
change form. Each case is typed on each route, and the file holds the strict value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import NAME_FITS, TODAY, Registry
from forms_support import body as sign_body
from socialmission.changes.changeform import read_change
from socialmission.changes.issueform import submit
from socialmission.changes.lifecycle import Registry as Lifecycle
from socialmission.changes.new import run_new
from socialmission.check import answers
from socialmission.cli import build_parser, main
from socialmission.model import fields
from socialmission.model.yamlread import Mapping, Scalar, parse

EVENTS = Path(__file__).parent.parent / "data" / "events"
AUTHOR = ("octo-cat", 42)
SITE = "https://zoe.example.com/"  # the website on every route, so an announcement fits it

# (field, as typed, as the file holds it)
UNDERSTOOD = [
    ("country", "gb", "GB"),
    ("country", "uk", "GB"),
    ("country", "United Kingdom", "GB"),
    ("country", "  britain ", "GB"),  # the start of a word in one country's names only
    ("country", "viet nam", "VN"),
    ("country", "Vietnam", "VN"),  # its common name
    ("country", "cote d'ivoire", "CI"),  # without its accent
    ("country", "deu", "DE"),  # its three-letter code
    ("country", "England", "GB"),  # a name ISO does not give, declared beside the others
    ("kind", "Organisation", "organisation"),
    ("kind", "PERSON", "individual"),
    ("sector", "Media", "media"),
    ("sector", "arts and culture", "arts-and-culture"),
    ("website", "zoe.example.com", SITE),
    ("statement_url", "zoe.example.com/news/we-signed", f"{SITE}news/we-signed"),
]
KOREA = ("'country' 'Korea' may mean KP (Korea, Democratic People's Republic of) or KR "
         "(Korea, Republic of): give the code of the one you mean")
# (field, as typed, what is said): ambiguous, or not understood and refused by the rule
# (those two refused before there were normalisers too: they show nothing is let through)
REFUSED = [
    ("country", "Korea", KOREA),
    ("country", "Narnia", "'country' must be an ISO 3166-1 alpha-2 country code such as "
                          "'GB' or 'NO': got 'Narnia'"),
    ("website", "http://zoe.example.com/", "'website' uses the scheme 'http'"),
]
TITLES = {name: fields.FIELDS[[f.name for f in fields.FIELDS].index(name)].title
          for name in fields.FORM_FIELDS}


def held(text: str, key: str) -> object:
    """The value the written pledge holds for `key`, read back."""
    root = parse(text)
    assert isinstance(root, Mapping)
    node = root.items[key][1]
    assert isinstance(node, Scalar)
    return node.value


def test_each_normaliser_is_a_fields_and_says_what_it_accepts() -> None:
    names = {field.name for field in fields.FIELDS}
    for key, reader in answers.NORMALISERS.items():
        assert key in names and reader.__doc__, key


# --- new, by flags ----------------------------------------------------------------------------
def new_flags(key: str, typed: str) -> list[str]:
    given = {"name": "Zoë Example", "kind": "individual", "website": SITE,
             "maintainers": "zoe:1", key: typed}
    return [item for name, value in given.items() for item in (f"--{name.replace('_', '-')}",
                                                                value)] + ["--no-input"]


@pytest.mark.parametrize(("key", "typed", "value"), UNDERSTOOD)
def test_new_flags_take_forgiving_answers(registry: Registry, key: str, typed: str,
                                          value: str) -> None:
    assert main(["--root", str(registry.root), "new", *new_flags(key, typed)]) == 0
    assert held((registry.pledges / "zoe-example.yaml").read_text(encoding="utf-8"),
                key) == value


@pytest.mark.parametrize(("key", "typed", "says"), REFUSED)
def test_new_flags_refuse_what_they_cannot_read_once(
        registry: Registry, capsys: pytest.CaptureFixture[str], key: str, typed: str,
        says: str) -> None:
    assert main(["--root", str(registry.root), "new", *new_flags(key, typed)]) == 2
    err = capsys.readouterr().err
    assert err.count(says) == 1, err
    assert f"--{key}: {says}" in err
    assert list(registry.pledges.glob("*.yaml")) == []


def test_without_prompts_every_refused_flag_is_said_once(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*new_flags("country", "Korea"), "--sector", "food", "--website", "http://z.org"]
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.removeprefix("socialmission: ").split(":")[0] for line in lines] == [
        "--website", "--country", "--sector"]  # in the order asked, each once
    assert lines[1] == f"--country: {KOREA}"
    assert list(registry.pledges.glob("*.yaml")) == []


# --- new, by prompts --------------------------------------------------------------------------
PROMPTS = {"name": "Name to show", "kind": "Kind", "website": "Website",
           "country": "Country", "sector": "Sector", "statement_url": "Page on your website"}
DEFAULTS = {"Name to show": "Zoë Example", "Kind": "individual", "Website": SITE,
            "GitHub accounts": "zoe:1", "Write ": "yes"}


def scripted(key: str, typed: str, asked: list[str]) -> Callable[[str], str]:
    """Answers to `new`'s prompts: `typed` the first time `key` is asked, else the
    defaults (Enter for the rest); each prompt goes to `asked`."""
    def ask(prompt: str) -> str:
        asked.append(prompt)
        question = prompt.splitlines()[-1]
        if question.startswith(PROMPTS[key]) and not any(
                p.splitlines()[-1].startswith(PROMPTS[key]) for p in asked[:-1]):
            return typed
        return next((text for start, text in DEFAULTS.items() if question.startswith(start)),
                    "")
    return ask


def prompted(registry: Registry, monkeypatch: pytest.MonkeyPatch, key: str,
             typed: str) -> tuple[int, list[str]]:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []
    code = run_new(build_parser().parse_args(["new"]), registry.pledges, registry.mission,
                   NAME_FITS, ask=scripted(key, typed, asked))
    return code, asked


@pytest.mark.parametrize(("key", "typed", "value"), UNDERSTOOD)
def test_new_prompts_take_forgiving_answers(
        registry: Registry, monkeypatch: pytest.MonkeyPatch, key: str, typed: str,
        value: str) -> None:
    code, asked = prompted(registry, monkeypatch, key, typed)
    assert code == 0
    assert sum(p.splitlines()[-1].startswith(PROMPTS[key]) for p in asked) == 1  # taken
    assert held((registry.pledges / "zoe-example.yaml").read_text(encoding="utf-8"),
                key) == value


@pytest.mark.parametrize(("key", "typed", "says"), REFUSED)
def test_new_prompts_ask_again_what_they_cannot_read(
        registry: Registry, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], *, key: str, typed: str, says: str) -> None:
    code, asked = prompted(registry, monkeypatch, key, typed)
    assert code == 0  # asked again, and answered with Enter or the default
    assert says in capsys.readouterr().err
    assert sum(p.splitlines()[-1].startswith(PROMPTS[key]) for p in asked) == 2


# --- the sign form ------------------------------------------------------------------------------
def test_the_sign_form_takes_forgiving_answers_from_a_recorded_issue(
        registry: Registry) -> None:
    event = json.loads((EVENTS / "issues_opened.sign.json").read_text(encoding="utf-8"))
    author = (event["issue"]["user"]["login"], event["issue"]["user"]["id"])
    outcome = submit(registry.root, event["issue"]["body"], registry.mission, author=author,
                     name_fits=NAME_FITS)
    assert outcome.ok, outcome.problems
    assert outcome.text is not None
    assert [(key, held(outcome.text, key)) for key in
            ("kind", "website", "country", "sector", "statement_url")] == [
        ("kind", "individual"), ("website", SITE), ("country", "GB"),
        ("sector", "arts-and-culture"), ("statement_url", f"{SITE}news/we-signed")]


def sign_form(key: str, typed: str) -> str:
    return sign_body(**{TITLES[key].replace(" ", "_"): typed} | (
        {} if key == "website" else {"Website": SITE}))


@pytest.mark.parametrize(("key", "typed", "value"), UNDERSTOOD)
def test_the_sign_form_takes_forgiving_answers(registry: Registry, key: str, typed: str,
                                               value: str) -> None:
    outcome = submit(registry.root, sign_form(key, typed), registry.mission, author=AUTHOR,
                     name_fits=NAME_FITS)
    assert outcome.ok, outcome.problems
    assert outcome.text is not None and held(outcome.text, key) == value


@pytest.mark.parametrize(("key", "typed", "says"), REFUSED)
def test_the_sign_form_refuses_what_it_cannot_read(registry: Registry, key: str, typed: str,
                                                   says: str) -> None:
    outcome = submit(registry.root, sign_form(key, typed), registry.mission, author=AUTHOR,
                     name_fits=NAME_FITS)
    assert outcome.text is None
    assert [p.label for p in outcome.problems if says in p.message] == [TITLES[key]]


# --- the change form ----------------------------------------------------------------------------
PLEDGE = f"""\
name: Acme Media
kind: organisation
website: {SITE}
signed: 2024-05-17
mission_version: 1
maintainers:
  - login: octo-cat
    id: 42
"""
CHANGE_LABELS = ("Page address", "What to do", *TITLES.values(), "Confirmation")


def change_form(key: str, typed: str) -> str:
    values = dict.fromkeys(CHANGE_LABELS, "_No response_") | {
        "Page address": "acme", "What to do": "Update my pledge",
        "Confirmation": "- [X] I am one of this pledge's maintainers, and make this change "
                        "for its signatory",
        TITLES[key]: typed}
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in values.items()) + "\n"


def changed(registry: Registry, key: str, typed: str,
            value: str = "") -> tuple[str | None, list[str]]:
    """The change form's outcome on a pledge whose `key` is not `value` yet."""
    before = {"website": "https://www.zoe.example.com/",
              "kind": "individual" if value == "organisation" else "organisation"}
    text = PLEDGE.replace(f"{key}: {SITE if key == 'website' else 'organisation'}",
                          f"{key}: {before[key]}") if key in before else PLEDGE
    registry.write("acme", text)
    change = read_change(Lifecycle(registry.root, registry.mission, NAME_FITS, TODAY),
                         change_form(key, typed), author=AUTHOR)
    return change.text, [f"{p.label}: {p.message}" for p in change.problems]


@pytest.mark.parametrize(("key", "typed", "value"), UNDERSTOOD)
def test_the_change_form_takes_forgiving_answers(registry: Registry, key: str, typed: str,
                                                 value: str) -> None:
    text, problems = changed(registry, key, typed, value)
    assert problems == [] and text is not None
    assert held(text, key) == value


@pytest.mark.parametrize(("key", "typed", "says"), REFUSED)
def test_the_change_form_refuses_what_it_cannot_read(registry: Registry, key: str,
                                                     typed: str, says: str) -> None:
    text, problems = changed(registry, key, typed)
    assert text is None
    assert [p.startswith(f"{TITLES[key]}: {says}") for p in problems if says in p] == [True]


def test_without_prompts_a_rule_between_two_flags_is_said_once(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """It is found again after every later answer, and said once."""
    flags = [*new_flags("signed", "2020-01-01"), "--country", "Korea"]
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    assert "'signed' (2020-01-01) is before mission version 1 was published" in lines[0]
    assert lines[1] == f"--country: {KOREA}"

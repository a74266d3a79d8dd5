"""A pledge whose YAML does not parse is read again entry by entry: each broken entry is
reported once, at the line to edit, beside every problem of the entries that read."""

from __future__ import annotations

import pytest

from conftest import OWNED, Registry

PLEDGE = "# A pledge\n" + OWNED + "social:\n  mastodon: https://mastodon.social/@media\n"

NOT_A_FIELD = ("this line is not a field: write 'key: value' (a ':' and a space after the "
               "key), or start a note with '#'")
NOT_CLOSED = "this quoted text is never closed: end it with the quote mark it starts with"
TAB = "a tab indents this line: YAML needs spaces, so indent with spaces only"


def invalid(problem: str) -> str:
    return (f"this is not valid YAML: {problem}; check the indentation and put text "
            "containing ': ' or '#' in quotes")


def unknown(key: str, hint: str) -> str:
    return (f"unknown field '{key}'{hint}: the fields are name, kind, website, signed, "
            "mission_version, reaffirmed, maintainers, country, sector, statement, "
            "statement_url, logo, social, status, withdrawn, withdrawn_reason, "
            "withdrawn_by, status_index, signed_again, redacted")


def edited(old: str, new: str) -> str:
    assert old in PLEDGE
    return PLEDGE.replace(old, new)


# The corpus' files also give a version that does not exist, in an entry that reads.
BASE = PLEDGE.replace("mission_version: 1", "mission_version: 9")
VERSION = (6, "'mission_version' 9 does not exist: the published versions are 1")


def broken(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


CORPUS: dict[str, tuple[str | bytes, list[tuple[int, str]]]] = {
    "tab indent": (broken("  mastodon", "\tmastodon"), [VERSION, (11, TAB)]),
    "tab indent above the first field": ("\t" + BASE, [(1, TAB), VERSION]),
    "missing colon": (broken("kind: organisation", "kind organisation\n# the kind"),
                      [(3, NOT_A_FIELD), (7, VERSION[1])]),
    "missing colon over a block": (broken("social:", "social"), [VERSION, (10, NOT_A_FIELD)]),
    "missing colon on the last line": (BASE + "country GB\n\n# the end\n",
                                       [VERSION, (12, NOT_A_FIELD)]),
    "unclosed quote": (broken("name: Harbour", 'name: "Harbour'), [(2, NOT_CLOSED), VERSION]),
    "unclosed quote in a block": (broken("  mastodon: https", '  mastodon: "https'),
                                  [VERSION, (11, NOT_CLOSED)]),
    "mis-indented list item": (broken("    id: 583231", "    id: 583231\n - login: ada\n"
                                                         "    id: 4242"),
                               [VERSION, (10, invalid("did not find expected key"))]),
    "stray text line": (broken("signed:", "Thanks for reviewing this\nsigned:"),
                        [(5, NOT_A_FIELD), (7, VERSION[1])]),
    "a key twice": (BASE + "kind: individual\n",
                    [VERSION, (12, "'kind' is given twice (first on line 3): keep one")]),
    "a key twice and a broken entry": (
        BASE + "kind: individual\nwebsite https://www.example.net/\n",
        [VERSION, (12, "'kind' is given twice (first on line 3): keep one"),
         (13, NOT_A_FIELD)]),
    "--- mid-file": (broken("signed:", "---\nsigned:"),
                     [(5, "a '---' or '...' line ends the YAML document here: keep one "
                          "pledge per file and delete this line"), (7, VERSION[1])]),
    "CRLF with BOM": (("\ufeff" + broken("kind: organisation", "kind organisation")
                       ).replace("\n", "\r\n").encode(), [(3, NOT_A_FIELD), VERSION]),
    "unclosed flow mapping as a value": (
        broken("social:\n  mastodon: https://mastodon.social/@media",
               "social: {mastodon: https://mastodon.social/@media"),
        [VERSION, (10, invalid("did not find expected ',' or '}'"))]),
    # Not a block mapping: today's single message, wherever libyaml stops.
    "text on the document's start line": ("--- Example\n" + BASE,
                                          [(3, invalid("did not find expected "
                                                       "<document start>"))]),
    "flow mapping as the file": ('{name: "Harbour Media Ltd", kind: organisation,\n'
                                 " website: https://www.example.net/\n",
                                 [(3, invalid("did not find expected ',' or '}'"))]),
    "a list as the file": ("- name: Example\n- kind organisation\n  x: y\n",
                           [(3, invalid("mapping values are not allowed in this context"))]),
}


@pytest.mark.parametrize("name", CORPUS)
def test_each_broken_entry_is_reported_once_at_its_line(registry: Registry,
                                                        name: str) -> None:
    text, expected = CORPUS[name]
    path = registry.write("example-media", text)
    assert [(line, message) for _, line, _, message in registry.problems(path)] == expected


def test_the_issues_six_problems_in_one_run(registry: Registry) -> None:
    text = edited("kind: organisation", "kind: organsation").replace(
        "website: https://www.example.net/", "website https://www.example.net/\n# ours\n")
    text = text.replace("2024-05-16", "16/05/2024").replace("  mastodon", "\tmastodon")
    path = registry.write("example-media", text + "sector: food\ncolour: blue\n")
    sectors = ", ".join(registry.mission.sectors)
    assert [(line, message) for _, line, _, message in registry.problems(path)] == [
        (3, "'kind' must be one of organisation, individual: did you mean 'organisation'? "
            "got 'organsation'"),
        (4, NOT_A_FIELD),
        (7, "'signed' must be a date written YYYY-MM-DD: got '16/05/2024'"),
        (13, TAB),
        (14, f"'sector' must be one of {sectors}: got 'food'"),
        (15, unknown("colour", " (did you mean 'country'?)")),
    ]


def test_a_broken_files_fields_are_compared_but_it_builds_no_pledge(
        registry: Registry) -> None:
    registry.write("example-media", PLEDGE)
    broken = registry.write("example-news", edited("kind: organisation", "kind organisation"))
    same = ("has the same {} as {}: each signatory signs once; if this is the same "
            "signatory, update that pledge instead")
    other = str(registry.pledges / "example-media.yaml")
    assert [(p.line, p.message) for p in registry.validate().problems
            if p.path == str(broken)] == [(2, same.format("name", other)), (3, NOT_A_FIELD),
                                          (4, same.format("website", other))]
    registry.write("example-news", edited("kind: organisation", "kind organisation")
                   .replace("Media", "News").replace("www.example.net", "news.example.net"))
    report = registry.validate()
    assert [(p.line, p.message) for p in report.problems] == [(3, NOT_A_FIELD)]
    assert [p.slug for p in report.pledges] == ["example-media"]


def test_a_misspelt_field_is_one_problem_with_the_suggestion(registry: Registry) -> None:
    path = registry.write("example-media", edited("website:", "webiste:"))
    assert [(line, message) for _, line, _, message in registry.problems(path)] == [
        (4, unknown("webiste", " (did you mean 'website'?)"))]


def test_a_misspelt_broken_entry_is_not_said_missing(registry: Registry) -> None:
    path = registry.write("example-media", edited("website:", "webiste"))
    assert [(line, message) for _, line, _, message in registry.problems(path)] == [
        (4, NOT_A_FIELD)]


def test_twitter_is_now_x(registry: Registry) -> None:
    path = registry.write("example-media", edited("mastodon: https://mastodon.social/@media",
                                                  "twitter: https://twitter.com/media"))
    assert [(line, message) for _, line, _, message in registry.problems(path)] == [
        (11, "'social' has the unknown network 'twitter' (it is now 'x'): the networks are "
             "bluesky, facebook, instagram, linkedin, mastodon, threads, tiktok, x, youtube")]


def test_the_value_limit_holds_for_the_file_not_each_entry(registry: Registry) -> None:
    text = "".join(f"key{number}: value\n" for number in range(1000)) + "broken line\n"
    path = registry.write("example-media", text)
    assert [(line, message) for _, line, _, message in registry.problems(path)] == [
        (1000, "the file has more than 2000 values: a pledge is a short list of fields")]

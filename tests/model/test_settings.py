"""registry.yaml: declared once, read like a pledge, every problem at once at its place,
and a published schema that agrees with the reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, Registry, copy_registry
from socialmission.errors import EXIT_PROBLEMS, EXIT_USAGE, UsageError
from socialmission.model import fields, paths, settings
from socialmission.model.settings import (
    SETTINGS,
    Settings,
    SettingsError,
    load_settings,
    parse_settings,
)

DEMO = (ROOT / paths.SETTINGS_FILE).read_text(encoding="utf-8")
GOOD = {"issuer_name": "Socially-M", "issuer_email": "registry@socialmission.example.org",
        "issuer_url": "https://socialmission.example.org/",
        "repository": "https://github.com/socially-m/social-mission-registry",
        "maintainers": ({"login": "socially-m", "id": 178451230, "line": 43},),
        "mission_name": "Social Mission", "badge_label": "Social Mission",
        "mission_aim": "for behaving well on social media", "badge_aim": "for social media",
        "commitment": "commits to the principles of",
        "issuer_description": "Publisher of the Social Mission and keeper of its registry of "
                              "signatories.",
        "keywords": ("social media", "ethics"), "proof_name": "social-mission",
        "check_name": "Social Mission verdict", "default_branch": "main", "app_login": None,
        "domain_proof": False, "automerge": False,
        "new_pledges_per_pull_request": 1, "linkedin_organization_id": None,
        "home_wall": 12, "home_wall_min_age": 0, "notify_new_versions": False,
        "notify_per_hour": 300, "notify_repository": None, "notify_close_days": 60,
        "issuer_keys": (), "translators": ()}


# The mission's words, as the demo gives them (every one is required).
WORDS = DEMO[DEMO.index("mission_name:"):DEMO.index("\n# Who issues")]


def problems(text: str | bytes) -> list[tuple[int, int, str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(SettingsError) as caught:
        parse_settings(data, "registry.yaml")
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def with_line(key: str, value: str) -> str:
    """The demo settings with one key's line replaced ('' deletes it)."""
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line
             for line in DEMO.splitlines()]
    return "\n".join(line for line in lines if line != f"{key}: ") + "\n"


def test_the_demo_settings(settings: Settings) -> None:
    assert dataclasses.asdict(settings) == GOOD


def test_the_table_and_the_dataclass_declare_the_same_keys() -> None:
    assert [s.key for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]


def test_every_problem_at_once_at_its_place() -> None:
    text = ("issuer_name: [Socially-M]\n"
            "issuer_email: registry(at)example.org\n"
            "repository: http://github.com/socially-m/registry\n"
            "isuer_url: https://socialmission.example.org/\n"
            "maintainers: [{login: keeper, id: 1}]\n" + WORDS)
    assert problems(text) == [
        (1, 1, "the required setting 'issuer_url' is missing: add a line such as "
               "'issuer_url: https://www.example.org/'"),
        (1, 14, "'issuer_name' must be one line of text, but YAML reads a list here: write "
                "it on one line"),
        (2, 15, "'issuer_email' must be an e-mail address such as registry@example.org: got "
                "'registry(at)example.org'"),
        (3, 13, "'repository' uses the scheme 'http': use 'https://': got "
                "'http://github.com/socially-m/registry'"),
        (4, 1, "unknown setting 'isuer_url' (did you mean 'issuer_url'?): the settings are "
               "issuer_name, issuer_email, issuer_url, repository, maintainers, translators, "
               "mission_name, badge_label, mission_aim, badge_aim, commitment, "
               "issuer_description, keywords, "
               "proof_name, check_name, default_branch, app_login, domain_proof, automerge, "
               "new_pledges_per_pull_request, linkedin_organization_id, home_wall, "
               "home_wall_min_age, notify_new_versions, notify_per_hour, notify_repository, "
               "notify_close_days, issuer_keys"),
    ]


def test_the_message_names_the_file_line_and_column() -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(with_line("issuer_email", "nobody").encode(), "reg/registry.yaml")
    assert caught.value.exit_code == EXIT_PROBLEMS
    assert str(caught.value).splitlines() == [
        "the registry's settings have 1 problem:",
        "reg/registry.yaml:28:15: 'issuer_email' must be an e-mail address such as "
        "registry@example.org: got 'nobody'"]


@pytest.mark.parametrize(("text", "expected"), [
    # what YAML would read as something other than text
    (with_line("issuer_name", "2024"), "'issuer_name' must be one line of text, but YAML "
                                       "reads the number '2024' here: put it in quotes"),
    (with_line("issuer_name", "NO"), None),  # YAML 1.2: the text NO
    (with_line("issuer_name", "true"), "YAML reads the boolean 'true' here"),
    (with_line("issuer_name", ""), "the required setting 'issuer_name' is missing"),
    (with_line("issuer_name", "~"), "'issuer_name' is empty: give one line of text such "
                                    "as Example Foundation"),
    (with_line("issuer_name", '"Two\\nlines"'), "must be one line without leading or "
                                                "trailing spaces"),
    (with_line("issuer_name", '" Socially-M"'), "must be one line without leading"),
    (with_line("issuer_name", "x" * 101), "is 101 characters long; the limit is 100"),
    (with_line("issuer_name", "{a: b}"), "reads a mapping of keys here"),
    # hostile values: they would reach JSON and XML, so they are refused here first
    (with_line("issuer_email", '"a@b.org\\" onload=\\"x"'), "must be an e-mail address"),
    (with_line("issuer_email", '"<a@b.org>"'), "must be an e-mail address"),
    (with_line("issuer_email", "a@localhost"), "must be an e-mail address"),
    (with_line("issuer_url", '"https://a.org/\\"><script>"'), "contains '\"', which a URL "
                                                             "cannot hold"),
    (with_line("issuer_url", "javascript:alert(1)"), "must be a full address starting with "
                                                     "'https://'"),
    (with_line("repository", "https://127.0.0.1/repo"), "uses the IP address"),
    (with_line("repository", "https://user@github.com/x"), "contains a user name"),
    # the sign page's links are GitHub's: the repository is one there, and nothing more
    *[(with_line("repository", url), "must be the registry's repository on GitHub, "
                                     "https://github.com/OWNER/NAME")
      for url in ("https://gitlab.com/socially-m/registry", "https://github.com/socially-m",
                  "https://github.com/socially-m/registry/issues",
                  "https://github.com/socially-m/registry?x=1",
                  "https://github.com/socially-m/..", "https://github.com/-x/registry",
                  "https://github.com/a/b%22onmouseover=x",
                  "https://www.github.com/a/b")],
    *[(with_line("default_branch", branch), "must be a git branch name such as main")
      for branch in ("x..y", "a//b", "/main", "main/", "main.lock", "-main", '"a b"',
                     '"main\u202e"', '"<script>"', '"main?x"', '"main#x"')],
    # the YAML reader's refusals, with their places
    ("issuer_name: &n Socially-M\n", "anchors (&n) are not allowed"),
    ("issuer_name: !!str Socially-M\n", "YAML tags (tag:yaml.org,2002:str) are not allowed"),
    (DEMO + "issuer_name: Again\n", "'issuer_name' is given twice (first on line 27)"),
    ("- a\n- b\n", "the settings must be a mapping of keys such as 'issuer_name: "
                   "Example Foundation', but this file holds a list"),
    ("", "the file holds no YAML document"),
    ("issuer_name: [unclosed\n", "this is not valid YAML"),
    (b"issuer_name: \xff\xfe\n", "the file is not UTF-8 text (byte 14): save it as UTF-8"),
    *((DEMO + f"new_pledges_per_pull_request: {value}\n",
       "'new_pledges_per_pull_request' must be a whole number from 1 to 1000, without quotes")
      for value in ("0", "-1", '"2"', "1.5", "1001", "yes")),
    *((with_line("home_wall", value),
       "'home_wall' must be a whole number from 0 to 100, without quotes")
      for value in ("-1", '"12"', "1.5", "101", "true", "~")),
    *((with_line("home_wall_min_age", value),
       "'home_wall_min_age' must be a whole number from 0 to 365, without quotes")
      for value in ("-1", '"7"', "2.5", "366", "no")),
    *((DEMO + f"linkedin_organization_id: {value}\n",
       "'linkedin_organization_id' must be a whole number from 1 to 999999999999, "
       "without quotes") for value in ("0", "-5", '"12345"', "1.5", "1000000000000",
                                       "true", "https://www.linkedin.com/company/x", "~")),
    ("issuer_name: \x00\n", "the control character U+0000 is not allowed"),
])
def test_a_broken_setting_is_refused(text: str | bytes, expected: str | None) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if expected is None:
        assert parse_settings(data, "registry.yaml").issuer_name == "NO"
        return
    found = problems(data)
    assert any(expected in message for _, _, message in found), found


def test_a_missing_file_is_a_usage_error_naming_it_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_settings(tmp_path)
    assert caught.value.exit_code == EXIT_USAGE
    assert str(caught.value) == (
        f"{tmp_path / 'registry.yaml'} is missing: the registry's settings live there. "
        "Create it with the keys issuer_name, issuer_email, issuer_url, repository, "
        "maintainers, mission_name, badge_label, mission_aim, badge_aim, commitment, "
        "issuer_description, keywords, proof_name (each is described in "
        "site/schema/registry.schema.json)")


def test_the_fixtures_give_their_registries_settings(registry: Registry,
                                                     tmp_path: Path) -> None:
    assert load_settings(registry.root) == load_settings(ROOT)
    assert load_settings(copy_registry(tmp_path / "copy")) == load_settings(ROOT)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialmission", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_the_build_stops_on_broken_settings_before_mkdocs(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    (root / "registry.yaml").write_text(with_line("issuer_email", "nobody"), encoding="utf-8")
    result = _run("build", "--out", str(tmp_path / "out"), cwd=root)
    assert result.returncode == EXIT_PROBLEMS
    assert result.stderr.splitlines() == [
        "socialmission: the registry's settings have 1 problem:",
        f"{root / 'registry.yaml'}:28:15: 'issuer_email' must be an e-mail address such as "
        "registry@example.org: got 'nobody'"]
    assert not (tmp_path / "out").exists()
    (root / "registry.yaml").unlink()
    result = _run("build", "--out", str(tmp_path / "out"), cwd=root)
    assert result.returncode == EXIT_USAGE
    assert "registry.yaml is missing" in result.stderr and "Traceback" not in result.stderr


# --- the published schema -----------------------------------------------------------------
def test_the_committed_schema_is_current() -> None:
    assert (ROOT / paths.SETTINGS_SCHEMA_FILE).read_text(encoding="utf-8") == \
        settings.schema_text(), "run 'socialmission schema' and commit it"


def test_the_schema_is_valid_and_documents_every_setting() -> None:
    document = settings.schema()
    Draft202012Validator.check_schema(document)
    assert list(document["properties"]) == [s.key for s in SETTINGS]
    for spec in document["properties"].values():
        assert spec["description"] and spec["examples"]
    assert document["required"] == [s.key for s in SETTINGS if s.required]


def test_the_https_pattern_is_the_pledge_schemas() -> None:
    assert settings.HTTPS.schema["pattern"] is fields.HTTPS_PATTERN


def _verdicts(text: str) -> tuple[bool, bool]:
    import yaml

    schema = Draft202012Validator(settings.schema())
    try:
        parse_settings(text.encode("utf-8"), "registry.yaml")
    except SettingsError:
        reader = False
    else:
        reader = True
    return schema.is_valid(yaml.safe_load(text)), reader


@pytest.mark.parametrize("text", [
    with_line("issuer_name", "2024"), with_line("issuer_name", '" padded "'),
    with_line("issuer_name", "x" * 101), with_line("issuer_email", "nobody"),
    with_line("issuer_email", "a@b"), with_line("issuer_email", '"a b@c.org"'),
    with_line("issuer_url", "http://socialmission.example.org/"),
    with_line("repository", '"https://github.com/x y"'),
    with_line("repository", ""), DEMO + "extra: 1\n",
    *(DEMO + f"new_pledges_per_pull_request: {value}\n" for value in ("0", '"2"', "1.5",
                                                                     "1001", "true")),
    *(with_line("home_wall", value) for value in ("-1", '"12"', "101", "true")),
    *(with_line("home_wall_min_age", value) for value in ("-1", "366", "1.5")),
    *(DEMO + f"linkedin_organization_id: {value}\n" for value in ("0", '"12345"', "1.5",
                                                                 "1000000000000")),
])
def test_schema_and_reader_refuse_alike(text: str) -> None:
    assert _verdicts(text) == (False, False)


def test_schema_and_reader_accept_the_demo_and_every_example() -> None:
    assert _verdicts(DEMO) == (True, True)
    # each example as a line of registry.yaml writes it (the reader), and as the schema
    # shows it
    lines = "".join(f"{s.key}: {s.example}\n" for s in SETTINGS)
    assert _verdicts(lines) == (True, True)
    shown = {s.key: s.example if s.schema_example is None else s.schema_example
             for s in SETTINGS}
    assert _verdicts(json.dumps(shown)) == (True, True)


@pytest.mark.parametrize(("value", "message"), [
    ("octocat", "'maintainers' must list the registry's maintainers, each as '  - login: x' "
                "with '    id: 1234567' under it"),
    ("[]", "'maintainers' must list the registry's maintainers, each as '  - login: x' "
           "with '    id: 1234567' under it"),
    ("[octocat]", "each of 'maintainers' is a GitHub login and the account's numeric id, as "
                  "'- login: x' with '  id: 1234567' under it (and nothing else)"),
    ("[{login: octocat}]", "each of 'maintainers' is a GitHub login and the account's numeric "
                           "id, as '- login: x' with '  id: 1234567' under it (and nothing "
                           "else)"),
    ("[{login: octocat, id: 5, admin: true}]", "each of 'maintainers' is a GitHub login and "
                                               "the account's numeric id, as '- login: x' with "
                                               "'  id: 1234567' under it (and nothing else)"),
    ("[{login: a, id: 5}, {login: b, id: 5}]", "'maintainers' lists the account 5 twice: "
                                               "keep one"),
])
def test_registry_maintainers_are_accounts_with_ids(value: str, message: str) -> None:
    text = DEMO[:DEMO.index("\nmaintainers:") + 1] + f"maintainers: {value}\n"
    assert [m for _, _, m in problems(text)] == [message]


def test_missing_maintainers_say_how_to_write_them() -> None:
    text = DEMO[:DEMO.index("\nmaintainers:") + 1]
    assert [m for _, _, m in problems(text)] == [
        "the required setting 'maintainers' is missing: add a line such as "
        "'maintainers: [{login: example-admin, id: 1234567}]'"]


def test_translators_are_none_unless_listed_each_with_an_id() -> None:
    """`translators` is optional: none by default; listed, each account as the
    maintainers are (login and id), and its own words when it is not so."""
    assert parse_settings(DEMO.encode(), "registry.yaml").translators == ()
    listed = DEMO + "translators:\n  - login: ana-tr\n    id: 4321\n"
    [ana] = parse_settings(listed.encode(), "registry.yaml").translators
    assert (ana.login, ana.id) == ("ana-tr", 4321)
    assert [m for _, _, m in problems(DEMO + "translators: []\n")] == [
        "'translators' must list the registry's translators, each as '  - login: x' with "
        "'    id: 1234567' under it"]
    assert [m for _, _, m in problems(DEMO + "translators: [ana-tr]\n")] == [
        "each of 'translators' is a GitHub login and the account's numeric id, as '- login: "
        "x' with '  id: 1234567' under it (and nothing else)"]


def test_new_pledges_per_pull_request_is_one_unless_set() -> None:
    assert parse_settings(DEMO.encode(), "registry.yaml").new_pledges_per_pull_request == 1
    more = DEMO + "new_pledges_per_pull_request: 5\n"
    assert parse_settings(more.encode(), "registry.yaml").new_pledges_per_pull_request == 5


def test_the_home_wall_is_twelve_at_once_unless_set() -> None:
    """Without the keys, the wall shows the twelve most recent signatures at once; 0 hides
    it, and a minimum age holds a fresh signature back."""
    bare = DEMO[:DEMO.index("\n# --- The home page")] + "\n"
    settings = parse_settings(bare.encode(), "registry.yaml")
    assert (settings.home_wall, settings.home_wall_min_age) == (12, 0)
    chosen = parse_settings((bare + "home_wall: 0\nhome_wall_min_age: 7\n").encode(),
                            "registry.yaml")
    assert (chosen.home_wall, chosen.home_wall_min_age) == (0, 7)


def test_the_linkedin_organization_id_is_optional() -> None:
    """Without it, the "Add to LinkedIn" links name the issuer by issuer_name."""
    assert parse_settings(DEMO.encode(), "registry.yaml").linkedin_organization_id is None
    given = DEMO + "linkedin_organization_id: 12345678\n"
    assert parse_settings(given.encode(), "registry.yaml").linkedin_organization_id == 12345678


@pytest.mark.parametrize("value", [["a list"], {"a": "map"}, 7])
def test_a_site_description_that_is_not_text_is_refused_where_it_is(
        tmp_path: Path, value: object) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: X\nsite_description: {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(UsageError,
                       match=r"^mkdocs\.yml:2: site_description must be the site's desc"):
        settings.site_description(tmp_path)


def test_a_site_description_reads_as_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text('site_description: \'Ten "fair" <rules> & more\'\n',
                                         encoding="utf-8")
    assert settings.site_description(tmp_path) == 'Ten "fair" <rules> & more'
    (tmp_path / "mkdocs.yml").write_text("site_name: X\n", encoding="utf-8")
    assert settings.site_description(tmp_path) is None


@pytest.mark.parametrize(("theme", "language"), [
    ("theme:\n  name: material\n  language: pt-BR\n", "pt-BR"),
    ("theme:\n  name: material\n", "en"),  # the themes' own default
    ("theme: material\n", "en"),
])
def test_the_sites_language_is_the_themes(tmp_path: Path, theme: str, language: str) -> None:
    """What the themes write as every page's <html lang>: the original's language beside
    the mission's translations."""
    (tmp_path / "mkdocs.yml").write_text(f"site_name: X\n{theme}", encoding="utf-8")
    assert settings.site_language(tmp_path) == language


def material_languages() -> list[str]:
    """Every interface language the installed Material theme ships (its partials)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return sorted(path.stem for path in folder.glob("*.html"))


def test_every_language_the_theme_ships_is_a_site_language(tmp_path: Path) -> None:
    """The tag check must never stop a registry that writes its site in any language the
    theme offers (Serbo-Croatian's deprecated `sh`, `ku-IQ` and `zh-Hant` included)."""
    languages = material_languages()
    assert len(languages) > 50 and {"sh", "ku-IQ", "zh-Hant"} <= set(languages)
    for language in languages:
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: X\ntheme:\n  name: material\n  language: {language}\n",
            encoding="utf-8")
        assert settings.site_language(tmp_path) == language


@pytest.mark.parametrize(("value", "said"), [
    ("english", "'english' is not a BCP 47 language tag"),
    ("qq", "'qq': ISO 639 has no language 'qq'"),
    ("pt-br", "write the tag 'pt-br' in its conventional case, 'pt-BR'"),
    ("[fr]", "['fr'] is not text"),
])
def test_a_site_language_that_is_no_tag_is_refused_where_it_is(
        tmp_path: Path, value: str, said: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: X\ntheme:\n  name: material\n  language: {value}\n", encoding="utf-8")
    with pytest.raises(UsageError) as refused:
        settings.site_language(tmp_path)
    assert str(refused.value).startswith("mkdocs.yml:2: theme.language must be the site's "
                                         "language: "), str(refused.value)
    assert said in str(refused.value)


KEY_1 = "z6MkuzGuBSE4JgVnctXCDLk9AtvrZ5cgDrToVGybFAPuZRDo"
KEY_2 = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
KEY_SHAPE = ("each of 'issuer_keys' is '- id: key-1' with 'public_key: z6Mk...', 'since: "
             "YYYY-MM-DD' and 'state: current | retired | compromised' under it (and "
             "nothing else)")


def keys_line(*entries: str) -> str:
    return DEMO + "issuer_keys:\n" + "".join(f"  - {entry}\n" for entry in entries)


def test_issuer_keys_read_as_listed() -> None:
    text = keys_line(f"{{id: key-1, public_key: {KEY_1}, since: 2026-01-01, state: retired}}",
                     f"{{id: key-2, public_key: {KEY_2}, since: 2026-03-14, state: current}}")
    assert parse_settings(text.encode(), "registry.yaml").issuer_keys == (
        settings.IssuerKey("key-1", KEY_1, dt.date(2026, 1, 1), "retired"),
        settings.IssuerKey("key-2", KEY_2, dt.date(2026, 3, 14), "current"))


@pytest.mark.parametrize(("entries", "message"), [
    ((f"{{id: key-1, public_key: {KEY_1}, since: 2026-02-30, state: current}}",),
     f"{KEY_SHAPE}: check its since"),
    ((f"{{id: key-0, public_key: {KEY_1[:-1]}, since: 2026-01-01, state: lost}}",),
     f"{KEY_SHAPE}: check its id and public_key and state"),
    ((f"{{id: key-1, public_key: {KEY_1}, since: 2026-01-01}}",), KEY_SHAPE),
    ((f"{{id: key-1, public_key: {KEY_1}, since: 2026-01-01, state: current, seed: x}}",),
     KEY_SHAPE),
    ((f"{{id: key-1, public_key: {KEY_1}, since: 2026-01-01, state: current}}",
      f"{{id: key-1, public_key: {KEY_2}, since: 2026-01-01, state: retired}}"),
     "'issuer_keys' lists key-1 or its public key twice: each key once, each with its own id"),
    ((f"{{id: key-1, public_key: {KEY_1}, since: 2026-01-01, state: current}}",
      f"{{id: key-2, public_key: {KEY_2}, since: 2026-01-01, state: current}}"),
     "'issuer_keys' has more than one current key: the one that signs is current, the "
     "others retired or compromised"),
])
def test_a_broken_issuer_key_says_what_to_fix(entries: tuple[str, ...], message: str) -> None:
    assert [m for _, _, m in problems(keys_line(*entries))] == [message]

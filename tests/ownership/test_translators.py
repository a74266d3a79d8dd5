"""The registry's translators (`translators` in the base branch's registry.yaml), judged on a
real git repository: a translator changes the mission's translations, and nothing else;
anyone else is refused there; the account's id decides, never its login; and the head's
translations are checked, their problems refused with file and line."""

from __future__ import annotations

import pytest

from conftest import ROOT, TESTS
from git_support import ALICE, KEEPER, MALLORY, SETTINGS, Repo
from socialmission.cli import main
from socialmission.model import paths
from socialmission.ownership.judge import Verdict
from socialmission.ownership.rules import Author

ANA = Author("ana", 500)  # a translator
TRANSLATORS = "translators:\n  - login: ana\n    id: 500\n"
FR = paths.translation_file(1, "fr")
FRENCH = (TESTS / "fixtures" / FR).read_text(encoding="utf-8")
NOT_THEIRS = ("only the registry's translators and maintainers may change the mission's "
              "translations, and {who} is neither: ask the registry's maintainers to list "
              "your account in 'translators' (registry.yaml), or to take your translation in "
              "a pull request of theirs")


def with_translators(repo: Repo, *files: tuple[str, str]) -> None:
    """The base branch lists ANA as a translator (and holds `files`); the pull request's
    branch starts from it."""
    repo.git("checkout", "-q", "main")
    repo.write("registry.yaml", SETTINGS + TRANSLATORS)
    for path, text in files:
        repo.write(path, text)
    repo.commit("translators")
    repo.git("branch", "-q", "-f", "pr", "main")
    repo.git("checkout", "-q", "pr")


def said(verdict: Verdict) -> tuple[list[tuple[str, int, str]], list[str]]:
    """The refusals (path, line, message) and the notices."""
    return [(p.path, p.line, p.message) for p in sorted(verdict.refusals)], verdict.notices


def translated(repo: Repo, text: str = FRENCH) -> None:
    repo.write(FR, text)
    repo.commit("a translation")


def test_a_translator_adds_and_corrects_a_translation(repo: Repo) -> None:
    with_translators(repo)
    translated(repo)
    added = "ana (id 500) changed translations/v1/fr.yaml as one of the registry's translators"
    assert said(repo.verdict(ANA)) == ([], [added])
    repo.git("checkout", "-q", "main")
    repo.write(FR, FRENCH)
    repo.commit("the translation, merged")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    translated(repo, FRENCH.replace("Jean Martin", "Jeanne Martin"))
    assert said(repo.verdict(ANA)) == ([], [added])


def test_a_translator_is_refused_everywhere_else(repo: Repo) -> None:
    """The mission, another's pledge and the settings: each refused by its own rule."""
    with_translators(repo)
    translated(repo)
    mission = (repo.root / paths.MISSION_FILE).read_text(encoding="utf-8")
    repo.write(paths.MISSION_FILE, mission + "# a translator's note\n")
    repo.write("pledges/acme.yaml", (repo.root / "pledges/acme.yaml").read_text(
        encoding="utf-8") + "country: GB\n")
    repo.write("registry.yaml", SETTINGS + TRANSLATORS + "  - login: friend\n    id: 501\n")
    repo.commit("everything")
    refused, notices = said(repo.verdict(ANA))
    assert [(path, message.split(":")[0]) for path, _, message in refused] == [
        ("mission.yaml", "only the registry's maintainers may change mission.yaml"),
        ("pledges/acme.yaml", "only the maintainers of acme listed on the base branch may "
                              "change it, and ana (id 500) is not one of them"),
        ("registry.yaml", "only the registry's maintainers may change registry.yaml"),
    ]
    assert notices == ["ana (id 500) changed translations/v1/fr.yaml as one of the "
                       "registry's translators"]


def test_anyone_else_is_refused_on_a_translation_and_a_maintainer_is_not(repo: Repo) -> None:
    with_translators(repo)
    translated(repo)
    for author in (ALICE, MALLORY):
        who = f"{author.login} (id {author.id})"
        assert said(repo.verdict(author)) == ([(FR, 0, NOT_THEIRS.format(who=who))], [])
    assert said(repo.verdict(KEEPER)) == ([], [])


def test_the_accounts_id_decides_not_its_login(repo: Repo) -> None:
    """ana renamed her account: still a translator; whoever registers the freed login
    'ana' is not."""
    with_translators(repo)
    translated(repo)
    renamed = Author("ana-translates", 500)
    assert said(repo.verdict(renamed)) == ([], [
        "ana-translates (id 500) changed translations/v1/fr.yaml as one of the registry's "
        "translators"])
    taker = Author("ana", 9000)
    assert said(repo.verdict(taker)) == (
        [(FR, 0, NOT_THEIRS.format(who="ana (id 9000)"))], [])


def test_without_translators_in_the_base_nobody_but_a_maintainer_translates(
        repo: Repo) -> None:
    translated(repo)
    assert said(repo.verdict(ANA)) == ([(FR, 0, NOT_THEIRS.format(who="ana (id 500)"))], [])


def test_listing_oneself_as_a_translator_in_the_same_pull_request_gives_nothing(
        repo: Repo) -> None:
    """The base branch's settings judge: a head that adds its author to `translators` is
    refused for registry.yaml and for the translation."""
    repo.write("registry.yaml", SETTINGS + TRANSLATORS)
    translated(repo)
    refused, _ = said(repo.verdict(ANA))
    assert [path for path, _, _ in refused] == ["registry.yaml", FR]


def test_a_translators_broken_translation_is_refused_at_its_line(repo: Repo) -> None:
    with_translators(repo)
    translated(repo, FRENCH.replace("language: fr", "language: de"))
    repo.write(paths.translation_file(9, "fr"), FRENCH)
    repo.commit("more")
    refused, _ = said(repo.verdict(ANA))
    assert refused == [
        (FR, 3, "the language is 'de' but the file is named fr.yaml: name the file de.yaml, "
                "or give the language it is in"),
        ("translations/v9/fr.yaml", 0, "there is no version 9 of the mission (the published "
                                       "ones are 1): put the translation in the folder of the "
                                       "version it translates")]


def test_a_translation_that_stood_broken_is_a_warning_not_a_refusal(repo: Repo) -> None:
    """A problem in a translation the pull request does not change was there before it."""
    with_translators(repo, (paths.translation_file(1, "de"), "language: de\n"))
    translated(repo)
    verdict = repo.verdict(ANA)
    assert verdict.refusals == []
    assert {p.path for p in verdict.warnings} == {"translations/v1/de.yaml"}


def test_a_link_or_a_stray_file_is_refused_to_a_translator_too(repo: Repo) -> None:
    with_translators(repo)
    (repo.root / paths.translation_folder(1)).mkdir(parents=True)
    (repo.root / paths.translation_file(1, "it")).symlink_to("../../registry.yaml")
    repo.write("translations/notes.md", "notes\n")
    repo.commit("a link")
    refused, _ = said(repo.verdict(ANA))
    assert [(path, message.split(":")[0]) for path, _, message in refused] == [
        ("translations/notes.md", "only a folder for each translated version ('v<N>/', such "
                                  "as 'v1/', its number as mission.yaml gives it) belongs in "
                                  "translations/"),
        ("translations/v1/it.yaml", "a translation must be a regular file, not a link or "
                                    "submodule"),
    ]


def test_an_oversized_translation_is_refused_unread(repo: Repo) -> None:
    with_translators(repo)
    translated(repo, FRENCH + "#" * (64 * 1024) + "\n")
    refused, _ = said(repo.verdict(ANA))
    size = len(FRENCH.encode("utf-8")) + 64 * 1024 + 1
    assert refused == [(FR, 0, f"the file is {size} bytes; a "
                               "translation may be at most 65536 bytes: shorten its texts")]


def test_check_pr_says_the_translators_rule(repo: Repo,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`socialmission check-pr`, as an operator runs it: the refusal and the notice."""
    (repo.root / "badges").symlink_to(ROOT / "badges")  # the name check's fonts, uncommitted
    (repo.root / ".git" / "info" / "exclude").write_text("/badges\n")
    with_translators(repo)
    translated(repo)
    check = ["--root", str(repo.root), "check-pr", "--base", "main", "--head", "pr"]
    assert main([*check, "--author", "ana", "--author-id", "500"]) == 0
    assert capsys.readouterr().out == (
        "notice: ana (id 500) changed translations/v1/fr.yaml as one of the registry's "
        "translators\nallowed: 1 changed file, nothing refused.\n")
    assert main([*check, "--author", "alice", "--author-id", "100"]) == 1
    assert capsys.readouterr().out == (
        "translations/v1/fr.yaml: " + NOT_THEIRS.format(who="alice (id 100)") + "\n"
        "refused: 1 problem in 1 of 1 changed file.\n")

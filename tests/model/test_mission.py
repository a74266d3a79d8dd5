"""The mission file is the one source of the text, and version 1 is the 2023 draft verbatim."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from socialmission.check.resultcache import mission_fingerprint
from socialmission.errors import UsageError
from socialmission.model.mission import (
    VERSION_KEYS,
    Mission,
    load_mission,
    parse_mission,
    principles_phrase,
)

SOURCE = ROOT.parent / "shared" / "seeds" / "social-mission-source.txt"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"the seed text is not at {SOURCE}")
def test_version_1_is_the_first_draft_verbatim(mission: Mission) -> None:
    source = squash(SOURCE.read_text(encoding="utf-8"))
    numbered = re.findall(r"(\d+)\. (.+?)(?= \d+\. | This is still very much)", source)
    assert [int(n) for n, _ in numbered] == list(range(1, 11))
    first = mission.get(1)
    assert first is not None
    assert [squash(p) for p in first.principles] == [text for _, text in numbered]
    assert first.title == "The Socially-M Social Mission"
    assert (first.date.year, first.date.month) == (2023, 10)


def test_no_principle_is_repeated_outside_the_mission_file(mission: Mission) -> None:
    first_words = squash(mission.current.principles[0])[:60]
    # the files git tracks: nothing a build writes (public/, its kept base .public.base/,
    # .build/, .cache/), whatever folder a build is told to use
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode("utf-8").split("\0")
    tracked = [ROOT / name for name in listed if name
               and Path(name).suffix in {".md", ".py", ".j2", ".html", ".yaml", ".yml", ".txt"}
               and Path(name).name != "mission.yaml"
               # the sign form shows them, written from mission.yaml (test_issueform.py
               # keeps it current)
               and name != ".github/ISSUE_TEMPLATE/sign.yml"]
    assert tracked
    for path in tracked:
        assert first_words not in squash(path.read_text(encoding="utf-8", errors="replace")), \
            path


def entry(**changes: str) -> str:
    """A one-version mission file, with some lines of its entry replaced (or removed: '')."""
    lines = {"version": "1", "date": "2024-01-01", "title": "t", "changes": "c",
             "principles": "[p]"}
    lines.update(changes)
    body = "".join(f"    {key}: {value}\n" for key, value in lines.items() if value)
    return "versions:\n  - " + body.removeprefix("    ")


@pytest.mark.parametrize(("text", "message"), [
    ("{}\n", "mission.yaml:1:1: expected a mapping with a 'versions' list"),
    ("versions: x\n", "mission.yaml:1:11: expected a mapping with a 'versions' list"),
    ("versions: []\n", "mission.yaml:1:11: there is no version"),
    ("versions: [1, 2]\n", "mission.yaml:1:12: version entry 1 is not a mapping"),
    (entry(version="2"), "mission.yaml:2:14: versions must be numbered 1, 2, 3... in order; "
                         "entry 1 says 2"),
    (entry(version="true"), "entry 1 says true"),
    (entry(principles="[]"), "mission.yaml:6:17: version 1 must have one or more principles"),
    (entry(principles="p"), "version 1 must have one or more principles"),
    (entry(principles="['', p]"), "mission.yaml:6:18: version 1: each principle must be text"),
    (entry(principles="[1]"), "version 1: each principle must be text"),
    (entry(date="soon"), "mission.yaml:3:11: version 1: 'date' must be a YYYY-MM-DD date"),
    (entry(date="2024-02-30"), "'date' must be a YYYY-MM-DD date"),
    (entry(date="20240101"), "'date' must be a YYYY-MM-DD date"),
    (entry(title=""), "mission.yaml:2:5: version entry 1 lacks 'title': add a 'title:' line"),
    (entry(title="NO"), None),  # YAML 1.2: the text "NO", not false
    (entry(title="yes", status="on"), None),
    (entry(title="[a]"), "mission.yaml:4:12: version 1: 'title' must be text"),
    (entry(principle="[p]"), "mission.yaml:7:5: version entry 1 has the unknown key "
                             "'principle' (did you mean 'principles'?)"),
    ("versions:\n  - &a {version: 1}\n", "mission.yaml:2:5: anchors (&a) are not allowed"),
    ("versions: []\nversions: []\n", "mission.yaml:2:1: 'versions' is given twice"),
    (entry() + "  - version: 2\n    date: 2023-12-31\n    title: t\n    changes: c\n"
               "    principles: [p]\n",
     "mission.yaml:7:5: version 2 is dated 2023-12-31, before version 1 (2024-01-01)"),
])
def test_a_broken_mission_file_is_refused_with_its_place(text: str, message: str | None) -> None:
    if message is None:
        parse_mission(with_sectors(text), "mission.yaml")
        return
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_mission(with_sectors(text), "mission.yaml")


SECTORS = "sectors: [media, other]\n"


def with_sectors(text: str) -> str:
    """A mission file's text with a sector list after its versions (where it is YAML)."""
    return text + SECTORS if text.startswith("versions:") else text


@pytest.mark.parametrize(("text", "message"), [
    (entry(), "mission.yaml:1:1: there is no 'sectors' list: add one, such as 'sectors: "
              "[education, media, other]'"),
    (entry() + "sectors: media\n", "mission.yaml:7:10: 'sectors' must be a list of 1 to 100"),
    (entry() + "sectors: []\n", "mission.yaml:7:10: 'sectors' must be a list of 1 to 100"),
    (entry() + "sectors: [media, Media]\n", "mission.yaml:7:18: each sector must be lower-case"),
    (entry() + "sectors: [media, a--b]\n", "mission.yaml:7:18: each sector must be lower-case"),
    (entry() + "sectors: [media, 7]\n", "mission.yaml:7:18: each sector must be lower-case"),
    (entry() + "sectors: [media, media]\n", "mission.yaml:7:18: the sector 'media' is listed "
                                             "twice: keep one"),
    (entry() + SECTORS + "sector: [x]\n", "mission.yaml:8:1: unknown key 'sector': "
                                           "mission.yaml holds 'sectors' and 'versions'"),
])
def test_the_sectors_are_a_list_of_names(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_mission(text, "mission.yaml")


def test_the_sectors_are_read_in_order() -> None:
    text = entry() + "sectors: [fishing, shipping, other]\n"
    assert parse_mission(text, "mission.yaml").sectors == ("fishing", "shipping", "other")


def test_each_sector_shows_as_words() -> None:
    """A list's names show as their words; a mapping gives each its own, in its order."""
    listed = parse_mission(entry() + "sectors: [arts-and-culture, public-sector, ngo]\n",
                           "mission.yaml")
    assert [listed.sector_label(s) for s in listed.sectors] == [
        "Arts and culture", "Public sector", "Ngo"]
    mapped = parse_mission(entry() + "sectors:\n  ngo: NGOs and charities\n"
                                     "  it: IT and software\n  arts-and-culture: Arts & culture\n",
                           "mission.yaml")
    assert mapped.sectors == ("ngo", "it", "arts-and-culture")
    assert mapped.sector_labels == ("NGOs and charities", "IT and software", "Arts & culture")
    assert mapped.sector_label("it") == "IT and software"
    # this registry's own, from its mission.yaml
    mission = load_mission(ROOT)
    assert len(mission.sector_labels) == len(mission.sectors)
    assert mission.sector_label("arts-and-culture") == "Arts and culture"
    assert mission.sector_label("public-sector") == "Public sector"


@pytest.mark.parametrize(("sectors", "message"), [
    ("sectors:\n  media: ''\n", "mission.yaml:8:10: the sector 'media': a sector's words "
                                 "must be text of 1 to 60"),
    ("sectors:\n  media: " + "x" * 61 + "\n", "mission.yaml:8:10: the sector 'media': a "
                                             "sector's words must be text of 1 to 60"),
    ("sectors:\n  media: [a]\n", "mission.yaml:8:10: the sector 'media': a sector's words "
                                  "must be text"),
    ("sectors:\n  media: \"Me\\u202edia\"\n", "mission.yaml:8:10: the sector 'media': a "
                                               "sector's words must be one line of text"),
    ("sectors:\n  media: \" Media\"\n", "mission.yaml:8:10: the sector 'media': a sector's "
                                        "words must not start or end with a space"),
    ("sectors:\n  Media: Media\n", "mission.yaml:8:3: each sector must be lower-case"),
    ("sectors:\n  media: Media\n  press: media\n", "mission.yaml:9:10: the sectors 'media' "
                                                   "and 'press' would both show as 'media'"),
    ("sectors: [public-sector, Public sector]\n", "mission.yaml:7:26: each sector must be "
                                                  "lower-case"),
])
def test_a_sectors_words_are_one_line_of_their_own(sectors: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_mission(entry() + sectors, "mission.yaml")


def test_yaml_1_2_reads_no_as_text() -> None:
    mission = parse_mission(with_sectors(entry(title="NO", principles="[NO, 'off']")),
                            "mission.yaml")
    assert mission.current.title == "NO"
    assert mission.current.principles == ("NO", "off")


@pytest.mark.parametrize("count", [1, 2, 10, 11, 25])
def test_a_version_may_have_any_number_of_principles(count: int) -> None:
    principles = ", ".join(f"principle {n}" for n in range(count))
    mission = parse_mission(with_sectors(entry(principles=f"[{principles}]")), "mission.yaml")
    assert len(mission.current.principles) == count


@pytest.mark.parametrize(("count", "phrase"), [
    (1, "one principle"), (2, "two principles"), (10, "ten principles"),
    (20, "twenty principles"), (21, "21 principles")])
def test_principles_are_counted_in_words(count: int, phrase: str) -> None:
    assert principles_phrase(count) == phrase


def test_the_real_mission_reads_as_pyyaml_read_it(mission: Mission) -> None:
    """The same text as before the switch to the YAML 1.2 reader: no byte of the site moves."""
    import yaml

    data = yaml.safe_load((ROOT / "mission.yaml").read_text(encoding="utf-8"))
    for version, raw in zip(mission.versions, data["versions"], strict=True):
        assert (version.version, version.date, version.title, version.status,
                version.source, version.changes, list(version.principles)) == (
            raw["version"], raw["date"], raw["title"], raw.get("status", ""),
            raw.get("source", ""), raw["changes"], raw["principles"])


def test_mission_file_lives_at_the_root() -> None:
    assert Path(ROOT / "mission.yaml").is_file()


# --- drafts and errata ---------------------------------------------------------------------
DRAFT = ("  - version: 2\n    draft: true\n    title: t2\n    changes: c2\n"
         "    principles: [p, q]\n")


def test_a_draft_is_apart_from_the_published_versions() -> None:
    """Everything that reads `versions`, `current` or `numbers` reads published versions:
    the draft is only `draft`, and the caches' keys (`published()`) do not see it."""
    plain = parse_mission(with_sectors(entry()), "mission.yaml")
    mission = parse_mission(with_sectors(entry() + DRAFT + "    discussion: "
                                         "https://github.com/o/r/issues/7\n"), "mission.yaml")
    assert mission.numbers == (1,)
    assert mission.current.version == 1
    assert mission.get(2) is None
    assert mission.draft is not None
    assert mission.draft.text.principles == ("p", "q")
    assert mission.draft.text.discussion == "https://github.com/o/r/issues/7"
    assert not mission.draft.dated
    assert mission.draft.text.date == mission.current.date  # undated: the previous one's
    assert mission.published() == plain
    assert repr(mission.published()) == repr(plain)
    assert mission_fingerprint(mission) == mission_fingerprint(plain)


def test_publishing_a_draft_is_removing_draft_and_giving_a_date() -> None:
    published = DRAFT.replace("    draft: true\n", "    date: 2024-02-01\n")
    mission = parse_mission(with_sectors(entry() + published), "mission.yaml")
    assert mission.numbers == (1, 2)
    assert mission.draft is None
    dated = parse_mission(with_sectors(entry() + DRAFT + "    date: 2024-03-01\n"),
                          "mission.yaml")
    assert dated.draft is not None and dated.draft.dated
    assert dated.draft.text.date.isoformat() == "2024-03-01"


def test_the_discussion_must_be_on_the_registrys_repository() -> None:
    mission = parse_mission(with_sectors(entry(discussion="https://github.com/o/r/issues/7")
                                         + DRAFT + "    discussion: "
                                         "https://github.com/o/other/pull/8\n"),
                            "mission.yaml")
    assert mission.discussion_problems("https://github.com/o/r") == [
        "mission.yaml: version 2's 'discussion' must be an address on the registry's "
        "repository (https://github.com/o/r/...): got https://github.com/o/other/pull/8"]
    assert mission.discussion_problems("https://github.com/o/other/") == [
        "mission.yaml: version 1's 'discussion' must be an address on the registry's "
        "repository (https://github.com/o/other/...): got https://github.com/o/r/issues/7"]


def test_errata_are_notes_beside_a_published_text() -> None:
    mission = parse_mission(with_sectors(entry(errata="[\"'it's audience': read 'its "
                                                      "audience'\"]")), "mission.yaml")
    assert mission.current.errata == ("'it's audience': read 'its audience'",)
    assert mission.current.principles == ("p",)


DISCUSSION_RULE = "version 2: 'discussion' must be the address of a page on the registry's"


@pytest.mark.parametrize(("text", "message"), [
    (entry() + DRAFT + DRAFT.replace("version: 2", "version: 3"),
     "mission.yaml:12:5: version 3 follows the draft (version 2): a draft is always the last"),
    (DRAFT.replace("version: 2", "version: 1").replace("  - ", "versions:\n  - ", 1),
     "mission.yaml:2:5: version 1 is a draft with no version published before it"),
    (DRAFT.replace("version: 2", "version: 1").replace("  - ", "versions:\n  - ", 1)
     + "    date: 2024-01-01\n", "mission.yaml:2:3: there is no version published"),
    (entry() + DRAFT.replace("true", "false"), "mission.yaml:8:12: version 2: 'draft' must "
                                               "be true"),
    (entry() + DRAFT.replace("true", "yes"), "'draft' must be true (a version being proposed)"),
    (entry() + DRAFT.replace("draft: true", "date: 2023-12-01"),
     "mission.yaml:7:5: version 2 is dated 2023-12-01, before version 1"),
    (entry() + DRAFT + "    date: 2023-12-01\n", "version 2 is dated 2023-12-01, before"),
    (entry() + DRAFT.replace("draft: true", "drafts: true"),
     "the unknown key 'drafts' (did you mean 'draft'?)"),
    (entry() + DRAFT + "    errata: [x]\n",
     "mission.yaml:12:5: version 2 is a draft: correct its text instead of giving 'errata'"),
    (entry(errata="[]"), "mission.yaml:7:13: version 1 must have one or more errata"),
    (entry(errata="['']"), "mission.yaml:7:14: version 1: each erratum must be text"),
    (entry(errata="[" + "x" * 501 + "]"), "version 1: an erratum is at most 500 characters"),
    (entry() + DRAFT + "    discussion: http://github.com/o/r/issues/1\n", DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: https://gitlab.com/o/r/issues/1\n", DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: https://github.com/o/r\n", DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: https://github.com/o/r/\n", DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: \"https://github.com/o/r/issues/1 x\"\n",
     DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: \"https://github.com/o/r/issues/1\\u202e\"\n",
     DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: [x]\n", DISCUSSION_RULE),
    (entry() + DRAFT + "    discussion: https://github.com/o/r/issues/1)[x](y\n",
     DISCUSSION_RULE),
])
def test_a_broken_draft_is_refused_with_its_place(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_mission(with_sectors(text), "mission.yaml")


def test_the_discussion_is_compared_with_the_repository_as_github_does() -> None:
    """Owner and name in any case, the settings' address with '.git' or a final '/'."""
    mission = parse_mission(with_sectors(entry(discussion="https://github.com/Org/Reg/"
                                                          "discussions/3")), "mission.yaml")
    for repository in ("https://github.com/org/reg", "https://github.com/ORG/Reg.git",
                       "https://github.com/org/reg/"):
        assert mission.discussion_problems(repository) == [], repository
    assert mission.discussion_problems("https://github.com/org/re") != []


def test_the_operators_guide_lists_every_key_of_a_version() -> None:
    """OPERATORS.md's table of a version's keys is mission.yaml's, in the reader's order."""
    guide = (ROOT / "OPERATORS.md").read_text(encoding="utf-8")
    section = guide.split("## Changing the mission: drafts and new versions\n", 1)[1]
    table = section.split("\n\n", 2)[1]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert listed == list(VERSION_KEYS)

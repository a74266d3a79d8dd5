"""The mission's translations: the fixtures read as translations, every refusal at once
with its file and line, the language tags taken and refused, the direction's rule against
CLDR and Unicode, the schema and the guide's table derived from the field table, and the
validator and the build that refuse a bad translation."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import babel.localedata
import pycountry
import pytest
import regex
import yaml
from babel import Locale
from jsonschema import Draft202012Validator

from conftest import ROOT, TESTS, Registry
from git_support import mission_v2
from socialmission.check import translations as t
from socialmission.check.translations import check_translations, of_version
from socialmission.cli import main
from socialmission.mkdocs import uptodate
from socialmission.model import paths
from socialmission.model.filetree import DiskTree
from socialmission.model.mission import Mission, load_mission, mission_from_bytes
from socialmission.model.translation import (
    RTL_LANGUAGES,
    RTL_SCRIPTS,
    TAG_PATTERN,
    TAG_RULE,
    Tag,
    TagError,
    direction,
    parse_tag,
)
from socialmission.site.generator import GenerationError, load_translations

FIXTURES = TESTS / "fixtures"
GOOD = FIXTURES  # holds translations/: v1/ar.yaml and v1/fr.yaml
REFUSED = FIXTURES / "refused-translations"
FOLDER = Path(paths.TRANSLATIONS_DIR)
DAY = dt.date(2026, 12, 1)  # the day the checks are run on
# The real mission, with a published version 2 (one principle) and a draft version 3.
DRAFTED = mission_from_bytes((mission_v2() + "\n".join([
    "  - version: 3", "    draft: true", "    title: Next", "    changes: Proposed.",
    "    principles:", "      - One.", ""])).encode(), "mission.yaml")


def real_mission() -> Mission:
    return load_mission(ROOT)


# --- what a translation holds ----------------------------------------------------------------
def test_the_fixtures_read_as_translations_each_with_its_direction() -> None:
    report = check_translations(real_mission(), FOLDER, DiskTree(GOOD), on=DAY)
    assert report.problems == [] and report.checked == 2
    arabic, french = report.translations
    assert (arabic.language, arabic.direction, arabic.language_name) == ("ar", "rtl", "العربية")
    assert (french.language, french.direction, french.path) == (
        "fr", "ltr", "translations/v1/fr.yaml")
    assert french.version == 1 and french.title == "La Mission sociale de Socially-M"
    assert len(french.principles) == len(real_mission().get(1).principles)  # type: ignore[union-attr]
    assert french.principles[1].startswith("Les réseaux sociaux sont un organisme")
    assert (french.translator, french.reviewer, french.updated) == (
        "Marie Dupont", "Jean Martin", dt.date(2026, 11, 30))
    assert of_version(report.translations, 1) == [arabic, french]
    assert of_version(report.translations, 2) == []


def test_no_folder_no_translations(tmp_path: Path) -> None:
    report = check_translations(real_mission(), FOLDER, DiskTree(tmp_path), on=DAY)
    assert (report.translations, report.problems, report.checked) == ([], [], 0)


# --- every refusal at once, each at its file and line ---------------------------------------
ONLY_VERSIONS = ("only a folder for each translated version ('v<N>/', such as 'v1/', its "
                 "number as mission.yaml gives it) belongs in translations/: rename, move or "
                 "delete it")
REFUSALS = [
    # anything but a version's folder
    ("translations/notes.txt", 0, 0, ONLY_VERSIONS),
    ("translations/v01", 0, 0, ONLY_VERSIONS),
    # a number of principles other than the version's
    ("translations/v1/de.yaml", 4, 1, "version 1 has ten principles and this translation 9: "
                                      "translate each principle once, in the version's order"),
    # a language that is not the file's name
    ("translations/v1/es.yaml", 1, 11, "the language is 'fr' but the file is named es.yaml: "
                                       "name the file fr.yaml, or give the language it is in"),
    # reviewed by its translator (names equal ignoring case), and dated in the future
    ("translations/v1/he.yaml", 43, 11, "the reviewer must be another person than the "
                                        "translator: a second reader of the language"),
    ("translations/v1/he.yaml", 44, 10, "'updated' is 2099-01-01, in the future: give the day "
                                        "the translation last changed"),
    # a missing key, an empty value, an unknown key
    ("translations/v1/it.yaml", 1, 1, "'translator' is missing: add a 'translator:' line"),
    ("translations/v1/it.yaml", 3, 7, "'title' must be text, not empty"),
    ("translations/v1/it.yaml", 42, 1, "unknown key 'translater' (did you mean 'translator'?): "
                                       "a translation holds language, language_name, title, "
                                       "principles, translator, reviewer, updated"),
    # hostile YAML
    ("translations/v1/nl.yaml", 3, 8, "anchors (&t) are not allowed: write each value out in "
                                      "full"),
    # a tag out of its conventional case, and the same language given twice in one version
    ("translations/v1/pt-br.yaml", 1, 11, "'language': write the tag 'pt-br' in its "
                                          "conventional case, 'pt-BR': the language in lower "
                                          "case, the script with a capital, the region in "
                                          "capitals"),
    ("translations/v1/pt-br.yaml", 1, 11, "version 1 is translated into 'pt-br' twice, here "
                                          "and in translations/v1/pt-BR.yaml (tags equal "
                                          "ignoring case are one language): keep one"),
    # a language ISO 639 does not know, and an invisible character
    ("translations/v1/xx.yaml", 1, 11, f"'language': 'xx': ISO 639 has no language 'xx': "
                                       f"write {TAG_RULE}"),
    ("translations/v1/xx.yaml", 5, 5, "principle 1 must not contain an invisible formatting "
                                      "character (bidirectional or zero-width) (U+200B): "
                                      "delete it"),
    # a draft, and a version that does not exist
    ("translations/v3/fr.yaml", 0, 0, "version 3 is the draft, not yet published: translate "
                                      "it once it is published"),
    ("translations/v9/fr.yaml", 0, 0, "there is no version 9 of the mission (the published "
                                      "ones are 1, 2): put the translation in the folder of "
                                      "the version it translates"),
]


def test_every_refusal_at_once_each_at_its_file_and_line() -> None:
    report = check_translations(DRAFTED, FOLDER, DiskTree(REFUSED), on=DAY)
    assert [(p.path, p.line, p.column, p.message) for p in report.problems] == REFUSALS
    assert [tr.path for tr in report.translations] == ["translations/v1/pt-BR.yaml"]
    assert report.checked == 10


def _one_file(tmp_path: Path, data: bytes | None, name: str = "fr.yaml") -> list[str]:
    """The problems of one file of version 1's folder, as text (None: a link to fr's)."""
    folder = tmp_path / paths.translation_folder(1)
    folder.mkdir(parents=True)
    if data is None:
        (folder / name).symlink_to(GOOD / paths.translation_file(1, "fr"))
    else:
        (folder / name).write_bytes(data)
    report = check_translations(real_mission(), FOLDER, DiskTree(tmp_path), on=DAY)
    return [p.as_text() for p in report.problems]


FRENCH = (GOOD / paths.translation_file(1, "fr")).read_bytes()


@pytest.mark.parametrize(("data", "said"), [
    (b"#" * (64 * 1024 + 1), "translations/v1/fr.yaml: the file is 65537 bytes; a translation "
                             "may be at most 65536 bytes: shorten its texts"),
    (None, "translations/v1/fr.yaml: the file is a symbolic link: commit the translation "
           "itself"),
    (b"", "translations/v1/fr.yaml: the file is empty: start from another translation of its "
          "version, or from mission.yaml"),
    (b"language: fr\xff\n", "translations/v1/fr.yaml:1:1: the file is not UTF-8 text (byte "
                            "13): save it as UTF-8"),
    (b"- a\n- b\n", "translations/v1/fr.yaml:1:1: a translation is a mapping of keys: "
                    "language, language_name, title, principles, translator, reviewer, "
                    "updated"),
    (FRENCH.replace(b"title: La", b"title: !!str La"),
     "translations/v1/fr.yaml:5:8: YAML tags (tag:yaml.org,2002:str) are not allowed: remove "
     "the tag; put the value in quotes if it is text"),
    (FRENCH.replace(b"language: fr\n", b"language: fr\nlanguage: fr\n"),
     "translations/v1/fr.yaml:4:1: 'language' is given twice (first on line 3): keep one"),
    (FRENCH.replace(b"  - >-\n    Les r\xc3\xa9seaux sociaux vivent", b"  - |-\n    Les r"
                    b"\xc3\xa9seaux sociaux vivent"),
     "translations/v1/fr.yaml:7:5: principle 1 breaks a line: a principle is one paragraph: "
     "start it with '>-' on the item's line, so that its lines join"),
    (FRENCH.replace(b"updated: 2026-11-30", b"updated: 2023-09-30"),
     "translations/v1/fr.yaml:46:10: 'updated' is 2023-09-30, before version 1 was "
     "published (2023-10-01)"),
    (FRENCH.replace(b"Marie Dupont", b"M" * 101),
     "translations/v1/fr.yaml:44:13: 'translator' is 101 characters long; the limit is 100"),
])
def test_a_file_refused_whole_or_at_its_line(tmp_path: Path, data: bytes | None,
                                             said: str) -> None:
    assert _one_file(tmp_path, data) == [said]


def test_a_stray_file_in_a_versions_folder_is_refused(tmp_path: Path) -> None:
    assert _one_file(tmp_path, b"notes\n", "notes.txt") == [
        "translations/v1/notes.txt: only translations belong in v1/, each named after its "
        "language ('<language>.yaml', such as 'fr.yaml'): rename, move or delete it"]


# --- language tags and their direction ------------------------------------------------------
@pytest.mark.parametrize(("tag", "way"), [
    ("fr", "ltr"), ("pt-BR", "ltr"), ("zh-Hant", "ltr"), ("sr-Latn-RS", "ltr"),
    ("es-419", "ltr"), ("de-CH-1901", "ltr"), ("en-US-u-ca-gregory", "ltr"), ("yue", "ltr"),
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ar-EG", "rtl"),
    ("pa-Arab", "rtl"), ("az-Arab", "rtl"), ("ks-Deva", "ltr"), ("ar-Latn", "ltr"),
])
def test_a_tag_taken_and_its_direction(tag: str, way: str) -> None:
    assert direction(parse_tag(tag)) == way
    assert re.fullmatch(TAG_PATTERN, tag)  # the schema takes it too


@pytest.mark.parametrize(("tag", "said"), [
    ("", "'' is not a BCP 47 language tag"),
    ("fr-", "'fr-' is not a BCP 47 language tag"),
    ("fr_FR", "'fr_FR' is not a BCP 47 language tag"),
    ("en-" + "a" * 40, "'en-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a BCP 47 language tag"),
    ("FR", "write the tag 'FR' in its conventional case, 'fr'"),
    ("zh-hant", "write the tag 'zh-hant' in its conventional case, 'zh-Hant'"),
    ("fra", "'fra': write French with its two-letter code, 'fr', as BCP 47 asks"),
    ("qq", "'qq': ISO 639 has no language 'qq'"),
    ("fr-Qqqq", "'fr-Qqqq': ISO 15924 has no script 'Qqqq'"),
    ("fr-QQ", "'fr-QQ': there is no region 'QQ'"),
    ("es-999", "'es-999': there is no region '999'"),
    ("zh-yue", "'zh-yue' has an extended language or private-use subtag"),
    ("fr-x-mine", "'fr-x-mine' has an extended language or private-use subtag"),
    ("x-mine", "'x-mine' is a grandfathered or private-use tag"),
    ("i-klingon", "'i-klingon' is a grandfathered or private-use tag"),
    ("de-1901-1901", "'de-1901-1901' gives a variant or an extension twice"),
    ("en-u-ca-x-u-nu", "'en-u-ca-x-u-nu' has an extended language or private-use subtag"),
    ("en-u-ca-gregory-u-nu-latn", "'en-u-ca-gregory-u-nu-latn' gives a variant or an "
                                  "extension twice"),
])
def test_a_tag_refused_says_why(tag: str, said: str) -> None:
    with pytest.raises(TagError) as caught:
        parse_tag(tag)
    assert str(caught.value).startswith(said)
    iso_only = ("fra", "qq", "fr-Qqqq", "fr-QQ", "es-999", "de-1901-1901",
                "en-u-ca-gregory-u-nu-latn")  # ISO's lists, and repeats: the validator's
    assert (re.fullmatch(TAG_PATTERN, tag) is not None) is (tag in iso_only)


def test_the_languages_direction_is_cldrs_for_every_locale_it_has() -> None:
    """Every locale of Unicode CLDR (babel's copy), its identifier written as a tag: the
    rule says the direction CLDR gives its text (HTML's `dir` is one of two: a script
    CLDR writes top to bottom, Mongolian's, runs its lines left to right); and the
    languages written right to left without a script are exactly RTL_LANGUAGES."""
    wrong, rtl = [], set()
    for identifier in babel.localedata.locale_identifiers():
        locale = Locale.parse(identifier)
        tag = parse_tag_loosely(identifier)
        if tag is None:
            continue
        if direction(tag) != ("rtl" if locale.text_direction == "rtl" else "ltr"):
            wrong.append(identifier)
        if locale.script is None and locale.text_direction == "rtl":
            rtl.add(locale.language)
    assert wrong == []
    assert rtl == RTL_LANGUAGES


def parse_tag_loosely(identifier: str) -> Tag | None:
    """A CLDR identifier as a tag, when the registry takes it (CLDR has a few languages
    ISO 639 lacks, and 'root')."""
    try:
        return parse_tag(identifier.replace("_", "-").replace("-POSIX", "-posix"))
    except TagError:
        return None


def test_the_right_to_left_scripts_are_unicodes() -> None:
    """A script Unicode encodes is in RTL_SCRIPTS exactly when most of its letters are
    right to left (bidirectional class R or AL, in this Python's Unicode data); the others
    listed are ones this Unicode data does not encode: ISO 15924's variants of Arabic and
    Syriac (written with those scripts' letters), Book Pahlavi (never encoded) and Garay
    (Unicode 16)."""
    letters = "".join(chr(code) for code in range(sys.maxunicode + 1)
                      if unicodedata.category(chr(code)).startswith("L"))
    known, wrong = set(), []
    for code in sorted({script.alpha_4 for script in pycountry.scripts}):
        try:
            found = regex.findall(rf"\p{{Script={code}}}", letters)
        except regex.error:
            continue  # not a script Unicode encodes as such
        if not found:
            continue
        known.add(code)
        rtl = sum(unicodedata.bidirectional(ch) in ("R", "AL") for ch in found) > len(found) / 2
        if rtl != (code in RTL_SCRIPTS):
            wrong.append(code)
    assert wrong == []
    assert RTL_SCRIPTS - known <= {"Aran", "Syre", "Syrj", "Syrn", "Phlv", "Gara"}


# --- what derives from the field table ------------------------------------------------------
def test_the_committed_schema_is_the_field_tables() -> None:
    assert (ROOT / paths.TRANSLATION_SCHEMA_FILE).read_text(encoding="utf-8") == t.schema_text()
    assert list(t.schema()["properties"]) == [entry.name for entry in t.FIELDS]


def test_the_schema_takes_the_fixtures_and_refuses_what_the_reader_refuses() -> None:
    validator = Draft202012Validator(t.schema())
    for language in ("ar", "fr"):
        document = yaml.safe_load((GOOD / paths.translation_file(1, language)).read_text())
        document["updated"] = document["updated"].isoformat()
        assert list(validator.iter_errors(document)) == []
        for broken in ({**document, "translater": "x"}, {**document, "language": "pt-br"},
                       {k: v for k, v in document.items() if k != "reviewer"},
                       {**document, "title": " "}):
            assert list(validator.iter_errors(broken)), broken


def test_the_signatories_guide_has_the_field_tables_table() -> None:
    guide = (ROOT / paths.SIGNATORIES_GUIDE).read_text(encoding="utf-8")
    assert t.fields_table() in guide, f"CONTRIBUTING.md's table should read:\n{t.fields_table()}"


# --- the validator and the build --------------------------------------------------------------
def test_validate_refuses_a_bad_translation_whatever_the_paths(
        registry: Registry, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(GOOD / paths.TRANSLATIONS_DIR, registry.root / paths.TRANSLATIONS_DIR)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 1).timestamp())))
    monkeypatch.chdir(registry.root)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == "2 files checked: all good.\n"
    french = registry.root / paths.translation_file(1, "fr")
    french.write_text(french.read_text(encoding="utf-8").replace("language: fr", "language: de"),
                      encoding="utf-8")
    for given in ([], ["pledges"], [paths.translation_file(1, "fr")]):
        assert main(["validate", *given]) == 1
        assert capsys.readouterr().out == (
            "translations/v1/fr.yaml:3:11: the language is 'de' but the file is named fr.yaml: "
            "name the file de.yaml, or give the language it is in\n"
            "1 problem in 1 of 2 files.\n")


def test_the_build_refuses_a_bad_translation_and_reads_the_folder_as_an_input(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 1).timestamp())))
    shutil.copytree(GOOD / paths.TRANSLATIONS_DIR, registry.root / paths.TRANSLATIONS_DIR)
    mission = real_mission()
    assert [tr.language for tr in load_translations(registry.root, mission)] == ["ar", "fr"]
    before = uptodate.stamp(registry.root, "mkdocs", "https://example.org/")
    (registry.root / paths.translation_folder(1) / "de.yaml").write_text("language: de\n")
    assert uptodate.stamp(registry.root, "mkdocs", "https://example.org/") != before
    with pytest.raises(GenerationError) as caught:
        load_translations(registry.root, mission)
    said = str(caught.value)
    assert said.startswith("the mission's translations have problems; nothing was published:")
    assert "translations/v1/de.yaml:1:1: 'title' is missing: add a 'title:' line" in said

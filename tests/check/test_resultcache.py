"""The build's result cache (check/resultcache.py): a second run reads every clean pledge
from it and reports exactly what a run without it reports; whatever a pledge was checked
with changing makes it checked again; the cache is never read by `socialmission validate`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import NAME_FITS, ROOT, VALID
from sample_registry import sample_registry, write_png
from socialmission.check import resultcache
from socialmission.check.validate import Report, validate
from socialmission.cli import main
from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission
from socialmission.site import opendata
from socialmission.site.generator import load_pledges

DAY = dt.date(2026, 6, 1)
# A withdrawn and redacted pledge (a tombstone): the fields a cached entry may lack.
TOMBSTONE = """\
signed: 2024-01-10
mission_version: 1
status: withdrawn
withdrawn: 2024-05-01
redacted: 2024-06-01
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = sample_registry(tmp_path / "registry")
    (root / "pledges" / "gone-signatory.yaml").write_text(TOMBSTONE, encoding="utf-8")
    return root


def run(root: Path, *, cache: bool = True, day: dt.date = DAY,
        mission: Mission | None = None) -> Report:
    return validate([paths.pledges_dir(root)], mission or load_mission(root), on=day,
                    name_fits=NAME_FITS, workers=1,
                    cache=paths.validation_cache(root) if cache else None)


def results_file(root: Path) -> Path:
    return paths.validation_cache(root) / resultcache.RESULTS_FILE


def entries(root: Path) -> dict[str, dict[str, Any]]:
    """The cache file's entries, decoded, by key."""
    lines = results_file(root).read_text(encoding="ascii").splitlines()
    assert lines[0] == resultcache.HEADER
    return {key: json.loads(entry) for key, entry in (line.split(" ", 1) for line in lines[1:])}


def write_entries(root: Path, found: dict[str, Any]) -> None:
    """The cache file holding these entries (a planted or damaged one)."""
    results_file(root).write_text("\n".join(
        [resultcache.HEADER, *(f"{key} {json.dumps(entry, sort_keys=True, separators=(',', ':'))}"
                                for key, entry in found.items())]),
        encoding="ascii")


def same(cached: Report, cold: Report) -> None:
    """Two reports are the same, to the positions of the fields and the published data."""
    assert cached.pledges == cold.pledges
    assert [p.positions for p in cached.pledges] == [p.positions for p in cold.pledges]
    assert [p.path for p in cached.pledges] == [p.path for p in cold.pledges]
    assert (cached.problems, cached.notes, cached.warnings, cached.checked) == \
        (cold.problems, cold.notes, cold.warnings, cold.checked)
    mission = load_mission(Path(cold.pledges[0].path).parent.parent)
    assert opendata.api_files(cached.pledges, mission, "https://example.org/", {}) == \
        opendata.api_files(cold.pledges, mission, "https://example.org/", {})
    assert opendata.directory_data(cached.pledges) == opendata.directory_data(cold.pledges)


def test_a_second_run_reads_every_pledge_from_the_cache_and_reports_the_same(
        root: Path) -> None:
    cold = run(root, cache=False)
    assert cold.ok and len(cold.pledges) == 13 and cold.cached == 0
    first = run(root)
    assert first.cached == 0 and results_file(root).is_file()
    second = run(root)
    assert second.cached == 13
    same(second, cold)
    same(first, cold)


def test_the_cache_file_is_the_same_bytes_for_the_same_registry(tmp_path: Path,
                                                               root: Path) -> None:
    run(root)
    written = results_file(root).read_bytes()
    other = sample_registry(tmp_path / "elsewhere")
    shutil.copy(root / "pledges" / "gone-signatory.yaml", other / "pledges")
    run(other)
    assert results_file(other).read_bytes() == written
    before = results_file(root).stat().st_mtime_ns
    run(root)  # nothing changed: nothing written
    assert results_file(root).stat().st_mtime_ns == before


def test_editing_one_pledge_checks_only_that_one_again(root: Path) -> None:
    run(root)
    path = root / "pledges" / "ana-perez.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: individual",
                                                             "kind: individual\n"),
                    encoding="utf-8")
    edited = run(root)
    assert edited.cached == 12
    same(edited, run(root, cache=False))
    # and a pledge edited into a broken one is refused, never taken from the cache
    path.write_text(path.read_text(encoding="utf-8").replace("kind: individual",
                                                             "kind: individul"),
                    encoding="utf-8")
    broken = run(root)
    assert broken.cached == 12
    assert [(Path(p.path).name, p.message[:30]) for p in broken.problems] == [
        ("ana-perez.yaml", "'kind' must be one of organisa")]
    same(broken, run(root, cache=False))


def test_the_same_bytes_under_another_file_name_are_checked_again(root: Path) -> None:
    run(root)
    pledges = root / "pledges"
    (pledges / "ana-perez.yaml").rename(pledges / "Ana_Perez.yaml")
    renamed = run(root)
    assert renamed.cached == 12
    assert [Path(p.path).name for p in renamed.problems] == ["Ana_Perez.yaml"]


def test_a_changed_mission_checks_every_pledge_again(root: Path) -> None:
    run(root)
    mission = root / paths.MISSION_FILE
    text = mission.read_text(encoding="utf-8")
    mission.write_text(text.replace("date: 2023-10-01", "date: 2024-01-01", 1),
                       encoding="utf-8")
    changed = run(root)
    assert changed.cached == 0
    same(changed, run(root, cache=False))
    # the pledges signed before the new date are refused, as without the cache
    assert changed.problems and all("before mission version 1" in p.message
                                    for p in changed.problems)


def test_a_removed_sector_refuses_its_pledges_from_the_cache_too(root: Path) -> None:
    """The sectors are the mission file's: removing one a cached pledge names refuses that
    pledge, as without the cache."""
    run(root)
    mission = root / paths.MISSION_FILE
    text = mission.read_text(encoding="utf-8")
    assert "\n  media: Media\n" in text
    mission.write_text(text.replace("\n  media: Media\n", "\n", 1), encoding="utf-8")
    changed = run(root)
    assert changed.cached == 0
    same(changed, run(root, cache=False))
    assert changed.problems and all(p.message.startswith("'sector' must be one of ")
                                    and p.message.endswith("got 'media'")
                                    for p in changed.problems)


def test_another_validator_checks_every_pledge_again(root: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    run(root)
    monkeypatch.setattr(resultcache, "validator_fingerprint", lambda: "a rule changed")
    assert run(root).cached == 0
    assert run(root).cached == 13  # and the cache now holds what that validator found


def test_the_validator_fingerprint_covers_every_rule_and_its_data() -> None:
    modules = {path.name for path in resultcache.validator_modules()}
    package = Path(resultcache.__file__).parent.parent
    for folder in ("check", "model"):
        assert {p.name for p in (package / folder).glob("*.py")} <= modules
    assert {"confusables.txt", "errors.py", "__init__.py"} <= modules
    assert len(resultcache.validator_fingerprint()) == 64
    # the libraries whose data the rules read: public suffixes, IDNA, country codes
    assert {"idna", "publicsuffixlist", "pycountry"} <= set(
        resultcache._required_distributions())


def test_a_changed_logo_is_checked_whatever_the_cache_holds(root: Path) -> None:
    run(root)
    write_png(root / "pledges" / "logos" / "northwind-media.png", 2000)  # over the cap
    report = run(root)
    assert report.cached == 13
    assert [(Path(p.path).name, "2000x2000" in p.message) for p in report.problems] == [
        ("northwind-media.yaml", True)]
    same(report, run(root, cache=False))


def test_a_look_alike_added_beside_a_cached_pledge_is_still_reported(root: Path) -> None:
    run(root)
    # 'Northwind Media' with a Cyrillic 'о': a new pledge, and the cached one is refused too
    (root / "pledges" / "northwind-copy.yaml").write_text(
        VALID.replace("Harbour Media Ltd", "N\u043erthwind Media")
        .replace("www.example.net", "copy.example.net"), encoding="utf-8")
    report = run(root)
    assert report.cached == 13
    assert sorted(Path(p.path).name for p in report.problems) == [
        "northwind-copy.yaml", "northwind-media.yaml"]
    same(report, run(root, cache=False))


def test_a_name_the_registry_keeps_is_still_a_caution(root: Path) -> None:
    run(root)
    names = [("the issuer's name", "Northwind Media")]
    mission = load_mission(root)
    report = validate([paths.pledges_dir(root)], mission, on=DAY, name_fits=NAME_FITS,
                      settings_names=names, cache=paths.validation_cache(root))
    assert report.cached == 13
    assert [Path(p.path).name for p in report.warnings] == ["northwind-media.yaml"]


def test_a_pledge_cached_on_a_later_day_is_checked_again_on_an_earlier_one(
        root: Path) -> None:
    (root / "pledges" / "late-signatory.yaml").write_text(
        VALID.replace("Harbour Media Ltd", "Late Signatory")
        .replace("www.example.net", "late.example.net")
        .replace("signed: 2024-05-16", "signed: 2026-06-01"), encoding="utf-8")
    assert "signed: 2026-06-01" in (root / "pledges" / "late-signatory.yaml").read_text()
    assert run(root).ok
    earlier = run(root, day=DAY - dt.timedelta(days=1))
    assert earlier.cached == 13
    assert [(Path(p.path).name, p.message[:25]) for p in earlier.problems] == [
        ("late-signatory.yaml", "'signed' is in the future")]


@pytest.mark.parametrize("damage", ["truncated", "not text", "another format", "a list",
                                    "a folder"])
def test_a_damaged_cache_is_an_empty_one_and_is_written_again(root: Path,
                                                              damage: str) -> None:
    run(root)
    path = results_file(root)
    good = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "not text":
        path.write_bytes(b"\xff\xfe" + good)
    elif damage == "another format":
        path.write_bytes(good.replace(resultcache.HEADER.encode(), b'{"format":0}'))
    elif damage == "a list":
        path.write_text("[]", encoding="utf-8")
    else:
        path.unlink()
        path.mkdir()
    report = run(root)
    # the whole lines before a tear are read; the torn one is a miss, as is all of the rest
    assert 0 < report.cached < 13 if damage == "truncated" else report.cached == 0
    same(report, run(root, cache=False))
    if damage != "a folder":
        assert path.read_bytes() == good


@pytest.mark.parametrize(("field", "value"), [
    ("name", 123), ("website", "https://example.org/"), ("signed", "2024-1-1"),
    ("signed", "20240101"), ("mission_version", True), ("maintainers", "harbour"),
    ("social", {"mastodon": ["https://m.example/@a", "m.example", "m.example"]}),
    ("unknown", "x"), ("kind", "individual"),  # a second 'kind'
])
def test_an_entry_that_is_not_what_the_cache_writes_is_a_miss(root: Path, field: str,
                                                              value: object) -> None:
    run(root)
    path = results_file(root)
    good = path.read_bytes()
    found = entries(root)
    damaged = next(key for key, entry in sorted(found.items())
                   if any(f[0] == "social" for f in entry["fields"]))
    fields = found[damaged]["fields"]
    if field in ("unknown", "kind"):
        fields.append([field, 1, 1, value])
    else:
        (at,) = [i for i, f in enumerate(fields) if f[0] == field]
        fields[at][3] = value
    write_entries(root, found)
    report = run(root)
    assert report.cached == 12
    same(report, run(root, cache=False))
    assert path.read_bytes() == good  # the entry written anew


@pytest.mark.parametrize("damage", ["no position", "line 0", "three items", "not a list"])
def test_a_field_without_its_place_is_a_miss(root: Path, damage: str) -> None:
    run(root)
    found = entries(root)
    fields = next(iter(found.values()))["fields"]
    if damage == "no position":
        fields[0][1:3] = []
    elif damage == "line 0":
        fields[0][1] = 0
    elif damage == "three items":
        del fields[0][3]
    else:
        next(iter(found.values()))["fields"] = {"signed": "2024-01-01"}
    write_entries(root, found)
    assert run(root).cached == 12


def test_a_cached_result_is_the_one_phase_1_returned_order_included(root: Path) -> None:
    cold = run(root, cache=False)
    run(root)
    cached = run(root)
    assert cached.cached == 13
    assert [list(p.positions.items()) for p in cached.pledges] == \
        [list(p.positions.items()) for p in cold.pledges]


def hostile_entry(root: Path, slug: str) -> None:
    """An entry, keyed by the file's real content, claiming a broken pledge is valid."""
    run(root)
    cache = resultcache.ResultCache(paths.validation_cache(root), load_mission(root), DAY)
    good = entries(root)
    claim = next(iter(good.values()))
    pledge = root / "pledges" / f"{slug}.yaml"
    pledge.write_text("name: [not, a, name]\n", encoding="utf-8")
    write_entries(root, {**good, cache.key(pledge, pledge.read_bytes()): claim})


def test_socialmission_validate_never_reads_the_cache(root: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    hostile_entry(root, "ana-perez")
    assert main(["--root", str(root), "validate", str(root / "pledges")]) == 1
    assert "ana-perez.yaml:1:7: 'name' must be text" in capsys.readouterr().out


def test_the_build_keeps_its_pledges_in_the_cache(root: Path) -> None:
    mission = load_mission(root)
    cold = load_pledges(root, mission, cache=False)
    assert not results_file(root).exists()
    assert load_pledges(root, mission) == cold
    assert len(entries(root)) == 13
    assert load_pledges(root, mission) == cold


def test_only_the_build_reads_the_cache() -> None:
    """check-pr, validate, new, the forms and the life-cycle edits judge untrusted input:
    none of them may be handed the cache. Only the generator names its folder, and only
    validate() opens it."""
    package = Path(resultcache.__file__).resolve().parent.parent
    naming, opening = [], []
    for source in sorted(package.rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        where = source.relative_to(package).as_posix()
        if "validation_cache(" in text or "VALIDATION_CACHE" in text:
            naming.append(where)
        if "ResultCache(" in text:
            opening.append(where)
    assert naming == ["model/paths.py", "site/generator.py"]
    assert opening == ["check/validate.py"]


def test_a_cache_that_cannot_be_kept_only_costs_time(root: Path) -> None:
    (root / ".cache").write_text("a file where the folder would be", encoding="utf-8")
    cold = run(root, cache=False)
    for _ in range(2):
        report = run(root)
        assert report.cached == 0
        same(report, cold)


def test_make_site_validates_without_the_cache_before_it_builds() -> None:
    """The publishing workflows run `make site`: a failing pledge stops it at `validate`,
    which never reads the cache, whatever entry was planted for it (after `derived`, which
    writes the forms, schemas and template and reads no pledge)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("site:")))
    recipe = [line.split()[0:2] for line in lines[start + 1:]
              if line.startswith("\t")][:3]
    assert recipe == [["$(BIN)/socialmission", "derived"], ["$(BIN)/socialmission", "validate"],
                      ["$(BIN)/socialmission", "build"]]


def test_a_file_changed_while_it_is_checked_is_judged_by_the_bytes_its_key_holds(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edited between being hashed and being parsed, a file must not leave its new bytes'
    verdict under its old bytes' key: a broken pledge would pass when those came back."""
    path = root / "pledges" / "ana-perez.yaml"
    fixed = path.read_text(encoding="utf-8")
    broken = fixed.replace("kind: individual", "kind: individul")
    path.write_text(broken, encoding="utf-8")
    hashed = resultcache.ResultCache.lookup

    def lookup_then_fix(self: resultcache.ResultCache, at: Path) -> Any:
        found = hashed(self, at)
        if at == path:
            path.write_text(fixed, encoding="utf-8")  # fixed once its bytes are hashed
        return found

    monkeypatch.setattr(resultcache.ResultCache, "lookup", lookup_then_fix)
    assert [Path(p.path).name for p in run(root).problems] == ["ana-perez.yaml"]
    monkeypatch.undo()
    path.write_text(broken, encoding="utf-8")
    again = run(root)
    assert again.cached == 12
    assert [Path(p.path).name for p in again.problems] == ["ana-perez.yaml"]


def test_every_signatures_status_index_comes_back_from_the_cache(root: Path) -> None:
    (root / "pledges" / "back-again.yaml").write_text(
        VALID.replace("Harbour Media Ltd", "Back Again Ltd")
        .replace("www.example.net", "back-again.example.org")
        + "status_index: 17\nwithdrawn: 2025-01-31\nsigned_again:\n"
          "  - signed: 2025-06-01\n    mission_version: 1\n    status_index: 18\n",
        encoding="utf-8")
    cold = run(root, cache=False)
    run(root)
    cached = run(root)
    assert cached.cached == cold.checked
    (pledge,) = [p for p in cached.pledges if p.slug == "back-again"]
    assert pledge.status_indexes == (17, 18)
    same(cached, cold)

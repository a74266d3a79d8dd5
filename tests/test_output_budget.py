"""The output budget: what a signatory costs the Pages artifact (benchmarks/ledger.py),
with the reserves for what is planned, measured on a 50-signatory build (ledger.build is
the one place that knows how a site is built; the rest reads the folder it wrote)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
COUNTS = (10, 50)  # two builds of the same registry's first pledges: the slope is the cost


@pytest.fixture(scope="module")
def tools() -> Iterator[tuple[ModuleType, ModuleType]]:
    """benchmarks/ledger.py and bench_site.py (its varied registries), then forgotten."""
    before = set(sys.modules)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_site
        import ledger

        yield ledger, bench_site
    finally:
        sys.path.remove(str(BENCHMARKS))
        for name in set(sys.modules) - before:
            if name.startswith(("bench_", "ledger")):
                del sys.modules[name]


# --- the ledger itself ----------------------------------------------------------------------
def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_the_ledger_charges_every_byte_of_the_artifact(
        tools: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    ledger, bench_site = tools
    site = tmp_path / "site"
    for slug in ("acme", "main"):
        write(site / "signatories" / slug / "index.html", b"<p>" + slug.encode())
        write(site / "badges" / slug / "social.png", b"x" * 513)
        write(site / "api" / "v1" / "signatories" / f"{slug}.json", b"{}")
    write(site / "assets" / "main.css", b"a{}")  # named like a signatory, but shared
    write(site / "signatories" / "index.html", b"directory")  # no badges: not a signatory
    write(site / "badges" / "mission" / "social.png", b"generic")
    found = ledger.ledger(site)
    assert found.signatories == 2
    assert set(found.rows) == {
        "api/v1/signatories/<slug>.json", "badges/<slug>", "badges/<slug>/social.png",
        "signatories/<slug>", "signatories/<slug>/index.html", ledger.SHARED}
    social = found.rows["badges/<slug>/social.png"]
    # 513 bytes: a 512-byte header and two 512-byte blocks, the second mostly padding
    assert (social.files, social.content, social.overhead) == (2, 2 * 513, 2 * (512 + 511))
    assert found.rows["badges/<slug>"].overhead == 2 * 512  # a folder is a header
    assert found.rows[ledger.SHARED].content == 3 + 9 + 7  # main.css, directory, generic
    assert sum(row.content + row.overhead for row in found.rows.values()) == found.artifact
    assert found.artifact == bench_site.tar_bytes(site)  # the benchmark's own measure


def test_against_an_earlier_build_the_ledger_names_each_shared_file_a_change_makes(
        tools: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    """What a change adds to the shared files (BENCHMARKS.md: two translations): each file
    added, removed, or changed (in size, or in bytes alone), with its archive bytes."""
    ledger, _ = tools
    before, after = tmp_path / "before", tmp_path / "after"
    for site in (before, after):
        write(site / "index.html", b"same")
        write(site / "sitemap.xml", b"a" * 100)
    write(before / "assets" / "font-1.woff2", b"f" * 600)
    write(after / "assets" / "font-2.woff2", b"f" * 700)
    write(after / "history" / "v1" / "fr" / "index.html", b"x" * 1000)
    write(after / "sitemap.xml", b"b" * 100)  # the same size, other bytes
    changed, total = ledger.difference(after, before)
    assert changed == [("assets/font-1.woff2", 512 + 1024, 0),
                       ("assets/font-2.woff2", 0, 512 + 1024),
                       ("history", 0, 512), ("history/v1", 0, 512), ("history/v1/fr", 0, 512),
                       ("history/v1/fr/index.html", 0, 512 + 1024),
                       ("sitemap.xml", 1024, 1024)]
    assert total == ledger.archive(after)[1] - ledger.archive(before)[1]
    assert ledger.difference_table(changed, total).splitlines()[-1] == \
        f"| **the artifact** | | | **{total:+,}** |"


# --- the gate ---------------------------------------------------------------------------------
def test_the_slope_leaves_out_the_end_of_each_archive(
        tools: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    """Each archive's end (its closing blocks and the padding to a whole 10 KiB tar
    record) depends on where its last member ends, not on the signatories: it can hide a
    shared file's growth, or add a record that no signatory's file caused."""
    ledger, _ = tools
    sites = []
    for count, shared in ((10, 9_000), (50, 10_000)):
        site = tmp_path / str(count)
        for number in range(count):
            write(site / "signatories" / f"s{number}" / "index.html", b"x" * 600)
            write(site / "badges" / f"s{number}" / "card-light.svg", b"<svg/>")
        write(site / "schema" / "registry.schema.json", b"{" + b" " * shared + b"}")
        sites.append(ledger.ledger(site))
    small, large = sites
    members = [(book.artifact - book.end) for book in (small, large)]
    assert ledger.growth(large, small) == (members[1] - members[0]) / 40
    # the signatories' own files, and the shared file's 1,000 bytes more (two 512-byte
    # blocks) over the 40 signatories more: nothing else
    own = (large.own * 50 - small.own * 10) / 40
    assert ledger.growth(large, small) == own + 2 * 512 / 40


@pytest.fixture(scope="module")
def sites(tools: tuple[ModuleType, ModuleType],
          tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    ledger, _ = tools
    small, large = ledger.built_registries(tmp_path_factory.mktemp("budget"), COUNTS)
    return small, large


def per_signatory_kib(tools: tuple[ModuleType, ModuleType], sites: tuple[Path, Path]) -> float:
    ledger, _ = tools
    small, large = (ledger.ledger(site) for site in sites)
    assert (small.signatories, large.signatories) == COUNTS
    kib: float = ledger.budgeted(ledger.growth(large, small))
    print(ledger.table(large, small))
    return kib


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="not met yet (101.1 KiB with the credentials, December "
                   "2026): the page's chrome, the card PNGs and tar's per-file bytes remain; "
                   "strict, so meeting it fails here until this marker goes")
def test_a_signatory_fits_the_output_budget(tools: tuple[ModuleType, ModuleType],
                                            sites: tuple[Path, Path]) -> None:
    ledger, _ = tools
    assert per_signatory_kib(tools, sites) <= ledger.OUTPUT_BUDGET_KIB


@pytest.mark.slow
def test_a_signatory_grows_no_larger_than_measured(tools: tuple[ModuleType, ModuleType],
                                                   sites: tuple[Path, Path]) -> None:
    """The ratchet until the budget is met: lower OUTPUT_CEILING_KIB with each saving."""
    ledger, _ = tools
    assert per_signatory_kib(tools, sites) <= ledger.OUTPUT_CEILING_KIB

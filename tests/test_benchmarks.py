"""Every benchmark script runs: on a tiny count, to exit 0, so a change that breaks one is
caught here rather than on the day someone wants figures. And a benchmark whose rival
tool is missing still measures our side and says what it skipped."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT, VALID, copy_registry

pytestmark = pytest.mark.slow
BENCHMARKS = ROOT / "benchmarks"
TINY = {
    "bench_bake.py": ["--repeat", "1"],
    "bench_credentials.py": ["--repeat", "1"],
    "bench_validate.py": ["--count", "4", "--repeat", "1"],
    "bench_badges.py": ["--count", "3", "--sample", "4", "--workers-sample", "4",
                        "--repeat", "1", "--build-repeat", "1"],
    "bench_site.py": ["--counts", "3", "--repeat", "1", "--no-browser"],
    # without Lighthouse installed (`make lighthouse` installs it), it says how and exits 0
    "bench_lighthouse.py": ["--count", "3", "--runs", "1"],
}


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *args], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=900,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_every_benchmark_script_is_covered() -> None:
    assert sorted(p.name for p in BENCHMARKS.glob("bench_*.py")) == sorted(
        [*TINY, "bench_scale.py"])


def test_the_scale_benchmark_runs_each_step_and_the_warm_job_renders_one_signatory(
        tmp_path: Path) -> None:
    import json

    work = tmp_path / "work"
    for step in ("prepare", "cold", "warm", "report"):
        result = run("bench_scale.py", step, "--work", str(work), "--count", "6")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "Traceback" not in result.stderr
    cold = json.loads((work / "cold.json").read_text(encoding="utf-8"))
    # the artifact stores every file in full (hard links dereferenced), with tar's headers
    files = sum(p.stat().st_size for p in (work / "out").rglob("*") if p.is_file())
    assert cold["pages_artifact_bytes"] > files
    warm = json.loads((work / "warm.json").read_text(encoding="utf-8"))
    # with only the badge state, the job renders the edited signatory and the generic set
    assert len(warm["rendered"]) == 2 and "mission" in warm["rendered"]
    assert warm["deploy_local"]["measured"]["badge_state_entries"] == 7


@pytest.mark.parametrize("script", sorted(TINY))
def test_each_benchmark_runs_on_a_tiny_count(script: str) -> None:
    result = run(script, *TINY[script])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_the_credentials_benchmark_times_generation_with_and_without_signing() -> None:
    result = run("bench_credentials.py", "--build", "3", "--repeat", "1")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3 pledges, 1 rounds, generation" in result.stdout
    assert re.search(r"warm, CPU: [0-9.]+ with credentials, [0-9.]+ without", result.stdout)
    assert result.stdout.count("load average") == 2


def test_the_site_benchmark_runs_on_zensical_too() -> None:
    """Each engine writes its own header-search index (search.json on Zensical), which the
    benchmark reports: a run on Zensical once stopped there."""
    result = run("bench_site.py", *TINY["bench_site.py"], "--engine", "zensical")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "; search.json " in result.stdout
    # every timed warm build goes onto a kept base, as a maintainer's rebuild does
    assert result.stdout.count("settling onto a kept base (untimed)") == 2
    # the bare Zensical floor, measured in the same run and reported beside MkDocs'
    assert "| floor (bare Zensical) (1 runs) |" in result.stdout
    assert "against the bare Zensical floor: warm " in result.stdout


def test_profiling_a_registry_that_does_not_build_says_why(tmp_path: Path) -> None:
    """--profile-registry on a registry kept from before a required setting: its
    problems, file and line, and exit 1, not a traceback."""
    registry = copy_registry(tmp_path / "registry")
    (registry / "pledges" / "example-media.yaml").write_text(VALID, encoding="utf-8")
    settings = registry / "registry.yaml"
    settings.write_text("".join(line for line in settings.read_text(encoding="utf-8")
                                .splitlines(keepends=True)
                                if not line.startswith("proof_name:")), encoding="utf-8")
    result = run("bench_site.py", "--profile-registry", str(registry))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "registry.yaml:" in result.stderr and "'proof_name' is missing" in result.stderr


def test_the_engine_comparison_runs_on_a_generated_registry() -> None:
    """compare_engines.py --count builds bench_site.py's registry with the three engines
    (the issue's 1,000-signatory check, here on 3) and finds them the same."""
    result = run("compare_engines.py", "--count", "3")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "with the same main content on MkDocs and Zensical" in result.stdout


@pytest.fixture
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The benchmark scripts importable, and forgotten afterwards with what they loaded
    (bench_badges.py may install a stand-in `pkg_resources` for pybadges)."""
    monkeypatch.setattr(sys, "path", [str(BENCHMARKS), *sys.path])
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith(("bench_", "pybadges", "pkg_resources")):
            del sys.modules[name]


def load(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_without_check_jsonschema_the_validator_is_still_measured(
        benchmarks: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_validate")
    monkeypatch.setattr(bench, "CHECK_JSONSCHEMA", tmp_path / "no-such-tool")
    assert bench.main(["--count", "3", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "check-jsonschema is not installed" in out
    assert "socialmission validate (CLI)" in out


def test_the_validator_cache_is_measured_beside_the_cold_build(
        benchmarks: None, capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_validate")
    assert bench.main(["--count", "4", "--repeat", "1", "--cached"]) == 0
    out = capsys.readouterr().out
    assert "load_pledges, no cache (cold)" in out
    assert "every pledge cached" in out and "one pledge changed" in out
    assert "socialmission validate (CLI)" not in out


def test_without_pybadges_the_badges_are_still_measured(
        benchmarks: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pybadges", None)  # `import pybadges` now fails
    bench = load("bench_badges")
    assert bench.import_pybadges() is None
    bench.main(["--count", "2", "--sample", "2", "--workers-sample", "2", "--repeat", "1",
                "--build-repeat", "1"])
    out = capsys.readouterr().out
    assert "pybadges is not installed: its side of the comparison was skipped" in out
    assert "ours, baked (the file)" in out and "warm, nothing changed" in out


def test_the_cloned_badge_cache_is_accepted_as_fresh(benchmarks: None,
                                                     tmp_path: Path) -> None:
    """bench_site.py's stand-in for a cold build too long to run: the build must take the
    cloned folders as they are, or the warm figures would include a cold render."""
    from socialmission.model import paths
    from socialmission.model.mission import load_mission
    from socialmission.render.cache import build_badges
    from socialmission.site.generator import load_pledges

    root = copy_registry(tmp_path / "registry")
    for index in range(4):
        (root / "pledges" / f"signer-{index}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", f"Signer {index}")
            .replace("www.example.net", f"s{index}.example.org"), encoding="utf-8")
    load("bench_site").clone_badge_cache(root)
    mission = load_mission(root)
    result = build_badges(root, root / paths.BADGES_CACHE, mission, load_pledges(root, mission),
                          "https://socialmission.example.org/", workers=1)
    assert result.rendered == []
    assert len(result.reused) == 5


def test_without_lighthouse_the_script_says_how_to_install_it(
        benchmarks: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_lighthouse")
    monkeypatch.setattr(bench, "LIGHTHOUSE", tmp_path / "no-such-tool")
    assert bench.main(["--count", "3", "--runs", "1"]) == 0
    assert capsys.readouterr().out.strip() == bench.INSTALL_HINT
    assert "make lighthouse" in bench.INSTALL_HINT


def test_lighthouse_runs_chromium_with_the_browser_tests_flags(benchmarks: None) -> None:
    from e2e_support import CHROMIUM_ARGS
    from lighthouse_support import NO_OTHER_HOST, chrome_flags, lighthouse

    bench = load("bench_lighthouse")
    assert bench.lighthouse is lighthouse  # the test's own runner
    assert chrome_flags() == ["--headless=new", *CHROMIUM_ARGS, NO_OTHER_HOST]
    pinned = json.loads((BENCHMARKS / "lighthouse" / "package.json").read_text())
    lock = json.loads((BENCHMARKS / "lighthouse" / "package-lock.json").read_text())
    version = pinned["dependencies"]["lighthouse"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)  # exact, not a range
    assert lock["packages"]["node_modules/lighthouse"]["version"] == version
    assert lock["packages"]["node_modules/lighthouse"]["integrity"].startswith("sha512-")


def test_a_lighthouse_run_with_a_category_unscored_says_which_audit_failed(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a busy machine Lighthouse may measure no metric and score no performance (null):
    the run fails with the audit's error, not a TypeError, and the benchmark goes on."""
    import lighthouse_support

    report: dict[str, Any] = {
        "categories": {name: {"score": 1, "auditRefs": []}
                       for name in lighthouse_support.CATEGORIES},
        "audits": {"largest-contentful-paint": {
            "scoreDisplayMode": "error", "errorMessage": "NO_LCP"}}}
    report["categories"]["performance"] = {
        "score": None, "auditRefs": [{"id": "largest-contentful-paint", "weight": 25}]}
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    fake = tmp_path / "lighthouse"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # the report is already there
    fake.chmod(0o755)
    monkeypatch.setattr(lighthouse_support, "LIGHTHOUSE", fake)
    with pytest.raises(RuntimeError,
                       match=r"scored no performance .*largest-contentful-paint: NO_LCP"):
        lighthouse_support.lighthouse("http://127.0.0.1:1/", tmp_path / "report.json")


def test_a_busy_host_is_slowed_down_less_and_never_past_lighthouse_s_default() -> None:
    """Lighthouse's 4x makes a host of index 1,056 its phone (index 264): a host measured
    slower gets the slowdown that makes it that phone, between 1x and 4x."""
    from lighthouse_support import calibrated_slowdown

    def at(index: float) -> float:
        return calibrated_slowdown({"environment": {"benchmarkIndex": index}})

    assert at(3000) == at(1056) == 4.0
    assert at(528) == 2.0
    assert at(264) == at(100) == 1.0

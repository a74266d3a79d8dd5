"""A placeholder address is never published: `socialmission build` says so (a notice, not a
MkDocs warning), `socialmission site-address --check-publishable` decides it, and both
publish workflows skip (never fail) their deploy on its answer, with the reason in the run's
summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, copy_registry
from socialmission.cli import main
from socialmission.model import hosts

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISHERS = [WORKFLOWS / "publish.yml", WORKFLOWS / "publish-s3.yml"]
SHIPPED = "https://socialmission.example.org/"  # mkdocs.yml's placeholder
REAL = "https://registry.socially-m.org/"  # a name no RFC reserves


# --- which names are placeholders -----------------------------------------------------------
@pytest.mark.parametrize(("url", "domain"), [
    (SHIPPED, "example.org"),
    ("https://example.com/", "example.com"),
    ("https://a.b.EXAMPLE.NET./registry/", "example.net"),  # case-blind, trailing dot
    ("https://registry.example/", "example"),
    ("https://registry.test/", "test"),
    ("https://registry.invalid/", "invalid"),
    ("https://localhost/", "localhost"),
    ("https://registry.localhost:8443/", "localhost"),
    (REAL, None),
    ("https://example.org.socially-m.org/", None),  # a label at the start is not the domain
    ("https://notexample.org/", None),  # nor is the end of a label
    ("https://registry.testing/", None),
    ("https://example.co.uk/", None),  # not reserved: someone owns it
    ("https://[::1/", None),  # unparseable: no answer, and no crash
    ("", None),
])
def test_reserved_names_are_placeholders(url: str, domain: str | None) -> None:
    found = hosts.placeholder_domain(url)
    assert (found[0] if found else None) == domain


def test_the_reason_gives_the_rule_the_fix_and_the_value() -> None:
    reason = hosts.placeholder_reason(SHIPPED)
    assert reason is not None
    assert SHIPPED in reason and "example.org" in reason and "RFC 2606" in reason
    assert "Set site_url in mkdocs.yml" in reason
    assert hosts.placeholder_reason(REAL) is None


def test_both_notices_go_through_one_path() -> None:
    assert hosts.address_notices(REAL) == []
    (placeholder,) = hosts.address_notices(SHIPPED)
    (borrowed,) = hosts.address_notices("https://acme.github.io/")
    assert placeholder == f"notice: {hosts.placeholder_reason(SHIPPED)}"
    assert borrowed == f"notice: {hosts.borrowed_address_notice('https://acme.github.io/')}"


# --- the command ----------------------------------------------------------------------------
def registry_at(root: Path, url: str) -> Path:
    copy_registry(root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert f"site_url: {SHIPPED}\n" in text
    config.write_text(text.replace(f"site_url: {SHIPPED}", f"site_url: {url}"),
                      encoding="utf-8")
    return root


def test_the_command_prints_the_address(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = registry_at(tmp_path, "https://registry.socially-m.org")
    assert main(["--root", str(root), "site-address"]) == 0
    assert capsys.readouterr().out == f"{REAL}\n"


@pytest.mark.parametrize(("url", "code"), [(SHIPPED, 1), ("https://x.test/", 1),
                                           ("https://acme.github.io/", 0), (REAL, 0)])
def test_the_check_exits_1_with_the_reason_on_a_placeholder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, code: int) -> None:
    root = registry_at(tmp_path, url)
    assert main(["--root", str(root), "site-address", "--check-publishable"]) == code
    out = capsys.readouterr().out
    if code:
        assert out == f"Not published: {hosts.placeholder_reason(url)}.\n"
    else:
        assert out == f"site_url {url} can be published.\n"


@pytest.mark.parametrize("url", ["http://registry.socially-m.org/", "'\"<x>'"])
def test_an_address_that_is_not_https_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    root = registry_at(tmp_path, url)
    assert main(["--root", str(root), "site-address", "--check-publishable"]) == 2
    assert "must be the registry's https address" in capsys.readouterr().err


# --- the workflows ----------------------------------------------------------------------------
def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def the_check(job: dict[str, Any]) -> dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("id") == "address"]
    assert isinstance(step, dict)
    return step


@pytest.mark.parametrize("path", PUBLISHERS, ids=lambda p: p.name)
def test_the_deploy_waits_for_the_address_check(path: Path) -> None:
    workflow = load(path)
    jobs = workflow["jobs"]
    (build,) = [job for job in jobs.values() if any(s.get("id") == "address"
                                                      for s in job["steps"])]
    check = the_check(build)
    runs = [s.get("run", "") for s in build["steps"]]
    if path.name == "publish.yml":
        assert runs.index("make site") < build["steps"].index(check)  # the site is built first
    assert check["continue-on-error"] is True  # a placeholder skips; it never fails the run
    assert check["run"] == (".venv/bin/socialmission site-address --check-publishable"
                            ' >> "$GITHUB_STEP_SUMMARY"')
    after = build["steps"][build["steps"].index(check) + 1:]
    if path.name == "publish.yml":
        upload = next(s for s in after if s.get("uses", "").startswith(
            "actions/upload-pages-artifact@"))
        # (and on the signing check: tests/test_issuer_key.py)
        assert upload["if"].startswith("steps.address.outcome == 'success' && ")
        assert build["outputs"]["address"] == "${{ steps.address.outcome }}"
        assert jobs["deploy"]["if"].startswith("github.ref == 'refs/heads/main' && "
                                               "needs.build.outputs.address == 'success' && ")
    else:
        # the address first: with the placeholder there is no bucket to read the badge
        # state from, so every step that touches it waits for the check, and the whole
        # site is built instead
        bucket = [s for s in after if any(word in s.get("run", "") for word in (
            "socialmission deploy", "socialmission badge-state", "--published-badges"))]
        assert len(bucket) == 3
        assert all(s["if"].startswith("steps.address.outcome == 'success'") for s in bucket)
        assert all(s["if"] in {"steps.address.outcome == 'success'",
                               "steps.address.outcome == 'success' && "
                               "steps.signing.outcome == 'success'"} for s in bucket)
        (whole,) = [s for s in after if s.get("run") == "make site"]
        assert whole["if"] == "steps.address.outcome != 'success'"
    # nothing that deploys runs before the check, or without its condition
    for step in build["steps"][:build["steps"].index(check)]:
        assert "deploy" not in step.get("run", "") and "upload-pages" not in step.get("uses", "")


@pytest.mark.parametrize("path", PUBLISHERS, ids=lambda p: p.name)
@pytest.mark.parametrize(("url", "outcome"), [(SHIPPED, 1), (REAL, 0)])
def test_the_check_step_runs_as_github_runs_it(tmp_path: Path, path: Path, url: str,
                                               outcome: int) -> None:
    """The step's own script, run by bash (as GitHub runs `run:`) in a registry whose
    .venv/bin/socialmission is this environment's: its exit status is the step's outcome,
    and the reason is in the summary file."""
    root = registry_at(tmp_path / "registry", url)
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "socialmission").symlink_to(
        Path(sys.executable).parent / "socialmission")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps' summary\n", encoding="utf-8")
    (build,) = [job for job in load(path)["jobs"].values()
                if any(s.get("id") == "address" for s in job["steps"])]
    script = the_check(build)["run"]
    result = subprocess.run(["bash", "-e", "-c", script], cwd=root, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == outcome, result.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier steps' summary\n")  # appended, never replaced
    if outcome:
        assert f"Not published: {hosts.placeholder_reason(url)}." in written
    else:
        assert f"site_url {url} can be published." in written

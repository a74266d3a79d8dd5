"""The issuer's key in operation: `socialmission issuer-key` prints the registry.yaml entry
for the seed in the environment (an entry the settings read back, whose seed then signs),
and `--check-publishable` refuses, on one line and with exit 1, a built site that was not
signed as the registry with its current key; the publish workflows give the seed to their
build steps alone and skip (never fail) the deploy on the check's answer."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, copy_registry
from socialmission.cli import main
from socialmission.commands import issuer_key
from socialmission.credentials import issuer, proof
from socialmission.model import paths
from socialmission.model.settings import IssuerKey, load_settings

SITE = "https://socialmission.example.org/"  # mkdocs.yml's
DID = "did:web:socialmission.example.org:openbadges"
SEED = bytes(range(32))
SEED_TEXT = base64.b64encode(SEED).decode()
MULTIKEY = proof.multikey(proof.public_key(SEED))
OLD_SEED = b"\7" * 32
OLD = IssuerKey("key-1", proof.multikey(proof.public_key(OLD_SEED)), dt.date(2026, 1, 1),
                "current")
EPOCH = "1767225600"  # 2026-01-01, the day SOURCE_DATE_EPOCH gives `since`
GUIDE = '(OPERATORS.md, "The issuer\'s signing key (Open Badges 3.0)")'


def registry(root: Path, *keys: IssuerKey) -> Path:
    copy_registry(root)
    if keys:
        lines = ["issuer_keys:"] + [
            f"  - {{id: {k.id}, public_key: {k.public_key}, since: '{k.since}', "
            f"state: {k.state}}}" for k in keys]
        with (root / paths.SETTINGS_FILE).open("a", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
    return root


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), "issuer-key", *args])


# --- the entry ----------------------------------------------------------------------------
def test_the_printed_entry_is_read_back_and_its_seed_signs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = registry(tmp_path)
    monkeypatch.setenv(issuer.SEED_VARIABLE, SEED_TEXT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert run(root) == 0
    out = capsys.readouterr().out
    head, yaml_text, where = out.split("\n\n")
    assert head == "Add to issuer_keys in registry.yaml:"
    assert where == (f"The registry signs as {DID}; its DID document is "
                     f"{SITE}openbadges/did.json. site_url is still a placeholder: the DID "
                     "follows it when it is set (the key stays the same).\n")
    with (root / paths.SETTINGS_FILE).open("a", encoding="utf-8") as file:
        file.write(yaml_text + "\n")
    keys = load_settings(root).issuer_keys
    assert keys == (IssuerKey("key-1", MULTIKEY, dt.date(2026, 1, 1), "current"),)
    assert issuer.signer(SITE, keys, SEED_TEXT, publishing=True).verification_method == \
        f"{DID}#key-1"
    # listed now: the command says which key the seed is
    assert run(root) == 0
    assert capsys.readouterr().out.startswith(
        "This seed is key-1, registry.yaml's current issuer key.\n")


def test_a_new_key_beside_the_current_one_says_to_retire_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = registry(tmp_path, OLD)
    monkeypatch.setenv(issuer.SEED_VARIABLE, SEED_TEXT)
    assert run(root) == 0
    out = capsys.readouterr().out
    assert out.startswith("Add to issuer_keys in registry.yaml (and mark key-1, current "
                          "until now, retired; compromised if its seed may have leaked):")
    assert f"\n  - id: key-2\n    public_key: {MULTIKEY}\n" in out
    assert out.endswith("openbadges/did.json. site_url is still a placeholder: the DID "
                        "follows it when it is set (the key stays the same).\n")
    assert "issuer_keys:" not in out  # the list is there already: only the item
    assert run(root, "--id", "key-7") == 0
    assert "  - id: key-7\n" in capsys.readouterr().out
    for taken in ("key-1", "key-0", "k1", "key-1\nstate: current"):
        assert run(root, "--id", taken) == 2
        assert "must be a free id key-1, key-2..." in capsys.readouterr().err


def test_on_the_real_address_the_did_is_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = registry(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"site_url: {SITE}", "site_url: https://registry.socially-m.org/pledges/"),
        encoding="utf-8")
    monkeypatch.setenv(issuer.SEED_VARIABLE, SEED_TEXT)
    assert run(root) == 0
    assert capsys.readouterr().out.endswith(
        "The registry signs as did:web:registry.socially-m.org:pledges:openbadges; its DID "
        "document is https://registry.socially-m.org/pledges/openbadges/did.json.\n")


@pytest.mark.parametrize(("seed_text", "says"), [
    (None, "SOCIALMISSION_ISSUER_SEED is not set: make a seed with `openssl rand -base64 32`"),
    ("", "SOCIALMISSION_ISSUER_SEED is not set"),
    ("not base64!", "must be 32 bytes in base64"),
    (base64.b64encode(bytes(31)).decode(), "must be 32 bytes in base64"),
    ("é" * 44, "must be 32 bytes in base64"),
    (base64.b64encode(OLD_SEED).decode(), "key-1 in registry.yaml's issuer_keys, which is "
                                          "retired: a build with it refuses to publish"),
])
def test_no_entry_for_a_missing_malformed_or_retired_seed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        seed_text: str | None, says: str) -> None:
    root = registry(tmp_path, IssuerKey(OLD.id, OLD.public_key, OLD.since, "retired"))
    if seed_text is None:
        monkeypatch.delenv(issuer.SEED_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(issuer.SEED_VARIABLE, seed_text)
    assert run(root) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert says in captured.err


def test_the_seed_is_never_an_argument(tmp_path: Path) -> None:
    """Whatever the command line holds stays in a shell's history: no option takes a seed."""
    root = registry(tmp_path)
    for args in ([SEED_TEXT], ["--seed", SEED_TEXT]):
        with pytest.raises(SystemExit):
            run(root, *args)


@pytest.mark.parametrize(("args", "says"), [
    (["--check-publishable", "--id", "key-2"], "it does not go with --check-publishable"),
    (["--site", "x"], "it goes with --check-publishable")])
def test_options_of_the_other_mode_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        says: str) -> None:
    assert run(registry(tmp_path, OLD), *args) == 2
    assert says in capsys.readouterr().err


# --- the check after the build -------------------------------------------------------------
def document(seed_text: str | None, keys: tuple[IssuerKey, ...],
             site: str = SITE) -> dict[str, Any]:
    """The DID document a build at `site` with this seed writes."""
    signing = issuer.signer(site, keys, seed_text, publishing=False)
    return issuer.did_document(signing, keys)


def built(folder: Path, content: bytes | dict[str, Any] | None) -> Path:
    """A built site whose DID document holds `content` (none when None)."""
    target = folder / paths.DID_DOCUMENT_PATH
    target.parent.mkdir(parents=True)
    if content is not None:
        target.write_bytes(json.dumps(content).encode() if isinstance(content, dict)
                           else content)
    return folder


CURRENT = IssuerKey("key-2", MULTIKEY, dt.date(2026, 3, 1), "current")
RETIRED = IssuerKey("key-1", OLD.public_key, OLD.since, "retired")
SIGNED = document(SEED_TEXT, (RETIRED, CURRENT))


def check_site(site: Path, keys: tuple[IssuerKey, ...]) -> tuple[int, str]:
    """The check's exit status and what it printed, for the site built in `site`."""
    written = io.StringIO()
    with contextlib.redirect_stdout(written):
        code = issuer_key.check(site, SITE, keys)
    return code, written.getvalue()


def check(tmp_path: Path, content: bytes | dict[str, Any] | None,
          keys: tuple[IssuerKey, ...] = (RETIRED, CURRENT)) -> tuple[int, str]:
    return check_site(built(tmp_path / "site", content), keys)


def test_a_site_signed_with_the_current_key_is_published(tmp_path: Path) -> None:
    assert check(tmp_path, SIGNED) == (0, f"The credentials are signed as {DID} with key-2, "
                                          "registry.yaml's current key: they can be "
                                          "published.\n")


TEST_KEY = ("the credentials were signed with the public test key: SOCIALMISSION_ISSUER_SEED "
            "was not set for the build step")
NO_KEY = ("registry.yaml's issuer_keys has no current key: print its entry with "
          "`socialmission issuer-key`")
UNWRITTEN = ("the built DID document does not list key-2, registry.yaml's current key, as "
             "an assertion method: the site was built from other settings")
NOT_OURS = "is not a JSON object: not a DID document this registry writes"


@pytest.mark.parametrize(("content", "keys", "reasons"), [
    (document(None, (RETIRED, CURRENT)), (RETIRED, CURRENT), [TEST_KEY]),
    (document(None, ()), (), [TEST_KEY, NO_KEY]),
    (None, (RETIRED, CURRENT), ["the built site has no openbadges/did.json: the build wrote "
                                "no DID document, so nothing it signed could be verified"]),
    (document(SEED_TEXT, (CURRENT,), "https://elsewhere.example.net/"), (CURRENT,),
     ["the built DID document is for 'did:web:elsewhere.example.net:openbadges', not "
      f"{DID} (the DID of site_url): the site was built for another address"]),
    # built with key-2 current, published with key-3 current: another key's site
    (SIGNED, (RETIRED, IssuerKey("key-2", MULTIKEY, CURRENT.since, "retired"),
              IssuerKey("key-3", proof.multikey(proof.public_key(b"\3" * 32)), CURRENT.since,
                        "current")),
     [UNWRITTEN.replace("key-2", "key-3")]),
    (SIGNED, (RETIRED,), [NO_KEY]),
    ({**SIGNED, "assertionMethod": [f"{DID}#key-1"]}, (RETIRED, CURRENT), [UNWRITTEN]),
    ({**SIGNED, "verificationMethod": [{**m, "publicKeyMultibase": OLD.public_key}
                                       for m in SIGNED["verificationMethod"]]},
     (RETIRED, CURRENT), [UNWRITTEN]),
], ids=["test-key", "test-key-no-keys", "missing", "other-site", "other-key", "no-current",
        "not-asserted", "other-public-key"])
def test_anything_else_is_refused_on_one_line(
        tmp_path: Path, content: dict[str, Any] | None, keys: tuple[IssuerKey, ...],
        reasons: list[str]) -> None:
    code, out = check(tmp_path, content, keys)
    assert (code, out) == (1, f"Not published: {'; '.join(reasons)} {GUIDE}.\n")


HOSTILE: list[bytes | dict[str, Any]] = [
    b"", b"\xff\xfe{}", b"{", b"[]", b"null", b'"did"', b"1e999", b"[" * 100_000,
    b'{"id": 1' + b"0" * 5000 + b"}", b" " * (issuer_key.DID_DOCUMENT_MAX + 1),
    {"id": None}, {"id": ["x"]}, {"id": DID}, {"id": DID, "verificationMethod": "x",
                                               "assertionMethod": {"a": 1}},
    {"id": DID, "verificationMethod": [None, 1, [], {"id": {}}], "assertionMethod": [{}]},
    {"id": DID + "\n::error::forged", "verificationMethod": []},
    {"id": "x" * 10_000},
]


@pytest.mark.parametrize("content", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_did_document_is_refused_never_a_crash(
        tmp_path: Path, content: bytes | dict[str, Any]) -> None:
    code, out = check(tmp_path, content)
    assert code == 1
    assert out.startswith("Not published: ") and out.endswith(f" {GUIDE}.\n")
    assert out.count("\n") == 1 and len(out) < 600  # one line for the run's summary


@pytest.mark.parametrize("make", [Path.mkdir, os.mkfifo, lambda path: path.symlink_to(path)],
                         ids=["folder", "pipe", "symlink-loop"])
def test_an_unreadable_did_document_is_refused(tmp_path: Path, make: Any) -> None:
    site = built(tmp_path / "site", None)
    make(site / paths.DID_DOCUMENT_PATH)
    code, out = check_site(site, (CURRENT,))
    assert code == 1
    assert out.startswith(("Not published: the built openbadges/did.json is not a file (",
                           "Not published: the built openbadges/did.json cannot be read ("))


def test_the_command_reads_the_built_site_and_the_registry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = registry(tmp_path / "registry", RETIRED, CURRENT)
    assert run(root, "--check-publishable") == 1  # nothing built yet
    assert "the built site has no openbadges/did.json" in capsys.readouterr().out
    built(root / paths.SITE_OUT, SIGNED)
    assert run(root, "--check-publishable") == 0
    other = built(tmp_path / "elsewhere", document(None, (CURRENT,)))
    assert run(root, "--check-publishable", "--site", str(other)) == 1
    assert TEST_KEY in capsys.readouterr().out


# --- the workflows -------------------------------------------------------------------------
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISHERS = [WORKFLOWS / "publish.yml", WORKFLOWS / "publish-s3.yml"]
SECRET = f"${{{{ secrets.{issuer.SEED_VARIABLE} }}}}"
CHECK = '.venv/bin/socialmission issuer-key --check-publishable >> "$GITHUB_STEP_SUMMARY"'


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def seeded(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in job.get("steps", [])
            if issuer.SEED_VARIABLE in yaml.safe_dump(step)]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_the_seed_reaches_only_the_publish_jobs_build_steps(path: Path) -> None:
    workflow = load(path)
    assert issuer.SEED_VARIABLE not in yaml.safe_dump(workflow.get("env", {}))
    found = []
    for job in workflow["jobs"].values():
        assert issuer.SEED_VARIABLE not in yaml.safe_dump(job.get("env", {}))
        for step in seeded(job):
            # only the build, only through its environment, only from the secret
            assert step["name"].startswith("Build the "), step["name"]
            assert step["run"].startswith("make site"), step
            assert step["env"] == {issuer.SEED_VARIABLE: SECRET}
            environment = job["environment"]
            assert (environment["name"] if isinstance(environment, dict) else environment) \
                in {"registry-app", "s3"}  # both: deployment branches, the default only
            found.append(step)
    assert bool(found) == (path in PUBLISHERS)  # never the pull requests' (pledges.yml)


@pytest.mark.parametrize("path", PUBLISHERS, ids=lambda p: p.name)
def test_the_deploy_waits_for_the_signing_check(path: Path) -> None:
    jobs = load(path)["jobs"]
    (job,) = [job for job in jobs.values() if seeded(job)]
    steps = job["steps"]
    (check_step,) = [s for s in steps if s.get("id") == "signing"]
    position = steps.index(check_step)
    assert all(steps.index(s) < position for s in seeded(job))  # after every build
    assert check_step["continue-on-error"] is True  # skipped, never failed
    assert check_step["run"] == CHECK
    assert "env" not in check_step
    gate = "steps.address.outcome == 'success' && steps.signing.outcome == 'success'"
    if path.name == "publish.yml":
        (upload,) = [s for s in steps if s.get("uses", "").startswith(
            "actions/upload-pages-artifact@")]
        assert steps.index(upload) > position and upload["if"] == gate
        assert job["outputs"]["signing"] == "${{ steps.signing.outcome }}"
        assert "needs.build.outputs.signing == 'success'" in jobs["deploy"]["if"]
    else:
        (upload,) = [s for s in steps if "socialmission deploy" in s.get("run", "")]
        assert steps.index(upload) > position and upload["if"] == gate


@pytest.mark.parametrize("path", PUBLISHERS, ids=lambda p: p.name)
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "test-key"])
def test_the_signing_check_runs_as_github_runs_it(tmp_path: Path, path: Path,
                                                  signed: bool) -> None:
    """The step's own script, run by bash in a registry whose .venv/bin/socialmission is
    this environment's: its exit status is the step's outcome, its line the summary's."""
    root = registry(tmp_path / "registry", RETIRED, CURRENT)
    built(root / paths.SITE_OUT, SIGNED if signed else document(None, (RETIRED, CURRENT)))
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "socialmission").symlink_to(
        Path(sys.executable).parent / "socialmission")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps' summary\n", encoding="utf-8")
    (job,) = [job for job in load(path)["jobs"].values() if seeded(job)]
    (step,) = [s for s in job["steps"] if s.get("id") == "signing"]
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == (0 if signed else 1), result.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier steps' summary\n")
    assert ("they can be published." if signed else f"Not published: {TEST_KEY}") in written

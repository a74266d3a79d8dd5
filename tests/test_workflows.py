"""The GitHub Actions workflows: valid by GitHub's own schema, and doing what the registry
relies on (annotations on pull requests, a badge cache that survives, reproducible
publishing, and no write token for a fork's code).

check-jsonschema ships its schemas ("vendor.github-workflows", "vendor.github-actions"),
so nothing here touches the network.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CHECK_JSONSCHEMA, ROOT
from socialmission.check.resultcache import validator_modules
from socialmission.github.signing import BRANCH_PREFIX, CHANGE_PREFIX
from socialmission.model import paths
from socialmission.render.design import rendering_modules

WORKFLOWS = ROOT / ".github" / "workflows"
PULL_REQUESTS = WORKFLOWS / "pledges.yml"
PUBLISH = WORKFLOWS / "publish.yml"
VERDICT = WORKFLOWS / "verdict.yml"
SIGN = WORKFLOWS / "sign.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
CI_IMAGE = ROOT / ".github" / "ci" / "Dockerfile"  # the test container, for Dependabot
APP_ENVIRONMENT = "registry-app"  # deployment branches: the default branch only
APP_TOKEN = "actions/create-github-app-token@"
DEFAULT_BRANCH = "${{ github.event.repository.default_branch }}"
ZIZMOR = Path(sys.executable).parent / "zizmor"
SETUP = ROOT / ".github" / "actions" / "setup-registry" / "action.yml"
SETUP_USES = "./.github/actions/setup-registry"
# Next to this interpreter, in the venv `make test` installs requirements/dev.lock into
# (not resolved: .venv/bin/python is a symbolic link to the system's Python).

ALL_WORKFLOWS = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")
# name:tag@sha256:digest, then the tag again in a comment (what Dependabot and a reader see)
PINNED_IMAGE = re.compile(r"([\w./-]+):([\w.-]+)@sha256:[0-9a-f]{64}")


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> set[str]:
    # PyYAML reads YAML 1.1, where a bare `on` key is the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    assert isinstance(on, list | dict), f"unexpected `on`: {on!r}"
    return set(on)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found = job.get("steps", [])
    assert isinstance(found, list)
    return found


def index_of(job: dict[str, Any], predicate: str) -> int:
    """The first step whose `run` contains `predicate`, or whose `uses` starts with it."""
    for index, step in enumerate(steps(job)):
        if predicate in step.get("run", "") or step.get("uses", "").startswith(predicate):
            return index
    raise AssertionError(f"no step runs or uses {predicate!r}")


def site_jobs(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    jobs = [job for job in workflow["jobs"].values()
            if any("make site" in step.get("run", "") for step in steps(job))]
    assert jobs, "no job runs `make site`"
    return jobs


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", ALL_WORKFLOWS),
    ("vendor.github-actions", [SETUP]),
    ("vendor.dependabot", [DEPENDABOT]),
], ids=["workflows", "setup-action", "dependabot"])
def test_files_match_githubs_schema(schema: str, files: list[Path]) -> None:
    assert CHECK_JSONSCHEMA.is_file(), (
        f"no {CHECK_JSONSCHEMA}: `make test` installs check-jsonschema from requirements/dev.lock")
    assert {PULL_REQUESTS, PUBLISH} <= set(ALL_WORKFLOWS)
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", [p for p in ALL_WORKFLOWS if p != VERDICT],
                         ids=lambda p: p.name)
def test_no_workflow_hands_a_forks_code_a_write_token(path: Path) -> None:
    workflow = load(path)
    # Both run with the base repository's write token and secrets, whoever opened the
    # pull request; a pledge comes from a fork, so only the verdict job (which runs
    # nothing of the fork's) and sign.yml's jobs on a closed pull request (which check
    # out the default branch, see below) may use one.
    assert "workflow_run" not in triggers(workflow)
    if path == SIGN:
        assert workflow[True]["pull_request_target"] == {"types": ["closed"]}
    else:
        assert "pull_request_target" not in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        if path == PUBLISH and name == "deploy":
            assert writes == {"pages", "id-token"}
        elif path == SIGN and name == "delete-branch":
            assert granted == {"contents": "write"}
        else:
            assert not writes, f"{name} may write {writes}"
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: no timeout-minutes"
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", [*ALL_WORKFLOWS, SETUP], ids=lambda p: p.name)
def test_actions_are_pinned_to_commits(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        used = re.match(r"\s*(?:-\s+)?uses:\s*(\S+)(.*)", line)
        if used is None or used[1].startswith("./"):
            continue
        assert PINNED.fullmatch(used[1]), f"not pinned to a full commit SHA: {line.strip()}"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", used[2]), f"no version comment: {line}"


def test_pull_requests_are_annotated_then_built() -> None:
    workflow = load(PULL_REQUESTS)
    assert triggers(workflow) == {"pull_request"}
    # every path: a change to .ci/run or the README is checked like any other
    assert not workflow[True]["pull_request"]
    (job,) = site_jobs(workflow)
    setup = index_of(job, SETUP_USES)
    check = index_of(job, ".venv/bin/socialmission validate --format github pledges")
    assert setup < check < index_of(job, "make site")


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_no_site_is_built_with_stale_derived_files(path: Path) -> None:
    """`make site` writes the issue forms, schemas and template again: a workflow that
    runs it first refuses the committed ones when they are stale, so that nothing is
    published from files that differ from the repository's."""
    workflow = load(path)
    jobs = [job for job in workflow["jobs"].values()
            if any("make site" in step.get("run", "") for step in steps(job))]
    for job in jobs:
        assert index_of(job, ".venv/bin/socialmission derived --check") < \
            index_of(job, "make site")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/socialmission derived --check" in makefile  # make lint


def test_pull_requests_run_the_tests_with_chromium() -> None:
    jobs = load(PULL_REQUESTS)["jobs"].values()
    (job,) = [job for job in jobs if any(s.get("run") == "make test" for s in steps(job))]
    assert index_of(job, "apt-get install") < index_of(job, "make test")
    assert "chromium" in steps(job)[index_of(job, "apt-get install")]["run"]


def test_the_badge_cache_keys_on_the_design_and_the_pledges() -> None:
    action = load(SETUP)
    action_steps: list[dict[str, Any]] = action["runs"]["steps"]
    assert any(s.get("run", "").strip() == "make .venv/.site-installed" for s in action_steps)
    (hashes,) = [s for s in action_steps if s.get("id") == "badge-key"]
    (cache,) = [s for s in action_steps if s.get("uses", "").startswith("actions/cache@")]
    assert action_steps.index(hashes) < action_steps.index(cache)
    options = cache["with"]
    assert options["path"].split() == [paths.BADGES_CACHE, paths.VALIDATION_CACHE]
    design = set(re.findall(r"'([^']+)'", hashes["env"]["DESIGN"]))
    content = set(re.findall(r"'([^']+)'", hashes["env"]["CONTENT"]))
    # Everything Design.fingerprint covers (a change must give a new key, or the stale
    # cache would be restored on every run and the fresh one never saved), and what the
    # badges say.
    assert {"badges/**", "requirements/site.lock"} <= design
    for module in rendering_modules():
        relative = Path(module).relative_to(ROOT).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern.replace("**", "*")) for pattern in design), \
            f"the badge cache's design key does not cover {relative}"
    assert {"pledges/**", "mission.yaml"} <= content
    # and everything the validation cache is keyed by, so a new validator saves a new one
    for source in validator_modules():
        relative = source.relative_to(ROOT / "scripts").as_posix()
        if source.parent.name in ("check", "model", "data"):
            assert any(fnmatch.fnmatch(f"scripts/{relative}", pattern.replace("**", "*"))
                       for pattern in content), f"the cache key does not cover {relative}"
    for pattern in design | content:  # a renamed file would silently drop out of the key
        assert "*" in pattern or (ROOT / pattern).is_file(), f"{pattern} does not exist"
    key, (fallback,) = options["key"], options["restore-keys"].splitlines()
    assert "steps.badge-key.outputs.design" in fallback
    assert "steps.badge-key.outputs.content" in key
    assert key.startswith(fallback) and key != fallback
    for path in (PULL_REQUESTS, PUBLISH):
        for job in site_jobs(load(path)):
            assert index_of(job, SETUP_USES) < index_of(job, "make site")


def test_publishing_dates_the_build_from_the_last_commit() -> None:
    workflow = load(PUBLISH)
    assert triggers(workflow) == {"push", "workflow_dispatch", "schedule"}
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    (build,) = site_jobs(workflow)
    dating = steps(build)[index_of(build, "SOURCE_DATE_EPOCH")]["run"]
    assert "git log -1 --format=%ct" in dating
    assert "$GITHUB_ENV" in dating
    assert index_of(build, "SOURCE_DATE_EPOCH") < index_of(build, "make site")
    upload = steps(build)[index_of(build, "actions/upload-pages-artifact@")]
    assert upload["with"]["path"].rstrip("/") == "public"
    deploy = workflow["jobs"]["deploy"]
    assert "build" in ([deploy["needs"]] if isinstance(deploy["needs"], str) else deploy["needs"])
    assert index_of(deploy, "actions/deploy-pages@") == 0


# --- the verdict: trusted code only ------------------------------------------------------------
def test_the_verdict_job_runs_only_the_base_branchs_code() -> None:
    workflow = load(VERDICT)
    assert triggers(workflow) == {"pull_request_target"}
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    checkout = steps(job)[index_of(job, "actions/checkout@")]
    # the default ref of pull_request_target: the base branch, never the head
    assert set(checkout["with"]) == {"persist-credentials", "fetch-depth"}
    assert checkout["with"]["persist-credentials"] is False
    fetch = steps(job)[index_of(job, "git fetch")]
    assert "refs/pull/${PR_NUMBER}/head" in fetch["run"]
    assert fetch["env"] == {"PR_NUMBER": "${{ github.event.pull_request.number }}"}
    app = steps(job)[index_of(job, "actions/create-github-app-token@")]
    assert app["with"]["permission-checks"] == "write"
    # checks to post the verdict; issues read, for the App's own signature pull requests
    assert [k for k in app["with"] if k.startswith("permission-")] == \
        ["permission-checks", "permission-issues"]
    assert app["with"]["permission-issues"] == "read"
    verdict = steps(job)[index_of(job, "socialmission verdict")]
    assert verdict["env"] == {"GH_TOKEN": "${{ steps.app.outputs.token }}",
                              "REGISTRY_APP_SLUG": "${{ steps.app.outputs.app-slug }}"}
    for step in steps(job):
        script = step.get("run", "")
        assert "${{" not in script, f"an expression inside a script: {script}"
        # nothing of the pull request's is built, installed or run
        for forbidden in ("checkout pull", "make test", "make site", "pytest", "pip install",
                          "refs/remotes/pull/head\n"):
            assert forbidden not in script
    commands = [step.get("run", "") for step in steps(job) if "run" in step]
    assert commands[-2:] == [".venv/bin/socialmission verdict", ".venv/bin/socialmission "
                             'automerge --pull "$PR_NUMBER" --sha "$HEAD_SHA"']


def test_zizmor_finds_nothing_of_medium_or_high_severity() -> None:
    assert ZIZMOR.is_file(), f"no {ZIZMOR}: `make test` installs zizmor from requirements/dev.lock"
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium",
                             "--format", "json", str(ROOT / ".github")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


IGNORES = {  # the file, and the one zizmor ignore it has: each trigger's reason is beside it
    "verdict.yml": "pull_request_target:  # zizmor: ignore[dangerous-triggers] -- see the "
                   "comment above",
    "sign.yml": "pull_request_target:  # zizmor: ignore[dangerous-triggers] -- closed only; "
                "see the comment above",
}


@pytest.mark.parametrize("name", sorted(IGNORES))
def test_the_ignores_are_the_pull_request_target_triggers(name: str) -> None:
    ignores = [(path.name, line.strip()) for path in [*ALL_WORKFLOWS, SETUP]
               for line in path.read_text(encoding="utf-8").splitlines() if "zizmor:" in line]
    assert sorted(ignores) == sorted(IGNORES.items())
    # and without it, zizmor does flag the trigger: the ignore is not decoration
    line = IGNORES[name]
    text = (WORKFLOWS / name).read_text(encoding="utf-8").replace(
        line, line.split("  # zizmor:")[0])
    unignored = WORKFLOWS / f".{name}-unignored.yml"
    try:
        unignored.write_text(text, encoding="utf-8")
        result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium",
                                 "--format", "json", str(unignored)],
                                capture_output=True, text=True, timeout=120, check=False)
    finally:
        unignored.unlink()
    assert {finding["ident"] for finding in json.loads(result.stdout)} == {"dangerous-triggers"}


def test_the_pull_request_build_is_kept_as_a_preview() -> None:
    (job,) = site_jobs(load(PULL_REQUESTS))
    upload = steps(job)[index_of(job, "actions/upload-artifact@")]
    assert upload["with"]["path"].rstrip("/") == "public"
    assert index_of(job, "make site") < index_of(job, "actions/upload-artifact@")


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m[1] for m in re.finditer(r"(?m)^([A-Za-z0-9_./$()-]+):(?!=)", text)}


@pytest.mark.parametrize("path", [*ALL_WORKFLOWS, SETUP], ids=lambda p: p.name)
def test_every_command_a_workflow_calls_exists(path: Path) -> None:
    """Their logic is in the CLI and the Makefile: each `socialmission X` a script runs is
    a command of the CLI, each `make X` a target, and no script is more than a few lines."""
    from socialmission.cli import build_parser

    parser = build_parser()
    commands = {name for action in parser._actions  # argparse keeps its subparsers here
                if isinstance(action, argparse._SubParsersAction) for name in action.choices}
    targets = _make_targets()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    workflow = load(path)
    jobs = workflow.get("jobs") or {"action": {"steps": workflow["runs"]["steps"]}}
    scripts = [step["run"] for job in jobs.values() for step in steps(job) if "run" in step]
    assert scripts
    for script in scripts:
        lines = [line for line in script.splitlines() if line.strip()]
        assert len(lines) <= 3, f"{path.name}: logic in a script instead of the CLI: {script}"
        # what GitHub or a contributor wrote reaches a script only through env or a file
        assert "${{" not in script, f"{path.name}: an expression inside a script: {script}"
        for line in lines:
            words = shlex.split(line)
            for index, word in enumerate(words):
                if word.endswith("/socialmission") or word == "socialmission":
                    assert words[index + 1] in commands, f"{path.name}: {line}"
                if word == "make":
                    for target in (w for w in words[index + 1:] if not w.startswith("-")):
                        if "=" in target:  # a variable the Makefile reads: it must use it
                            name = target.split("=", 1)[0]
                            assert f"$({name})" in makefile, \
                                f"{path.name}: make {target}: the Makefile never reads {name}"
                            continue
                        assert target.replace(".venv", "$(VENV)") in targets, \
                            f"{path.name}: make {target} is not a target"


# --- the App's key, the sign workflow's jobs, pinned images, Dependabot ---------------------------
# Every workflow, verdict.yml included (its own section below checks its merge step too).
KEYED = ALL_WORKFLOWS


def _if(job: dict[str, Any]) -> str:
    condition = job.get("if", "")
    assert isinstance(condition, str)
    return condition


@pytest.mark.parametrize("path", KEYED, ids=lambda p: p.name)
def test_every_secret_is_read_in_an_environment(path: Path) -> None:
    """Each job that makes the App's token names the `registry-app` environment (whose
    deployment branches are the default branch only), and no job reads a secret outside
    an environment."""
    for name, job in load(path)["jobs"].items():
        environment = job.get("environment")
        environment = environment.get("name") if isinstance(environment, dict) else environment
        if any(step.get("uses", "").startswith(APP_TOKEN) for step in steps(job)):
            assert environment == APP_ENVIRONMENT, f"{path.name}: {name} makes the App's " \
                f"token outside the {APP_ENVIRONMENT} environment"
        if "secrets." in yaml.safe_dump(job):
            assert environment, f"{path.name}: {name} reads a secret outside an environment"


def test_the_sign_workflow_makes_app_tokens_only_in_the_environment() -> None:
    jobs = load(SIGN)["jobs"]
    made = {name for name, job in jobs.items()
            if any(s.get("uses", "").startswith(APP_TOKEN) for s in steps(job))}
    assert made == {"sign", "change", "lock"}
    for name in ("sign", "change"):
        assert "github.event_name == 'issues'" in _if(jobs[name])
    # a `pull_request` job runs on the merge ref, which the environment refuses
    assert "pull_request" not in triggers(load(SIGN))


@pytest.mark.parametrize("name", ["lock", "delete-branch"])
def test_closed_pull_request_jobs_check_out_only_the_default_branch(name: str) -> None:
    job = load(SIGN)["jobs"][name]
    condition = _if(job)
    assert "github.event_name == 'pull_request_target'" in condition
    # the App's own pull requests come from this repository, on a signing branch
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    for prefix in (BRANCH_PREFIX, CHANGE_PREFIX):  # the branches signing.py names
        assert f"startsWith(github.event.pull_request.head.ref, '{prefix}')" in condition
    checkouts = [s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"] for c in checkouts] == [{"persist-credentials": False,
                                               "ref": DEFAULT_BRANCH}]
    for step in steps(job):
        script = step.get("run", "")
        for forbidden in ("git fetch", "refs/pull", "head.sha", "head.ref", "gh pr checkout"):
            assert forbidden not in script and forbidden not in yaml.safe_dump(
                step.get("with", {}))
    assert ("merged" in condition) == (name == "lock")  # the branch goes merged or not


def test_only_the_branch_deletion_can_write_contents() -> None:
    job = load(SIGN)["jobs"]["delete-branch"]
    assert job["permissions"] == {"contents": "write"}
    assert "environment" not in job  # the job's own token: no App key is read here
    assert not any(s.get("uses", "").startswith(APP_TOKEN) for s in steps(job))
    with_token = [s for s in steps(job) if "GH_TOKEN" in s.get("env", {})]
    assert with_token == [steps(job)[-1]]
    assert with_token[0]["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert with_token[0]["run"] == ".venv/bin/socialmission delete-signed-branch"


def _images(workflow: dict[Any, Any]) -> list[str]:
    found = []
    for job in workflow["jobs"].values():
        container = job.get("container")
        if container is not None:
            found.append(container["image"] if isinstance(container, dict) else container)
        found += [service["image"] if isinstance(service, dict) else service
                  for service in (job.get("services") or {}).values()]
    return found


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_container_images_are_pinned_by_digest(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for image in _images(load(path)):
        pinned = PINNED_IMAGE.fullmatch(image)
        assert pinned, f"{path.name}: {image} is not pinned by digest (name:tag@sha256:...)"
        (line,) = [line for line in text.splitlines() if image in line]
        assert line.rstrip().endswith(f" # {pinned[2]}"), f"no tag comment: {line.strip()}"


def test_dependabot_proposes_actions_the_image_and_the_locks() -> None:
    updates = {entry["package-ecosystem"]: entry for entry in load(DEPENDABOT)["updates"]}
    assert set(updates) == {"github-actions", "docker", "pip"}
    actions = updates["github-actions"]
    assert {"/", "/" + SETUP.parent.relative_to(ROOT).as_posix()} <= set(actions["directories"])
    assert updates["pip"]["directory"] == "/requirements"
    assert (ROOT / updates["docker"]["directory"].lstrip("/") / "Dockerfile") == CI_IMAGE
    # Dependabot reads the Dockerfile, GitHub runs pledges.yml: the same pinned image
    (pinned,) = re.findall(r"(?m)^FROM (\S+)$", CI_IMAGE.read_text(encoding="utf-8"))
    assert PINNED_IMAGE.fullmatch(pinned)
    assert _images(load(PULL_REQUESTS)) == [pinned]


@pytest.mark.parametrize("path", KEYED, ids=lambda p: p.name)
def test_zizmor_the_auditor_finds_no_secret_outside_an_environment_nor_loose_image(
        path: Path) -> None:
    assert ZIZMOR.is_file(), f"no {ZIZMOR}: `make test` installs zizmor from requirements/dev.lock"
    result = subprocess.run([str(ZIZMOR), "--offline", "--persona", "auditor", "--format",
                             "json", str(path)],
                            capture_output=True, text=True, timeout=120, check=False)
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert not found & {"secrets-outside-env", "unpinned-images"}, result.stdout


# --- the verdict: which pull requests, which token (issue 18) ----------------------------------
def _verdict_job() -> dict[str, Any]:
    (job,) = load(VERDICT)["jobs"].values()
    assert isinstance(job, dict)
    return job


def _app_tokens(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The job's steps that make an App token, by their id."""
    return {step["id"]: step for step in steps(job)
            if step.get("uses", "").startswith("actions/create-github-app-token@")}


def test_the_verdict_runs_only_on_pull_requests_into_the_default_branch() -> None:
    """GitHub runs pull_request_target from the default branch whatever the base, and the
    verdict judges against the default branch's tip: it must never judge (nor merge) a
    pull request into another branch."""
    from socialmission.github.event import ACTIONS
    from socialmission.model.settings import load_settings

    trigger = load(VERDICT)[True]["pull_request_target"]
    assert set(trigger["types"]) == set(ACTIONS)
    defaults = {json.loads(path.read_text(encoding="utf-8"))["repository"]["default_branch"]
                for path in (ROOT / "tests" / "data" / "events").glob("*.json")
                if "repository" in json.loads(path.read_text(encoding="utf-8"))}
    assert defaults == {load_settings(ROOT).default_branch}
    assert trigger["branches"] == sorted(defaults)


def test_every_job_that_makes_an_app_token_names_the_apps_environment() -> None:
    for name, job in load(VERDICT)["jobs"].items():
        if _app_tokens(job):
            assert job.get("environment") == "registry-app", name


def test_only_the_merge_steps_token_may_write_contents() -> None:
    job = _verdict_job()
    tokens = _app_tokens(job)
    merge = steps(job)[index_of(job, "socialmission automerge")]
    verdict = steps(job)[index_of(job, "socialmission verdict")]
    merger = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.token \}\}",
                          merge["env"]["GH_TOKEN"])
    assert merger is not None and merger[1] in tokens
    for token_id, step in tokens.items():
        writes = {key for key, level in step["with"].items()
                  if key.startswith("permission-") and level == "write"}
        if token_id == merger[1]:
            assert writes == {"permission-contents"}
        else:
            assert "permission-contents" not in writes, token_id
    assert verdict["env"]["GH_TOKEN"] != merge["env"]["GH_TOKEN"]
    # the job's own token reads, nothing more
    assert job["permissions"] == {"contents": "read"}


def test_the_merge_runs_only_when_the_verdict_step_says_so() -> None:
    from socialmission.github.verdict import APP_SLUG_VARIABLE

    job = _verdict_job()
    verdict = steps(job)[index_of(job, "socialmission verdict")]
    merge_index = index_of(job, "socialmission automerge")
    merge = steps(job)[merge_index]
    (merger,) = [step for step in _app_tokens(job).values()
                 if step["id"] in merge["env"]["GH_TOKEN"]]
    gate = f"steps.{verdict['id']}.outputs.automerge == 'true'"
    assert merge["if"] == gate and merger["if"] == gate
    assert steps(job).index(verdict) < steps(job).index(merger) < merge_index
    # the pull request and the commit are the ones the verdict step judged
    assert merge["env"]["PR_NUMBER"] == f"${{{{ steps.{verdict['id']}.outputs.pull }}}}"
    assert merge["env"]["HEAD_SHA"] == f"${{{{ steps.{verdict['id']}.outputs.sha }}}}"
    # both read only the check runs of the App whose token they hold
    for step, token in ((verdict, "app"), (merge, merger["id"])):
        assert step["env"][APP_SLUG_VARIABLE] == f"${{{{ steps.{token}.outputs.app-slug }}}}"
    assert verdict["env"]["GH_TOKEN"] == "${{ steps.app.outputs.token }}"


NOTIFY = WORKFLOWS / "notify.yml"


def test_signatories_are_told_on_a_new_version_then_hourly_with_an_issues_only_token(
        ) -> None:
    """notify.yml runs `notify-version` when mission.yaml changes on the default branch,
    hourly, and by hand; one run at a time (a queued run finds what the other opened);
    the App's token, made in its environment, writes issues and nothing else."""
    workflow = load(NOTIFY)
    on = workflow[True]
    assert on["push"] == {"branches": ["main"], "paths": ["mission.yaml"]}
    assert [entry["cron"].split()[1:] for entry in on["schedule"]] == [["*"] * 4]
    assert "workflow_dispatch" in on
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    (job,) = workflow["jobs"].values()
    assert job["environment"] == APP_ENVIRONMENT and "permissions" not in job
    (token,) = [s for s in steps(job) if s.get("uses", "").startswith(APP_TOKEN)]
    assert {key: level for key, level in token["with"].items()
            if key.startswith("permission-")} == {"permission-issues": "write"}
    notify = steps(job)[index_of(job, "socialmission notify-version")]
    assert notify["env"] == {"GH_TOKEN": f"${{{{ steps.{token['id']}.outputs.token }}}}"}
    assert steps(job).index(token) < steps(job).index(notify)
    # the run ends within its 50 minutes; the job's limit is past that, within the hour
    from socialmission.github.notify import RUN_SECONDS
    assert RUN_SECONDS / 60 < job["timeout-minutes"] < 60


# --- issues: each job acts on its own form's label, never on a proposal's -----------------------
ISSUE_TRIGGERS = {"issues", "issue_comment"}
_LABEL_TEST = re.compile(r"contains\(github\.event\.issue\.labels\.\*\.name, '([^']+)'\)")


def issue_job_problems(name: str, text: str) -> list[str]:
    """What lets a workflow (`text`, the file `name`) act on an issue other than by its
    own form's label: a job run on issues without one label of a form the registry's code
    reads (the sign and change forms'), a proposal's or a report's label named, or a site
    built or published on an issue event."""
    from socialmission.changes import changeform, issueform, proposalform, reportform

    acting = {issueform.LABEL, changeform.LABEL}
    problems = [f"{name} names the label {ignored!r}"
                for ignored in (proposalform.LABEL, reportform.LABEL)
                if ignored in acting or f"'{ignored}'" in text]
    workflow = yaml.safe_load(text)
    if not triggers(workflow) & ISSUE_TRIGGERS:
        return problems
    for job_name, job in workflow["jobs"].items():
        condition = _if(job)
        chosen = set(_LABEL_TEST.findall(condition))
        if "github.event_name == 'issues'" in condition:
            if len(chosen) != 1 or not chosen <= acting or "||" in condition:
                problems.append(f"{name}: {job_name} runs on issues labelled {sorted(chosen)}")
        elif not condition.startswith("github.event_name == 'pull_request_target'"):
            problems.append(f"{name}: {job_name} may run on any issue")
        if any("make site" in step.get("run", "") or step.get("uses", "").startswith(
                ("actions/deploy-pages@", "actions/upload-pages-artifact@"))
               for step in steps(job)):
            problems.append(f"{name}: {job_name} builds or publishes the site on issues")
    return problems


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_jobs_on_issues_act_on_their_forms_labels_and_never_on_a_proposal(path: Path) -> None:
    """A proposal (or a report) is for people to read: every job a workflow runs on an
    issue event requires, in its `if`, the label of a form the registry's code reads; no
    workflow names the proposal's or the report's label; and no workflow that runs on
    issues builds or publishes the site, so an issue's text never reaches it."""
    assert issue_job_problems(path.name, path.read_text(encoding="utf-8")) == []


def test_the_label_check_sees_a_job_that_would_run_on_a_proposal() -> None:
    """The check above is not decoration: a sign job widened to a proposal's label, one
    with no label at all, and one that builds the site are each caught."""
    from socialmission.changes import issueform, proposalform

    text = SIGN.read_text(encoding="utf-8")
    only_sign = f"contains(github.event.issue.labels.*.name, '{issueform.LABEL}')"
    assert only_sign in text
    widened = text.replace(only_sign, f"{only_sign} || contains(github.event.issue.labels"
                                      f".*.name, '{proposalform.LABEL}')")
    assert issue_job_problems("sign.yml", widened) == [
        "sign.yml names the label 'mission-proposal'",
        f"sign.yml: sign runs on issues labelled {[proposalform.LABEL, issueform.LABEL]}"]
    unlabelled = text.replace(f" && {only_sign}", "")
    assert issue_job_problems("sign.yml", unlabelled) == [
        "sign.yml: sign runs on issues labelled []"]
    building = text.replace("run: make .venv/.site-installed", "run: make site", 1)
    assert issue_job_problems("sign.yml", building) == [
        "sign.yml: sign builds or publishes the site on issues"]

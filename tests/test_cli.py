"""The CLI: exit codes, output formats, and no traceback whatever the input."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VALID, Registry
from socialmission.cli import GROUPS, build_parser, main
from socialmission.errors import EXIT_INTERRUPTED


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialmission", *args], cwd=cwd,
                          capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1780000000"})


def test_clean_registry_exits_0(registry: Registry) -> None:
    registry.write("example-media", VALID)
    result = run("validate", cwd=registry.root)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "1 file checked: all good.\n", "")


def test_problems_exit_1_with_path_line_column(registry: Registry) -> None:
    registry.write("example-media", VALID.replace("kind: organisation", "kind: club"))
    result = run("validate", cwd=registry.root)
    assert result.returncode == 1
    assert result.stdout == (
        "pledges/example-media.yaml:2:7: 'kind' must be one of organisation, individual: "
        "got 'club'\n1 problem in 1 of 1 file.\n")


def test_github_annotations(registry: Registry) -> None:
    registry.write("example-media", VALID.replace("kind: organisation", "kind: club"))
    result = run("validate", "--format", "github", "pledges/example-media.yaml",
                 cwd=registry.root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=pledges/example-media.yaml,line=2,col=7::'kind' must be one of "
        "organisation, individual: got 'club'")


def test_github_annotations_escape_what_would_break_them() -> None:
    from socialmission.model.problems import Problem

    problem = Problem("pledges/a,b:c.yaml", 3, 4, "50% done\n::error::injected")
    assert problem.as_github() == (
        "::error file=pledges/a%2Cb%3Ac.yaml,line=3,col=4::50%25 done%0A::error::injected")


def test_json_output(registry: Registry) -> None:
    registry.write("example-media", VALID.replace("kind: organisation", "kind: club"))
    result = run("validate", "--format", "json", cwd=registry.root)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"checked": 1, "problems": [{
        "path": "pledges/example-media.yaml", "line": 2, "column": 7,
        "message": "'kind' must be one of organisation, individual: got 'club'"}]}


@pytest.mark.parametrize("args", [
    ["validate", "no-such-file.yaml"],
    ["validate", "--format", "xml"],
    ["frobnicate"],
    ["badges", "--jobs", "0"],
    ["badges", "--jobs", "many"],
    ["badges", "--base-url", "http://socialmission.example.org/"],
    ["badges", "--base-url", "https://x.example.org/\"><script>"],
])
def test_usage_errors_exit_2_without_a_traceback(registry: Registry, args: list[str]) -> None:
    result = run(*args, cwd=registry.root)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_outside_a_registry_says_so(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"socialmission: no mission.yaml in {tmp_path} or above: run "
                             "this inside the registry or pass --root\n")


def test_a_broken_mission_file_is_a_usage_error(registry: Registry,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (registry.root / "mission.yaml").write_text("versions: [1, 2]\n")
    assert main(["--root", str(registry.root), "validate"]) == 2
    assert "version entry 1 is not a mapping" in capsys.readouterr().err


def test_hostile_file_does_not_crash_the_cli(registry: Registry) -> None:
    registry.write("lol", "a: &a [x]\n" + "".join(f"b{i}: &b{i} [*a, *a]\n" for i in range(30)))
    registry.write("bin", b"\x00\x01\xff" * 100)
    result = run("validate", cwd=registry.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.count("pledges/") == 2


def test_version_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out.split()[-1] == version("socialmission") and err == ""


def test_a_base_url_that_is_not_https_is_refused_by_name(registry: Registry) -> None:
    result = run("badges", "--base-url", "javascript:alert(1)", cwd=registry.root)
    assert result.returncode == 2
    assert result.stderr.startswith("socialmission: --base-url must be the registry's https "
                                    "address")


def test_derived_files_are_written_and_named_then_checked(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """`derived` writes the files mission.yaml and registry.yaml give (issue forms,
    schemas, template) and names each one that changed, to be committed; `--check`
    writes nothing and exits 1 naming each stale one."""
    root = registry.root
    assert main(["--root", str(root), "derived"]) == 0
    written = capsys.readouterr().out.splitlines()
    assert written == [f"changed {name}: commit it" for name in (
        "site/schema/pledge.schema.json", "site/schema/registry.schema.json",
        "site/schema/translation.schema.json", "pledges/TEMPLATE.yaml.txt",
        ".github/ISSUE_TEMPLATE/sign.yml",
        ".github/ISSUE_TEMPLATE/change.yml", ".github/ISSUE_TEMPLATE/report.yml",
        ".github/ISSUE_TEMPLATE/proposal.yml")]
    assert main(["--root", str(root), "derived", "--check"]) == 0
    assert main(["--root", str(root), "derived"]) == 0
    assert capsys.readouterr().out == ""  # nothing changed: nothing to commit
    settings = root / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "mission_name: Social Mission", "mission_name: Harbour Charter"), encoding="utf-8")
    form = root / ".github" / "ISSUE_TEMPLATE" / "sign.yml"
    before = form.read_bytes()
    assert main(["--root", str(root), "derived", "--check"]) == 1
    stale = capsys.readouterr().err.splitlines()
    assert stale == [f"{root / name} is out of date: run 'socialmission derived' (or make "
                     "site) and commit it" for name in (
                         "site/schema/pledge.schema.json", "pledges/TEMPLATE.yaml.txt",
                         ".github/ISSUE_TEMPLATE/sign.yml",
                         ".github/ISSUE_TEMPLATE/proposal.yml")]
    assert form.read_bytes() == before  # --check writes nothing
    assert main(["--root", str(root), "derived"]) == 0
    assert "name: Sign the Harbour Charter\n" in form.read_text(encoding="utf-8")


# --- the command table: grouped help, and only the chosen command imported -------------
def test_no_arguments_print_the_grouped_help_and_exit_2(registry: Registry) -> None:
    """No command is a usage error, as argparse's for an incomplete line: the help, on
    stderr, and 2, so a script that forgot its command fails."""
    result = run(cwd=registry.root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == run("--help", cwd=registry.root).stdout
    assert result.stderr.startswith("usage: socialmission [-h] [--version] [--root ROOT] "
                                    "COMMAND ...\n")


def test_the_help_lists_every_command_once_under_its_group(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    listed = capsys.readouterr().out.split("\n\n")
    headings = [block.splitlines()[0] for block in listed]
    for title, commands in GROUPS:
        (block,) = [b for b, h in zip(listed, headings, strict=True) if h == f"{title}:"]
        names = [line.split()[0] for line in block.splitlines()[1:]
                 if not line.startswith("   ")]
        assert names == [command.name for command in commands]
    parser = build_parser()
    every = {name for action in parser._actions  # argparse keeps its subparsers here
             if isinstance(action, argparse._SubParsersAction) for name in action.choices}
    assert every == {command.name for _, commands in GROUPS for command in commands}


def imported(*args: str) -> set[str]:
    """The package's modules a run of `socialmission ARGS` imports."""
    code = ("import sys\nfrom socialmission.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            "print(' '.join(m for m in sys.modules if m.startswith('socialmission')))")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True)
    return set(result.stdout.split("\n")[-2].split())


def test_help_imports_no_command() -> None:
    assert imported("--help") == {"socialmission", "socialmission.cli",
                                  "socialmission.errors"}


def test_validate_imports_its_own_command_only_and_no_site_engine(
        registry: Registry) -> None:
    registry.write("example-media", VALID)
    modules = imported("--root", str(registry.root), "validate")
    assert {m for m in modules if m.startswith("socialmission.commands.")} == {
        "socialmission.commands.context", "socialmission.commands.options",
        "socialmission.commands.validate"}
    layers = {m.split(".")[1] for m in modules if "." in m}
    assert not layers & {"mkdocs", "site", "github", "changes", "ownership"}


def test_each_command_module_is_in_the_table_with_its_options_and_body() -> None:
    table = {command.module for _, commands in GROUPS for command in commands}
    folder = Path(importlib.import_module("socialmission.commands").__file__ or "").parent
    shared = {"__init__", "context", "options"}  # what several commands use
    assert table == {f"socialmission.commands.{path.stem}" for path in folder.glob("*.py")
                     if path.stem not in shared}
    for name in table:
        module = importlib.import_module(name)
        assert callable(module.add_arguments) and callable(module.run), name


def test_ctrl_c_ends_a_command_with_130(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from socialmission.commands import site_address

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(site_address, "run", interrupted)
    assert main(["--root", str(registry.root), "site-address"]) == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "socialmission: interrupted\n"


# --- options ------------------------------------------------------------------------------
def test_badge_state_names_from_when_its_address_is_bad(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(registry.root), "badge-state", "--from", "s3://No"]) == 2
    assert capsys.readouterr().err.startswith(
        "socialmission: --from must be s3://BUCKET or s3://BUCKET/PREFIX, with a bucket "
        "name of 3-63 lower-case letters")


def test_a_login_with_a_line_break_is_no_login(registry: Registry,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--root", str(registry.root), "from-issue", "--author", "octo-cat\n",
              "--author-id", "42", "--body-file", str(registry.root / "none")])
    assert exited.value.code == 2
    assert "argument --author: must be a GitHub login, not 'octo-cat\\n'" in \
        capsys.readouterr().err


def test_an_unreadable_issue_body_is_named(registry: Registry,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    missing = registry.root / "no-such-body.md"
    assert main(["--root", str(registry.root), "from-issue", "--author", "octo-cat",
                 "--author-id", "42", "--body-file", str(missing)]) == 2
    assert capsys.readouterr().err == (f"socialmission: {missing}: cannot read the issue's "
                                       "body: No such file or directory\n")

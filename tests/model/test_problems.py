"""The problem record and its one renderer: text, GitHub's workflow commands, JSON and
Markdown, each on hostile text (line breaks, '::', '%', Markdown, HTML, mentions).

The expected outputs are what the four renderers this one replaced printed for the same
problems, byte for byte."""

from __future__ import annotations

import dataclasses
import json

import pytest

from socialmission.changes.issueform import FormProblem, Outcome, comment
from socialmission.github.event import PullRequest
from socialmission.github.verdict import summary
from socialmission.model.problems import (
    FORMATS,
    FileProblems,
    Frame,
    Problem,
    at_level,
    check_run_annotations,
    in_order,
    render,
    show,
)
from socialmission.ownership.judge import Verdict

HOSTILE = "50% done\r\n::error::x, [a](https://e.example) <img src=x> @org/team *b*"
CUT = r"\[a\]\(https://e\.example\) &lt;img src=x&gt;"  # HOSTILE's link and tag, escaped
PATH = "pledges/a,b:c.yaml"


# --- the record --------------------------------------------------------------------------
def test_problems_sort_by_path_question_line_column_then_message() -> None:
    given = [Problem("b.yaml", 1, 1, "a"), Problem("a.yaml", 2, 1, "a"),
             Problem("a.yaml", 1, 2, "a"), Problem("a.yaml", 1, 1, "b"),
             Problem("a.yaml", 1, 1, "a"), Problem("", 0, 0, "b", label="B"),
             Problem("", 0, 0, "z", label="A"), Problem("", 0, 0, "a", label="B")]
    assert sorted(given) == [given[6], given[7], given[5], given[4], given[3],
                             given[2], given[1], given[0]]
    # a form's problems sort by question, then message, as the form's comment lists them
    assert [(p.label, p.message) for p in sorted(given[5:])] == [
        ("A", "z"), ("B", "a"), ("B", "b")]


def test_a_problem_is_immutable_and_its_level_is_part_of_it() -> None:
    problem = Problem("a.yaml", 1, 2, "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.message = "other"  # type: ignore[misc]
    warned = at_level([problem], "warning")[0]
    assert (problem.level, warned.level) == ("error", "warning")
    assert warned != problem and len({problem, warned, Problem("a.yaml", 1, 2, "m")}) == 2
    assert FormProblem("Name", "m") == Problem("", 0, 0, "m", label="Name")
    found: list[Problem] = []
    FileProblems("a.yaml", found)(3, 4, "m")
    assert found == [Problem("a.yaml", 3, 4, "m")]


def test_errors_come_first_each_level_sorted_and_once_and_notices_as_found() -> None:
    notices = [Problem("", 0, 0, m, "notice") for m in ("z", "a", "z")]
    given = [*notices, Problem("b", 1, 1, "w", "warning"), Problem("b", 1, 1, "n", "note"),
             Problem("b", 1, 1, "e"), Problem("a", 1, 1, "e"), Problem("a", 1, 1, "e")]
    assert [(p.path, p.level, p.message) for p in in_order(given)] == [
        ("a", "error", "e"), ("b", "error", "e"), ("b", "warning", "w"), ("b", "note", "n"),
        ("", "notice", "z"), ("", "notice", "a"), ("", "notice", "z")]


# --- text and GitHub's workflow commands ---------------------------------------------------
def _validated(fmt: str) -> str:
    return render([Problem(PATH, 3, 4, HOSTILE), Problem("b.yaml", 0, 0, "whole"),
                   Problem(PATH, 3, 4, HOSTILE)], fmt, 7,
                  notes=[Problem("d.yaml", 7, 3, "note")],
                  warnings=[Problem("c.yaml", 5, 2, "warn")])


def test_text_lists_each_problem_where_it_is_then_a_summary() -> None:
    assert _validated("text") == (
        "b.yaml: whole\n"
        "pledges/a,b:c.yaml:3:4: 50% done\r\n::error::x, [a](https://e.example) "
        "<img src=x> @org/team *b*\n"
        "c.yaml:5:2: warning: warn\n"
        "d.yaml:7:3: note: note\n"
        "2 problems in 2 of 7 files (1 warning).\n")
    assert render([], "text", 1) == "1 file checked: all good.\n"


def test_github_commands_escape_what_would_end_or_forge_them() -> None:
    shown = _validated("github")
    assert shown == (
        "::error file=b.yaml,line=1,col=1::whole\n"
        "::error file=pledges/a%2Cb%3Ac.yaml,line=3,col=4::50%25 done%0D%0A::error::x, "
        "[a](https://e.example) <img src=x> @org/team *b*\n"
        "::warning file=c.yaml,line=5,col=2::warn\n"
        "::notice file=d.yaml,line=7,col=3::note\n"
        "2 problems in 2 of 7 files (1 warning).\n")
    # one command a line: the message's '::error::' never starts a line of its own
    assert [line[:2] for line in shown.splitlines()] == ["::"] * 4 + ["2 "]


def test_a_problem_in_no_file_says_its_level_in_every_format() -> None:
    problem = Problem("", 0, 0, HOSTILE, "warning")
    assert problem.as_text() == f"warning: {HOSTILE}"
    assert problem.as_github() == (
        "::warning::50%25 done%0D%0A::error::x, [a](https://e.example) <img src=x> "
        "@org/team *b*")
    assert problem.as_markdown() == (
        rf"- 50% done ::error::x, {CUT} &#64;org/team \*b\*")


# --- JSON ------------------------------------------------------------------------------------
def test_json_gives_each_level_its_list_and_keeps_text_as_it_is() -> None:
    assert json.loads(_validated("json")) == {
        "checked": 7,
        "problems": [{"path": "b.yaml", "line": 0, "column": 0, "message": "whole"},
                     {"path": PATH, "line": 3, "column": 4, "message": HOSTILE}],
        "warnings": [{"path": "c.yaml", "line": 5, "column": 2, "message": "warn"}],
        "notes": [{"path": "d.yaml", "line": 7, "column": 3, "message": "note"}]}
    assert render([], "json", 2) == '{\n  "checked": 2,\n  "problems": []\n}\n'


def test_a_verdicts_json_lists_every_level_and_its_notices_as_said() -> None:
    verdict = Verdict(refusals=[Problem("", 0, 0, HOSTILE)], notices=["z", "a", "z"],
                      changed=["pledges/a.yaml"])
    assert json.loads(verdict.render("json")) == {
        "allowed": False, "changed": ["pledges/a.yaml"],
        "refusals": [{"path": "", "line": 0, "column": 0, "message": HOSTILE}],
        "warnings": [], "notices": ["z", "a", "z"]}
    assert verdict.render("text").splitlines()[-1] == \
        "refused: 1 problem in 1 of 1 changed file."


# --- Markdown ----------------------------------------------------------------------------------
def test_a_comment_lists_problems_by_question_and_mentions_nobody() -> None:
    text = comment(Outcome(problems=[FormProblem("Name\n<b>", HOSTILE),
                                     FormProblem("", "whole @team"),
                                     FormProblem("Name\n<b>", HOSTILE)]), "@octo")
    assert text == (
        "Thank you, &#64;octo. Your signature cannot be written yet: edit the issue and "
        "change what follows, and this check runs again.\n\n"
        "- whole &#64;team\n"
        rf"- **Name &lt;b&gt;**: 50% done ::error::x, {CUT} &#64;org/team \*b\*" "\n")
    assert "@" not in text and "](" not in text and "<" not in text


def test_a_check_runs_summary_has_a_section_a_level() -> None:
    verdict = Verdict(refusals=[Problem(PATH, 3, 4, HOSTILE), Problem("b.yaml", 0, 0, "x")],
                      warnings=[Problem("c.yaml", 2, 1, "w")], notices=["n <i>"])
    pull = PullRequest(7, "a" * 40, "main", "octo", 42, "feature", "octo/registry",
                       default_branch="main")
    assert summary(pull, verdict) == (
        "Judged for @octo (account 42) against the base branch main: 0 changed file(s).\n\n"
        "### Refused\n\n"
        rf"- b\.yaml: x" "\n"
        rf"- pledges/a,b:c\.yaml line 3: 50% done ::error::x, {CUT} @org/team \*b\*" "\n\n"
        "### Warnings\n\n"
        r"- c\.yaml line 2: w" "\n\n"
        "### Notices\n\n"
        "- n &lt;i&gt;\n")


def test_markdown_alone_is_its_items() -> None:
    problems = [Problem("a.yaml", 0, 0, "[x](y)", "warning"), Problem("a.yaml", 2, 1, "e")]
    assert show(problems, "markdown", Frame()) == (
        "- a\\.yaml line 2: e\n- a\\.yaml: \\[x\\]\\(y\\)\n")
    assert show([], "markdown", Frame(sections={"error": "Refused"})) == ""


# --- a check run's annotations, and the formats ------------------------------------------------
def test_annotations_are_the_first_problems_in_files_at_their_levels() -> None:
    problems = [Problem("", 0, 0, "whole"), Problem("a.yaml", 0, 3, "x" * 4001, "warning"),
                Problem("b.yaml", 2, 1, "e"), Problem("c.yaml", 1, 1, "late", "note")]
    assert check_run_annotations(problems, 3) == [
        {"path": "b.yaml", "start_line": 2, "end_line": 2, "annotation_level": "failure",
         "message": "e"},
        {"path": "a.yaml", "start_line": 1, "end_line": 1, "annotation_level": "warning",
         "message": "x" * 4000}]


def test_every_format_is_shown_and_no_other() -> None:
    problems = [Problem("a.yaml", 1, 1, "m")]
    assert all(show(problems, fmt, Frame(lists={"error": "problems"})) for fmt in FORMATS)
    with pytest.raises(ValueError, match="no format 'html'"):
        show(problems, "html", Frame())

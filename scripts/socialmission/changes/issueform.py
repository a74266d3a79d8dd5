"""Signing without git: the issue form "Sign the <mission_name>", and what reads it.

`form_text` writes `.github/ISSUE_TEMPLATE/sign.yml` from the field table (model/fields.py)
and the mission's current version, so the form asks what a pledge holds and nothing else.
GitHub turns a submitted form into a Markdown body, one `### Label` heading per question;
`submit` reads that body, which is untrusted input like a pledge file and more:

- only the headings this form writes are read, each once; any other text is refused;
- the page address (slug) is the only thing that chooses the file's path, and only once
  it is checked; the maintainers are the submitter alone (`--author`, `--author-id`, from
  GitHub's own record of who opened the issue), the status is never written, and the form
  has no field for either;
- each value is read by its field's normaliser (check/answers.py: a country's name, a
  kind or sector in any case, a bare domain), as `new` reads it, then passes its field's
  own rule (check/rules.py), and is refused when it holds a
  control or bidirectional character, several lines where one is asked, or Markdown or
  HTML (the body is Markdown source: a value with markup was not typed as plain text);
- the pledge is written by `socialmission new`'s emitter (changes/new.py, in the
  template's layout: a string plain only where it reads back unchanged, else JSON-quoted,
  so no value can add a key), then validated beside every other pledge;
- a body over BODY_MAX characters is refused before it is read, and an answer that is
  not UTF-8 text (a stray byte, a lone surrogate) is refused, naming its question.

Nothing here raises on any body (tests/changes/test_issueform.py fuzzes it) and nothing is
written outside `pledges/`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from socialmission.changes.new import (
    check_answer,
    first_status_index,
    pledge_text,
    read_withdrawn,
    withdrawal_said,
    withdrawn_at,
)
from socialmission.check.answers import normalise
from socialmission.check.rendering import NameCheck
from socialmission.check.rules import Context
from socialmission.check.text import forbidden_character
from socialmission.check.validate import validate
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import fields, paths, slugs
from socialmission.model.clock import today
from socialmission.model.filetree import DiskTree, OverlayTree
from socialmission.model.markdown import comment_text
from socialmission.model.mission import Mission
from socialmission.model.problems import Frame, Problem, show
from socialmission.model.settings import settings_names
from socialmission.model.slugs import suggest_slug
from socialmission.model.urls import UrlError, parse_https_url

BODY_MAX: Final = 20_000  # characters; a filled-in form is a few hundred
LABEL: Final = "signature"  # the label the form gives its issues; the workflow runs on it
NO_RESPONSE: Final = "_No response_"  # what GitHub writes for a question left empty
SLUG_LABEL: Final = "Page address"
CONFIRM_LABEL: Final = "Confirmations"
CONFIRMATIONS: Final = (
    "I have read the principles above, and sign them",
    "I may sign for the organisation or person named above",
    "I understand that this pledge, and the GitHub account that sends it, are published",
)
# The pledge's fields the form asks (the field table's `in_forms`), by their titles.
ASKED: Final = fields.FORM_FIELDS
MULTILINE: Final = fields.MULTILINE_FIELDS
# Markup in a value: HTML (a tag, an entity, an angle bracket), a code span, a link or an
# image, emphasis, a heading or a quote at the start of a line.
_MARKUP: Final = re.compile(r"[<>`]|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);|\]\(|!\[|\]\[|"
                            r"\*\*|__|~~|^\s*(?:#{1,6}(?:\s|$)|>)", re.MULTILINE)
_HEADING: Final = re.compile(r"^### (.*)$")
# A stray byte (body_text) or a lone surrogate from an event's JSON.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_CHECKBOX: Final = re.compile(r"^- \[([ xX])\] (.*)$")


def field_of(name: str, mission: Mission | None = None) -> fields.Field:
    """A field of the table; with `mission`, with what only the mission knows filled in
    (its sectors)."""
    found = next(f for f in fields.FIELDS if f.name == name)
    return found if mission is None else fields.filled(found, mission)


def labels() -> dict[str, str]:
    """Each heading the form writes, and the pledge field (or form entry) it fills."""
    found = {field_of(name).title: name for name in ASKED}
    found[SLUG_LABEL] = "slug"
    found[CONFIRM_LABEL] = "confirmations"
    return found


# --- the form --------------------------------------------------------------------------------
def form(mission: Mission, mission_name: str) -> dict[str, Any]:
    """The issue form, as GitHub's issue-form schema describes it."""
    version = mission.current
    principles = "\n".join(f"{number}. {text}"
                           for number, text in enumerate(version.principles, start=1))
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": (
        "Sign without git: fill in this form and the registry's App opens the pull request "
        "for you, with you (the account sending this issue) as the pledge's only "
        "maintainer. It answers here with the pledge's address, or with what to change: "
        "edit the issue to change it. Write plain text: no Markdown or HTML.\n\n"
        f"## {version.title} (version {version.version}, {version.date.isoformat()})\n\n"
        f"{principles}\n")}}]
    body += [question(name, field_of(name, mission).note, mission,
                      required=field_of(name).required)
             for name in ASKED]
    body.append({"type": "input", "id": "slug", "attributes": {
        "label": SLUG_LABEL,
        "description": ("Your page's address on the registry, signatories/<address>/: "
                        f"{c.SLUG_MIN}-{c.SLUG_MAX} lower-case letters, digits and hyphens. "
                        "Leave it empty to make it from the name; a name in a non-Latin "
                        "script needs one."),
        "placeholder": "example-media"}, "validations": {"required": False}})
    body.append({"type": "checkboxes", "id": "confirmations", "attributes": {
        "label": CONFIRM_LABEL,
        "options": [{"label": text, "required": True} for text in CONFIRMATIONS]}})
    return {"name": f"Sign the {mission_name}",
            "description": "Sign from the web, without git: the registry opens the pull "
                           "request for you.",
            "title": "Signature: ", "labels": [LABEL], "body": body}


class _FormDumper(yaml.SafeDumper):
    """Block scalars (`|`) for text of several lines, so the committed form reads well."""


def question(name: str, description: str, mission: Mission, *,
             required: bool) -> dict[str, Any]:
    """A form's question for a pledge field, from the field table: a dropdown for a choice,
    a text area for long text, else one line with the table's example as placeholder."""
    spec = field_of(name, mission)
    attributes: dict[str, Any] = {"label": spec.title, "description": description}
    if spec.schema.get("enum"):
        entry = {"type": "dropdown", "id": name, "attributes": {
            **attributes, "options": list(spec.schema["enum"])}}
    elif name in MULTILINE:
        entry = {"type": "textarea", "id": name, "attributes": attributes}
    else:
        entry = {"type": "input", "id": name, "attributes": {
            **attributes, "placeholder": str(spec.examples[0])}}
    entry["validations"] = {"required": required}
    return entry


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FormDumper.add_representer(str, _text)


def form_yaml(document: dict[str, Any], header: str) -> str:
    """An issue form as the committed file holds it: the header comment, then YAML."""
    return header + yaml.dump(document, Dumper=_FormDumper, sort_keys=False,
                              allow_unicode=True, width=88)


def form_text(mission: Mission, mission_name: str) -> str:
    """The sign form; `mission_name` is the settings'."""
    return form_yaml(form(mission, mission_name), (
        f"# Written by `socialmission issue-form` from the field table and "
        f"{paths.MISSION_FILE}: do not edit\n# it by hand (a test compares them).\n"))


# --- reading a submitted body -----------------------------------------------------------------
# Named as the record it makes, for the form's code and its tests.
def FormProblem(label: str, message: str) -> Problem:
    """What to change in the form: under the question `label` ("": the whole issue)."""
    return Problem("", 0, 0, message, label=label)


COMMENT: Final = Frame()  # a comment's problems: one list, notifying nobody


@dataclass
class Outcome:
    slug: str | None = None
    text: str | None = None  # the pledge file's text, once every check passed
    written: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.text is not None


def sections(body: str, problems: list[Problem], known: dict[str, str] | None = None,
              required: Callable[[str], bool] | None = None) -> dict[str, str]:
    """The body's values by heading, refusing unknown, repeated and missing headings
    (`known`: a form's headings and their names; by default the sign form's)."""
    known = labels() if known is None else known
    required = _required if required is None else required
    found: dict[str, list[str]] = {}
    current: str | None = None
    skipping = False  # under a refused heading: its lines are not refused again
    for line in body.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            current, skipping = heading[1].strip(), True
            if current not in known:
                problems.append(FormProblem("", f"the issue has a heading the form does not "
                                                f"write: {shown(current)}; the form's "
                                                f"headings are {', '.join(known)}: edit the "
                                                "issue and keep only the form's questions"))
                current = None
            elif current in found:
                problems.append(FormProblem(current, "this question appears twice: keep one "
                                                     "answer"))
                current = None
            else:
                found[current], skipping = [], False
            continue
        if current is not None:
            found[current].append(line)
        elif line.strip() and not skipping:
            problems.append(FormProblem("", f"the issue holds text outside the form's "
                                            f"questions: {shown(line)}: remove it"))
    values = {label: "\n".join(lines).strip() for label, lines in found.items()}
    for label, name in known.items():
        if label not in values and not required(name):
            continue
        if label not in values:
            problems.append(FormProblem(label, "this question is missing from the issue: "
                                               "open a new issue with the form"))
    return {label: ("" if value == NO_RESPONSE else value) for label, value in values.items()}


def _required(name: str) -> bool:
    return name == "confirmations" or (name in ASKED and field_of(name).required)


def slug_problem(slug: str) -> Problem | None:
    """The page-address question's problem with `slug`, or None when it is a valid one."""
    wrong = slugs.slug_problem(slug)
    if wrong is None:
        return None
    return FormProblem(SLUG_LABEL, f"the page address {shown(slug)} {wrong}: choose "
                                   "another, such as example-media")


def shown(text: str, limit: int = 60) -> str:
    clipped = text if len(text) <= limit else text[:limit - 1] + "…"
    return repr(clipped)


def body_text(data: bytes) -> str:
    """An issue's body as text. A byte that is not UTF-8 becomes a lone surrogate
    (U+DC80-U+DCFF, Python's surrogateescape), as a `\\udcxx` escape in an event's JSON
    already does, so `plain` refuses either under the question that holds it (U+FFFD
    would pass as a character typed)."""
    return data.decode("utf-8", "surrogateescape")


def read_body(file: Path | None) -> str:
    """An issue's body from `file`, or from standard input when None, read no further than
    BODY_MAX needs: four bytes a character and one more, so that an oversized body is
    still refused as too long, with its length, without reading all of it."""
    limit = BODY_MAX * 4 + 1
    try:
        if file is None:
            return body_text(sys.stdin.buffer.read(limit))
        with file.open("rb") as handle:
            return body_text(handle.read(limit))
    except OSError as error:
        raise UsageError(f"{file or 'standard input'}: cannot read the issue's body: "
                         f"{error.strerror}") from None


def plain(label: str, value: str, multiline: bool) -> str | None:
    """What makes a value other than plain text, or None."""
    stray = _SURROGATE.search(value)
    if stray is not None:
        return (f"the answer is not UTF-8 text: character {stray.start() + 1} is a byte "
                f"that is not UTF-8, or a lone surrogate (U+{ord(stray[0]):04X}): retype "
                "the answer")
    if not multiline and "\n" in value:
        return "the answer must be one line: join its lines"
    bad = forbidden_character(value, allow_newlines=multiline)
    if bad is not None:
        index, what = bad
        return (f"the answer holds {what} at character {index + 1}: retype it without "
                "that character")
    markup = _MARKUP.search(value)
    if markup is not None:
        return (f"write plain text, without Markdown or HTML: remove {markup[0].strip()!r} "
                f"(at character {markup.start() + 1})")
    return None


def answered(label: str, value: str, required: bool, multiline: bool,
             problems: list[Problem]) -> bool:
    """Whether a question has an answer in plain text; what is wrong goes to `problems`
    (nothing for an empty answer to a question that may be left empty)."""
    if not value:
        if required:
            problems.append(FormProblem(label, "this question needs an answer"))
        return False
    problem = plain(label, value, multiline)
    if problem is not None:
        problems.append(FormProblem(label, problem))
    return problem is None


def ticked(label: str, value: str, options: tuple[str, ...], problems: list[Problem],
           what: str = "options") -> list[str]:
    """The ticked options of a checkboxes answer, as GitHub writes one ('- [X] text');
    any other line is refused (`what` names the options in the message)."""
    found: list[str] = []
    for line in value.split("\n"):
        if not line.strip():
            continue
        box = _CHECKBOX.match(line.strip())
        if box is None or box[2].strip() not in options:
            problems.append(FormProblem(label, f"only the form's {what} belong here, not "
                                               f"{shown(line)}"))
        elif box[1] in "xX":
            found.append(box[2].strip())
    return found


def _confirmed(value: str, problems: list[Problem]) -> None:
    confirmed = set(ticked(CONFIRM_LABEL, value, CONFIRMATIONS, problems, "confirmations"))
    for text in CONFIRMATIONS:
        if text not in confirmed:
            problems.append(FormProblem(CONFIRM_LABEL, f"tick {text!r}: every confirmation "
                                                       "is needed to sign"))


def read_answers(body: str, mission: Mission, pledges_dir: Path, author_login: str,
                 author_id: int) -> tuple[str | None, dict[str, str], list[Problem]]:
    """The slug and a pledge's answers from a form's body, or what to change."""
    problems: list[Problem] = []
    if len(body) > BODY_MAX:
        return None, {}, [FormProblem("", f"the issue is {len(body)} characters long; a "
                                          f"signature's is far shorter (the limit is "
                                          f"{BODY_MAX}): open a new issue with the form")]
    body = body.replace("\r\n", "\n")
    values = sections(body, problems)
    by_label = labels()
    answers: dict[str, str] = {}
    for label, value in values.items():
        name = by_label[label]
        if name == "confirmations":
            _confirmed(value, problems)
            continue
        if answered(label, value, _required(name), name in MULTILINE, problems):
            answers[name] = value
    slug = answers.pop("slug", None)
    if slug is None and "name" in answers:
        slug = suggest_slug(answers["name"]) or None
        if slug is None:
            problems.append(FormProblem(SLUG_LABEL, "the name gives no page address in plain "
                                                    "letters: fill in this question, such as "
                                                    "my-organisation"))
    if slug is not None and (wrong := slug_problem(slug)) is not None:
        problems.append(wrong)
        slug = None
    day = today()
    answers |= {"signed": day.isoformat(), "mission_version": str(mission.current.version),
                "maintainers": f"{author_login}:{author_id}"}
    context = Context(slug=slug or "new", pledges_dir=pledges_dir, mission=mission, today=day)
    titles = {name: label for label, name in by_label.items()}
    problems += read_typed(answers, context, titles)
    return slug, answers, problems


def read_typed(answers: dict[str, str], context: Context,
               titles: Mapping[str, str]) -> list[Problem]:
    """Each form field's answer read by its field's normaliser (check/answers.py: a
    country's name, a sector in capitals, a bare domain), in place, then judged by the
    field's rule; an ambiguous answer is refused with what it may mean. The problems,
    each under its question (`titles`: a field's heading)."""
    problems: list[Problem] = []
    for name in ASKED:
        if name not in answers:
            continue
        reading = normalise(name, answers[name], context.mission)
        if reading.candidates:
            problems.append(FormProblem(titles[name],
                                        reading.ambiguous_message(name, answers[name])))
            continue
        answers[name] = reading.value
        problems.extend(FormProblem(titles[name], message)
                        for message in check_answer(name, reading.value, context))
    return problems


def submit(root: Path, body: str, mission: Mission, *, author: tuple[str, int],
           name_fits: NameCheck, write: bool = True) -> Outcome:
    """Read a submitted form and, when every check passes, write `pledges/<slug>.yaml`
    (with `write`); the outcome says what was written or what to change. `author` is
    the submitter's login and account id, as GitHub recorded them."""
    pledges_dir = root / paths.PLEDGES_DIR
    slug, answers, problems = read_answers(body, mission, pledges_dir, *author)
    if not any(problem.label == field_of("website").title for problem in problems):
        problems += _signed_before(pledges_dir, answers, mission)
    outcome = Outcome(slug=slug, problems=problems)
    if problems or slug is None:
        return outcome
    target = pledges_dir / f"{slug}{c.PLEDGE_SUFFIX}"
    if target.exists() or target.is_symlink():
        outcome.problems.append(FormProblem(SLUG_LABEL, f"the page address {slug!r} is "
                                                        "another signatory's: choose another"))
        return outcome
    text = pledge_text(answers, mission, first_status_index(pledges_dir, slug))
    outcome.problems.extend(_validated(root, slug, text, mission, name_fits))
    if outcome.problems:
        return outcome
    outcome.text = text
    if write:
        pledges_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        outcome.written = target
    return outcome


def _signed_before(pledges_dir: Path, answers: Mapping[str, str],
                   mission: Mission) -> list[Problem]:
    """A website that is a withdrawn pledge's is that signatory's: said at the website,
    with the change form's choice that signs it again (this form writes new pledges only,
    and the change form checks that its sender maintains the pledge)."""
    try:
        website = parse_https_url(answers["website"]) if "website" in answers else None
    except UrlError:
        return []  # its own rule says why
    known = withdrawn_at(read_withdrawn(pledges_dir, mission, today()), website) \
        if website is not None else None
    if known is None:
        return []
    said, by_registry = withdrawal_said(known, paths.pledge_file(known.slug))
    again = (", and only the registry's maintainers sign it again: ask them" if by_registry
             else f"; to sign it again, one of its maintainers opens the change form with "
                  f"the page address {known.slug!r} and chooses '{c.SIGN_AGAIN_CHOICE}'")
    return [FormProblem(field_of("website").title, said + again)]


def _validated(root: Path, slug: str, text: str, mission: Mission,
               name_fits: NameCheck) -> Iterable[Problem]:
    """The validator's problems with the pledge, held in memory over the registry on disk
    among its neighbours (the same website, a look-alike name), as the form's questions
    name them (paths from the registry's root); what it only warns of in a published
    pledge (a name the registry shows as its own, a website on another pledge's site)
    refuses a new one."""
    path = Path(paths.PLEDGES_DIR, f"{slug}{c.PLEDGE_SUFFIX}")
    report = validate([path], mission, name_fits=name_fits, settings_names=settings_names(root),
                      tree=OverlayTree(DiskTree(root), {path: text.encode("utf-8")}))
    return [FormProblem("", problem.message) for problem in [*report.problems, *report.warnings]]


# --- the comment posted back ----------------------------------------------------------------
def thanks(author_login: str, ready: str | None, not_yet: str,
           problems: Iterable[Problem]) -> str:
    """Markdown for an issue: thanks to its author, then `ready` (what is done and what
    follows), or where it is None, `not_yet` and every problem with what to change. The
    caller escapes what its words quote from the issue (model/markdown.py)."""
    who = comment_text(author_login)
    if ready is not None:
        return f"Thank you, {who}: {ready}\n"
    return (f"Thank you, {who}. {not_yet}: edit the issue and change what follows, and "
            f"this check runs again.\n\n{show(problems, 'markdown', COMMENT)}")


def comment(outcome: Outcome, author_login: str) -> str:
    """Markdown for the issue: the pledge's path, or every problem with what to change."""
    ready = None
    if outcome.ok and outcome.slug is not None:
        ready = (f"your signature is ready as `{paths.pledge_file(outcome.slug)}`, with you "
                 "as its only maintainer. A pull request for it follows; once it is merged "
                 f"your page is {paths.page_path(outcome.slug)} on the registry's site, and "
                 "this issue is locked. To change an answer before then, edit the issue.")
    return thanks(author_login, ready, "Your signature cannot be written yet",
                  outcome.problems)

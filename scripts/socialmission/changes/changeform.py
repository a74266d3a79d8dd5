"""Signing without git, after signing: the issue form "Update or withdraw my signature".

`form_text` writes `.github/ISSUE_TEMPLATE/change.yml` from the field table, as the sign
form is written (changes/issueform.py), and `read_change` turns a submitted body into one
of the life-cycle commands (changes/lifecycle.py): `update` with `--set`/`--unset` for the
form's fields, `withdraw` with its reason and date, `reaffirm`, or `sign-again` (today, the
current mission version, after a withdrawal by the pledge's own maintainers). The body is
read with the sign form's rigour:

- only this form's headings, each once; a body over BODY_MAX characters is refused;
- the pledge is chosen by its page address alone, checked (the slug's shape, then an
  existing pledge file: the address never makes a path by itself);
- the submitter (GitHub's record of who opened the issue) must be one of the pledge's
  maintainers by numeric account id, as the default branch lists them: a login-only
  entry, or a login that matches without the id, is not enough;
- the maintainers change only through the form's own question for them, and its answer
  must be accounts with ids (`login:id`) that include the submitter: nobody drops every
  maintainer, or themselves by a typo (leaving a pledge is a pull request, or a word to
  the registry's maintainers);
- each value is plain text (no control or bidirectional character, no Markdown or HTML)
  and passes its field's rule; the edited pledge passes the whole validator beside its
  neighbours before anything is proposed.

Nothing is written here: the edit is made in memory, and github/signing.py commits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from socialmission.changes.issueform import (
    ASKED,
    BODY_MAX,
    MULTILINE,
    SLUG_LABEL,
    FormProblem,
    Outcome,
    answered,
    field_of,
    form_yaml,
    question,
    read_typed,
    sections,
    shown,
    slug_problem,
    thanks,
)
from socialmission.changes.issueform import ticked as tick
from socialmission.changes.lifecycle import (
    Edit,
    Registry,
    pledge_path,
    reaffirm_edit,
    sign_again_edit,
    trial,
    update_edit,
    withdraw_edit,
)
from socialmission.check.rules import Context
from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.accounts import accounts_in, typed_account
from socialmission.model.markdown import comment_text
from socialmission.model.mission import Mission
from socialmission.model.problems import Problem

LABEL: Final = "signature-change"  # the label the form gives its issues
# The page-address question's id: GitHub fills a text question from a link's query
# parameter named by its id (site/signlinks.py links here with it).
SLUG_ID: Final = "slug"
ACTION_LABEL: Final = "What to do"
UPDATE, WITHDRAW, REAFFIRM = ("Update my pledge", "Withdraw my signature",
                              "Reaffirm the current mission version")
SIGN_AGAIN: Final = c.SIGN_AGAIN_CHOICE  # as the messages that send signatories here say it
ACTIONS: Final = (UPDATE, WITHDRAW, REAFFIRM, SIGN_AGAIN)
REMOVE_LABEL: Final = "Remove these answers"
MAINTAINERS_LABEL: Final = "Maintainers"
REASON_LABEL: Final = "Why you withdraw"
DATE_LABEL: Final = "Date of withdrawal"
CONFIRM_LABEL: Final = "Confirmation"
CONFIRMATION: Final = ("I am one of this pledge's maintainers, and make this change for "
                       "its signatory")
REASON_MAX: Final = c.WITHDRAWN_REASON_MAX  # the field table's limit: published on the page
# The optional fields of the sign form, which an update may remove.
REMOVABLE: Final = tuple(name for name in ASKED if not field_of(name).required)


def labels() -> dict[str, str]:
    """Each heading the form writes, and what it fills."""
    found = {SLUG_LABEL: "slug", ACTION_LABEL: "action"}
    found |= {field_of(name).title: name for name in ASKED}
    found |= {REMOVE_LABEL: "remove", MAINTAINERS_LABEL: "maintainers",
              REASON_LABEL: "reason", DATE_LABEL: "date", CONFIRM_LABEL: "confirmation"}
    return found


def _required(name: str) -> bool:
    return name in {"slug", "action", "confirmation"}


# --- the form --------------------------------------------------------------------------------
def form(mission: Mission) -> dict[str, Any]:
    """The issue form, as GitHub's issue-form schema describes it."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": (
        "Change your signature without git: the registry's App opens the pull request for "
        "you, and it is judged for you, the account sending this issue, which must be one "
        "of the pledge's maintainers (by its GitHub account id). Answer only what changes: "
        "an empty question leaves its answer as it is. Write plain text: no Markdown or "
        "HTML.\n")}}]
    body.append({"type": "input", "id": SLUG_ID, "attributes": {
        "label": SLUG_LABEL, "description": "Your page's address on the registry: "
                                            "signatories/<address>/.",
        "placeholder": "example-media"}, "validations": {"required": True}})
    body.append({"type": "dropdown", "id": "action", "attributes": {
        "label": ACTION_LABEL, "options": list(ACTIONS), "description": (
            f"{SIGN_AGAIN}: a withdrawn pledge signs the current mission version again, "
            "today; its withdrawal stays in its history.")},
        "validations": {"required": True}})
    body += [question(name, f"To update: {field_of(name, mission).note}", mission,
                      required=False)
             for name in ASKED]
    body.append({"type": "checkboxes", "id": "remove", "attributes": {
        "label": REMOVE_LABEL, "description": "To update: answers to take off the pledge.",
        "options": [{"label": field_of(name).title} for name in REMOVABLE]}})
    body.append({"type": "input", "id": "maintainers", "attributes": {
        "label": MAINTAINERS_LABEL,
        "description": ("To update: the whole new list, login:id separated by commas, "
                        "yourself included (your account id is on "
                        "https://api.github.com/users/<login>)."),
        "placeholder": "octo-cat:42, hubot:5"}, "validations": {"required": False}})
    body.append({"type": "textarea", "id": "reason", "attributes": {
        "label": REASON_LABEL, "description": "To withdraw: why, in a sentence (published)."},
        "validations": {"required": False}})
    body.append({"type": "input", "id": "date", "attributes": {
        "label": DATE_LABEL, "description": "To withdraw: YYYY-MM-DD (empty: today).",
        "placeholder": "2026-06-01"}, "validations": {"required": False}})
    body.append({"type": "checkboxes", "id": "confirmation", "attributes": {
        "label": CONFIRM_LABEL, "options": [{"label": CONFIRMATION, "required": True}]}})
    return {"name": "Update or withdraw my signature",
            "description": "Change, withdraw, reaffirm or sign again a pledge you maintain, "
                           "without git.",
            "title": "Change: ", "labels": [LABEL], "body": body}


def form_text(mission: Mission) -> str:
    header = ("# Written by `socialmission issue-form` from the field table: do not edit it "
              "by hand\n# (a test compares them).\n")
    return form_yaml(form(mission), header)


# --- reading a submitted body -----------------------------------------------------------------
@dataclass
class Change(Outcome):
    """The outcome, and the command it became ('updated country, sector', ...)."""

    done: str = ""


def _maintainers(value: str, author_id: int, problems: list[Problem]) -> str | None:
    """The new maintainers as `login:id,...`, or None (a problem said why)."""
    entries: list[str] = []
    ids: list[int] = []
    for item in (part.strip() for part in value.split(",")):
        typed = typed_account(item)
        login, number = typed or ("", "")
        if not (typed and c.GITHUB_LOGIN_RE.match(login) and not number.startswith("0")):
            problems.append(FormProblem(MAINTAINERS_LABEL, f"write each maintainer as "
                                                           f"login:id, such as octo-cat:42: "
                                                           f"got {shown(item)}"))
            return None
        entries.append(f"{login}:{number}")
        ids.append(int(number))
    if author_id not in ids:
        problems.append(FormProblem(MAINTAINERS_LABEL, f"the new list must keep you (account "
                                                       f"{author_id}): a pledge is never left "
                                                       "without its maintainers, and to leave "
                                                       "one yourself, ask another maintainer "
                                                       "or the registry's maintainers"))
        return None
    return ",".join(entries)


def _is_maintainer(registry: Registry, slug: str, author_id: int) -> bool:
    """Whether the account is listed, by id, among the pledge's maintainers."""
    path = pledge_path(registry, slug)
    listed = accounts_in(path.read_bytes()) or []
    return any(account.id == author_id for account in listed)


def read_change(registry: Registry, body: str, *, author: tuple[str, int]) -> Change:
    """A submitted change form, tried on the pledge: its new text, or what to change."""
    problems: list[Problem] = []
    if len(body) > BODY_MAX:
        return Change(problems=[FormProblem("", f"the issue is {len(body)} characters long; "
                                                f"a change's is far shorter (the limit is "
                                                f"{BODY_MAX}): open a new issue with the "
                                                "form")])
    values = sections(body.replace("\r\n", "\n"), problems, labels(), _required)
    by_label = labels()
    answers: dict[str, str] = {}
    removed: list[str] = []
    for label, value in values.items():
        name = by_label[label]
        if name in {"confirmation", "remove"}:
            options = (CONFIRMATION,) if name == "confirmation" else tuple(
                field_of(n).title for n in REMOVABLE)
            ticked = tick(label, value, options, problems)
            if name == "remove":
                removed = [n for n in REMOVABLE if field_of(n).title in ticked]
            elif CONFIRMATION not in ticked:
                problems.append(FormProblem(label, f"tick {CONFIRMATION!r}: only a pledge's "
                                                   "maintainers change it"))
            continue
        if answered(label, value, _required(name), name in MULTILINE or name == "reason",
                    problems):
            answers[name] = value
    slug = answers.pop("slug", None)
    action = answers.pop("action", None)
    if slug is not None and (wrong := slug_problem(slug)) is not None:
        problems.append(wrong)
        slug = None
    if slug is not None:
        try:
            if not _is_maintainer(registry, slug, author[1]):
                problems.append(FormProblem(SLUG_LABEL, (
                    f"only the maintainers of {slug}, by GitHub account id, change it with "
                    f"this form, and {author[0]} (account {author[1]}) is not listed with "
                    f"that id in {paths.pledge_file(slug)}: ask one of its "
                    "maintainers to add you, or the registry's maintainers")))
                return Change(slug=slug, problems=problems)
        except (UsageError, OSError):
            problems.append(FormProblem(SLUG_LABEL, f"there is no pledge at the address "
                                                    f"{slug!r}: give your page's address, "
                                                    "signatories/<address>/"))
            slug = None
    if action is not None and action not in ACTIONS:
        problems.append(FormProblem(ACTION_LABEL, f"choose one of the form's options "
                                                  f"({', '.join(ACTIONS)}): got "
                                                  f"{shown(action)}"))
        action = None
    made = _edit(registry, slug or "new", action, answers=answers, removed=removed,
                 author_id=author[1], problems=problems)
    if problems or slug is None or made is None:
        return Change(slug=slug, problems=problems)
    edit, done = made
    return _tried(registry, slug, edit, done)


def _edit(registry: Registry, slug: str, action: str | None, *, answers: dict[str, str],
          removed: list[str], author_id: int,
          problems: list[Problem]) -> tuple[Edit, str] | None:
    """The life-cycle command the answers ask for, as an edit (None: problems said why)."""
    titles = {name: label for label, name in labels().items()}
    fields_given: list[str] = [n for n in (*ASKED, "maintainers") if n in answers] + removed
    withdrawal: list[str] = [n for n in ("reason", "date") if n in answers]
    if action is None:
        return None
    try:
        if action == UPDATE:
            return _update(registry, slug, answers=answers, removed=removed,
                           author_id=author_id, problems=problems)
        for name in fields_given:
            problems.append(FormProblem(titles[name], f"{action.lower()} changes nothing "
                                                      "else: leave this empty, and send an "
                                                      "update on its own"))
        if action == WITHDRAW:
            return _withdrawal(registry, slug, answers, problems)
        what = "signing again" if action == SIGN_AGAIN else "a reaffirmation"
        for name in withdrawal:
            problems.append(FormProblem(titles[name], f"{what} leaves this empty: it is for "
                                                      "a withdrawal"))
        if problems:
            return None
        if action == SIGN_AGAIN:  # today, the current mission version
            return sign_again_edit(registry, slug, None)
        return reaffirm_edit(registry, slug, None, None)
    except UsageError as error:
        problems.append(FormProblem("", str(error)))
        return None


def _update(registry: Registry, slug: str, *, answers: dict[str, str], removed: list[str],
            author_id: int, problems: list[Problem]) -> tuple[Edit, str] | None:
    """`update` with the answers given and the answers ticked for removal."""
    titles = {name: label for label, name in labels().items()}
    fields_given: list[str] = [n for n in (*ASKED, "maintainers") if n in answers] + removed
    for given in (n for n in ("reason", "date") if n in answers):
        problems.append(FormProblem(titles[given], "an update leaves this empty: it "
                                                   "is for a withdrawal"))
    if not fields_given:
        problems.append(FormProblem("", "nothing to update: answer the questions "
                                        "whose answers change, or tick answers to "
                                        "remove"))
    for name in removed:
        if name in answers:
            problems.append(FormProblem(titles[name], "this answer is given and "
                                                      "ticked for removal: do one"))
    context = Context(slug=slug, pledges_dir=paths.pledges_dir(registry.root),
                      mission=registry.mission, today=registry.today)
    problems += read_typed(answers, context, titles)
    sets = [f"{name}={answers[name]}" for name in ASKED if name in answers]
    if "maintainers" in answers:
        listed = _maintainers(answers["maintainers"], author_id, problems)
        sets += [f"maintainers={listed}"] if listed else []
    if problems:
        return None
    return update_edit(registry, slug, sets, removed)


def _withdrawal(registry: Registry, slug: str, answers: dict[str, str],
                problems: list[Problem]) -> tuple[Edit, str] | None:
    """`withdraw` with the reason given, and the date (empty: today)."""
    reason = answers.get("reason")
    if reason is None:
        problems.append(FormProblem(REASON_LABEL, "a withdrawal says why, in a "
                                                  "sentence: it is published"))
    elif len(reason) > REASON_MAX:
        problems.append(FormProblem(REASON_LABEL, f"the reason is {len(reason)} "
                                                  f"characters; at most {REASON_MAX}"
                                                  ": shorten it"))
    if problems or reason is None:
        return None
    return withdraw_edit(registry, slug, " ".join(reason.split()), answers.get("date"))


def _tried(registry: Registry, slug: str, edit: Edit, done: str) -> Change:
    try:
        before, text, messages = trial(registry, slug, edit)
    except UsageError as error:
        return Change(slug=slug, problems=[FormProblem("", str(error))])
    if messages:
        return Change(slug=slug, problems=[FormProblem("", m) for m in messages])
    if text == before:
        return Change(slug=slug, problems=[FormProblem("", "the pledge already says this: "
                                                           "nothing would change")])
    return Change(slug=slug, text=text, done=done)


def comment(change: Change, author_login: str) -> str:
    """Markdown for the issue: what the change does, or every problem with what to change.
    Every value quoted from the issue is escaped (model/markdown.py)."""
    ready = None
    if change.ok and change.slug is not None:
        ready = (f"your change to `{paths.pledge_file(change.slug)}` is ready "
                 f"({comment_text(change.done)}). A pull request for it follows, judged for "
                 "you; once it is merged the registry's site shows it. To change an answer "
                 "before then, edit the issue.")
    return thanks(author_login, ready, "Your change cannot be made yet", change.problems)

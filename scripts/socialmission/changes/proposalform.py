"""The issue form "Propose a change to the mission": how anyone asks for a principle to be
reworded, removed or added, as the mission's authors asked for ("feedback, comments or any
additional principles").

`form_text` writes `.github/ISSUE_TEMPLATE/proposal.yml` from mission.yaml and
registry.yaml, as the other forms are written: its dropdown lists the current published
version's principles, so publishing a version makes the committed form stale until
`socialmission derived` writes it again (`derived --check` and the site's build refuse a
stale one). Like a report, nothing reads a submitted proposal: its label, LABEL, is no
workflow's (tests/test_workflows.py checks that every job run on an issue is chosen by its
own form's label, and that none names this one), so a proposal never becomes a pull
request, never changes mission.yaml, and its text, which is untrusted, is never copied into
the site by a workflow. The registry's maintainers read it and, when they agree, write a
new version of the mission themselves.
"""

from __future__ import annotations

from typing import Any, Final

from socialmission.changes.issueform import form_yaml
from socialmission.model import paths
from socialmission.model.mission import Mission, MissionVersion

LABEL: Final = "mission-proposal"  # the label the form gives its issues: no workflow acts on it
PRINCIPLE_LABEL: Final = "Which principle"
NEW_PRINCIPLE: Final = "A new principle"  # the dropdown's last option
TEXT_LABEL: Final = "Proposed text"
WHY_LABEL: Final = "Why"
CONFIRM_LABEL: Final = "Confirmation"
CONFIRMATION: Final = "I understand that this issue, and my GitHub account, are public"
EXCERPT_MAX: Final = 60  # characters of a principle's opening words in the dropdown


def principle_option(number: int, text: str) -> str:
    """A principle as the dropdown offers it: its number and its opening words, cut at a
    word (GitHub shows each option on one line)."""
    words = " ".join(text.split())
    if len(words) > EXCERPT_MAX:
        cut = words[:EXCERPT_MAX].rsplit(" ", 1)[0]
        words = cut.rstrip(",;:.") + "…"
    return f"Principle {number}: {words}"


def options(version: MissionVersion) -> list[str]:
    """The dropdown's options: each principle of `version`, then a new one."""
    return [*(principle_option(number, text)
              for number, text in enumerate(version.principles, start=1)), NEW_PRINCIPLE]


def form(mission: Mission, mission_name: str) -> dict[str, Any]:
    """The issue form, as GitHub's issue-form schema describes it."""
    version = mission.current
    intro = (
        f"Propose a change to the {mission_name}: reword or remove one of its principles, "
        f"or add one. The current version is version {version.version} "
        f"({version.date.isoformat()}); the site's mission history page shows every "
        "version and what changed.\n\n"
        "**This issue is public**, with your GitHub account. A proposal changes nothing by "
        "itself: the registry's maintainers read it, and when they agree, publish a new "
        "version of the mission, which every signatory is then asked to reaffirm. Write "
        "plain text.\n")
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": intro}}]
    body.append({"type": "dropdown", "id": "principle", "attributes": {
        "label": PRINCIPLE_LABEL,
        "description": f"A principle of version {version.version}, or a new one.",
        "options": options(version)}, "validations": {"required": True}})
    body.append({"type": "textarea", "id": "text", "attributes": {
        "label": TEXT_LABEL,
        "description": ("The principle as you would write it (empty: remove the principle "
                        "you chose).")}, "validations": {"required": False}})
    body.append({"type": "textarea", "id": "why", "attributes": {
        "label": WHY_LABEL, "description": "What the change would mend or add."},
        "validations": {"required": True}})
    body.append({"type": "checkboxes", "id": "confirmation", "attributes": {
        "label": CONFIRM_LABEL, "options": [{"label": CONFIRMATION, "required": True}]}})
    return {"name": "Propose a change to the mission",
            "description": f"Reword, remove or add a principle of the {mission_name} "
                           "(public; read by the registry's maintainers).",
            "title": "Proposal: ", "labels": [LABEL], "body": body}


def form_text(mission: Mission, mission_name: str) -> str:
    """The proposal form; `mission_name` is the settings'."""
    return form_yaml(form(mission, mission_name), (
        f"# Written by `socialmission issue-form` from {paths.MISSION_FILE} and "
        f"{paths.SETTINGS_FILE}: do not\n# edit it by hand (a test compares them).\n"))

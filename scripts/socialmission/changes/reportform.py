"""The issue form "Report a signature": how anyone tells the registry's maintainers that a
signature is false or abusive, or holds personal data that should go.

`form_text` writes `.github/ISSUE_TEMPLATE/report.yml` from registry.yaml, as the sign and
change forms are written. Unlike them, nothing reads a submitted report: its label,
LABEL, is neither the sign workflow's nor the change workflow's (github/signing.py acts
only on theirs), so a report never becomes a pull request, never moves a pledge, and is
never taken as anyone's authority. A registry maintainer reads it and, when it is right,
withdraws or redacts the pledge by hand (changes/lifecycle.py), judged like any other edit.

An issue is public, so the form says so first, and offers the issuer's e-mail address for
what should not be public (a legal request, personal data, a threat).
"""

from __future__ import annotations

from typing import Any, Final

from socialmission.changes.issueform import form_yaml
from socialmission.model import paths
from socialmission.model.settings import Settings

LABEL: Final = "report"  # the label the form gives its issues: no workflow acts on it
SLUG_LABEL: Final = "Page address"
REASON_LABEL: Final = "What is wrong"
REASONS: Final = (
    "The signatory never signed: someone signed in its name",
    "The pledge's name, statement, logo or links are abusive",
    "The pledge holds personal data that should be removed",
    "Something else",
)
DETAILS_LABEL: Final = "Details"
CONFIRM_LABEL: Final = "Confirmation"
CONFIRMATION: Final = "I understand that this issue, and my GitHub account, are public"


def form(settings: Settings) -> dict[str, Any]:
    """The issue form, as GitHub's issue-form schema describes it."""
    email = settings.issuer_email
    intro = (
        "**This issue is public**: anyone can read it, with your GitHub account, and it "
        "stays in the repository's history. Put nothing here that should not be public.\n\n"
        f"For a sensitive report (a legal request, personal data, a threat, or anything "
        f"you would rather not publish), write to {settings.issuer_name} at "
        f"[{email}](mailto:{email}) instead.\n\n"
        "A report changes nothing by itself: the registry's maintainers read it and, when "
        "it is right, withdraw or redact the pledge. Write plain text.\n")
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": intro}}]
    body.append({"type": "input", "id": "slug", "attributes": {
        "label": SLUG_LABEL,
        "description": ("The signatory's page on the registry: signatories/<address>/ "
                        "(its whole address is fine too)."),
        "placeholder": "example-media"}, "validations": {"required": True}})
    body.append({"type": "dropdown", "id": "reason", "attributes": {
        "label": REASON_LABEL, "options": list(REASONS)}, "validations": {"required": True}})
    body.append({"type": "textarea", "id": "details", "attributes": {
        "label": DETAILS_LABEL,
        "description": ("What you found, and how the maintainers can check it (a link to "
                        "the signatory's own website helps). Public: no personal data.")},
        "validations": {"required": True}})
    body.append({"type": "checkboxes", "id": "confirmation", "attributes": {
        "label": CONFIRM_LABEL, "options": [{"label": CONFIRMATION, "required": True}]}})
    return {"name": "Report a signature",
            "description": "A false or abusive signature: tell the registry's maintainers "
                           "(public; sensitive reports by e-mail).",
            "title": "Report: ", "labels": [LABEL], "body": body}


def form_text(settings: Settings) -> str:
    return form_yaml(form(settings), (
        f"# Written by `socialmission issue-form` from {paths.SETTINGS_FILE}: do not edit it "
        f"by hand\n# (a test compares them).\n"))

"""The issue form "Report a signature": written from registry.yaml, public and saying so,
with the issuer's e-mail for what should not be public, and a label no workflow acts on
(tests/github/test_signing.py runs the sign jobs on a recorded report)."""

from __future__ import annotations

import dataclasses

import yaml

from conftest import REGISTRY_SETTINGS, ROOT, Registry
from socialmission.changes import changeform, issueform
from socialmission.changes.reportform import CONFIRMATION, LABEL, form, form_text
from socialmission.cli import main
from socialmission.model import paths


def test_the_committed_form_is_current() -> None:
    committed = (ROOT / paths.REPORT_FORM_FILE).read_text(encoding="utf-8")
    assert committed == form_text(REGISTRY_SETTINGS)


def test_the_form_says_it_is_public_and_offers_the_issuers_email() -> None:
    other = dataclasses.replace(REGISTRY_SETTINGS, issuer_name="Port Authority of Eastholm",
                                issuer_email="charter@eastholm.example.net")
    document = yaml.safe_load(form_text(other))
    intro = document["body"][0]["attributes"]["value"]
    assert intro.startswith("**This issue is public**")
    assert ("write to Port Authority of Eastholm at [charter@eastholm.example.net]"
            "(mailto:charter@eastholm.example.net) instead") in intro
    assert REGISTRY_SETTINGS.issuer_email not in form_text(other)
    (confirm,) = [item for item in document["body"] if item["type"] == "checkboxes"]
    assert confirm["attributes"]["options"] == [{"label": CONFIRMATION, "required": True}]


def test_its_label_is_neither_signing_forms() -> None:
    assert form(REGISTRY_SETTINGS)["labels"] == [LABEL]
    assert LABEL not in (issueform.LABEL, changeform.LABEL)


def test_a_changed_issuer_makes_the_committed_form_stale(registry: Registry) -> None:
    root = registry.root
    assert main(["--root", str(root), "derived"]) == 0
    assert main(["--root", str(root), "issue-form", "--check"]) == 0
    settings = root / paths.SETTINGS_FILE
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        f"issuer_email: {REGISTRY_SETTINGS.issuer_email}",
        "issuer_email: reports@eastholm.example.net"), encoding="utf-8")
    assert main(["--root", str(root), "derived", "--check"]) == 1
    assert main(["--root", str(root), "issue-form", "--check"]) == 1
    assert main(["--root", str(root), "derived"]) == 0
    assert "mailto:reports@eastholm.example.net" in \
        (root / paths.REPORT_FORM_FILE).read_text(encoding="utf-8")
    assert main(["--root", str(root), "derived", "--check"]) == 0

"""Issue-form bodies as GitHub writes a submitted form, for the tests of the importers."""

from __future__ import annotations

from socialmission.changes.issueform import CONFIRM_LABEL, CONFIRMATIONS, SLUG_LABEL


def body(**answers: str | None) -> str:
    """A body as GitHub writes a submitted form: '### Label', a blank line, the answer."""
    values = {"Name": "Acme Media", "Kind": "organisation",
              "Website": "https://www.acme-media.example.org/", "Country": "GB",
              "Sector": None, "Statement": None, "Public announcement": None,
              SLUG_LABEL: None, CONFIRM_LABEL: "\n".join(f"- [X] {c}" for c in CONFIRMATIONS)}
    values.update({k.replace("_", " "): v for k, v in answers.items()})
    return "\n\n".join(f"### {label}\n\n{value if value is not None else '_No response_'}"
                       for label, value in values.items() if value != "<absent>") + "\n"

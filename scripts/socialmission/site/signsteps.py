"""The sign page's "What happens next": the step between the check and the published page,
which this registry's settings decide (registry.yaml's `domain_proof` and `automerge`), so
the page promises what the registry does, not what another registry would.

The step is Markdown for the sign page's ordered list (the generator puts it where
site/sign.md writes MERGE_STEP_MARKER); it names no setting's value, only what follows
from it.
"""

from __future__ import annotations

from typing import Final

from socialmission.model.settings import Settings

MERGE_STEP_MARKER: Final = "<!-- socialmission:merge-step -->"
# The sign page's disclosure that says how a website confirms a signature (site/sign.md).
PROOF_ANCHOR: Final = "#show-that-your-website-confirms-it"


def merge_step(settings: Settings) -> str:
    """How a pledge that passed its check gets merged here: by a person, on no timetable
    (the default); only once the signatory's website confirms it, then by a person
    (`domain_proof`); or by the App as soon as the website confirms it, unless the
    check leaves it to a person (`domain_proof` and `automerge`)."""
    proof = f"[a file or a DNS record]({PROOF_ANCHOR}) on your website confirms it"
    if settings.domain_proof and settings.automerge:
        return (f"**It is merged once your website confirms it.** A new pledge passes only "
                f"when {proof}; the App then merges it at once, unless the check leaves it "
                f"to a maintainer.")
    if settings.domain_proof:
        return (f"**Your website confirms it, and a maintainer merges it.** A new pledge "
                f"passes only when {proof}. Then a person reads it and merges it: by hand, "
                f"on no fixed timetable.")
    return ("**A maintainer merges it.** A person reads every new pledge before it is "
            "published: by hand, on no fixed timetable.")

"""A draft version 2 of the mission for the tests: the real version 1's principles with
principle 9's "it's" corrected and one principle added, proposed with a discussion on the
registry's repository (registry.yaml's)."""

from __future__ import annotations

DISCUSSION = "https://github.com/socially-m/social-mission-registry/issues/42"
# A second version, proposed: the first's principles with one reworded and one added.
DRAFT = """\
  - version: 2
    draft: true
    title: The Socially-M Social Mission
    status: second draft
    discussion: {discussion}
    changes: Principle 9's wording corrected; a principle on accessibility added.
    principles:
{principles}
      - I will make everything I post accessible to everyone who reads it.
"""


def with_draft(mission: str) -> str:
    """mission.yaml's text with the draft above after its one published version."""
    principles = mission[mission.index("    principles:\n") + len("    principles:\n"):]
    corrected = principles.rstrip("\n").replace("it's audience", "its audience")
    return mission + DRAFT.format(discussion=DISCUSSION, principles=corrected)

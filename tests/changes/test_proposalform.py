"""The issue form "Propose a change to the mission": written from mission.yaml, its dropdown
the current published version's principles and a new one, written again when a version is
published, and a label no workflow acts on (tests/test_workflows.py checks the workflows)."""

from __future__ import annotations

import yaml

from conftest import MISSION_NAME, ROOT, Registry
from mission_support import mission_v2_text
from socialmission.changes import changeform, issueform, proposalform, reportform
from socialmission.changes.proposalform import (
    CONFIRMATION,
    LABEL,
    NEW_PRINCIPLE,
    form_text,
    principle_option,
)
from socialmission.cli import main
from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission


def questions(text: str) -> dict[str, dict[str, object]]:
    """The form's questions by id."""
    return {item["id"]: item for item in yaml.safe_load(text)["body"] if "id" in item}


def test_the_committed_form_is_current(mission: Mission) -> None:
    committed = (ROOT / paths.PROPOSAL_FORM_FILE).read_text(encoding="utf-8")
    assert committed == form_text(mission, MISSION_NAME)


def test_the_form_asks_which_principle_the_text_and_why(mission: Mission) -> None:
    document = yaml.safe_load(form_text(mission, MISSION_NAME))
    assert document["name"] == "Propose a change to the mission"
    asked = questions(form_text(mission, MISSION_NAME))
    assert list(asked) == ["principle", "text", "why", "confirmation"]
    assert [asked[name]["type"] for name in asked] == \
        ["dropdown", "textarea", "textarea", "checkboxes"]
    options = asked["principle"]["attributes"]["options"]  # type: ignore[index]
    assert options == [*(principle_option(number, text) for number, text
                         in enumerate(mission.current.principles, start=1)), NEW_PRINCIPLE]
    assert options[0] == ("Principle 1: Social media is 24 hours a day, 7 days a week and "
                          "not a one…")
    assert len(set(options)) == len(options)  # GitHub refuses a repeated option
    assert asked["confirmation"]["attributes"] == {
        "label": proposalform.CONFIRM_LABEL,
        "options": [{"label": CONFIRMATION, "required": True}]}
    intro = document["body"][0]["attributes"]["value"]
    assert "**This issue is public**" in intro
    assert f"version {mission.current.version} ({mission.current.date.isoformat()})" in intro


def test_a_principle_option_is_one_line_cut_at_a_word() -> None:
    assert principle_option(3, "Short,\n  and plain.") == "Principle 3: Short, and plain."
    long = "word " * 30
    option = principle_option(12, long)
    assert option.endswith("word…") and len(option) <= len("Principle 12: ") + 61


def test_its_label_is_no_other_forms() -> None:
    assert yaml.safe_load(form_text(load_mission(ROOT), MISSION_NAME))["labels"] == [LABEL]
    assert LABEL not in (issueform.LABEL, changeform.LABEL, reportform.LABEL)


def test_publishing_a_version_makes_the_form_stale_until_written_again(
        registry: Registry) -> None:
    """The dropdown is the current version's principles: appending version 2 to
    mission.yaml makes the committed form stale (`derived --check` fails, as the build's
    workflows run it), and `derived` writes version 2's eleven principles."""
    root = registry.root
    assert main(["--root", str(root), "derived"]) == 0
    form = root / paths.PROPOSAL_FORM_FILE
    before = form.read_text(encoding="utf-8")
    (root / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    assert main(["--root", str(root), "derived", "--check"]) == 1
    assert main(["--root", str(root), "issue-form", "--check"]) == 1
    assert form.read_text(encoding="utf-8") == before  # --check writes nothing
    assert main(["--root", str(root), "derived"]) == 0
    assert main(["--root", str(root), "derived", "--check"]) == 0
    v2 = load_mission(root)
    written = form.read_text(encoding="utf-8")
    assert written == form_text(v2, MISSION_NAME) != before
    options = questions(written)["principle"]["attributes"]["options"]  # type: ignore[index]
    assert len(options) == 12 and len(v2.current.principles) == 11
    assert options[:-1] == [principle_option(number, text) for number, text
                            in enumerate(v2.current.principles, start=1)]
    assert options[-1] == NEW_PRINCIPLE
    assert "A principle of version 2, or a new one." in written

"""The history page's Markdown (site/pages.py: history): every published version, newest
first, with what it changed and its errata; the draft, when there is one, first, as
proposed, with what it would change and where it is discussed."""

from __future__ import annotations

import dataclasses

import markdown

from conftest import ROOT, SITE_WORDS
from socialmission.model.mission import MissionDraft, load_mission
from socialmission.site import pages

MISSION = load_mission(ROOT)
DISCUSSION = "https://github.com/socially-m/social-mission-registry/issues/42"


def drafted(*, dated: bool = False) -> MissionDraft:
    current = MISSION.current
    principles = (*current.principles[:8], current.principles[8].replace("it's", "its"),
                  current.principles[9], "I will make everything I post accessible.")
    return MissionDraft(dataclasses.replace(
        current, version=2, principles=principles, status="second draft",
        changes="Principle 9 corrected; one added.", discussion=DISCUSSION), dated=dated)


def html(page: str) -> str:
    body = page.split("---\n", 2)[2]
    return str(markdown.markdown(body, extensions=["md_in_html", "attr_list", "toc"]))


def test_without_a_draft_the_page_has_the_published_versions_only() -> None:
    page = html(pages.history(MISSION, SITE_WORDS))
    assert "Proposed" not in page
    assert '<h2 id="mission-v1">Version 1: The Socially-M Social Mission</h2>' in page
    assert "Errata" not in page


def test_the_draft_comes_first_as_proposed_with_what_it_would_change() -> None:
    page = html(pages.history(dataclasses.replace(MISSION, draft=drafted()), SITE_WORDS))
    proposed = page.index('<h2 id="mission-proposed">Proposed: version 2: The Socially-M '
                          'Social Mission</h2>')
    assert proposed < page.index('<h2 id="mission-v1">')
    assert "<em>Proposed, not yet\npublished: nobody has signed it, and version 1 stays the " \
           "current\nversion until it is.</em> Principle 9 corrected; one added." in page
    assert f'<a href="{DISCUSSION}">Read and join the discussion</a>' in page
    assert "<strong>What would change from version 1:</strong>" in page
    assert "<li>Added, as principle 11: I will make everything I post accessible.</li>" in page
    assert "<li>Reworded, principle 9: was" in page
    assert "mission-v2" not in page  # the anchor version 2 takes once published


def test_a_dated_draft_says_when_it_is_proposed_for() -> None:
    page = html(pages.history(dataclasses.replace(MISSION, draft=drafted(dated=True)),
                              SITE_WORDS))
    assert "<em>Proposed for October 2023, not yet" in page


def test_errata_show_beside_the_text_as_signed() -> None:
    note = "Principle 9: 'it's audience' is to be read 'its audience'."
    noted = dataclasses.replace(MISSION, versions=(dataclasses.replace(
        MISSION.current, errata=(note,), discussion=DISCUSSION),))
    page = html(pages.history(noted, SITE_WORDS))
    assert "and it&#39;s audience.</li>" in page  # the principle as signed
    assert ("<p><strong>Errata</strong> (the text above stays as it was signed):</p>\n<ul>\n"
            "<li>Principle 9: &#39;it&#39;s audience&#39; is to be read &#39;its "
            "audience&#39;.</li>") in page
    assert f'<a href="{DISCUSSION}">The discussion of version 1</a>' in page

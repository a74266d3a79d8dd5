"""The links to the registry's repository: GitHub's new-file page with the template, the
issue form, and the footer's link, each built once from registry.yaml and model/paths.py."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import MISSION, MISSION_NAME, ROOT
from socialmission.check.template import template_text
from socialmission.model import paths
from socialmission.model.settings import Settings
from socialmission.site import signlinks

REPO = ("socially-m", "social-mission-registry")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


def test_the_link_opens_githubs_new_file_page_with_the_template(settings: Settings) -> None:
    links = signlinks.repository_links(settings, template_text(MISSION, MISSION_NAME))
    parts = urlsplit(links.new_pledge)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "github.com", "/socially-m/social-mission-registry/new/main")
    # every byte, comments too
    assert query(links.new_pledge) == {"filename": ["pledges/your-page-address.yaml"],
                                       "value": [template_text(MISSION, MISSION_NAME)]}
    assert len(links.new_pledge) <= paths.GITHUB_URL_MAX
    assert links.sign_form == ("https://github.com/socially-m/social-mission-registry/issues/"
                               "new?template=sign.yml")
    assert Path(paths.SIGN_FORM_FILE).name == "sign.yml"
    assert links.pull_requests == "https://github.com/socially-m/social-mission-registry/pulls"


@pytest.mark.parametrize("text", [
    "a & b=c #frag +plus %41 100%\n",  # what a query would read as its own syntax
    "line one\r\nline two\n\n\ttabbed\n",
    "quotes \" ' < > ` \\ { } | ^ [ ] ; / ? :\n",
    "Ελληνικά العربية 株式会社 😀 \u202e\n",  # UTF-8, and what must stay escaped
    "javascript:alert(1)//\n",
])
def test_any_text_comes_back_exactly(text: str) -> None:
    url = paths.github_new_file_url(REPO, "release/2026", "pledges/x y&z.yaml", text)
    assert query(url) == {"filename": ["pledges/x y&z.yaml"], "value": [text]}
    assert urlsplit(url).path == "/socially-m/social-mission-registry/new/release/2026"
    assert all(33 <= ord(ch) < 127 for ch in url)  # nothing raw: no space, quote or newline
    assert not set(url) & set("\"'<>`\\ {}|^")


def test_a_template_too_long_for_github_loses_its_comments_first() -> None:
    template = template_text(MISSION, MISSION_NAME)
    full = signlinks.new_pledge_url(REPO, "main", template)
    limit = len(full) - 1
    short = signlinks.new_pledge_url(REPO, "main", template, limit=limit)
    assert len(short) <= limit
    value = query(short)["value"][0]
    lines = value.splitlines()
    assert lines[0] == template.splitlines()[0]  # the editor's schema line stays
    assert not [line for line in lines[1:] if line.lstrip().startswith("#")]
    assert "\n\n\n" not in value
    # what is left is every field line of the template, in order
    assert lines[1:] and [line for line in lines[1:] if line] == [
        line for line in template.splitlines()[1:] if line and not line.lstrip().startswith("#")]
    with pytest.raises(signlinks.LinkTooLong, match="GitHub refuses addresses longer than 500"):
        signlinks.new_pledge_url(REPO, "main", template, limit=500)


def test_the_fragments_escape_every_address(settings: Settings) -> None:
    links = signlinks.repository_links(replace(settings, default_branch="a&b"), "x\n")
    html = signlinks.sign_buttons(links)
    found: list[tuple[str, dict[str, str | None]]] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.append((tag, dict(attrs)))

    Links().feed(html)
    assert [attrs["href"] for _, attrs in found] == [links.sign_form, links.new_pledge]
    assert "&amp;value=" in html and "&value=" not in html
    assert [attrs["class"] for _, attrs in found] == ["md-button md-button--primary",
                                                     "md-button"]
    assert signlinks.theme_values(links) == {
        "sm_repository_url": settings.repository,
        "sm_repository_label": "socially-m/social-mission-registry on GitHub",
        "sm_about_path": "about/"}
    report = signlinks.report_button(links)
    assert links.report_form == \
        "https://github.com/socially-m/social-mission-registry/issues/new?template=report.yml"
    assert report == f'<p><a class="md-button" href="{links.report_form}">Report a ' \
        'signature</a></p>'


def test_the_site_never_turns_on_materials_repository_widget() -> None:
    """Material's repo_url widget asks api.github.com for stars and forks on every page
    view; the footer's own block also drops the parts of Material's footer this site does
    not use, so turning one of them on needs that block changed."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "repo_url" not in config and "repo_name" not in config
    assert "navigation.footer" not in config["theme"].get("features", [])
    assert "social" not in config.get("extra", {})

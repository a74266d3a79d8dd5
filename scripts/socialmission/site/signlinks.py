"""The site's links to the registry's repository: the sign page's two ways in (the issue
form, and GitHub's "new file" page with the template filled in), the about page's "Report
a signature" (the report form), a signatory page's way to reaffirm or withdraw (the change
form, its page address filled in), and the repository and about links every page's footer
carries.

All of them are built from registry.yaml's `repository` and `default_branch`, through
model/paths.py, which spells every address; each is HTML-escaped where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from socialmission.changes.changeform import SLUG_ID
from socialmission.model import paths
from socialmission.model.settings import Settings

# Where hand-written pages ask for these (replaced by the generator's fragments).
SIGN_BUTTONS_MARKER = "<!-- socialmission:sign-buttons -->"
PULL_REQUESTS_MARKER = "<!-- socialmission:pull-requests -->"
REPORT_BUTTON_MARKER = "<!-- socialmission:report-button -->"


class LinkTooLong(ValueError):
    """The template does not fit GitHub's longest address, even without its comments."""


@dataclass(frozen=True)
class RepositoryLinks:
    owner_name: tuple[str, str]
    repository: str  # registry.yaml's value, as written
    sign_form: str  # a new issue from the sign form
    new_pledge: str  # GitHub's new-file page with the template filled in
    pull_requests: str
    report_form: str  # a new issue from the report form

    @property
    def label(self) -> str:
        return f"{self.owner_name[0]}/{self.owner_name[1]}"


def new_pledge_url(owner_name: tuple[str, str], branch: str, template: str,
                   limit: int = paths.GITHUB_URL_MAX) -> str:
    """GitHub's "new file" page for pledges/ holding `template`: the whole template when
    the address fits in `limit` characters, else the template without its comment lines
    (the fields and their sample values, the schema line kept for editors)."""
    path = f"{paths.PLEDGES_DIR}/{paths.SIGN_FILE_NAME}"
    url = paths.github_new_file_url(owner_name, branch, path, template)
    if len(url) <= limit:
        return url
    first, _, rest = template.partition("\n")
    fields = "\n".join(line for line in rest.splitlines() if not line.lstrip().startswith("#"))
    bare = first + "\n\n" + re.sub(r"\n{3,}", "\n\n", fields).strip() + "\n"
    url = paths.github_new_file_url(owner_name, branch, path, bare)
    if len(url) > limit:
        raise LinkTooLong(f"the 'Sign on GitHub' link would be {len(url)} characters long, "
                          f"even without the template's comments; GitHub refuses addresses "
                          f"longer than {limit}: shorten the template's sample values")
    return url


def repository_links(settings: Settings, template: str) -> RepositoryLinks:
    owner_name = paths.github_repository(settings.repository)
    # registry.yaml's reader refuses any other repository address (model/settings.py)
    assert owner_name is not None, settings.repository
    return RepositoryLinks(
        owner_name, settings.repository,
        sign_form=paths.github_issue_form_url(owner_name, paths.SIGN_FORM_FILE),
        new_pledge=new_pledge_url(owner_name, settings.default_branch, template),
        pull_requests=paths.github_pull_requests_url(owner_name),
        report_form=paths.github_issue_form_url(owner_name, paths.REPORT_FORM_FILE))


def change_form_url(owner_name: tuple[str, str], slug: str) -> str:
    """A new issue from the change form with the page address `slug` filled in. GitHub
    fills a form's text questions from query parameters named by their ids, and documents
    nothing of the kind for a dropdown: the page names the action to choose instead."""
    form = paths.github_issue_form_url(owner_name, paths.CHANGE_FORM_FILE)
    return f"{form}&{SLUG_ID}={quote(slug, safe='')}"


def sign_buttons(links: RepositoryLinks) -> str:
    """The sign page's two ways in, side by side: an HTML block for the Markdown page."""
    return ('<p class="sm-sign-routes">'
            f'<a class="md-button md-button--primary" href="{escape(links.sign_form)}">'
            'Sign with the web form</a> '
            f'<a class="md-button" href="{escape(links.new_pledge)}">Sign on GitHub</a>'
            '</p>')


def pull_requests_link(links: RepositoryLinks) -> str:
    return (f'<a href="{escape(links.pull_requests)}">the repository\'s pull '
            'requests</a>')


def report_button(links: RepositoryLinks) -> str:
    """The about page's way to report a signature: an HTML block for the Markdown page."""
    return (f'<p><a class="md-button" href="{escape(links.report_form)}">'
            'Report a signature</a></p>')


def theme_values(links: RepositoryLinks) -> dict[str, str]:
    """What site/overrides/main.html reads for the footer's links (plain text: the build
    escapes it): the repository, and the about page's address within the site."""
    return {"sm_repository_url": links.repository,
            "sm_repository_label": f"{links.label} on GitHub",
            "sm_about_path": paths.ABOUT_PATH}

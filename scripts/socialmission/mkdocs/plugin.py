"""The thin adapter between the site engine and the registry's generator (generator.py).

Installed as the plugin `socialmission` (see pyproject.toml and mkdocs.yml) for MkDocs and
ProperDocs alike (see engine.py). It hands the engine what the generator makes and nothing
more, so `mkdocs build`, `properdocs build` and their `serve` just work; moving to another
engine means writing another adapter like this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from pathlib import Path
from typing import Any

from socialmission.errors import UsageError
from socialmission.mkdocs import engine
from socialmission.model import paths
from socialmission.model.settings import site_url
from socialmission.site.generator import GenerationError, SiteContent, generate, place_folders
from socialmission.site.pages import SHARED_CHROME, PageBody
from socialmission.site.unindent import Unindented

# Before the first `mkdocs` import: loaded by an engine, this is that engine; imported on
# its own (a test, a script), the one engine.choose() picks (see engine.py).
engine.ensure()

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin, get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

# The engine's public plugin logger: `mkdocs.plugins.socialmission` under MkDocs,
# `properdocs.plugins.socialmission` under ProperDocs, so a strict build counts its warnings.
log = get_plugin_logger("socialmission")
# An element id in the generator's HTML: its templates write attributes one space apart,
# values in double quotes that Jinja's escaping keeps closed (a quote in a value is &#34;),
# so no text a signatory typed can open or end one. (A literal space, not \s: 7 us a page
# against 40.)
_ID = re.compile(r' id="([^"]*)"')


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent




class SocialMissionPlugin(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    content: SiteContent | None = None
    # the badge state kept beside the deployment (site/published.py), which
    # `socialmission build --published-badges` sets; None for every other build
    published_badges: dict[str, str] | None = None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """`mkdocs serve` rebuilds when the mission, a pledge or a badge design changes."""
        root = _root(config)
        for path in (root / paths.MISSION_FILE, root / paths.PLEDGES_DIR,
                     root / paths.DESIGN_DIR, root / paths.SETTINGS_FILE):
            server.watch(str(path))
        return server

    def on_files(self, files: Files, config: Any) -> Files:
        try:
            # mkdocs.yml's own site_url, not config's: `mkdocs serve` sets that to its local
            # address, and the badges, assertions and feeds must name the public registry
            # (and so stay the same as the cached badges' content keys).
            root = _root(config)
            content = self.content = generate(root, site_url(root),
                                              published=self.published_badges)
        except (GenerationError, UsageError) as error:
            raise PluginError(str(error)) from None
        for path, markdown in content.pages.items():
            file = File.generated(config, path, content=markdown)
            _replace(files, file)
            if path in content.bodies:
                _HtmlPage(file, config, content.bodies[path])
        for path, data in content.files.items():
            _replace(files, File.generated(config, path, content=data))
        for path, source in content.copies.items():
            _replace(files, File.generated(config, path, abs_src_path=str(source)))
        log.info("%d signatories, %d generated pages", len(content.pledges),
                 len(content.pages))
        if self.published_badges is not None:
            log.info("%d signatories' badges are published already, as they are now: "
                     "not rendered, not in this site (it is for that deployment only)",
                     len(content.published))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if self.content is not None:
            for marker, fragment in self.content.fragments.items():
                markdown = markdown.replace(marker, fragment)
        return markdown

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """`sm_shared(page, block, render)`, `sm_preloads` and the generator's values (the
        footer's repository link) for the theme (site/overrides/main.html), and the theme's
        templates without their indentation (site/unindent.py)."""
        env.globals["sm_shared"] = shared_blocks()
        # the web fonts each page preloads (site/overrides/main.html), by source path
        env.globals["sm_preloads"] = self.content.preloads if self.content else {}
        if self.content is not None:
            env.globals.update(self.content.theme)
        env.add_extension(Unindented)
        return env

    def on_post_build(self, config: Any) -> None:
        if self.content is not None:
            place_folders(self.content, Path(config["site_dir"]))


def shared_blocks() -> Callable[[Any, str, Callable[[], str]], str]:
    """For one build: a theme block rendered once per kind of page that shares it (the
    page's SHARED_CHROME front matter), and rendered as usual on any other page."""
    rendered: dict[tuple[str, str], str] = {}

    def shared(page: Any, block: str, render: Callable[[], str]) -> str:
        kind = page.meta.get(SHARED_CHROME) if page is not None and page.meta else None
        if not kind:
            return render()
        if (kind, block) not in rendered:
            rendered[kind, block] = render()
        return rendered[kind, block]

    return shared


class _HtmlPage(Page):
    """A page the generator wrote as HTML: the engine reads its front matter and never runs
    Markdown on it (Python-Markdown, set up afresh for every page, was most of a build
    with thousands of signatory pages). Made before the engine builds its navigation, which
    then takes it as the file's page.

    render() sets what Page.render() sets, through public attributes where they exist:
    `content` and `toc` (documented for templates). The title needs nothing: the front
    matter's `title` (page.meta, documented) comes before any title found by rendering, and
    with no Markdown run there is none. Links in the HTML are not checked for anchors, so
    `links_to_anchors` keeps its class default (None: nothing to check).

    One attribute has no public way, and is named here and tested in tests/mkdocs/test_engine.py
    against a real render and build of each engine: `present_anchor_ids`, every id in this
    page's HTML (as Page.render() collects them), which the build's anchor validation
    (`validation: anchors:`) reads when another page links to `page.md#id`. Without it the
    engine takes the page as never rendered and skips every link into it.
    """

    def __init__(self, file: File, config: Any, body: PageBody) -> None:
        super().__init__(None, file, config)
        self.body = body

    def render(self, config: Any, files: Files) -> None:
        self.content = self.body.html
        sections: list[Any] = [{"level": 2, "id": anchor, "name": escape(title), "children": []}
                               for anchor, title in self.body.toc]
        if self.body.heading is not None:  # the h1 holds the h2s, as Markdown's toc has it
            anchor, title = self.body.heading
            sections = [{"level": 1, "id": anchor, "name": escape(title),
                         "children": sections}]
        self.toc = get_toc(sections)
        self.present_anchor_ids = {unescape(anchor) for anchor in _ID.findall(self.body.html)}


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)

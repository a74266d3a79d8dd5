"""What the browser tests (test_e2e.py) stand on: a local web server for a built site, a
headless Debian Chromium driven by Playwright, a guard on every page, and axe-core.

Nothing here leaves the machine: the server listens on 127.0.0.1 only, and every request a
page makes to any other address is refused and recorded, so a test can prove none was
tried.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Debian's package (`apt-get install chromium`, which .ci/run does); Playwright's own
# browser downloads are not used.
CHROMIUM = Path(os.environ.get("SOCIALMISSION_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Every level A and AA rule of WCAG 2.0, 2.1 and 2.2, and axe's best practices (one
# landmark of each kind or a name for each, a name for every dialog, headings in order):
# none disabled and no element left out.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: `make test` installs it from requirements/dev.lock"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
    return None


def axe_source() -> str | None:
    """axe-core's axe.min.js, as the pinned axe-playwright-python wheel ships it."""
    from importlib import resources

    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    except (ImportError, FileNotFoundError):
        return None


# --- the browser -------------------------------------------------------------------------------
# A pytest plugin (tests/conftest.py names this module): every browser test file takes this
# one fixture. Playwright's sync API runs one event loop a thread, so a second
# `sync_playwright()` opened while another is open fails ("Sync API inside the asyncio
# loop"): two test files with a browser each could not run in one session.
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# --- the web server ---------------------------------------------------------------------------
# What a host (GitHub Pages, a CDN) sends gzipped, to a browser that accepts it.
GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class GzipHandler(_QuietHandler):
    """Static files; text types gzipped (level 6) when the client accepts it, like a host."""

    def send_head(self) -> Any:
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = path / "index.html"
        if not (path.is_file() and path.suffix in GZIP_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a connection mid-file (Lighthouse does, between its passes)
        # is no error of the server's: no traceback on the terminal for it.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve the folder on 127.0.0.1 at a free port; yields the base URL (ends in '/').
    With `compress`, text types are sent gzipped as a host sends them (GzipHandler)."""
    handler = functools.partial(GzipHandler if compress else _QuietHandler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the guard on every page -----------------------------------------------------------------
@dataclass
class Guard:
    """What a browser context did that a visitor must never see or cause."""

    origin: str  # e.g. http://127.0.0.1:12345
    external: list[str] = field(default_factory=list)  # refused requests to other hosts
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context: Any) -> None:
        """Watch every page the context has or will open."""
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", self._error)
        context.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.location.get('url')}: {message.text}")

    def _error(self, error: Any) -> None:
        self.page_errors.append(f"{error.page.url if error.page else '?'}: {error.error}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def problems(self) -> list[str]:
        return ([f"request to another host: {u}" for u in self.external] +
                [f"console error: {e}" for e in self.console_errors] +
                [f"page error: {e}" for e in self.page_errors] +
                [f"dialog opened: {d}" for d in self.dialogs])


# --- what every browser test module shares ---------------------------------------------------
# The engine the pages are built with (SOCIALMISSION_ENGINE, else MkDocs), the two widths
# and the two colour schemes every page is looked at in.
ENGINE = os.environ.get("SOCIALMISSION_ENGINE") or "mkdocs"
VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")


def shots(name: str) -> Path:
    """Where a module's screenshots go, by engine, for a person to look at."""
    return Path(f"/tmp/shots-{name}") / ENGINE


# --- axe-core ----------------------------------------------------------------------------------
def mkdocs_build(config: Path, out: Path, engine: str | None = None) -> None:
    """`socialmission build` (strict) of the registry whose mkdocs.yml is `config`, into
    `out`, with `engine`, else $SOCIALMISSION_ENGINE's (so the browser tests run on a
    Zensical build with SOCIALMISSION_ENGINE=zensical), else MkDocs."""
    command = Path(sys.executable).parent / "socialmission"
    chosen = [] if engine is None else ["--engine", engine]
    result = subprocess.run(
        [str(command), "--root", str(config.parent), "build", "--out", str(out), *chosen],
        cwd=config.parent, capture_output=True, text=True, check=False, env=os.environ)
    assert result.returncode == 0, result.stderr


@dataclass
class Site:
    """A built site, and where the test's server serves it."""

    root: Path  # the built site
    url: str  # where it is served, ending in '/'


class Visitor:
    """One browser context (a visitor) on one site, and the guard that watches it."""

    def __init__(self, browser: Any, site: Site, **options: Any) -> None:
        self.site = site
        self.guard = Guard(site.url.rstrip("/"))
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(10_000)
        self.guard.attach(self.context)
        self.page = self.context.new_page()

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.site.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        return self.page

    def fired(self) -> list[str]:
        """Frames in which the injection canary was set."""
        return [frame.url for frame in self.page.frames
                if frame.evaluate("() => typeof window.__canary") != "undefined"]

    def assert_clean(self) -> None:
        assert self.fired() == []
        assert self.guard.problems() == []


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[..., Visitor]]:
    visitors: list[Visitor] = []

    def start(site: Site, **options: Any) -> Visitor:
        visitor = Visitor(browser, site, **options)
        visitors.append(visitor)
        return visitor

    yield start
    for visitor in visitors:
        visitor.context.close()


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's violations of AXE_TAGS (WCAG 2.2 A/AA, best practices) on the page as it
    is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,"
        " summary: n.failureSummary}))})))", AXE_TAGS)
    return list(result)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            lines += [f"        {line}" for line in (node["summary"] or "").splitlines()]
    return "\n".join(lines)


# --- a registry of hostile pledges -------------------------------------------------------------
# Each would set window.__canary, open a dialog, or show the wrong text if any output took a
# pledge's text for markup, script, a template, a URL scheme or a CDATA end.
HOSTILE_NAMES = {
    "script-tag": "<script>window.__canary=1</script>",
    "img-onerror": '<img src=x onerror="window.__canary=1;alert(1)">',
    "svg-onload": '"><svg onload=window.__canary=1>',
    "js-link": "[x](javascript:window.__canary=1)",
    "jinja": "{{ 7*7 }} {% raw %} ${7*7} ]]> </textarea> <!--",
    "close-title": "```</title><script>window.__canary=1</script>",
    "srcdoc": "'><iframe srcdoc=\"<script>parent.__canary=1</script>\">",
    "entities": "&lt;script&gt;x&lt;/script&gt; &amp; &#60;b&#62;",
    "comment-end": "--><script>window.__canary=1</script><!--",
    "close-script": "</script><script>window.__canary=1</script>x",
    "anchor": '<a href="javascript:window.__canary=1">x</a> *em* _u_ <https://evil.example.org/>',
}
# A multi-line statement (at most 500 characters) with every kind of payload in it.
HOSTILE_STATEMENT = (
    "<script>window.__canary=1</script> <img src=x onerror=window.__canary=1>\n"
    "```\n</textarea></pre></code><svg onload=window.__canary=1>\n```\n"
    "[x](javascript:window.__canary=1) <a href=\"javascript:window.__canary=1\">a</a>\n"
    "{{ 7*7 }} {% if true %}jinja{% endif %} ]]> <![CDATA[x]]> --> `code` ~~~\n"
    "\"'><iframe srcdoc=\"<script>parent.__canary=1</script>\"></iframe> &amp;lt; $x"
)
HOSTILE_REASON = ("</p><script>window.__canary=1</script> ]]> {{ 7*7 }}\n~~~\n"
                  "<img src=x onerror=\"window.__canary=1\">\n~~~\n"
                  "[x](javascript:window.__canary=1)")


def hostile_urls(number: int) -> dict[str, str]:
    """URLs the validator accepts (no quotes, spaces, <, > or backticks) that a page must
    still keep inside its attribute: percent-encoded markup, ampersands that spell
    entities, ']]>' split up, parentheses and 'javascript:' in the path and query."""
    host = f"https://p{number}.example.org"
    return {
        "website": f"{host}/?q=%3Cscript%3Ewindow.__canary=1%3C/script%3E&amp;quot;x=1]]",
        "statement_url": f"{host}/a]]&quot;onmouseover=window.__canary=1//"
                         "javascript:window.__canary=1;(1)#%22%3E%3Csvg%20onload=x%3E",
        "x": "https://x.com/evil?ref=%22%3E%3Cscript%3Ewindow.__canary=1%3C/script%3E&a=]]",
        "mastodon": f"https://m{number}.example.org/@x?&#34;onfocus=window.__canary=1&y=$(1)",
    }


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def hostile_pledges() -> dict[str, str]:
    """Slug -> pledge YAML. The last one is withdrawn, with a hostile reason."""
    pledges = {}
    for number, (slug, name) in enumerate(HOSTILE_NAMES.items(), start=1):
        urls = hostile_urls(number)
        lines = [
            f"name: {_quote(name)}",
            f"kind: {'individual' if number % 2 else 'organisation'}",
            f"website: {_quote(urls['website'])}",
            f"signed: 2024-{number:02d}-15",
            "mission_version: 1",
            "maintainers:", "  - harbour",
            "country: GB",
            "sector: media",
            f"statement: {_quote(HOSTILE_STATEMENT)}",
            f"statement_url: {_quote(urls['statement_url'])}",
            "social:",
            f"  x: {_quote(urls['x'])}",
            f"  mastodon: {_quote(urls['mastodon'])}",
        ]
        if number == len(HOSTILE_NAMES):
            lines += ["status: withdrawn", "withdrawn: 2025-01-31",
                      f"withdrawn_reason: {_quote(HOSTILE_REASON)}"]
        pledges[slug] = "\n".join(lines) + "\n"
    return pledges


# --- the site search ---------------------------------------------------------------------------
# Material (MkDocs, ProperDocs) draws its search dialog in the page, from our
# partials/search.html; Zensical's search is its own component, a <dialog> in an open shadow
# root (Playwright's CSS and role locators reach into it) that reads search.json. A test
# drives either through SiteSearch, so that it checks what a visitor sees on both.
DEEP_FOCUS = """() => { let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  return e; }"""


@dataclass
class SiteSearch:
    """The header's site search on a page, whichever engine built it."""

    page: Any
    zensical: bool  # else Material's

    @classmethod
    def on(cls, page: Any) -> SiteSearch:
        generator = page.locator("meta[name=generator]").get_attribute("content") or ""
        return cls(page, generator.startswith("zensical-"))

    @property
    def _field_selector(self) -> str:
        return "input[role=combobox]" if self.zensical else ".md-search__input"

    @property
    def field(self) -> Any:
        """The search's text field."""
        if self.zensical:
            return self.page.locator("dialog[aria-label='Search'] " + self._field_selector)
        return self.page.locator(self._field_selector)

    @property
    def dialog(self) -> Any:
        """The open search dialog, by its role and name (the one holding the field)."""
        return self.page.get_by_role("dialog", name="Search").filter(
            has=self.page.locator(self._field_selector))

    def open(self) -> None:
        """Open it as a visitor does: on a phone by the header's search button, on a desktop
        by clicking the field (Material) or the button (Zensical) the header shows."""
        button = self.page.locator("label.md-header__button[for='__search']")
        if button.is_visible():
            button.click()
        elif self.zensical:
            self.page.locator(".md-search__button").click()
        else:
            self.field.click()
        if self.zensical:
            self.field.wait_for(state="visible")
        else:
            self.page.locator(".md-search__output").wait_for(state="visible")
        # the dialog slides or fades in: what it shows, once it is still (Zensical's runs
        # in its shadow root, whose animations the document's list leaves out)
        self.page.wait_for_function(
            "[document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot)"
            ".filter(Boolean)].every(r => r.getAnimations()"
            ".every(a => a.playState !== 'running'))")

    def has_focus(self) -> bool:
        """Whether the keyboard focus is in the search field."""
        return bool(self.field.evaluate(f"f => ({DEEP_FOCUS})() === f"))

    def result(self, text: str) -> Any:
        """The results' links that show `text`."""
        if self.zensical:
            links = self.page.get_by_role("listbox", name="Search results").get_by_role("option")
        else:
            links = self.dialog.locator(".md-search-result__link")
        return links.filter(has_text=text)

    def find(self, query: str) -> str:
        """Type `query` into the open search and return the text of what it shows, once it
        shows the results of the whole query."""
        self.page.keyboard.type(query)
        if self.zensical:
            # every result shown links with the whole query (its `h`, for the highlight)
            self.page.wait_for_function(
                "q => { const links = [...document.querySelectorAll('*')]"
                ".filter(e => e.shadowRoot).flatMap(e =>"
                " [...e.shadowRoot.querySelectorAll('[role=listbox] [role=option]')]);"
                " return links.length > 0 && links.every(a =>"
                " new URL(a.href).searchParams.get('h') === q); }", arg=query, timeout=15_000)
            return str(self.page.get_by_role("listbox", name="Search results").inner_text())
        self.page.wait_for_function(
            "() => { const r = document.querySelector('.md-search-result__meta');"
            " return r !== null && /matching document/.test(r.innerText); }", timeout=15_000)
        return str(self.page.locator(".md-search-result").inner_text())

"""`socialmission serve`: a live-reloading preview of the whole site, on any engine.

It is the build itself in a loop: whenever an input changes (the pledges, the mission, the
settings, `mkdocs.yml`, `site/`, the badge design), `build_site` runs again (generate ->
engine -> fill) into `.build/preview/`, which is served on 127.0.0.1; every HTML page it
serves carries a small script that reloads the page once a newer build is in place. So the
preview shows exactly what `socialmission build` publishes, signatory pages filled, on the
engine chosen as for a build. A build that fails leaves the previous preview and prints why.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from socialmission.errors import UsageError
from socialmission.mkdocs.publish import build_site
from socialmission.model import paths

PREVIEW: Final = "preview"  # in BUILD_DIR
RELOAD: Final = "/__socialmission/reload"  # answers with the build's number once newer
WAIT: Final = 25.0  # s a reload request waits for a newer build
# What a preview watches, relative to the registry's root.
WATCHED: Final = (paths.MISSION_FILE, paths.TRANSLATIONS_DIR, paths.SETTINGS_FILE,
                  paths.MKDOCS_FILE, paths.PLEDGES_DIR, paths.HAND_WRITTEN_DIR, paths.DESIGN_DIR)
_SCRIPT: Final = (
    "<script>(function(){{var n={build};function poll(){{fetch('{reload}?since='+n)"
    ".then(function(r){{return r.text()}}).then(function(t){{if(+t>n){{location.reload()}}"
    "else{{poll()}}}}).catch(function(){{setTimeout(poll,2000)}})}}poll()}})()</script>")


class Builds:
    """The number of the newest complete build, and a way to wait for the next."""

    def __init__(self) -> None:
        self.number = 0
        self.changed = threading.Condition()

    def done(self) -> None:
        with self.changed:
            self.number += 1
            self.changed.notify_all()

    def after(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number > since, timeout=timeout)
            return self.number


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every watched file's (modification time, size), by path."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        for path in _files(root / name):
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from (p for p in sorted(path.rglob("*")) if p.is_file())


class _Handler(http.server.SimpleHTTPRequestHandler):
    builds: Builds

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == RELOAD:
            since = parse_qs(url.query).get("since", ["0"])[0]
            number = self.builds.after(int(since) if since.isdigit() else 0, WAIT)
            self._send(str(number).encode(), "text/plain")
            return
        path = Path(self.translate_path(url.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file() and url.path.endswith(("/", ".html")):
            page = path.read_text(encoding="utf-8")
            script = _SCRIPT.format(build=self.builds.number, reload=RELOAD)
            self._send(page.replace("</body>", f"{script}</body>", 1).encode(), "text/html")
            return
        super().do_GET()

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(root: Path, *, engine: str | None = None, host: str = "127.0.0.1",
          port: int = 8000, interval: float = 1.0) -> None:
    """Build, serve, and build again on every change, until interrupted."""
    out = root / paths.BUILD_DIR / PREVIEW
    builds = Builds()
    handler = type("Handler", (_Handler,), {"builds": builds})
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(out)))
    server.daemon_threads = True
    seen: dict[str, tuple[int, int]] | None = None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        while True:
            now = snapshot(root)
            if now != seen:
                seen = now
                try:
                    report = build_site(root, out, engine=engine)
                except UsageError as error:
                    print(f"socialmission serve: {error}", file=sys.stderr, flush=True)
                else:
                    builds.done()
                    print(f"built with {report.engine}: {report.pages} pages; serving "
                          f"http://{host}:{server.server_address[1]}/", flush=True)
                if not thread.is_alive():
                    thread.start()
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()

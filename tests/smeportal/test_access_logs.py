"""What the servers log per request: the path, never the query string (personal data).

gunicorn (with smeportal/gunicorn_conf.py, as the image, compose and the load test start it)
and the development server each run for real on a free loopback port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PERSONNUMMER = "198112189876"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers: str) -> None:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback http only
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:  # a 503 from /healthz/ is an answer too
        error.read()


def wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:
    for _ in range(150):
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text()}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer: {log.read_text()}")


@pytest.fixture
def server_environment(tmp_path) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    environment["DJANGO_SETTINGS_MODULE"] = "smeportal.settings.test"
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'logs.sqlite3'}"
    return environment


def serve_and_log(command: list[str], port: int, environment: dict, log: Path) -> str:
    """Start the server, ask it for a search with a personnummer, stop it; return its log."""
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(server, f"{base}/healthz/", log)
            get(
                f"{base}/healthz/?q={PERSONNUMMER}",
                Referer=f"{base}/foretag/?q={PERSONNUMMER}",
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return log.read_text()


def test_gunicorn_logs_the_path_without_the_query_string(tmp_path, server_environment):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:smeportal.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "smeportal.wsgi",
    ]
    log = serve_and_log(command, port, server_environment, tmp_path / "gunicorn.log")
    requests = [line for line in log.splitlines() if '"GET /healthz/ HTTP/1.1"' in line]
    assert len(requests) >= 2, log  # the start-up probe and the search
    assert PERSONNUMMER not in log
    assert "?q=" not in log


def test_the_development_server_logs_the_path_without_the_query_string(
    tmp_path, server_environment
):
    port = free_port()
    command = [
        sys.executable,
        "manage.py",
        "runserver",
        "--noreload",
        "--skip-checks",
        f"127.0.0.1:{port}",
    ]
    log = serve_and_log(command, port, server_environment, tmp_path / "runserver.log")
    assert '"GET /healthz/ HTTP/1.1"' in log, log
    assert PERSONNUMMER not in log

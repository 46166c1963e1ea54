"""A worker killed in the middle of a report: the run is built again or ends failed, never stays
"pågår".

A real Celery worker runs as a subprocess (prefork, one child) on a private redis-server and on
the same Postgres test database as the test, so it can be killed with SIGKILL like an
out-of-memory kill or a crashed host would. The report is made slow enough to catch in the act
by seeding the demo data; the test polls the run every 20 ms until it is "pagar" and kills then.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRun
from reports.services import REPORT_TIME_LIMIT, report_runs_sweep
from smeportal.accounts.roles import Role
from tests.factories import UserFactory

from .private_redis import running_private_redis

pytestmark = pytest.mark.worker

REPO = Path(__file__).resolve().parents[2]
# Generous but bounded: a cold worker on a loaded two-core machine takes a few seconds to start.
WAIT = 60


@pytest.fixture
def private_redis(tmp_path):
    with running_private_redis(tmp_path) as server:
        yield server


def _database_url() -> str:
    """The URL of the database this test runs on (already the test database's name)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`celery -A smeportal worker` in its own process group, so the test can kill all of it."""

    def __init__(self, broker_url: str, log_path: Path) -> None:
        self.broker_url = broker_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "smeportal.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.broker_url,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (fixed arguments, no shell)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "smeportal",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"killtest-{self.log_path.stem}@%h",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + WAIT
        while not (" ready." in self.log() and self.pool_children()):
            assert self.process.poll() is None, "the worker exited:\n" + self.log()
            assert time.monotonic() < deadline, "the worker did not start:\n" + self.log()
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pool_children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def kill_pool_child(self) -> int:
        (child,) = self.pool_children()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=WAIT)
        return child.pid

    def kill_everything(self) -> None:
        """SIGKILL to the main process and its children at once: no chance to hand anything back."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=WAIT)
        self.process = None

    def stop(self) -> None:
        """Clean-up: a warm shutdown, then SIGKILL for whatever is left in the group."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            pass
        self.kill_everything()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs Postgres (DATABASE_URL, as in CI): the worker subprocess must open the "
            "test database, which on SQLite lives in the test process's memory"
        )


@pytest.fixture
def portal(postgres_only, private_redis, settings, monkeypatch):
    """Demo data, a developer's client, and the portal queueing to the private broker."""
    from smeportal.areas.seed import areas_seed

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = private_redis.url
    settings.CELERY_BROKER_URL = private_redis.url
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-the-kill-test")
    areas_seed()  # a transactional test starts from an emptied database
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(UserFactory(username="utvecklare-kill", role=Role.DEVELOPER))
    return client


def _request_report(client: Client) -> ReportRun:
    response = client.post(reverse("reports:run_create"), {})
    assert response.status_code == 302
    run = ReportRun.objects.latest("pk")
    assert run.status == ReportRun.Status.QUEUED, run.error_message
    return run


def _wait_for_status(run: ReportRun, statuses: set[str], worker: WorkerProcess, poll: float):
    deadline = time.monotonic() + WAIT
    while True:
        status = ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)
        if status in statuses:
            run.refresh_from_db()
            return run
        assert time.monotonic() < deadline, f"run still {status!r}:\n{worker.log()}"
        time.sleep(poll)


@pytest.mark.django_db(transaction=True)
def test_a_killed_pool_child_is_replaced_and_the_report_runs_again(portal, private_redis, tmp_path):
    worker = WorkerProcess(private_redis.url, tmp_path / "worker.log")
    try:
        worker.start()
        run = _request_report(portal)
        _wait_for_status(run, {ReportRun.Status.RUNNING}, worker, poll=0.02)
        killed = worker.kill_pool_child()

        # acks_late + reject_on_worker_lost: the main process requeues the message and the
        # new child takes the run over (attempt 2).
        run = _wait_for_status(run, {ReportRun.Status.DONE, ReportRun.Status.FAILED}, worker, 0.2)
    finally:
        worker.stop()
    log = worker.log()
    assert f"pid:{killed} exited with 'signal 9 (SIGKILL)'" in log, log
    assert run.status == ReportRun.Status.DONE, run.error_message + "\n" + log
    assert run.attempts == 2
    assert run.file.name.endswith(".xlsx")


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_run_that_the_sweep_fails_and_no_worker_revives(
    portal, private_redis, tmp_path
):
    worker = WorkerProcess(private_redis.url, tmp_path / "first.log")
    second = WorkerProcess(private_redis.url, tmp_path / "second.log")
    try:
        worker.start()
        run = _request_report(portal)
        _wait_for_status(run, {ReportRun.Status.RUNNING}, worker, poll=0.02)
        worker.kill_everything()

        # Nobody is left to finish or requeue it: the run says "pågår" until the sweep (every
        # five minutes in production) finds it past the hard time limit.
        time.sleep(1)
        run.refresh_from_db()
        assert run.status == ReportRun.Status.RUNNING
        assert report_runs_sweep(now=timezone.now()) == 0
        later = timezone.now() + timedelta(seconds=REPORT_TIME_LIMIT + 120)
        assert report_runs_sweep(now=later) == 1
        run.refresh_from_db()
        assert run.status == ReportRun.Status.FAILED
        assert "Rapportjobbet stannade utan att bli klart" in run.error_message

        # The unacknowledged message is redelivered once the broker's visibility timeout has
        # passed; the test ages it instead of waiting twelve minutes. A new worker takes it at
        # start-up and must leave the failed run as it is.
        broker = redis.Redis.from_url(private_redis.url)
        assert broker.hlen("unacked") == 1
        for tag in broker.zrange("unacked_index", 0, -1):
            broker.zadd("unacked_index", {tag: 0})
        second.start()
        deadline = time.monotonic() + WAIT
        while "succeeded in" not in second.log():
            assert time.monotonic() < deadline, "not redelivered:\n" + second.log()
            time.sleep(0.2)
        assert broker.hlen("unacked") == 0
    finally:
        worker.stop()
        second.stop()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert run.attempts == 1
    assert "'misslyckad'" in second.log()

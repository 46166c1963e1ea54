"""Redis stops: every page still answers and a report fails visibly; Redis returns: reports work.

The broker is a private redis-server (tests/security/private_redis.py), so stopping it never
disturbs the shared Redis of the other tests. The whole story runs in one test process, as in
production where nobody restarts the web server when Redis comes back.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.test import Client
from django.urls import reverse

from interviews.models import Company
from reports.models import ReportRun
from reports.tasks import build_summary_report
from smeportal.accounts.roles import Role
from smeportal.celery import app
from tests.conftest import ROLE_USERNAMES
from tests.factories import FindingFactory, UserFactory

from .private_redis import running_private_redis

pytestmark = pytest.mark.worker

MAIN_PAGES = [
    "core:home",
    "reports:dashboard",
    "interviews:interview_list",
    "workshops:workshop_list",
    "actionplan:plan_overview",
    "actionplan:indicator_list",
    "reports:run_list",
    "core:healthz",
]

QUEUE_DOWN_MESSAGE = "jobbkön (Redis) kan inte nås"

COMPANY_DATA = {
    "name": "Kjula Snickeri AB",
    "organisation_number": "556036-0793",
    "industry": "F",
    "size_class": "1-9",
    "district": "vaster",
    "website": "",
    "notes": "",
}


# Every TCP connection attempt of this process, as Python's audit hook reports it (the event
# "socket.connect", raised inside socket.connect itself): no mock, the real attempts of kombu
# and redis-py, each with the timeout its socket had. An audit hook cannot be removed, so one
# is added once and records only while a list is set.
_attempts: list[tuple[object, float | None]] | None = None
_hook_added = False


def _record_connect(event: str, args: tuple) -> None:
    if event == "socket.connect" and _attempts is not None:
        sock, address = args
        _attempts.append((address, sock.gettimeout()))


@contextmanager
def connection_attempts(port: int) -> Iterator[list[float | None]]:
    """The connect timeout of each attempt to reach 127.0.0.1:`port` in this block."""
    global _attempts, _hook_added
    if not _hook_added:
        sys.addaudithook(_record_connect)
        _hook_added = True
    recorded: list[tuple[object, float | None]] = []
    timeouts: list[float | None] = []
    _attempts = recorded
    try:
        yield timeouts
    finally:
        _attempts = None
        timeouts.extend(
            timeout
            for address, timeout in recorded
            if isinstance(address, tuple) and address[1] == port
        )


@pytest.fixture
def private_redis(tmp_path):
    with running_private_redis(tmp_path) as server:
        yield server


@pytest.fixture
def portal_on_private_redis(settings, private_redis):
    """The portal and the Celery app pointed at the private broker, with real queueing."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = private_redis.url
    settings.CELERY_BROKER_URL = private_redis.url
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = private_redis.url
    app.conf.task_always_eager = False
    yield private_redis
    app.conf.broker_url, app.conf.task_always_eager = previous


def _clients() -> dict[Role, Client]:
    clients = {}
    for role, username in ROLE_USERNAMES.items():
        client = Client()
        client.force_login(UserFactory(username=username, role=role))
        clients[role] = client
    return clients


# Transactional: the worker thread reads the rows through its own database connection. On_commit
# callbacks run at once here (autocommit, no test transaction), so the queueing is the real path
# and django_capture_on_commit_callbacks is not needed.
@pytest.mark.django_db(transaction=True)
def test_pages_survive_a_stopped_redis_and_reports_recover_when_it_returns(
    portal_on_private_redis,
):
    from smeportal.areas.seed import areas_seed

    areas_seed()  # a transactional test starts from an emptied database
    FindingFactory()
    clients = _clients()
    developer = clients[Role.DEVELOPER]

    portal_on_private_redis.stop()

    for role, client in clients.items():
        for name in MAIN_PAGES:
            response = client.get(reverse(name))
            assert response.status_code < 500, (role, name, response.status_code)
    administrator = clients[Role.ADMINISTRATOR]
    health = administrator.get(reverse("core:healthz"))
    assert health.status_code == 200
    assert health.json()["broker"] == "down"
    assert health.json()["database"] == "ok"

    with connection_attempts(portal_on_private_redis.port) as attempts:
        created = developer.post(reverse("reports:run_create"), {})
    # A dead broker must not hold up the request: one quick retry (kombu's default policy makes
    # four attempts here, more against a slow broker), and each attempt gives up after a second
    # (without a connect timeout, a host that does not answer holds an attempt for minutes).
    assert 1 <= len(attempts) <= 2, attempts
    assert all(timeout is not None and timeout <= 1 for timeout in attempts), attempts
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.FAILED
    assert QUEUE_DOWN_MESSAGE in run.error_message
    response = developer.get(created["Location"])
    assert response.status_code == 200
    assert QUEUE_DOWN_MESSAGE in response.content.decode()

    # Everything that does not need the queue goes on as usual.
    response = developer.post(reverse("interviews:company_create"), COMPANY_DATA)
    assert response.status_code == 302
    assert Company.objects.filter(organisation_number="556036-0793").exists()

    portal_on_private_redis.start()  # the same port, nothing restarted in this process

    assert administrator.get(reverse("core:healthz")).json()["broker"] == "ok"
    response = developer.post(reverse("reports:run_create"), {})
    assert response.status_code == 302
    second = ReportRun.objects.exclude(pk=run.pk).get()
    assert second.status == ReportRun.Status.QUEUED, second.error_message

    # The worker starts after the run is queued and the test waits for the task's end signal
    # rather than polling: SQLite's shared in-memory test database locks whole tables, so a
    # read here while the worker writes could fail the run for a reason production never has.
    finished = threading.Event()

    def _task_ended(sender=None, **kwargs):
        if sender is not None and sender.name == build_summary_report.name:
            finished.set()

    task_postrun.connect(_task_ended, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            assert finished.wait(timeout=60), "the worker did not run the queued report"
    finally:
        task_postrun.disconnect(_task_ended)
    second.refresh_from_db()
    assert second.status == ReportRun.Status.DONE, second.error_message
    assert second.file.name.endswith(".xlsx")
    page = developer.get(reverse("reports:run_detail", args=[second.pk])).content.decode()
    assert "Ladda ner rapporten (.xlsx)" in page

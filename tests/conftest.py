from __future__ import annotations

from importlib import import_module

import freezegun
import pytest
from django.apps import apps
from django.test import Client

from smeportal.accounts.roles import Role
from tests.factories import UserFactory

# Frozen time must not reach pytest's own clock, or --durations reports nonsense for the tests
# that freeze it.
freezegun.configure(extend_ignore_list=["_pytest"])

ROLE_USERNAMES = {
    Role.DEVELOPER: "utvecklare",
    Role.FACILITATOR: "processledare",
    Role.COUNCIL: "radsmedlem",
    Role.ADMINISTRATOR: "admin",
}


# The data the migrations seed: the six areas, the report schedules, the sweeps of exports and
# delivery packages, and the secrecy grounds.
SEEDING_MIGRATIONS = (
    ("smeportal.areas.migrations.0002_seed_six_areas", "seed_areas"),
    ("reports.migrations.0002_schedules", "create_schedules"),
    ("interviews.migrations.0005_interview_export", "create_sweep_schedule"),
    ("records.migrations.0002_secrecy_grounds", "seed"),
    ("archive.migrations.0002_package_started_at", "create_sweep_schedule"),
    ("actionplan.migrations.0009_kolada_schedule", "create_kolada_schedule"),
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database (--reuse-db on Postgres) may have been emptied by the transactional
    tests of an earlier run, which flush every table; put the seeded rows back (idempotent)."""
    with django_db_blocker.unblock():
        for module, function in SEEDING_MIGRATIONS:
            getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _swedish_by_default(settings):
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture
def developer(db):
    return UserFactory(username="utvecklare", role=Role.DEVELOPER)


@pytest.fixture
def facilitator(db):
    return UserFactory(username="processledare", role=Role.FACILITATOR)


@pytest.fixture
def council_member(db):
    return UserFactory(username="radsmedlem", role=Role.COUNCIL)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR)


@pytest.fixture
def registrar(db):
    """A business developer an administrator made registrar (public records, the e-archive)."""
    from django.contrib.auth.models import Group

    from smeportal.accounts.roles import Grant

    user = UserFactory(username="registrator", role=Role.DEVELOPER)
    user.groups.add(Group.objects.get(name=Grant.REGISTRAR.value))
    return user


@pytest.fixture
def user_without_role(db):
    return UserFactory(username="utan-roll")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def developer_client(developer):
    return _client_for(developer)


@pytest.fixture
def facilitator_client(facilitator):
    return _client_for(facilitator)


@pytest.fixture
def council_client(council_member):
    return _client_for(council_member)


@pytest.fixture
def admin_client(administrator):
    return _client_for(administrator)


@pytest.fixture
def registrar_client(registrar):
    return _client_for(registrar)


@pytest.fixture
def role_client(request, db):
    """A logged-in client for the Role given by indirect parametrisation."""
    role = request.param
    return _client_for(UserFactory(username=ROLE_USERNAMES[role], role=role))


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (tests/smtp.py); the portal's mail goes to it."""
    from aiosmtpd.controller import Controller

    from tests.smtp import Catcher, free_port, use_smtp

    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield catcher
    controller.stop()


@pytest.fixture
def no_smtp_server(settings):
    """Mail to a port where nothing listens: the connection is refused."""
    from tests.smtp import free_port, use_smtp

    use_smtp(settings, free_port(), timeout=2)


@pytest.fixture
def redis_broker(settings):
    """Celery through Redis (REDIS_URL) for a real worker's test, not in-process."""
    import os

    from smeportal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.task_always_eager = False
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous

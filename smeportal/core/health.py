"""The state of the services the portal depends on, for /healthz/ and operators."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import DatabaseError, connections


def database_state() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def broker_state() -> str:
    """`eager` on the embedded default (tasks run in-process), else whether Redis answers."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.REDIS_URL:
        return "eager"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError:
        return "down"
    return "ok"


def health_report(*, details: bool) -> dict:
    """Up or down (only the database makes the portal unusable); with details, each part.

    Without details nothing else is asked: an anonymous caller cannot make the portal wait
    for Redis, and learns neither the version nor which service is weak.
    """
    database = database_state()
    report = {"status": "ok" if database == "ok" else "down"}
    if details:
        report.update(database=database, broker=broker_state(), version=settings.VERSION)
    return report

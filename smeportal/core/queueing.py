"""Handing a task to Celery from a request without making the user wait for a broker that is down."""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

# Kombu would otherwise keep reconnecting for several seconds while the user waits; one quick
# retry rides out a blip, and a broker that is down fails at once. Without a connect timeout, a
# broker host that does not answer at all (rather than refusing) would hold each attempt for
# the operating system's TCP timeout, about two minutes.
FAIL_FAST = {"max_retries": 1, "interval_start": 0.2, "socket_connect_timeout": 1}


def enqueue_fail_fast(task, *, args: list) -> bool:
    """Send the task to the broker; False (logged) when the broker cannot be reached.

    Without a broker (the embedded default) the task runs here and now. The caller records a
    False as a visible failure of its job.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply(args=args)
        return True
    from smeportal.celery import app

    try:
        with app.connection_for_write(
            url=settings.CELERY_BROKER_URL, transport_options=FAIL_FAST
        ) as connection:
            task.apply_async(args=args, connection=connection, retry=False)
    except Exception:  # kombu/redis raise several kinds; none may break the page
        logger.exception("Could not queue %s%s", task.name, tuple(args))
        return False
    return True

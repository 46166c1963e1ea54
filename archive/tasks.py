"""Celery tasks of the archive app: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services import delivery_package_produce, delivery_package_verify, delivery_packages_sweep

# A package of a year's interviews takes seconds; one of 100,000 a few minutes.
PACKAGE_SOFT_TIME_LIMIT = 30 * 60
PACKAGE_TIME_LIMIT = PACKAGE_SOFT_TIME_LIMIT + 60
# Producing and verifying a package both read every record or byte of it: the same limits, and
# a task lost with its worker is not run again (the sweep ends it instead).
PACKAGE_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": PACKAGE_SOFT_TIME_LIMIT,
    "time_limit": PACKAGE_TIME_LIMIT,
    "max_retries": 0,
}


@shared_task(**PACKAGE_TASK_OPTIONS)
def produce_delivery_package(package_id: int) -> str | None:
    """Produce one ordered package; the package records progress and any failure."""
    package = delivery_package_produce(package_id=package_id)
    return package.status if package is not None else None


@shared_task(**PACKAGE_TASK_OPTIONS)
def verify_delivery_package(package_id: int) -> str | None:
    """Check a produced package's file (it reads and hashes every byte: minutes for a large
    package, too long for a request)."""
    package = delivery_package_verify(package_id=package_id)
    return package.verification if package is not None else None


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, max_retries=0)
def sweep_delivery_packages() -> int:
    """Fail packages that cannot finish any more (scheduled every ten minutes)."""
    return delivery_packages_sweep()

"""The sweep of delivery packages: a package whose worker stopped, or that no worker took, fails
with a message instead of being "under production" for ever; the others are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from archive.models import DeliveredRecord, DeliveryPackage
from archive.services import delivery_package_produce, delivery_packages_sweep
from archive.tasks import sweep_delivery_packages

pytestmark = pytest.mark.django_db


def _package(status, *, requested_minutes_ago=0, started_minutes_ago=None) -> DeliveryPackage:
    now = timezone.now()
    return DeliveryPackage.objects.create(
        kind=DeliveryPackage.Kind.INTERVIEW_YEAR,
        year=2025,
        status=status,
        requested_at=now - timedelta(minutes=requested_minutes_ago),
        started_at=(
            now - timedelta(minutes=started_minutes_ago)
            if started_minutes_ago is not None
            else None
        ),
    )


def test_packages_that_cannot_finish_fail_with_a_message():
    status = DeliveryPackage.Status
    stopped = _package(status.RUNNING, requested_minutes_ago=50, started_minutes_ago=45)
    never_taken = _package(status.QUEUED, requested_minutes_ago=61)
    running = _package(status.RUNNING, requested_minutes_ago=20, started_minutes_ago=10)
    waiting = _package(status.QUEUED, requested_minutes_ago=5)
    done = _package(status.DONE, requested_minutes_ago=600, started_minutes_ago=590)

    assert delivery_packages_sweep() == 2

    for package in (stopped, never_taken, running, waiting, done):
        package.refresh_from_db()
    assert stopped.status == never_taken.status == status.FAILED
    assert "stannade innan det blev klart" in stopped.error_message
    assert "inom en timme" in never_taken.error_message
    assert (running.status, waiting.status, done.status) == (
        status.RUNNING,
        status.QUEUED,
        status.DONE,
    )
    assert sweep_delivery_packages() == 0  # the task, run again: nothing left to sweep


def test_a_package_failed_by_the_sweep_stays_failed_when_its_worker_comes_back(
    interviews_2025, monkeypatch
):
    """The sweep runs while the worker writes the ZIP (a worker that was only very slow)."""
    import archive.services as services

    package = _package(DeliveryPackage.Status.QUEUED)
    write_package = services._write_package
    swept = []

    def write_while_the_sweep_runs(*args, **kwargs):
        DeliveryPackage.objects.filter(pk=package.pk).update(
            started_at=timezone.now() - timedelta(hours=1)
        )
        swept.append(delivery_packages_sweep())
        return write_package(*args, **kwargs)

    monkeypatch.setattr(services, "_write_package", write_while_the_sweep_runs)
    produced = delivery_package_produce(package_id=package.pk)

    assert swept == [1]
    assert produced.status == DeliveryPackage.Status.FAILED
    assert not produced.file
    assert not DeliveredRecord.objects.filter(package=produced).exists()


def test_the_sweep_runs_every_ten_minutes():
    task = PeriodicTask.objects.get(task="archive.tasks.sweep_delivery_packages")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (10, "minutes")


def test_a_verification_whose_worker_stopped_is_ended_and_can_be_started_again():
    now = timezone.now()
    verification = DeliveryPackage.Verification
    stopped = _package(DeliveryPackage.Status.DONE, requested_minutes_ago=600)
    under_way = _package(DeliveryPackage.Status.DONE, requested_minutes_ago=600)
    DeliveryPackage.objects.filter(pk=stopped.pk).update(
        verification=verification.RUNNING, verification_requested_at=now - timedelta(minutes=45)
    )
    DeliveryPackage.objects.filter(pk=under_way.pk).update(
        verification=verification.RUNNING, verification_requested_at=now - timedelta(minutes=5)
    )

    assert delivery_packages_sweep() == 1

    stopped.refresh_from_db()
    under_way.refresh_from_db()
    assert stopped.verification == verification.NOT_VERIFIED
    assert "Starta den igen" in stopped.verification_report
    assert stopped.status == DeliveryPackage.Status.DONE  # the package itself is as it was
    assert under_way.verification == verification.RUNNING

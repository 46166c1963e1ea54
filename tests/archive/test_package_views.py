"""The packages page: registrars and administrators order, follow, download and verify."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from archive.models import DeliveryPackage
from tests.factories import WorkshopFactory
from tests.querycounts import page_queries
from tests.swedish import sv

LIST_URL = reverse("archive:package_list")


def _order(client, captured, **data):
    with captured(execute=True):
        return client.post(LIST_URL, {"kind": "intervjuar", "year": "2025", **data})


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["registrar_client", "admin_client"])
def test_a_package_is_ordered_produced_downloaded_and_verified(
    request, fixture, interviews_2025, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(fixture)
    assert client.get(LIST_URL).status_code == 200
    response = _order(client, django_capture_on_commit_callbacks)
    package = DeliveryPackage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("archive:package_detail", args=[package.pk])
    detail = client.get(response.url).content.decode()
    assert sv("Done") in detail and package.sha256 in detail
    download = client.get(reverse("archive:package_download", args=[package.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    data = b"".join(download.streaming_content)
    assert "mets.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("archive:package_verify", args=[package.pk]))
    verified = client.get(reverse("archive:package_detail", args=[package.pk]))
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.PASSED
    assert package.verified_at is not None
    assert sv("Passed") in verified.content.decode()


@pytest.mark.django_db
def test_a_changed_package_file_fails_verification_on_the_page(
    admin_client, interviews_2025, django_capture_on_commit_callbacks
):
    _order(admin_client, django_capture_on_commit_callbacks)
    package = DeliveryPackage.objects.get()
    path = package.file.path
    with zipfile.ZipFile(path) as original:
        entries = {name: original.read(name) for name in original.namelist()}
    entries["content/foretag.csv"] += b"1,Falskt AB\r\n"
    with zipfile.ZipFile(path, "w") as changed:
        for name, data in entries.items():
            changed.writestr(name, data)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("archive:package_verify", args=[package.pk]))
    body = admin_client.get(reverse("archive:package_detail", args=[package.pk])).content.decode()
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.FAILED
    assert "content/foretag.csv" in package.verification_report
    assert "content/foretag.csv" in body


@pytest.mark.django_db
def test_a_verification_runs_in_the_background_and_is_not_started_twice(
    admin_client, interviews_2025, django_capture_on_commit_callbacks
):
    """The check reads and hashes the whole file: a worker does it, the page follows it."""
    _order(admin_client, django_capture_on_commit_callbacks)
    package = DeliveryPackage.objects.get()
    verify_url = reverse("archive:package_verify", args=[package.pk])
    with django_capture_on_commit_callbacks() as queued:
        started = admin_client.post(verify_url, follow=True).content.decode()
    assert len(queued) == 1  # the worker's task, queued once the request's work is committed
    package.refresh_from_db()
    assert package.is_being_verified and package.verification_requested_at is not None
    assert sv("The verification has started. This page shows its result when it is done.") in (
        started
    )
    assert sv("Being verified") in started
    assert verify_url not in started  # no second start while one is under way
    assert 'data-hx-trigger="every 2s"' in started
    with django_capture_on_commit_callbacks() as again:
        admin_client.post(verify_url)
    assert again == []
    queued[0]()  # the worker runs the task
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.PASSED
    body = admin_client.get(reverse("archive:package_detail", args=[package.pk])).content.decode()
    assert sv("Passed") in body and verify_url in body
    assert 'data-hx-trigger="every 2s"' not in body


@pytest.mark.django_db
def test_an_unreachable_broker_leaves_the_package_unverified_with_a_message(
    admin_client, interviews_2025, django_capture_on_commit_callbacks, settings
):
    _order(admin_client, django_capture_on_commit_callbacks)
    package = DeliveryPackage.objects.get()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("archive:package_verify", args=[package.pk]))
    body = admin_client.get(reverse("archive:package_detail", args=[package.pk])).content.decode()
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.NOT_VERIFIED
    assert "jobbkön (Redis) inte kan nås" in package.verification_report
    assert "jobbkön (Redis) inte kan nås" in body
    assert sv("Verify the package") in body  # it may be started again


@pytest.mark.django_db
def test_an_unfinished_package_cannot_be_verified(admin_client):
    package = DeliveryPackage.objects.create(
        kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2025, status=DeliveryPackage.Status.RUNNING
    )
    body = admin_client.post(
        reverse("archive:package_verify", args=[package.pk]), follow=True
    ).content.decode()
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.NOT_VERIFIED
    assert sv("Only a finished package can be verified.") in body


@pytest.mark.django_db
def test_the_order_form_refuses_an_open_year_and_a_missing_workshop(admin_client):
    from django.utils import timezone

    this_year = timezone.localdate().year
    response = admin_client.post(LIST_URL, {"kind": "intervjuar", "year": str(this_year)})
    assert response.status_code == 400
    assert sv("Only a closed year can be delivered: choose an earlier year.") in (
        response.content.decode()
    )
    response = admin_client.post(LIST_URL, {"kind": "dialogomgang", "workshop": ""})
    assert response.status_code == 400
    assert sv("Choose the workshop of the dialogue round.") in response.content.decode()
    response = admin_client.post(LIST_URL, {"kind": "dialogomgang", "workshop": "999999"})
    assert response.status_code == 400
    assert not DeliveryPackage.objects.exists()


@pytest.mark.django_db
def test_a_dialogue_round_is_ordered_from_the_page(
    registrar_client, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Företagsdialog 11 november")
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            LIST_URL, {"kind": "dialogomgang", "workshop": str(workshop.pk)}
        )
    assert response.status_code == 302
    package = DeliveryPackage.objects.get()
    assert package.status == DeliveryPackage.Status.DONE
    assert "Företagsdialog 11 november" in str(package)


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["developer_client", "facilitator_client", "council_client"])
def test_others_get_403_and_no_menu_entry(request, fixture, administrator):
    """A business developer without the registrar grant, a facilitator and the council."""
    client = request.getfixturevalue(fixture)
    package = DeliveryPackage.objects.create(
        kind="intervjuar", year=2025, produced_by=administrator, status="klar"
    )
    for url in (
        LIST_URL,
        reverse("archive:package_detail", args=[package.pk]),
        reverse("archive:package_download", args=[package.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(LIST_URL, {"kind": "intervjuar", "year": "2025"}).status_code == 403
    assert client.post(reverse("archive:package_verify", args=[package.pk])).status_code == 403
    assert not DeliveryPackage.objects.exclude(pk=package.pk).exists()
    assert LIST_URL not in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_registrars_find_the_archive_in_the_menu_but_not_the_plan(registrar_client, admin_client):
    plan_url = reverse("archive:plan")
    assert LIST_URL in registrar_client.get(reverse("core:home")).content.decode()
    assert plan_url not in registrar_client.get(LIST_URL).content.decode()
    assert plan_url in admin_client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_the_package_list_does_not_grow_in_queries(admin_client, administrator):
    def add(count):
        for year in range(count):
            DeliveryPackage.objects.create(
                kind="intervjuar", year=2000 + year, produced_by=administrator, status="klar"
            )
        DeliveryPackage.objects.create(
            kind="dialogomgang", workshop=WorkshopFactory(), produced_by=administrator
        )

    add(2)
    _response, small = page_queries(admin_client, LIST_URL)
    add(20)
    response, large = page_queries(admin_client, LIST_URL)
    assert large == small
    assert len(response.context["page_obj"].object_list) == 24
    add(10)
    assert len(admin_client.get(LIST_URL).context["page_obj"].object_list) == 25


@pytest.mark.django_db
def test_a_package_being_produced_shows_its_progress(admin_client, administrator):
    package = DeliveryPackage.objects.create(
        kind="intervjuar", year=2025, produced_by=administrator, status="pagar", progress=40
    )
    url = reverse("archive:package_detail", args=[package.pk])
    body = admin_client.get(url).content.decode()
    assert 'data-hx-trigger="every 2s"' in body and 'value="40"' in body
    fragment = admin_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="package-status"')
    assert (
        admin_client.get(reverse("archive:package_download", args=[package.pk])).status_code == 404
    )

"""One-use form tokens: a create form saves once; a destructive action needs its confirmation."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from interviews.models import Company, Contact
from reports.models import ReportRun
from smeportal.areas.models import PriorityArea
from smeportal.core.form_tokens import CONFIRMATION_FIELD, TOKEN_FIELD
from smeportal.core.models import UsedFormToken
from tests.confirmations import confirmation_form, post_confirmed
from tests.factories import CompanyFactory, PriorityAreaFactory, UserFactory
from workshops.models import Workshop

_FORM_TOKEN = re.compile(rf'name="{TOKEN_FIELD}" value="([^"]+)"')


def form_token(response) -> str:
    match = _FORM_TOKEN.search(response.content.decode())
    assert match, "the form has no one-use token"
    return match.group(1)


COMPANY = {
    "name": "Dubbelklick AB",
    "organisation_number": "556036-0793",
    "industry": "C",
    "size_class": "10-49",
    "district": "centrum",
}


# Double submits -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_create_form_sent_twice_saves_once_and_leads_to_what_the_first_saved(developer_client):
    company = CompanyFactory()
    url = reverse("interviews:contact_create", args=[company.pk])
    data = {"name": "Eva Ek", "role": "VD", TOKEN_FIELD: form_token(developer_client.get(url))}
    first = developer_client.post(url, data)
    detail = reverse("interviews:company_detail", args=[company.pk])
    assert (first.status_code, first["Location"]) == (302, detail)

    second = developer_client.post(url, data, follow=True)
    assert Contact.objects.count() == 1
    assert second.redirect_chain[-1][0] == detail
    assert "Formuläret var redan skickat" in second.content.decode()


@pytest.mark.django_db
def test_a_company_form_sent_twice_creates_one_company(developer_client):
    url = reverse("interviews:company_create")
    data = {**COMPANY, TOKEN_FIELD: form_token(developer_client.get(url))}
    assert developer_client.post(url, data).status_code == 302
    second = developer_client.post(url, data)
    company = Company.objects.get()
    assert second["Location"] == reverse("interviews:company_detail", args=[company.pk])


@pytest.mark.django_db
def test_each_rendering_of_a_form_has_its_own_token(developer_client, developer):
    contact_url = reverse("interviews:contact_create", args=[CompanyFactory().pk])
    data = {"name": "Eva Ek", "role": "VD"}
    for _ in range(2):
        token = form_token(developer_client.get(contact_url))
        assert developer_client.post(contact_url, {**data, TOKEN_FIELD: token}).status_code == 302
    # Two people of the same name are possible: two forms, two contacts.
    assert Contact.objects.filter(name="Eva Ek").count() == 2


@pytest.mark.django_db
def test_a_refused_form_does_not_spend_its_token(developer_client):
    url = reverse("interviews:company_create")
    token = form_token(developer_client.get(url))
    refused = developer_client.post(url, {**COMPANY, "name": "", TOKEN_FIELD: token})
    assert refused.status_code == 400
    assert developer_client.post(url, {**COMPANY, TOKEN_FIELD: token}).status_code == 302
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_a_token_is_bound_to_its_user(developer_client, administrator):
    url = reverse("interviews:company_create")
    token = form_token(developer_client.get(url))
    # Another user's copy of the token is not theirs to spend: it is ignored.
    other = Client()
    other.force_login(administrator)
    assert other.post(url, {**COMPANY, TOKEN_FIELD: token}).status_code == 302
    assert not UsedFormToken.objects.exists()
    second = {**COMPANY, "name": "Andra AB", "organisation_number": "556677-8899"}
    assert developer_client.post(url, {**second, TOKEN_FIELD: token}).status_code == 302
    assert Company.objects.count() == 2
    assert UsedFormToken.objects.count() == 1


@pytest.mark.django_db
def test_a_double_click_on_build_report_starts_one_report(developer_client, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    token = form_token(developer_client.get(reverse("reports:run_list")))
    for _ in range(2):
        response = developer_client.post(reverse("reports:run_create"), {TOKEN_FIELD: token})
        assert response.status_code == 302
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reports:run_detail", args=[run.pk])


@pytest.mark.django_db
def test_a_workshop_form_sent_twice_creates_one_workshop(facilitator_client, facilitator):
    url = reverse("workshops:workshop_create")
    token = form_token(facilitator_client.get(url))
    data = {
        "title": "Företagsdialog",
        "date": "2026-11-11",
        "place": "Munktellarenan",
        "status": "planerad",
        "participants_total": 60,
        "participants_companies": 40,
        "participants_municipality": 20,
        "participants_other": 0,
        "facilitators": [facilitator.pk],
        TOKEN_FIELD: token,
    }
    first = facilitator_client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    facilitator_client.post(url, data)
    assert Workshop.objects.count() == 1


# A company saved by a colleague between our check and our save --------------------------------


def _is_number_check(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and (
        '"interviews_company"."organisation_number"' in sql
    )


@pytest.mark.django_db
def test_a_company_saved_by_a_colleague_after_the_form_check_is_shown_not_a_500(
    developer_client,
):
    """The colleague's company lands between the form's uniqueness check and the save."""
    seen = {"checks": 0}

    def colleague_saves_after_the_form_check(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _is_number_check(sql) and seen["checks"] == 0:
            seen["checks"] += 1
            Company.objects.bulk_create([Company(**{**COMPANY, "name": "Kollegans AB"})])
        return result

    with connection.execute_wrapper(colleague_saves_after_the_form_check):
        response = developer_client.post(reverse("interviews:company_create"), COMPANY)
    existing = Company.objects.get()
    assert existing.name == "Kollegans AB"
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:company_detail", args=[existing.pk])
    page = developer_client.get(response["Location"]).content.decode()
    assert "finns redan i portalen" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writing transactions (IMMEDIATE), so the race cannot happen there",
)
def test_two_people_saving_the_same_new_company_at_once_get_one_company(developer, administrator):
    """Both pass every uniqueness check, then both insert: the database decides."""
    both_checked = threading.Barrier(2, timeout=30)
    responses = {}

    def save_as(user, name: str) -> None:
        checks = {"count": 0}

        def wait_for_the_other_after_our_checks(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if _is_number_check(sql):
                checks["count"] += 1
                if checks["count"] == 2:  # the form's check, then the service's
                    both_checked.wait()
            return result

        client = Client()
        client.force_login(user)
        try:
            with connection.execute_wrapper(wait_for_the_other_after_our_checks):
                responses[name] = client.post(
                    reverse("interviews:company_create"), {**COMPANY, "name": name}
                )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save_as, args=(developer, "Först AB")),
        threading.Thread(target=save_as, args=(administrator, "Sist AB")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    company = Company.objects.get()
    detail = reverse("interviews:company_detail", args=[company.pk])
    assert {response.status_code for response in responses.values()} == {302}
    assert {response["Location"] for response in responses.values()} == {detail}


# Confirmation of destructive actions ----------------------------------------------------------


def archive_url(area: PriorityArea) -> str:
    return reverse("areas:archive", args=[area.slug])


@pytest.mark.django_db
def test_archiving_asks_first_and_does_nothing_until_confirmed(admin_client):
    area = PriorityAreaFactory()
    asked = admin_client.post(archive_url(area), {"archived": "1"})
    assert asked.status_code == 200
    body = asked.content.decode()
    assert "Vill du arkivera" in body and area.name in body
    area.refresh_from_db()
    assert not area.is_archived

    token, fields = confirmation_form(asked)
    done = admin_client.post(archive_url(area), {**dict(fields), CONFIRMATION_FIELD: token})
    assert done.status_code == 302
    area.refresh_from_db()
    assert area.is_archived


@pytest.mark.django_db
def test_a_confirmation_is_good_for_one_use(admin_client):
    area = PriorityAreaFactory()
    asked = admin_client.post(archive_url(area), {"archived": "1"})
    token, _fields = confirmation_form(asked)
    data = {"archived": "1", CONFIRMATION_FIELD: token}
    assert admin_client.post(archive_url(area), data).status_code == 302
    admin_client.post(archive_url(area), {"archived": "0"})  # restored: no confirmation needed
    area.refresh_from_db()
    assert not area.is_archived

    again = admin_client.post(archive_url(area), data)
    assert again.status_code == 200
    assert "bekräftelsen var redan använd" in again.content.decode()
    area.refresh_from_db()
    assert not area.is_archived


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "false"},
        {"HTTP_SEC_FETCH_MODE": "cors"},
        {"HTTP_SEC_FETCH_MODE": "same-origin"},
    ],
    ids=["htmx", "htmx-header-forged", "fetch", "same-origin-fetch"],
)
def test_a_script_cannot_confirm_even_with_a_valid_token(admin_client, headers):
    area = PriorityAreaFactory()
    token, _fields = confirmation_form(admin_client.post(archive_url(area), {"archived": "1"}))
    response = admin_client.post(
        archive_url(area), {"archived": "1", CONFIRMATION_FIELD: token}, **headers
    )
    assert response.status_code == 200
    area.refresh_from_db()
    assert not area.is_archived
    # The same token still works from the user's own form submission.
    navigate = {"HTTP_SEC_FETCH_MODE": "navigate"}
    response = admin_client.post(
        archive_url(area), {"archived": "1", CONFIRMATION_FIELD: token}, **navigate
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_confirmation_is_bound_to_its_action_target_and_user(admin_client):
    first, second = PriorityAreaFactory(), PriorityAreaFactory()
    token, _fields = confirmation_form(admin_client.post(archive_url(first), {"archived": "1"}))
    # For another area,
    admin_client.post(archive_url(second), {"archived": "1", CONFIRMATION_FIELD: token})
    # for another action,
    admin_client.post(reverse("areas:delete", args=[first.slug]), {CONFIRMATION_FIELD: token})
    # for another administrator.
    colleague = Client()
    colleague.force_login(UserFactory(role="Administratör"))
    colleague.post(archive_url(first), {"archived": "1", CONFIRMATION_FIELD: token})
    assert PriorityArea.objects.filter(pk__in=[first.pk, second.pk], is_archived=False).count() == 2


@pytest.mark.django_db
def test_a_confirmation_expires(admin_client):
    area = PriorityAreaFactory()
    token, _fields = confirmation_form(admin_client.post(archive_url(area), {"archived": "1"}))
    with freeze_time(timedelta(minutes=31), tick=True):
        response = admin_client.post(
            archive_url(area), {"archived": "1", CONFIRMATION_FIELD: token}
        )
    assert response.status_code == 200
    area.refresh_from_db()
    assert not area.is_archived


@pytest.mark.django_db
def test_a_forged_or_garbled_token_is_refused_without_an_error(admin_client):
    area = PriorityAreaFactory()
    for token in ["x", "a" * 5000, "eyJ1IjoxfQ:1:2", "\x00"]:
        response = admin_client.post(
            archive_url(area), {"archived": "1", CONFIRMATION_FIELD: token}
        )
        assert response.status_code == 200
    area.refresh_from_db()
    assert not area.is_archived


@pytest.mark.django_db
def test_deleting_an_area_needs_the_server_rendered_confirmation(admin_client):
    area = PriorityAreaFactory()
    url = reverse("areas:delete", args=[area.slug])
    assert admin_client.post(url).status_code == 200
    assert PriorityArea.objects.filter(pk=area.pk).exists()
    assert post_confirmed(admin_client, url).status_code == 302
    assert not PriorityArea.objects.filter(pk=area.pk).exists()

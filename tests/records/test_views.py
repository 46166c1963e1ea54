"""The pages: who may use them, what they show, and how bad input is refused."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from interviews.models import Company
from records.models import CoveredItem, Mask, RecordRequest, ReleasedDocument, SecrecyGround
from records.services import record_request_create
from smeportal.accounts.roles import Grant, Role
from tests.factories import UserFactory
from tests.querycounts import page_queries

from .conftest import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE, PUBLIC_TEXT, SECRET

pytestmark = pytest.mark.django_db

SUMMARY = "Formuläret innehåller fel"


@pytest.fixture
def plain_developer_client(client):
    client.force_login(UserFactory(username="vanlig", role=Role.DEVELOPER))
    return client


def _pages(record_request, covered):
    return [
        reverse("records:request_list"),
        reverse("records:request_create"),
        reverse("records:request_detail", args=[record_request.pk]),
        reverse("records:item_review", args=[covered.pk]),
        reverse("records:ground_list"),
    ]


@pytest.mark.parametrize(
    "client_fixture", ["plain_developer_client", "facilitator_client", "council_client"]
)
def test_a_developer_without_the_grant_a_facilitator_and_the_council_get_403(
    request, client_fixture, record_request, covered
):
    client = request.getfixturevalue(client_fixture)
    for url in _pages(record_request, covered):
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("records:request_create"),
        reverse("records:item_add", args=[record_request.pk]),
        reverse("records:mask_create", args=[covered.pk]),
        reverse("records:request_decide", args=[record_request.pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code == 403, url


@pytest.mark.parametrize("client_fixture", ["registrar_client", "admin_client"])
def test_a_registrar_and_an_administrator_open_every_page(
    request, client_fixture, record_request, covered
):
    client = request.getfixturevalue(client_fixture)
    for url in _pages(record_request, covered):
        assert client.get(url).status_code == 200, url


def test_the_grant_counts_only_for_business_developers(client, record_request):
    member = UserFactory(username="radsregistrator", role=Role.COUNCIL)
    member.groups.add(Group.objects.get(name=Grant.REGISTRAR.value))
    client.force_login(member)
    assert client.get(reverse("records:request_list")).status_code == 403


def test_registering_an_anonymous_request_numbers_it_and_sets_its_due_date(
    registrar_client, registrar
):
    response = registrar_client.post(
        reverse("records:request_create"),
        {
            "received_on": "2026-11-05",
            "channel": "telefon",
            "description": "Alla synpunkter om bygglov under 2026.",
            "requester_name": "",
            "requester_contact": "",
            "handler": registrar.pk,
        },
    )
    assert response.status_code == 302
    saved = RecordRequest.objects.get()
    assert saved.number == "AH 2026/0001"
    assert saved.requester_name == ""
    assert saved.due_on == datetime.date(2026, 11, 9)
    assert saved.history.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_on", "2026-02-30", "Fyll i ett giltigt datum."),
        ("received_on", "2999-01-01", ""),
        ("handler", "999999", ""),
        ("channel", "brevduva", ""),
    ],
)
def test_bad_input_to_the_register_form_is_refused_in_swedish(
    registrar_client, registrar, field, value, message
):
    data = {
        "received_on": "2026-11-05",
        "channel": "e-post",
        "description": "Intervjuerna.",
        "handler": registrar.pk,
        field: value,
    }
    response = registrar_client.post(reverse("records:request_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert SUMMARY in body and message in body
    assert not RecordRequest.objects.exists()


def test_a_plain_developer_cannot_be_made_handler(registrar_client):
    plain = UserFactory(username="vanlig", role=Role.DEVELOPER)
    response = registrar_client.post(
        reverse("records:request_create"),
        {
            "received_on": "2026-11-05",
            "channel": "e-post",
            "description": "Intervjuerna.",
            "handler": plain.pk,
        },
    )
    assert response.status_code == 400


def test_the_review_preview_shows_boxes_and_no_masked_text(registrar_client, covered):
    body = registrar_client.get(reverse("records:item_review", args=[covered.pk])).content.decode()
    for secret in (SECRET, CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE):
        assert secret not in body
    assert PUBLIC_TEXT in body
    assert "31 kap. 16 § OSL" in body and "21 kap. 7 § OSL" in body


def _mask_data(covered, company_interview, **changes):
    return {
        "page": "1",
        "field": f"interview:{company_interview.pk}:notes",
        "passage": company_interview.notes[:8],
        "ground": SecrecyGround.objects.get(reference="31 kap. 16 § OSL").pk,
        "reason": "Affärsförhållanden",
        **changes,
    }


def test_masking_a_passage_records_who_when_and_why(
    registrar_client, registrar, covered, company_interview
):
    company_interview.notes = "Planerar nyanställningar i Torshälla."
    company_interview.save()
    url = reverse("records:mask_create", args=[covered.pk])
    response = registrar_client.post(
        url, _mask_data(covered, company_interview, passage="i Torshälla")
    )
    assert response.status_code == 302
    mask = Mask.objects.get()
    assert (mask.created_by, mask.passage, mask.action) == (registrar, "i Torshälla", "maskera")
    body = registrar_client.get(reverse("records:item_review", args=[covered.pk])).content.decode()
    assert "i Torshälla" not in body
    assert "Planerar nyanställningar" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"passage": "finns inte i texten"}, "The passage is not in the chosen field"),
        ({"ground": "999999"}, ""),
        ({"field": "interview:999999:notes"}, ""),
        ({"reason": ""}, ""),
    ],
)
def test_a_bad_mask_is_refused_with_a_message(
    registrar_client, covered, company_interview, changes, message
):
    company_interview.notes = "Planerar nyanställningar i Torshälla."
    company_interview.save()
    url = reverse("records:mask_create", args=[covered.pk])
    response = registrar_client.post(url, _mask_data(covered, company_interview, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert SUMMARY in body
    assert not Mask.objects.exists()


def test_an_inactive_ground_cannot_be_chosen(registrar_client, covered, company_interview):
    ground = SecrecyGround.objects.create(
        reference="18 kap. 8 § OSL", title="Säkerhet", is_active=False
    )
    url = reverse("records:mask_create", args=[covered.pk])
    response = registrar_client.post(url, _mask_data(covered, company_interview, ground=ground.pk))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "name",
    [
        "records:request_detail",
        "records:item_review",
        "records:document_download",
        "records:ground_update",
    ],
)
def test_unknown_ids_give_404(admin_client, name):
    assert admin_client.get(reverse(name, args=[999999])).status_code == 404


def test_a_document_still_being_produced_cannot_be_downloaded(registrar_client, record_request):
    pending = ReleasedDocument.objects.create(request=record_request, kind="pdf")
    url = reverse("records:document_download", args=[pending.pk])
    assert registrar_client.get(url).status_code == 404


def test_releasing_and_downloading_the_pdf(
    registrar_client, record_request, covered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            reverse("records:request_release", args=[record_request.pk]), {"reviewed": "on"}
        )
    assert response.status_code == 302
    document = ReleasedDocument.objects.get(request=record_request)
    assert document.status == "klar"
    download = registrar_client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_release_needs_the_review_confirmed(registrar_client, record_request, covered):
    response = registrar_client.post(
        reverse("records:request_release", args=[record_request.pk]), {}
    )
    assert response.status_code == 400
    assert SUMMARY in response.content.decode()
    assert not ReleasedDocument.objects.exists()


def test_a_refusal_needs_grounds_and_reasoning(registrar_client, record_request, covered):
    url = reverse("records:request_decide", args=[record_request.pk])
    response = registrar_client.post(url, {"outcome": "avslag"})
    assert response.status_code == 400
    record_request.refresh_from_db()
    assert record_request.status == "provning"


def test_a_decided_request_can_no_longer_be_changed(registrar_client, record_request, covered):
    url = reverse("records:request_decide", args=[record_request.pk])
    assert registrar_client.post(url, {"outcome": "helhet"}).status_code == 302
    record_request.refresh_from_db()
    assert (record_request.status, record_request.outcome) == ("beslutad", "helhet")
    response = registrar_client.post(
        reverse("records:item_add", args=[record_request.pk]),
        {
            "kind": "foretag",
            "company": Company.objects.get(
                pk=CoveredItem.objects.get().target_id
            ).organisation_number,
        },
    )
    assert response.status_code == 400
    assert CoveredItem.objects.count() == 1


def test_adding_one_interview_by_company_and_date(
    registrar_client, record_request, company_interview
):
    url = reverse("records:item_add", args=[record_request.pk])
    bad = registrar_client.post(
        url,
        {
            "kind": "intervju",
            "company": company_interview.company.organisation_number,
            "interview_date": "2020-01-01",
        },
    )
    assert bad.status_code == 400
    assert (
        "Företaget har ingen intervju det datumet" in bad.content.decode()
        or SUMMARY in bad.content.decode()
    )
    good = registrar_client.post(
        url,
        {
            "kind": "intervju",
            "company": company_interview.company.organisation_number,
            "interview_date": company_interview.date.isoformat(),
        },
    )
    assert good.status_code == 302
    item = CoveredItem.objects.get()
    assert (item.kind, item.target_id) == ("intervju", company_interview.pk)
    record_request.refresh_from_db()
    assert record_request.status == "provning"


def test_only_administrators_edit_the_secrecy_grounds(registrar_client, admin_client):
    ground = SecrecyGround.objects.get(reference="31 kap. 16 § OSL")
    url = reverse("records:ground_update", args=[ground.pk])
    assert registrar_client.get(url).status_code == 403
    assert (
        registrar_client.post(
            reverse("records:ground_list"), {"reference": "x", "title": "y"}
        ).status_code
        == 403
    )
    response = admin_client.post(
        url,
        {
            "reference": ground.reference,
            "title": "Affärsförhållanden",
            "explanation": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    ground.refresh_from_db()
    assert ground.title == "Affärsförhållanden"
    assert ground.history.count() >= 1


def _requests(count: int, handler) -> None:
    for number in range(count):
        record_request_create(
            received_on=datetime.date(2026, 10, 1) + datetime.timedelta(days=number % 20),
            channel="e-post",
            description=f"Begäran {number}",
            handler=handler,
            user=handler,
        )


def test_the_list_costs_the_same_queries_at_two_sizes(registrar_client, registrar):
    url = reverse("records:request_list")
    _requests(3, registrar)
    _response, small = page_queries(registrar_client, url, {"overdue": "on"})
    _requests(40, registrar)
    response, large = page_queries(registrar_client, url, {"overdue": "on"})
    assert small == large
    assert len(response.context["page_obj"].object_list) == 30


def test_the_list_filters_by_status_handler_and_overdue(registrar_client, registrar, administrator):
    _requests(2, registrar)
    _requests(1, administrator)
    response = registrar_client.get(
        reverse("records:request_list"), {"handler": administrator.pk, "status": "mottagen"}
    )
    assert [r.handler for r in response.context["page_obj"]] == [administrator]
    assert (
        registrar_client.get(reverse("records:request_list"), {"status": "okänd"}).status_code
        == 400
    )

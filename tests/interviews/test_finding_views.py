from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from tests.factories import CompanyFactory, ContactFactory, FindingFactory, InterviewFactory


@pytest.fixture
def findings_for_workshop(db):
    area = PriorityArea.objects.get(slug="service-och-samverkan")
    company = CompanyFactory(name="Hemliga Bolaget AB", industry="C", size_class="10-49")
    contact = ContactFactory(
        company=company, name="Greta Kontaktsson", email="greta@example.se", phone="016-999 99 99"
    )
    named = InterviewFactory(
        company=company, consent="med_namn", notes="Rå anteckning som inte får spridas"
    )
    named.interviewees.set([contact])
    internal = InterviewFactory(company=company, consent="internt")
    return {
        "area": area,
        "named": FindingFactory(
            interview=named, area=area, text="Bygglov dröjer", quote="Vi väntade i fyra månader"
        ),
        "internal": FindingFactory(
            interview=internal, area=area, text="Tillstånd krånglar", quote="Ingen svarar i telefon"
        ),
        "secret": FindingFactory(
            interview=named, area=area, text="Planerar ny fabrik 2027", is_confidential=True
        ),
        "other_area": FindingFactory(
            area=PriorityArea.objects.get(slug="upphandling"), text="Upphandlingar för stora"
        ),
    }


@pytest.mark.django_db
def test_facilitator_reads_findings_without_personal_data(
    facilitator_client, findings_for_workshop
):
    response = facilitator_client.get(
        reverse("interviews:finding_list"), {"area": findings_for_workshop["area"].pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bygglov dröjer" in body
    assert "Tillstånd krånglar" in body
    assert "Vi väntade i fyra månader" in body  # consent: quote with name
    assert "Ingen svarar i telefon" not in body  # consent: internal only
    assert "Planerar ny fabrik" not in body  # confidential
    assert "Upphandlingar för stora" not in body  # other area
    for personal in ("Greta Kontaktsson", "greta@example.se", "016-999 99 99", "Rå anteckning"):
        assert personal not in body
    assert "Tillverkning" in body  # the company's industry is shown


@pytest.mark.django_db
def test_developer_sees_all_findings_with_links(developer_client, findings_for_workshop):
    response = developer_client.get(
        reverse("interviews:finding_list"),
        {"area": findings_for_workshop["area"].pk, "type": "utmaning"},
    )
    body = response.content.decode()
    assert "Planerar ny fabrik" in body
    assert "Ingen svarar i telefon" in body
    assert "Hemliga Bolaget AB" in body


@pytest.mark.django_db
def test_council_gets_403_on_findings(council_client):
    assert council_client.get(reverse("interviews:finding_list")).status_code == 403


@pytest.mark.django_db
def test_bad_finding_filter_gives_400(facilitator_client):
    response = facilitator_client.get(reverse("interviews:finding_list"), {"type": "okänd"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_finding_list_query_count_is_constant(facilitator_client, django_assert_max_num_queries):
    FindingFactory()
    with django_assert_max_num_queries(20) as small:
        facilitator_client.get(reverse("interviews:finding_list"))
    for _ in range(30):
        FindingFactory(quote="Citat")
    with django_assert_max_num_queries(20) as large:
        facilitator_client.get(reverse("interviews:finding_list"))
    assert len(large.captured_queries) == len(small.captured_queries)

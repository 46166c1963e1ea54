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


def _areas_in_order():
    return list(PriorityArea.objects.filter(is_archived=False).order_by("order", "name"))


@pytest.mark.django_db
def test_findings_come_area_by_area_most_important_and_latest_first(developer_client):
    """Area by area in the areas' set order (not their ids), then importance, then the most
    recently recorded interview, then the finding; the pages together list each match once."""
    first, second = _areas_in_order()[:2]
    first.order, second.order = second.order, first.order  # the order is not the id's
    first.save()
    second.save()
    older, newer = InterviewFactory(), InterviewFactory()
    rows = [
        FindingFactory(interview=older, area=first, importance=3),
        FindingFactory(interview=newer, area=first, importance=1),
        FindingFactory(interview=older, area=second, importance=2),
        FindingFactory(interview=newer, area=second, importance=2),
        FindingFactory(interview=newer, area=second, importance=2),
        FindingFactory(interview=older, area=second, importance=3),
    ]
    response = developer_client.get(reverse("interviews:finding_list"))
    shown = [finding.pk for finding in response.context["page_obj"]]
    assert shown == [rows[5].pk, rows[3].pk, rows[4].pk, rows[2].pk, rows[0].pk, rows[1].pk]


@pytest.mark.django_db
def test_finding_pages_keep_the_filter_and_hold_every_match_once(developer_client):
    from interviews.views.findings import PAGE_SIZE

    areas = _areas_in_order()
    company = CompanyFactory(industry="F")
    interviews = [InterviewFactory(company=company) for _ in range(3)]
    matching = [
        FindingFactory(interview=interviews[n % 3], area=areas[n % 3], type="ide", importance=2)
        for n in range(PAGE_SIZE + 5)
    ]
    FindingFactory(interview=interviews[0], area=areas[0], type="styrka")
    FindingFactory(area=areas[0], type="ide")  # another industry
    url = reverse("interviews:finding_list")
    query = {"type": "ide", "industry": "F"}
    first = developer_client.get(url, query)
    second = developer_client.get(url, {**query, "page": 2})
    shown = [f.pk for f in first.context["page_obj"]] + [f.pk for f in second.context["page_obj"]]
    assert sorted(shown) == sorted(f.pk for f in matching)
    assert [f.area_id for f in first.context["page_obj"]][:1] == [areas[0].pk]
    assert 'href="?type=ide&amp;industry=F&amp;page=2"' in first.content.decode()
    assert f"{PAGE_SIZE + 5} synpunkter" in first.content.decode()


@pytest.mark.django_db
def test_finding_list_counts_up_to_a_cap_and_says_so(developer_client):
    from interviews.models import Finding
    from interviews.views.findings import FINDINGS_CAP, PAGE_SIZE

    interview = InterviewFactory()
    areas = _areas_in_order()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=areas[n % 2], type="utmaning", text=f"Synpunkt {n}")
        for n in range(FINDINGS_CAP + 1)
    )
    last = FINDINGS_CAP // PAGE_SIZE
    response = developer_client.get(reverse("interviews:finding_list"), {"page": last})
    page = response.context["page_obj"]
    assert page.paginator.is_capped and page.number == page.paginator.num_pages == last
    assert len(page.object_list) == PAGE_SIZE
    assert {f.area_id for f in page.object_list} == {areas[1].pk}
    assert f"Fler än {FINDINGS_CAP} synpunkter matchar" in response.content.decode()


def _found(client, **params) -> set[str]:
    response = client.get(reverse("interviews:finding_list"), params)
    assert response.status_code == 200
    return {finding.text for finding in response.context["page_obj"].object_list}


@pytest.mark.django_db
def test_the_finding_list_searches_text_and_quotes_area_by_area(
    facilitator_client, developer_client, findings_for_workshop
):
    """Free text, in every area or one, case ignored; a quote the reader may not see is not
    found by its words (a facilitator, and the internal-only consent)."""
    assert _found(facilitator_client, q="BYGGLOV") == {"Bygglov dröjer"}
    assert _found(facilitator_client, q="upphandlingar") == {"Upphandlingar för stora"}
    area = findings_for_workshop["area"].pk
    assert _found(facilitator_client, q="upphandlingar", area=area) == set()
    assert _found(facilitator_client, q="fyra månader") == {"Bygglov dröjer"}  # a quote
    assert _found(facilitator_client, q="svarar i telefon") == set()  # internal only
    assert _found(developer_client, q="svarar i telefon") == {"Tillstånd krånglar"}
    assert _found(facilitator_client, q="fabrik") == set()  # confidential
    # Accents ignored too, the same on Postgres and SQLite (smeportal.core.folding).
    assert _found(facilitator_client, q="BYGGLOV DROJER") == {"Bygglov dröjer"}
    assert _found(developer_client, q="tillstand KRANGLAR") == {"Tillstånd krånglar"}
    body = facilitator_client.get(reverse("interviews:finding_list"), {"q": "bygglov"})
    assert "1 synpunkt" in body.content.decode()


@pytest.mark.django_db
def test_a_search_of_the_finding_list_pages_within_the_matches(developer_client):
    areas = list(PriorityArea.objects.order_by("order")[:2])
    for number in range(30):
        FindingFactory(area=areas[number % 2], text=f"Kompetens nummer {number}")
        FindingFactory(area=areas[number % 2], text=f"Annat ämne {number}")
    first = _found(developer_client, q="kompetens")
    second = _found(developer_client, q="kompetens", page=2)
    assert len(first) == 25 and len(second) == 5 and not first & second
    assert all(text.startswith("Kompetens") for text in first | second)


@pytest.mark.django_db
@pytest.mark.parametrize("sampled", [None, 100], ids=["as configured", "every page sampled"])
def test_a_word_common_in_one_area_is_listed_in_order_and_counted_up_to_the_cap(
    developer_client, monkeypatch, sampled
):
    """A word in most of an area's findings: on Postgres, when the sample says so (every page
    sampled here: a test's table is too small for the configured share), the area is walked
    in list order; otherwise its trigram indexes answer. The pages and the count are the same
    either way: area by area in the list's order, "more than" past the cap."""
    from interviews import area_search
    from interviews.models import Finding
    from interviews.views.findings import FINDINGS_CAP, PAGE_SIZE

    if sampled:
        monkeypatch.setattr(area_search, "SAMPLE_PERCENT", sampled)
    first, second = _areas_in_order()[:2]
    interview = InterviewFactory()
    Finding.objects.bulk_create(
        Finding(
            interview=interview,
            area=area,
            type="utmaning",
            text=f"Väntan på bygglov nummer {n}",
            importance=n % 3 + 1,
        )
        for n in range(FINDINGS_CAP)
        for area in (first, second)
    )
    Finding.objects.bulk_create(  # other words in the first area
        Finding(interview=interview, area=first, type="ide", text=f"Annat {n}") for n in range(40)
    )
    url = reverse("interviews:finding_list")
    pages = [developer_client.get(url, {"q": "BYGGLOV", "page": n}) for n in (1, 2)]
    listed = [f.pk for page in pages for f in page.context["page_obj"].object_list]
    in_order = list(
        Finding.objects.filter(area=first, text__contains="bygglov")
        .order_by("-importance", "-interview_id", "pk")
        .values_list("pk", flat=True)[: 2 * PAGE_SIZE]
    )
    assert listed == in_order
    assert pages[0].context["page_obj"].paginator.is_capped
    assert f"Fler än {FINDINGS_CAP} synpunkter matchar" in pages[0].content.decode()
    # Of one type: none of the challenges' words are in the ideas.
    ideas = developer_client.get(url, {"q": "bygglov", "type": "ide"})
    assert ideas.context["page_obj"].paginator.count == 0
    assert _found(developer_client, q="annat 3", type="ide") == {"Annat 3"} | {
        f"Annat {n}" for n in range(30, 40)
    }


@pytest.mark.django_db
def test_a_search_runs_the_same_queries_for_a_rare_word_a_common_one_and_a_short_one(
    developer_client, django_assert_max_num_queries, monkeypatch
):
    from interviews import area_search
    from interviews.models import Finding

    monkeypatch.setattr(area_search, "SAMPLE_PERCENT", 100)
    interview = InterviewFactory()
    areas = _areas_in_order()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=areas[n % 3], type="utmaning", text=f"Bygglov {n}")
        for n in range(300)
    )
    counts = []
    for word in ("bygglov", "bygglov 123", "by", "ov 2"):
        with django_assert_max_num_queries(20) as queries:
            response = developer_client.get(reverse("interviews:finding_list"), {"q": word})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert len(set(counts)) == 1, counts
    assert _found(developer_client, q="ov 29") == {f"Bygglov {n}" for n in (29, *range(290, 300))}

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from interviews.models import Finding
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops.models import Proposal
from workshops.services import proposals_merge

PERSONAL = ("Greta Kontaktsson", "greta.kontakt@example.se", "016-999 99 99", "Rå anteckning")


@pytest.fixture
def world(db):
    area = PriorityArea.objects.get(slug="service-och-samverkan")
    proposal = ProposalFactory(
        group=WorkshopGroupFactory(area=area), title="Bygglovslots för små företag"
    )
    company = CompanyFactory(name="Hemliga Bolaget AB", industry="F", size_class="1-9")
    contact = ContactFactory(
        company=company, name=PERSONAL[0], email=PERSONAL[1], phone=PERSONAL[2]
    )
    named = InterviewFactory(company=company, consent="med_namn", notes=f"{PERSONAL[3]} om lovet")
    named.interviewees.set([contact])
    internal = InterviewFactory(company=company, consent="internt")
    return {
        "area": area,
        "proposal": proposal,
        "permit": FindingFactory(
            interview=named, area=area, text="Bygglov dröjer", quote="Vi väntade i fyra månader"
        ),
        "licence": FindingFactory(
            interview=named, area=area, text="Serveringstillståndet tog tre månader", type="ide"
        ),
        "internal_quote": FindingFactory(
            interview=internal, area=area, text="Tillstånd krånglar", quote="Ingen svarar i telefon"
        ),
        "secret": FindingFactory(
            interview=named, area=area, text="Planerar ny fabrik 2027", is_confidential=True
        ),
        "other_area": FindingFactory(
            interview=named,
            area=PriorityArea.objects.get(slug="upphandling"),
            text="Upphandlingar för stora",
        ),
    }


def _url(world) -> str:
    return reverse("workshops:proposal_evidence", args=[world["proposal"].pk])


def _linked(world) -> set:
    return set(Proposal.objects.get(pk=world["proposal"].pk).evidence.all())


@pytest.mark.django_db
def test_facilitator_searches_findings_of_the_same_area(facilitator_client, world):
    response = facilitator_client.get(_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bygglov dröjer" in body
    assert "Serveringstillståndet" in body
    assert "Vi väntade i fyra månader" in body  # consent: named
    assert "Ingen svarar i telefon" not in body  # consent: internal only
    assert "Planerar ny fabrik" not in body  # business secret
    assert "Upphandlingar för stora" not in body  # another area
    for personal in PERSONAL:
        assert personal not in body
    # The company agreed to be named with its quote; elsewhere only industry and size show.
    assert body.count("Hemliga Bolaget AB") == 1
    assert "Byggverksamhet" in body

    body = facilitator_client.get(_url(world), {"q": "bygglov"}).content.decode()
    assert "Bygglov dröjer" in body and "Serveringstillståndet" not in body
    body = facilitator_client.get(_url(world), {"type": "ide"}).content.decode()
    assert "Serveringstillståndet" in body and "Bygglov dröjer" not in body


@pytest.mark.django_db
def test_a_hidden_quote_cannot_be_found_by_its_words(facilitator_client, developer_client, world):
    body = facilitator_client.get(_url(world), {"q": "svarar i telefon"}).content.decode()
    assert "Tillstånd krånglar" not in body
    body = developer_client.get(_url(world), {"q": "svarar i telefon"}).content.decode()
    assert "Tillstånd krånglar" in body


@pytest.mark.django_db
def test_developer_sees_confidential_findings_and_company_names(developer_client, world):
    body = developer_client.get(_url(world)).content.decode()
    assert "Planerar ny fabrik" in body
    assert "Hemliga Bolaget AB" in body
    for personal in PERSONAL:
        assert personal not in body


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["developer_client", "facilitator_client", "admin_client"])
def test_link_and_unlink(request, client_name, world):
    client = request.getfixturevalue(client_name)
    url = _url(world)
    response = client.post(
        url, {"action": "link", "findings": [world["permit"].pk, world["licence"].pk]}
    )
    assert response.status_code == 302
    assert _linked(world) == {world["permit"], world["licence"]}

    body = client.get(url).content.decode()
    assert f'id="unlink-{world["permit"].pk}"' in body
    assert f'id="link-{world["permit"].pk}"' not in body  # no longer offered

    response = client.post(url, {"action": "unlink", "findings": [world["permit"].pk]})
    assert response.status_code == 302
    assert _linked(world) == {world["licence"]}


@pytest.mark.django_db
def test_redirect_keeps_the_search(facilitator_client, world):
    url = _url(world) + "?q=bygglov&page=1"
    response = facilitator_client.post(url, {"action": "link", "findings": [world["permit"].pk]})
    assert response["Location"] == url


@pytest.mark.django_db
def test_developer_may_link_confidential_findings(developer_client, world):
    response = developer_client.post(
        _url(world), {"action": "link", "findings": [world["secret"].pk]}
    )
    assert response.status_code == 302
    assert _linked(world) == {world["secret"]}


@pytest.mark.django_db
def test_council_gets_403(council_client, world):
    assert council_client.get(_url(world)).status_code == 403
    response = council_client.post(
        _url(world), {"action": "link", "findings": [world["permit"].pk]}
    )
    assert response.status_code == 403
    assert _linked(world) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["other_area", "secret", "unknown", "not_a_number", "none", "bad_action", "no_action"]
)
def test_bad_links_are_400_and_change_nothing(facilitator_client, world, case):
    data = {
        "other_area": {"action": "link", "findings": [world["permit"].pk, world["other_area"].pk]},
        "secret": {"action": "link", "findings": [world["permit"].pk, world["secret"].pk]},
        "unknown": {"action": "link", "findings": [world["permit"].pk, 999999]},
        "not_a_number": {"action": "link", "findings": ["abc"]},
        "none": {"action": "link"},
        "bad_action": {"action": "delete", "findings": [world["permit"].pk]},
        "no_action": {"findings": [world["permit"].pk]},
    }[case]
    response = facilitator_client.post(_url(world), data)
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert _linked(world) == set()


@pytest.mark.django_db
def test_facilitator_cannot_unlink_a_confidential_finding(facilitator_client, world):
    world["proposal"].evidence.add(world["secret"])
    response = facilitator_client.post(
        _url(world), {"action": "unlink", "findings": [world["secret"].pk]}
    )
    assert response.status_code == 400
    assert _linked(world) == {world["secret"]}
    body = facilitator_client.get(_url(world)).content.decode()
    assert "Planerar ny fabrik" not in body


@pytest.mark.django_db
def test_unlinking_a_finding_that_is_not_linked_is_400(facilitator_client, world):
    response = facilitator_client.post(
        _url(world), {"action": "unlink", "findings": [world["permit"].pk]}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_merged_proposal_refuses_changes(facilitator_client, world):
    survivor = ProposalFactory(group=world["proposal"].group)
    proposals_merge(survivor=survivor, duplicates=[world["proposal"]])
    url = _url(world)
    body = facilitator_client.get(url).content.decode()
    assert reverse("workshops:proposal_detail", args=[survivor.pk]) in body
    assert 'name="action"' not in body  # read-only
    response = facilitator_client.post(url, {"action": "link", "findings": [world["permit"].pk]})
    assert response.status_code == 409
    assert survivor.title in response.content.decode()
    assert _linked(world) == set()


@pytest.mark.django_db
def test_bad_search_is_400(facilitator_client, world):
    assert facilitator_client.get(_url(world), {"type": "okänd"}).status_code == 400
    assert facilitator_client.get(_url(world), {"q": "x" * 201}).status_code == 400


@pytest.mark.django_db
def test_unknown_proposal_is_404(facilitator_client):
    url = reverse("workshops:proposal_evidence", args=[99999])
    assert facilitator_client.get(url).status_code == 404
    assert facilitator_client.post(url, {"action": "link"}).status_code == 404


@pytest.mark.django_db
def test_results_are_paginated(facilitator_client, world):
    for number in range(30):
        FindingFactory(area=world["area"], text=f"Ärende {number} ligger i kön")
    body = facilitator_client.get(_url(world), {"q": "i kön"}).content.decode()
    assert body.count('name="findings" value=') == 25
    assert "page=2" in body


@pytest.mark.django_db
def test_evidence_page_runs_a_constant_number_of_queries(
    facilitator_client, world, django_assert_max_num_queries
):
    url = _url(world)
    world["proposal"].evidence.add(world["permit"])
    facilitator_client.get(url)
    # Of the page's own: the proposal, and each list's page with its number of rows.
    with django_assert_max_num_queries(9) as small:
        assert facilitator_client.get(url).status_code == 200
    for _ in range(20):
        finding = FindingFactory(area=world["area"], quote="Ett citat")
        world["proposal"].evidence.add(finding)
        FindingFactory(area=world["area"], quote="Ett annat citat")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert facilitator_client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("sampled", [None, 100], ids=["as configured", "every page sampled"])
def test_a_word_common_in_the_area_is_paged_in_list_order_and_counted_up_to_the_cap(
    facilitator_client, world, monkeypatch, sampled
):
    """More matches than the cap: the page walks the area in list order (no fetching and
    sorting of every match) and the count says "more than"; the pages are those of the
    same findings read in list order. On Postgres the matches are found by that walk too
    when the sample of the table says the word is common (every page sampled here: a test's
    table is too small for the configured share), through the trigram indexes otherwise."""
    from interviews import area_search
    from workshops.views.evidence import PAGE_SIZE, RESULTS_CAP

    if sampled:
        monkeypatch.setattr(area_search, "SAMPLE_PERCENT", sampled)

    interview = world["permit"].interview
    Finding.objects.bulk_create(
        Finding(
            interview=interview,
            area=world["area"],
            type="utmaning",
            text=f"Väntan på bygglov nummer {n}",
            importance=n % 3 + 1,
        )
        for n in range(RESULTS_CAP + 1)
    )
    Finding.objects.bulk_create(  # the word in another area, and another word in this one
        [
            Finding(
                interview=interview,
                area=PriorityArea.objects.exclude(pk=world["area"].pk).first(),
                type="utmaning",
                text="Bygglov",
                importance=3,
            ),
            Finding(
                interview=interview,
                area=world["area"],
                type="utmaning",
                text="Parkering",
                importance=3,
            ),
        ]
    )
    in_order = list(
        Finding.objects.filter(area=world["area"], text__icontains="bygglov")
        .order_by("-importance", "-interview_id", "pk")
        .values_list("pk", flat=True)
    )

    first = facilitator_client.get(_url(world), {"q": "BYGGLOV"})
    page = first.context["page_obj"]
    assert page.paginator.is_capped
    assert [row.pk for row in page] == in_order[:PAGE_SIZE]
    assert f"Fler än {RESULTS_CAP}" in first.content.decode()
    last = facilitator_client.get(_url(world), {"q": "bygglov", "page": RESULTS_CAP // PAGE_SIZE})
    bottom = RESULTS_CAP - PAGE_SIZE
    assert [row.pk for row in last.context["page_obj"]] == in_order[bottom:RESULTS_CAP]


@pytest.mark.django_db
def test_a_search_runs_the_same_queries_for_a_rare_word_and_a_common_one(
    facilitator_client, world, django_assert_max_num_queries
):
    """Below the cap the matches are read by key, above it the area is walked in order: one
    statement for the matches and one for the page either way."""
    from workshops.views.evidence import RESULTS_CAP

    interview = world["permit"].interview
    Finding.objects.bulk_create(
        Finding(interview=interview, area=world["area"], type="utmaning", text=f"Kö {n}")
        for n in range(3)
    )
    facilitator_client.get(_url(world), {"q": "kö"})
    # One more than the page without a search (test above): the matches, then their page.
    with django_assert_max_num_queries(10) as rare:
        assert facilitator_client.get(_url(world), {"q": "kö"}).status_code == 200
    Finding.objects.bulk_create(
        Finding(interview=interview, area=world["area"], type="utmaning", text=f"Kö {n}")
        for n in range(RESULTS_CAP + 1)
    )
    with django_assert_max_num_queries(len(rare.captured_queries)):
        response = facilitator_client.get(_url(world), {"q": "kö"})
    assert response.context["page_obj"].paginator.is_capped


@pytest.mark.django_db
def test_ids_above_a_thousand_are_not_grouped_in_form_values(developer_client, world):
    """Postgres ids soon pass 1000; a grouped "1 879" in a checkbox value breaks the form."""
    late = FindingFactory(
        pk=123456,
        interview=world["permit"].interview,
        area=world["area"],
        text="Sent registrerad synpunkt",
    )
    body = developer_client.get(_url(world)).content.decode()
    assert 'value="123456"' in body
    response = developer_client.post(_url(world), {"action": "link", "findings": [late.pk]})
    assert response.status_code == 302
    assert late in _linked(world)


@pytest.mark.django_db
def test_linked_findings_are_paginated_with_their_own_links(facilitator_client, world):
    from workshops.views.evidence import PAGE_SIZE

    interview = world["permit"].interview
    linked = [
        FindingFactory(interview=interview, area=world["area"], text=f"Kopplad {n}")
        for n in range(PAGE_SIZE + 2)
    ]
    world["proposal"].evidence.add(*linked)
    first = facilitator_client.get(_url(world), {"q": "kön"})
    body = first.content.decode()
    assert f"{PAGE_SIZE + 2} kopplade synpunkter" in body
    assert body.count('name="findings" value=') == PAGE_SIZE  # no search results
    assert 'aria-label="Sidor med kopplade synpunkter"' in body
    assert 'href="?q=k%C3%B6n&amp;linked_page=2"' in body
    second = facilitator_client.get(_url(world), {"q": "kön", "linked_page": 2})
    assert len(second.context["linked"]) == 2


@pytest.mark.django_db
def test_the_findings_to_link_are_counted_up_to_a_cap(facilitator_client, world):
    from interviews.models import Finding
    from workshops.views.evidence import PAGE_SIZE, RESULTS_CAP

    interview = world["permit"].interview
    Finding.objects.bulk_create(
        Finding(interview=interview, area=world["area"], type="utmaning", text=f"Kö {n}")
        for n in range(RESULTS_CAP + 1)
    )
    response = facilitator_client.get(_url(world), {"page": RESULTS_CAP // PAGE_SIZE})
    page = response.context["page_obj"]
    assert page.paginator.is_capped
    assert (page.number, page.paginator.num_pages) == (RESULTS_CAP // PAGE_SIZE,) * 2
    assert len(page.object_list) == PAGE_SIZE
    assert f"Fler än {RESULTS_CAP} synpunkter är ännu inte kopplade" in response.content.decode()


@pytest.mark.django_db
def test_a_text_search_is_counted_exactly_and_ordered_like_the_rest(facilitator_client, world):
    interview = world["permit"].interview
    low = FindingFactory(
        interview=interview, area=world["area"], text="Kö vid kassan", importance=1
    )
    high = FindingFactory(interview=interview, area=world["area"], text="Lång kö", importance=3)
    response = facilitator_client.get(_url(world), {"q": "kö"})
    assert [f.pk for f in response.context["page_obj"]] == [high.pk, low.pk]
    assert not getattr(response.context["page_obj"].paginator, "is_capped", False)


@pytest.mark.django_db
@pytest.mark.parametrize("sampled", [None, 100], ids=["as configured", "every page sampled"])
def test_a_text_search_finds_the_area_only_and_takes_wildcards_literally(
    facilitator_client, world, monkeypatch, sampled
):
    from interviews import area_search

    if sampled:
        monkeypatch.setattr(area_search, "SAMPLE_PERCENT", sampled)
    interview = world["permit"].interview
    literal = FindingFactory(interview=interview, area=world["area"], text="Rabatt 50% på avgiften")
    FindingFactory(interview=interview, area=world["area"], text="Rabatt 50 kronor på avgiften")
    FindingFactory(
        interview=interview, area=PriorityArea.objects.get(slug="upphandling"), text="Bygglov"
    )
    quoted = FindingFactory(
        interview=interview, area=world["area"], text="Handläggning", quote="BYGGLOVET dröjde"
    )

    def found(text: str) -> set[int]:
        response = facilitator_client.get(_url(world), {"q": text})
        return {finding.pk for finding in response.context["page_obj"]}

    assert found("50%") == {literal.pk}
    assert found("t_5") == set()
    assert found("bygglov") == {world["permit"].pk, quoted.pk}  # text or quote, this area only


@pytest.mark.django_db
def test_a_text_search_follows_edited_text_and_quotes(facilitator_client, world):
    """On Postgres the search reads the folded text stored beside the text (interviews
    migration 0020): an edit, by save() or by update(), is searched by its new words only."""
    finding = FindingFactory(
        interview=world["permit"].interview, area=world["area"], text="Parkering saknas"
    )

    def found(text: str) -> set[int]:
        response = facilitator_client.get(_url(world), {"q": text})
        return {row.pk for row in response.context["page_obj"]}

    assert finding.pk in found("parkering")
    finding.text = "Fiberanslutning dröjer"
    finding.save()
    assert finding.pk not in found("parkering")
    assert finding.pk in found("FIBERANSLUTNING")
    Finding.objects.filter(pk=finding.pk).update(quote="Vi väntar på Hällby-nätet")
    assert finding.pk in found("hallby-natet")


def _without_tokens(response) -> str:
    return re.sub(
        r'(csrfmiddlewaretoken" value|csrf-token" content)="[^"]+"', "", response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["developer_client", "facilitator_client"])
def test_pages_past_the_compiled_ones_are_drawn_the_same(request, client_name, world, monkeypatch):
    """The first pages of each list run SQL compiled once per process, later pages and text
    searches are built each time: the same page either way, for either audience."""
    from workshops import selectors

    client = request.getfixturevalue(client_name)
    interview = world["permit"].interview
    for n in range(30):
        FindingFactory(interview=interview, area=world["area"], text=f"Kö {n}", type="utmaning")
    world["proposal"].evidence.add(
        *(FindingFactory(interview=interview, area=world["area"]) for _ in range(27))
    )
    for query in ({"page": 2, "linked_page": 2}, {"type": "utmaning"}, {}):
        compiled = client.get(_url(world), query)
        with monkeypatch.context() as patch:
            patch.setattr(selectors, "COMPILED_PAGES", 0)
            built = client.get(_url(world), query)
        assert _without_tokens(built) == _without_tokens(compiled)
        assert [f.pk for f in compiled.context["page_obj"]]
        assert [f.pk for f in compiled.context["linked"]]

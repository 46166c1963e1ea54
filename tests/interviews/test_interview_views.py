from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import Finding, FollowUp, Interview
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    InterviewFactory,
    UserFactory,
)


def interview_post(company, interviewer, *, findings=(), version=None, **overrides):
    data = {
        "company": company.pk,
        "date": "2026-11-11",
        "interviewers": [interviewer.pk],
        "format": "besok",
        "duration_minutes": "90",
        "status": "klar",
        "grade": "4",
        "consent": "anonymt",
        "notes": "Vi pratade om bygglov och kompetens.",
        "findings-TOTAL_FORMS": str(len(findings) + 1),
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
    }
    if version is not None:
        data["version"] = str(version)
    for index, finding in enumerate(findings):
        for key, value in finding.items():
            data[f"findings-{index}-{key}"] = value
    data.update(overrides)
    return data


def finding_data(area_slug, text, **extra):
    area = PriorityArea.objects.get(slug=area_slug)
    return {
        "area": str(area.pk),
        "type": "utmaning",
        "text": text,
        "importance": "2",
        "quote": "",
        **extra,
    }


@pytest.mark.django_db
def test_create_interview_with_findings_in_two_areas(developer_client, developer):
    company = CompanyFactory()
    contact = ContactFactory(company=company)
    response = developer_client.post(
        reverse("interviews:interview_create"),
        interview_post(
            company,
            developer,
            interviewees=[contact.pk],
            findings=[
                finding_data(
                    "service-och-samverkan",
                    "Bygglov tar för lång tid",
                    quote="Fyra månader för ett skärmtak!",
                    is_key_quote="on",
                ),
                finding_data("kompetensforsorjning", "Svårt att hitta svetsare", type="ide"),
            ],
        ),
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:interview_detail", args=[interview.pk])
    assert interview.created_by == developer
    assert list(interview.interviewees.all()) == [contact]
    assert sorted(interview.findings.values_list("area__slug", flat=True)) == [
        "kompetensforsorjning",
        "service-och-samverkan",
    ]
    body = developer_client.get(response["Location"]).content.decode()
    assert "Fyra månader för ett skärmtak!" in body
    assert "Nyckelcitat" in body


@pytest.mark.django_db
def test_new_interview_without_company_asks_for_one(developer_client):
    response = developer_client.get(reverse("interviews:interview_create"))
    assert response.status_code == 200
    assert "Vilket företag" in response.content.decode()
    assert (
        developer_client.get(
            reverse("interviews:interview_create"), {"company": "999999"}
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_bad_interview_input_gives_form_errors_and_saves_nothing(developer_client, developer):
    company = CompanyFactory()
    response = developer_client.post(
        reverse("interviews:interview_create"),
        interview_post(
            company,
            developer,
            grade="9",
            date="2026-13-45",
            findings=[finding_data("upphandling", "", is_key_quote="on")],
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Formuläret innehåller fel" in body
    assert not Interview.objects.exists()
    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_save_and_add_more_returns_to_the_form(developer_client, developer):
    company = CompanyFactory()
    response = developer_client.post(
        reverse("interviews:interview_create"),
        interview_post(company, developer, add_more="1", status="utkast"),
    )
    interview = Interview.objects.get()
    assert response["Location"] == reverse("interviews:interview_update", args=[interview.pk])


@pytest.mark.django_db
def test_edit_keeps_existing_findings_and_adds_new(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer])
    existing = FindingFactory(interview=interview, text="Gammal synpunkt")
    data = interview_post(interview.company, developer, version=interview.version, notes="Ny")
    data.update(
        {
            "findings-TOTAL_FORMS": "2",
            "findings-INITIAL_FORMS": "1",
            "findings-0-id": str(existing.pk),
            "findings-0-area": str(existing.area_id),
            "findings-0-type": "utmaning",
            "findings-0-text": "Ändrad synpunkt",
            "findings-0-importance": "3",
            **{
                f"findings-1-{key}": value
                for key, value in finding_data("upphandling", "Upphandlingar är för stora").items()
            },
        }
    )
    response = developer_client.post(
        reverse("interviews:interview_update", args=[interview.pk]), data
    )
    assert response.status_code == 302
    assert sorted(interview.findings.values_list("text", flat=True)) == [
        "Upphandlingar är för stora",
        "Ändrad synpunkt",
    ]


@pytest.mark.django_db
def test_concurrent_edit_is_refused_with_a_conflict_message(client, developer):
    colleague = UserFactory(
        username="kollega", first_name="Karl", last_name="Kollega", role="Näringslivsutvecklare"
    )
    interview = InterviewFactory(interviewers=[developer], notes="Start", status="utkast")
    opened = interview.version
    client.force_login(colleague)
    first = client.post(
        reverse("interviews:interview_update", args=[interview.pk]),
        interview_post(
            interview.company,
            developer,
            version=opened,
            notes="Karls anteckningar",
            status="utkast",
        ),
    )
    assert first.status_code == 302

    client.force_login(developer)
    second = client.post(
        reverse("interviews:interview_update", args=[interview.pk]),
        interview_post(
            interview.company, developer, version=opened, notes="Mina anteckningar", status="utkast"
        ),
    )
    body = second.content.decode()
    assert second.status_code == 409
    assert "Dina ändringar sparades inte" in body
    assert "Karl Kollega" in body
    assert "Mina anteckningar" in body  # what the user typed is still in the form
    interview.refresh_from_db()
    assert interview.notes == "Karls anteckningar"


@pytest.mark.django_db
def test_interview_history_is_readable_on_its_page(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer], grade=3, status="utkast")
    developer_client.post(
        reverse("interviews:interview_update", args=[interview.pk]),
        interview_post(
            interview.company, developer, version=interview.version, grade="5", status="utkast"
        ),
    )
    history_url = reverse("interviews:interview_history", args=[interview.pk])
    detail = developer_client.get(reverse("interviews:interview_detail", args=[interview.pk]))
    assert history_url in detail.content.decode()  # the detail page links to it
    body = developer_client.get(history_url).content.decode()
    assert "3 → 5" in body
    assert str(developer) in body


@pytest.mark.django_db
class TestInterviewList:
    def test_area_filter(self, developer_client):
        wanted = FindingFactory(area=PriorityArea.objects.get(slug="upphandling")).interview
        FindingFactory(area=PriorityArea.objects.get(slug="kompetensforsorjning"))
        response = developer_client.get(
            reverse("interviews:interview_list"), {"area": wanted.findings.get().area_id}
        )
        assert [i.pk for i in response.context["page_obj"]] == [wanted.pk]

    def test_area_and_type_must_match_the_same_finding(self, developer_client):
        area = PriorityArea.objects.get(slug="upphandling")
        other = PriorityArea.objects.get(slug="kompetensforsorjning")
        mixed = InterviewFactory()
        FindingFactory(interview=mixed, area=area, type="styrka")
        FindingFactory(interview=mixed, area=other, type="ide")
        matching = FindingFactory(area=area, type="ide").interview
        response = developer_client.get(
            reverse("interviews:interview_list"), {"area": area.pk, "finding_type": "ide"}
        )
        assert [i.pk for i in response.context["page_obj"]] == [matching.pk]

    def test_company_and_interview_filters(self, developer_client, developer):
        hit = InterviewFactory(
            company=CompanyFactory(industry="F", size_class="0", district="torshalla"),
            grade=2,
            status="utkast",
            interviewers=[developer],
        )
        InterviewFactory(grade=5)
        params = {
            "industry": "F",
            "size_class": "0",
            "district": "torshalla",
            "grade": "2",
            "status": "utkast",
            "interviewer": developer.pk,
            "date_from": f"{hit.date:%Y-%m-%d}",
            "date_to": f"{hit.date:%Y-%m-%d}",
        }
        response = developer_client.get(reverse("interviews:interview_list"), params)
        assert [i.pk for i in response.context["page_obj"]] == [hit.pk]

    def test_open_flag_filter(self, developer_client):
        flagged = FollowUpFactory(flag="rod", status="oppen").interview
        FollowUpFactory(flag="rod", status="klar")
        FollowUpFactory(flag="gul", status="oppen")
        response = developer_client.get(reverse("interviews:interview_list"), {"open_flags": "rod"})
        assert [i.pk for i in response.context["page_obj"]] == [flagged.pk]

    def test_search_finds_notes_findings_and_quotes(self, developer_client):
        by_notes = InterviewFactory(notes="Vi diskuterade fjärrvärmen i Torshälla.")
        by_finding = FindingFactory(text="Parkeringen vid Fristadstorget saknas").interview
        by_quote = FindingFactory(quote="Bygglovshandläggarna är fantastiska").interview
        InterviewFactory(notes="Inget särskilt")
        for term, expected in [
            ("fjärrvärmen", by_notes),
            ("Fristadstorget", by_finding),
            ("fantastiska", by_quote),
        ]:
            response = developer_client.get(reverse("interviews:interview_list"), {"q": term})
            assert [i.pk for i in response.context["page_obj"]] == [expected.pk], term

    def test_sorting_by_company_and_grade(self, developer_client):
        low = InterviewFactory(company=CompanyFactory(name="Örebro Rör"), grade=1)
        high = InterviewFactory(company=CompanyFactory(name="Arboga Al"), grade=6)
        by_company = developer_client.get(reverse("interviews:interview_list"), {"sort": "company"})
        assert [i.pk for i in by_company.context["page_obj"]] == [high.pk, low.pk]
        by_grade = developer_client.get(reverse("interviews:interview_list"), {"sort": "grade"})
        assert [i.pk for i in by_grade.context["page_obj"]] == [low.pk, high.pk]

    def test_bad_filter_values_give_400_with_a_message(self, developer_client):
        response = developer_client.get(
            reverse("interviews:interview_list"), {"grade": "9", "date_from": "igår"}
        )
        assert response.status_code == 400
        assert "Formuläret innehåller fel" in response.content.decode()

    def test_bad_page_number_falls_back_to_a_page(self, developer_client):
        InterviewFactory()
        assert (
            developer_client.get(reverse("interviews:interview_list"), {"page": "x"}).status_code
            == 200
        )

    def test_query_count_does_not_grow_with_the_page_size(
        self, developer_client, developer, django_assert_max_num_queries
    ):
        def make(count):
            for _ in range(count):
                interview = InterviewFactory(interviewers=[developer])
                FindingFactory(interview=interview)
                FollowUpFactory(interview=interview, owner=developer)

        make(2)
        with django_assert_max_num_queries(30) as small:
            developer_client.get(reverse("interviews:interview_list"))
        make(23)
        with django_assert_max_num_queries(30) as large:
            response = developer_client.get(reverse("interviews:interview_list"))
        assert len(response.context["page_obj"]) == 25
        assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["facilitator_client", "council_client"])
def test_facilitators_and_council_get_403_on_interview_pages(request, fixture, developer):
    client = request.getfixturevalue(fixture)
    interview = InterviewFactory(interviewers=[developer])
    follow_up = FollowUpFactory(interview=interview)
    for url in [
        reverse("interviews:interview_list"),
        reverse("interviews:interview_create"),
        reverse("interviews:interview_detail", args=[interview.pk]),
        reverse("interviews:interview_update", args=[interview.pk]),
        reverse("interviews:followup_list"),
        reverse("interviews:followup_create", args=[interview.pk]),
        reverse("interviews:followup_update", args=[follow_up.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert FollowUp.objects.count() == 1


@pytest.mark.django_db
def test_unknown_interview_gives_404(developer_client):
    for name in ("interview_detail", "interview_update", "followup_create"):
        assert developer_client.get(reverse(f"interviews:{name}", args=[424242])).status_code == 404


@pytest.mark.django_db
def test_a_later_page_keeps_the_filters_and_sort_in_its_links(developer_client):
    from interviews.views.interviews import PAGE_SIZE

    area = PriorityArea.objects.get(slug="upphandling")
    matching = [FindingFactory(area=area).interview for _ in range(PAGE_SIZE + 2)]
    FindingFactory(area=PriorityArea.objects.get(slug="kompetensforsorjning"))
    url = reverse("interviews:interview_list")
    query = {"area": area.pk, "sort": "-grade", "page": 2}
    response = developer_client.get(url, query)
    assert len(response.context["page_obj"]) == 2
    assert response.context["page_obj"].paginator.count == len(matching)
    body = response.content.decode()
    assert f'href="?area={area.pk}&amp;sort=-grade&amp;page=1"' in body
    # Together the two pages hold every match once, in the chosen order.
    first = developer_client.get(url, {**query, "page": 1}).context["page_obj"]
    shown = [*first, *response.context["page_obj"]]
    assert sorted(i.pk for i in shown) == sorted(i.pk for i in matching)
    assert [i.grade for i in shown] == sorted((i.grade for i in matching), reverse=True)


@pytest.mark.django_db
def test_the_page_counts_flags_and_findings_of_its_own_rows_only(developer_client, developer):
    """The counts and prefetches are not part of the query that skips rows (OFFSET): at scale
    the database would compute them for every skipped interview."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interviews.views.interviews import PAGE_SIZE

    for _ in range(PAGE_SIZE + 2):
        interview = InterviewFactory(interviewers=[developer])
        FindingFactory(interview=interview)
        FollowUpFactory(interview=interview, flag="rod", status="oppen")
    with CaptureQueriesContext(connection) as captured:
        response = developer_client.get(reverse("interviews:interview_list"), {"page": 2})
    skipping = [q["sql"] for q in captured.captured_queries if "OFFSET" in q["sql"].upper()]
    assert skipping, "the page is read with LIMIT/OFFSET"
    assert not any("interviews_followup" in sql or "interviews_finding" in sql for sql in skipping)
    rows = list(response.context["page_obj"])
    assert len(rows) == 2
    assert [(row.finding_count, row.open_red_flags) for row in rows] == [(1, 1), (1, 1)]
    assert [len(row.area_numbers) for row in rows] == [1, 1]


@pytest.mark.django_db
def test_interviewer_filter_lists_an_interview_with_two_interviewers_once(developer_client):
    from smeportal.accounts.roles import Role

    first, second = UserFactory(role=Role.DEVELOPER), UserFactory(role=Role.DEVELOPER)
    shared = InterviewFactory(interviewers=[first, second])
    InterviewFactory(interviewers=[second])
    response = developer_client.get(reverse("interviews:interview_list"), {"interviewer": first.pk})
    assert [i.pk for i in response.context["page_obj"]] == [shared.pk]


@pytest.mark.django_db
def test_the_company_step_lists_a_bounded_number_of_matches(developer_client):
    from interviews.views.interviews import PICK_LIMIT

    url = reverse("interviews:interview_create")
    for number in range(PICK_LIMIT + 1):
        CompanyFactory(name=f"Verkstad {number:03} AB")
    wanted = CompanyFactory(name="Kjula Snickeri AB")
    everyone = developer_client.get(url)
    assert len(everyone.context["companies"]) == PICK_LIMIT
    assert "Fler företag matchar än de 50 som visas" in everyone.content.decode()
    found = developer_client.get(url, {"q": "snickeri"})
    assert list(found.context["companies"]) == [wanted]
    assert f'href="?company={wanted.pk}"' in found.content.decode()
    assert not found.context["more_companies"]
    chosen = developer_client.get(url, {"company": wanted.pk})
    assert chosen.status_code == 200 and "Kjula Snickeri AB" in chosen.content.decode()


@pytest.mark.django_db
def test_the_company_step_costs_the_same_queries_for_3_and_30_companies(developer_client):
    from tests.querycounts import page_queries

    url = reverse("interviews:interview_create")
    CompanyFactory.create_batch(3)
    _response, few = page_queries(developer_client, url)
    CompanyFactory.create_batch(27)
    _response, many = page_queries(developer_client, url)
    assert many == few


@pytest.mark.django_db
def test_interview_page_costs_the_same_queries_for_1_and_6_findings(developer_client, developer):
    """Each finding's proposal is answered by an activity of a plan of its own: the progress of
    activities in six plans costs what one plan's does."""
    from tests.factories import ActivityFactory, ProposalFactory
    from tests.querycounts import page_queries

    interview = InterviewFactory(interviewers=[developer])
    interview.interviewees.add(ContactFactory(company=interview.company))

    def add(count):
        for _ in range(count):
            finding = FindingFactory(interview=interview, quote="Ett citat")
            proposal = ProposalFactory()
            proposal.evidence.add(finding)
            ActivityFactory().proposals.add(proposal)
            FollowUpFactory(interview=interview, owner=UserFactory())

    url = reverse("interviews:interview_detail", args=[interview.pk])
    add(1)
    _response, few = page_queries(developer_client, url)
    add(5)
    response, many = page_queries(developer_client, url)
    assert len(response.context["findings"]) == 6
    assert many == few


@pytest.mark.django_db
def test_a_filter_matching_more_than_the_cap_says_so_and_pages_within_it(
    developer_client, monkeypatch
):
    from interviews.views import interviews as views

    monkeypatch.setattr(views, "FILTERED_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    area = PriorityArea.objects.get(slug="upphandling")
    for _ in range(5):
        FindingFactory(area=area)
    url = reverse("interviews:interview_list")
    response = developer_client.get(url, {"area": area.pk})
    paginator = response.context["page_obj"].paginator
    assert paginator.is_capped and paginator.count == 3 and paginator.num_pages == 2
    assert "Fler än 3 intervjuer matchar" in response.content.decode()
    # The whole list is counted exactly, however long.
    unfiltered = developer_client.get(url)
    assert unfiltered.context["page_obj"].paginator.count == 5
    assert "5 intervjuer matchar" in unfiltered.content.decode()
    # Within the cap, the exact count.
    monkeypatch.setattr(views, "FILTERED_CAP", 10)
    response = developer_client.get(url, {"area": area.pk})
    assert not response.context["page_obj"].paginator.is_capped
    assert "5 intervjuer matchar" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{}, {"area": "upphandling"}, {"q": "bygglov"}, {"interviewer": "me"}, {"page": "2"}],
    ids=["all", "area", "search", "interviewer", "page 2"],
)
def test_the_list_costs_the_same_queries_for_a_few_and_many_interviews(
    developer_client, developer, monkeypatch, query
):
    from interviews.views import interviews as views
    from tests.querycounts import page_queries

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    area = PriorityArea.objects.get(slug="upphandling")
    colleague = UserFactory()
    query = {
        key: {"upphandling": area.pk, "me": developer.pk}.get(value, value)
        for key, value in query.items()
    }

    def add(count):
        for _ in range(count):
            interview = InterviewFactory(interviewers=[developer, colleague])
            FindingFactory(interview=interview, area=area, text="Bygglov dröjer")
            FindingFactory(interview=interview)
            FollowUpFactory(interview=interview, owner=developer, flag="gul", status="oppen")

    url = reverse("interviews:interview_list")
    add(4)
    _response, few = page_queries(developer_client, url, query)
    add(8)
    response, many = page_queries(developer_client, url, query)
    assert len(response.context["page_obj"]) == 3
    assert many == few


@pytest.mark.django_db
def test_the_edit_page_costs_the_same_queries_for_1_and_8_findings(developer_client, developer):
    from tests.querycounts import page_queries

    interview = InterviewFactory(interviewers=[developer])
    url = reverse("interviews:interview_update", args=[interview.pk])
    FindingFactory(interview=interview)
    _response, few = page_queries(developer_client, url)
    for _ in range(7):
        FindingFactory(interview=interview)
    response, many = page_queries(developer_client, url)
    assert len(response.context["formset"].forms) == 8 + 2
    assert many == few


@pytest.mark.django_db
def test_interview_page_shows_what_happened_next_through_merges(developer_client, developer):
    """Under each finding, its proposals and the activities that answer them: a merged
    proposal's are its survivor's, a proposal behind two findings shows them under both, and
    the activities come by due date."""
    import datetime

    from tests.factories import ActivityFactory, ProposalFactory

    interview = InterviewFactory(interviewers=[developer])
    first = FindingFactory(interview=interview, text="Första synpunkten")
    second = FindingFactory(interview=interview, text="Andra synpunkten")
    survivor = ProposalFactory(title="Överlevande förslag")
    merged = ProposalFactory(title="Sammanslaget förslag", status="sammanslagen")
    merged.merged_into = survivor
    merged.save()
    shared = ProposalFactory(title="Delat förslag")
    merged.evidence.add(first)
    shared.evidence.add(first, second)
    ActivityFactory(title="Senare aktivitet", due_date=datetime.date(2028, 1, 1)).proposals.add(
        survivor, shared
    )
    ActivityFactory(title="Tidigare aktivitet", due_date=datetime.date(2027, 1, 1)).proposals.add(
        shared
    )
    response = developer_client.get(reverse("interviews:interview_detail", args=[interview.pk]))
    findings = {finding.pk: finding for finding in response.context["findings"]}

    def next_titles(finding, proposal):
        (shown,) = [p for p in findings[finding.pk].proposals if p.pk == proposal.pk]
        return [activity.title for activity in shown.next_activities]

    assert next_titles(first, merged) == ["Senare aktivitet"]
    assert next_titles(first, shared) == ["Tidigare aktivitet", "Senare aktivitet"]
    assert next_titles(second, shared) == ["Tidigare aktivitet", "Senare aktivitet"]
    body = response.content.decode()
    assert body.count("Tidigare aktivitet") == 2 and body.count("Senare aktivitet") == 3


@pytest.mark.django_db
def test_a_done_interview_needs_a_finding_and_a_date_that_has_come(developer_client, developer):
    """The form's rules are the import's (interviews.models.validate_findings_for_status, the
    date field's validate_past_date): a clear message in Swedish, a 400 and nothing saved."""
    import datetime

    company = CompanyFactory()
    url = reverse("interviews:interview_create")
    response = developer_client.post(url, interview_post(company, developer))
    assert response.status_code == 400
    assert "En intervju som är klar behöver minst en synpunkt" in response.content.decode()
    next_year = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    response = developer_client.post(
        url,
        interview_post(
            company, developer, date=next_year, findings=[finding_data("upphandling", "Svårt")]
        ),
    )
    assert response.status_code == 400
    assert "Datumet ligger i framtiden" in response.content.decode()
    assert not Interview.objects.exists()
    response = developer_client.post(url, interview_post(company, developer, status="utkast"))
    assert response.status_code == 302
    assert Interview.objects.get().status == "utkast"


@pytest.mark.django_db
def test_removing_the_last_finding_of_a_done_interview_is_refused(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer], status="klar")
    only = FindingFactory(interview=interview, text="Den enda synpunkten")
    data = interview_post(interview.company, developer, version=interview.version)
    data.update(
        {
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "1",
            "findings-0-id": str(only.pk),
            "findings-0-area": str(only.area_id),
            "findings-0-type": only.type,
            "findings-0-text": only.text,
            "findings-0-importance": str(only.importance),
            "findings-0-DELETE": "on",
        }
    )
    response = developer_client.post(
        reverse("interviews:interview_update", args=[interview.pk]), data
    )
    assert response.status_code == 400
    assert "minst en synpunkt" in response.content.decode()
    only.refresh_from_db()
    assert not only.is_archived  # nothing half-written
    version = interview.version
    interview.refresh_from_db()
    assert interview.version == version


@pytest.mark.django_db
def test_sort_labels_are_in_the_readers_language(developer_client):
    """Not "Datum (descending)": django-filter's own text has no Swedish, and was fixed at start."""
    url = reverse("interviews:interview_list")
    swedish = developer_client.get(url).content.decode()
    assert "Datum (fallande)" in swedish and "descending" not in swedish
    developer_client.cookies["django_language"] = "en"
    english = developer_client.get(url).content.decode()
    assert "Date (descending)" in english and "fallande" not in english

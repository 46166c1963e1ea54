from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews.models import Company
from interviews.postcodes import normalise_postal_code, validate_postal_code
from interviews.views.companies import INTERVIEWS_PAGE_SIZE
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    UserFactory,
)
from tests.querycounts import page_queries
from tests.reports.test_pdf import swedish

COMPANY_DATA = {
    "name": "Kjula Snickeri AB",
    "organisation_number": "556036-0793",
    "industry": "F",
    "size_class": "1-9",
    "district": "vaster",
    "website": "",
    "notes": "",
}


@pytest.mark.django_db
def test_developer_creates_a_company(developer_client):
    response = developer_client.post(reverse("interviews:company_create"), COMPANY_DATA)
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:company_detail", args=[company.pk])
    assert company.organisation_number == "556036-0793"


@pytest.mark.django_db
def test_creating_a_known_company_shows_the_existing_one(developer_client):
    existing = CompanyFactory(organisation_number="556036-0793", name="Kjula Snickeri AB")
    response = developer_client.post(
        reverse("interviews:company_create"),
        {**COMPANY_DATA, "organisation_number": "5560360793", "name": "Annat namn"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "interviews:company_detail", args=[existing.pk]
    )
    assert "finns redan i portalen" in response.content.decode()
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_invalid_organisation_number_gives_a_form_error(developer_client):
    response = developer_client.post(
        reverse("interviews:company_create"), {**COMPANY_DATA, "organisation_number": "556036-0794"}
    )
    assert response.status_code == 400
    assert "kontrollsiffran" in response.content.decode()
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_company_page_shows_contacts_interviews_follow_ups_and_recent_notice(
    developer_client, developer
):
    company = CompanyFactory()
    contact = ContactFactory(company=company, name="Karin Lund")
    today = timezone.localdate()
    older = InterviewFactory(company=company, date=today - timedelta(days=400))
    recent = InterviewFactory(
        company=company, date=today - timedelta(days=30), interviewers=[developer]
    )
    FollowUpFactory(interview=recent, title="Boka möte om bygglov", owner=developer, status="oppen")
    body = developer_client.get(reverse("interviews:company_detail", args=[company.pk])).content
    body = body.decode()
    assert contact.name in body
    assert body.index(f"{recent.date:%Y-%m-%d}") < body.index(f"{older.date:%Y-%m-%d}")
    assert "Boka möte om bygglov" in body
    assert "mindre än sex månader sedan" in body


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["1", "2"])
def test_recent_notice_names_the_interviewers_on_every_page(developer_client, page):
    """Page 1 reads the notice from its first row, later pages ask the database: both say
    the same, with each interviewer once, by name (a user without one by username)."""
    company = CompanyFactory()
    today = timezone.localdate()
    InterviewFactory.create_batch(
        INTERVIEWS_PAGE_SIZE, company=company, date=today - timedelta(days=400)
    )
    named = UserFactory(first_name="Åsa", last_name="Berg")
    unnamed = UserFactory(username="anonym", first_name="", last_name="")
    InterviewFactory(
        company=company, date=today - timedelta(days=30), interviewers=[unnamed, named]
    )
    url = reverse("interviews:company_detail", args=[company.pk])
    body = developer_client.get(url, {"page": page}).content.decode()
    expected = (
        f"Företaget intervjuades {today - timedelta(days=30):%Y-%m-%d} av anonym, Åsa Berg, för"
    )
    assert expected in body


@pytest.mark.django_db
def test_new_interview_form_names_who_visited_lately(developer_client):
    company = CompanyFactory()
    visitor = UserFactory(first_name="Åsa", last_name="Berg")
    recent = InterviewFactory(
        company=company, date=timezone.localdate() - timedelta(days=3), interviewers=[visitor]
    )
    body = developer_client.get(
        reverse("interviews:interview_create"), {"company": company.pk}
    ).content.decode()
    assert f"Företaget intervjuades {recent.date:%Y-%m-%d} av Åsa Berg, för mindre" in body


@pytest.mark.django_db
def test_no_recent_notice_for_an_old_interview(developer_client):
    company = CompanyFactory()
    InterviewFactory(company=company, date=timezone.localdate() - timedelta(days=200))
    body = developer_client.get(reverse("interviews:company_detail", args=[company.pk]))
    assert "mindre än sex månader sedan" not in body.content.decode()


@pytest.mark.django_db
def test_company_history_records_who_changed_what(developer_client, developer):
    developer_client.post(reverse("interviews:company_create"), COMPANY_DATA)
    company = Company.objects.get()
    developer_client.post(
        reverse("interviews:company_update", args=[company.pk]),
        {**COMPANY_DATA, "size_class": "10-49"},
    )
    history_url = reverse("interviews:company_history", args=[company.pk])
    detail = developer_client.get(reverse("interviews:company_detail", args=[company.pk]))
    assert history_url in detail.content.decode()
    body = developer_client.get(history_url).content.decode()
    assert "Historik" in body
    assert "1–9 anställda → 10–49 anställda" in body
    assert str(developer) in body


@pytest.mark.django_db
def test_contacts_are_added_and_edited(developer_client):
    company = CompanyFactory()
    response = developer_client.post(
        reverse("interviews:contact_create", args=[company.pk]),
        {"name": "Per Berg", "role": "VD", "email": "per@example.se", "phone": "016-123 45"},
    )
    assert response.status_code == 302
    contact = company.contacts.get()
    developer_client.post(
        reverse("interviews:contact_update", args=[contact.pk]),
        {"name": "Per Berg", "role": "Ägare", "email": "", "phone": ""},
    )
    contact.refresh_from_db()
    assert contact.role == "Ägare"


@pytest.mark.django_db
def test_bad_contact_email_gives_a_form_error(developer_client):
    company = CompanyFactory()
    response = developer_client.post(
        reverse("interviews:contact_create", args=[company.pk]),
        {"name": "Per", "email": "inte-en-adress"},
    )
    assert response.status_code == 400
    assert not company.contacts.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["facilitator_client", "council_client"])
def test_facilitators_and_council_get_403_on_company_pages(request, fixture):
    client = request.getfixturevalue(fixture)
    contact = ContactFactory()
    urls = [
        reverse("interviews:company_list"),
        reverse("interviews:company_create"),
        reverse("interviews:company_detail", args=[contact.company_id]),
        reverse("interviews:company_update", args=[contact.company_id]),
        reverse("interviews:contact_create", args=[contact.company_id]),
        reverse("interviews:contact_update", args=[contact.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, COMPANY_DATA).status_code == 403, url
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_unknown_company_gives_404(developer_client):
    assert (
        developer_client.get(reverse("interviews:company_detail", args=[999999])).status_code == 404
    )
    assert developer_client.get("/foretag/abc/").status_code == 404


@pytest.mark.django_db
def test_company_list_sorts_in_swedish_order(developer_client):
    for name in ["Östra Bygg AB", "Zeta AB", "Ängens Gård", "Åby Mekaniska", "Alfa AB"]:
        CompanyFactory(name=name)
    body = developer_client.get(reverse("interviews:company_list")).content.decode()
    positions = [
        body.index(name)
        for name in ["Alfa AB", "Zeta AB", "Åby Mekaniska", "Ängens Gård", "Östra Bygg AB"]
    ]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_company_list_costs_the_same_queries_for_3_and_30_and_counts_interviews(
    developer_client,
):
    url = reverse("interviews:company_list")

    def make(count):
        for _ in range(count):
            company = CompanyFactory()
            InterviewFactory(company=company, date=timezone.localdate() - timedelta(days=9))
            InterviewFactory(company=company, date=timezone.localdate() - timedelta(days=2))

    make(3)
    _response, few = page_queries(developer_client, url)
    make(27)
    CompanyFactory(name="Aaa Aldrig Intervjuad AB")
    response, many = page_queries(developer_client, url)
    assert many == few
    rows = list(response.context["page_obj"])
    assert len(rows) == 31
    assert (rows[0].name, rows[0].interview_count, rows[0].last_interview) == (
        "Aaa Aldrig Intervjuad AB",
        0,
        None,
    )
    assert {(row.interview_count, row.last_interview) for row in rows[1:]} == {
        (2, timezone.localdate() - timedelta(days=2))
    }


@pytest.mark.django_db
def test_company_list_pages_keep_the_search_and_a_stable_order(developer_client):
    from interviews.views.companies import PAGE_SIZE

    # The same name many times: the id decides, so no company is shown twice or skipped.
    same = [CompanyFactory(name="Likadant AB") for _ in range(PAGE_SIZE + 3)]
    url = reverse("interviews:company_list")
    first = developer_client.get(url, {"q": "Likadant"})
    second = developer_client.get(url, {"q": "Likadant", "page": 2})
    shown = [c.pk for c in first.context["page_obj"]] + [c.pk for c in second.context["page_obj"]]
    assert shown == [c.pk for c in same]
    assert 'href="?q=Likadant&amp;page=2"' in first.content.decode()


@pytest.mark.django_db
def test_company_page_lists_its_interviews_a_page_at_a_time(developer_client):
    from interviews.views.companies import INTERVIEWS_PAGE_SIZE

    company = CompanyFactory()
    today = timezone.localdate()
    interviews = [
        InterviewFactory(company=company, date=today - timedelta(days=days)) for days in (1, 2, 3)
    ]
    url = reverse("interviews:company_detail", args=[company.pk])
    _response, few = page_queries(developer_client, url)
    interviews += [
        InterviewFactory(company=company, date=today - timedelta(days=days))
        for days in range(4, INTERVIEWS_PAGE_SIZE + 4)
    ]
    _response, many_first = page_queries(developer_client, url)
    response, many = page_queries(developer_client, url, {"page": 2})
    assert [i.pk for i in response.context["page_obj"]] == [i.pk for i in interviews[-3:]]
    body = response.content.decode()
    assert f"{INTERVIEWS_PAGE_SIZE + 3} intervjuer" in body
    assert 'aria-label="Sidor med intervjuer"' in body
    assert 'href="?page=1"' in body
    assert many_first == few
    # Past the first page, the "visited lately" notice cannot read the newest interview's row.
    assert many == few + 1


@pytest.mark.django_db
def test_company_page_costs_the_same_queries_for_1_and_5_open_follow_ups(developer_client):
    company = CompanyFactory()
    interview = InterviewFactory(company=company, date=timezone.localdate() - timedelta(days=400))
    FollowUpFactory(interview=interview, status="oppen")
    url = reverse("interviews:company_detail", args=[company.pk])
    _response, few = page_queries(developer_client, url)
    for _ in range(4):
        FollowUpFactory(interview=interview, status="oppen")
    _response, many = page_queries(developer_client, url)
    assert many == few


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["556036-0793", "5560360793", "556036 0793", " 5560360793 ", "5560360", "556036"]
)
def test_an_organisation_number_is_found_however_it_is_typed(developer_client, query):
    """As the form accepts it (interviews.orgnumbers): with or without the dash or a space."""
    CompanyFactory(organisation_number="556036-0793", name="Kjula Snickeri AB")
    CompanyFactory(organisation_number="556703-7485", name="Annat AB")
    body = developer_client.get(reverse("interviews:company_list"), {"q": query}).content.decode()
    assert "Kjula Snickeri AB" in body and "Annat AB" not in body


@pytest.mark.django_db
def test_a_sole_traders_personal_identity_number_is_found_with_its_century(developer_client):
    CompanyFactory(organisation_number="811218-9876", name="Eriks Åkeri", is_personal_data=True)
    for query in ("198112189876", "19811218-9876", "8112189876"):
        body = developer_client.get(
            reverse("interviews:company_list"), {"q": query}
        ).content.decode()
        assert "Eriks Åkeri" in body, query


# --- The postal address, for letters by post ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["63220", "632 20", " 632 20 ", "632  20"])
def test_the_postcode_is_stored_as_the_post_writes_it(developer_client, typed):
    response = developer_client.post(
        reverse("interviews:company_create"),
        {
            **COMPANY_DATA,
            "postal_address": "Kungsgatan 5",
            "postal_code": typed,
            "postal_town": "Eskilstuna",
        },
    )
    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.postal_address, company.postal_code, company.postal_town) == (
        "Kungsgatan 5",
        "632 20",
        "Eskilstuna",
    )
    assert company.has_postal_address
    body = developer_client.get(response["Location"]).content.decode()
    assert "Kungsgatan 5<br>632 20 Eskilstuna" in body


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["6322", "632201", "032 20", "abcde", "632-20", "６３２２０"])
def test_a_bad_postcode_is_refused_with_the_form_shown_again(developer_client, typed):
    company = CompanyFactory(name="Kjula Snickeri AB")
    url = reverse("interviews:company_update", args=[company.pk])
    response = developer_client.post(
        url,
        {
            **COMPANY_DATA,
            "organisation_number": company.organisation_number,
            "postal_code": typed,
        },
    )
    assert response.status_code == 400  # the form with its error, not a server error
    message = swedish("“%(value)s” is not a Swedish postcode. Write five digits, e.g. 632 20.")
    assert response.context["form"].errors["postal_code"] == [message % {"value": typed}]
    assert "Kjula Snickeri AB" in response.content.decode()
    company.refresh_from_db()
    assert company.postal_code == ""


def test_postcodes_are_normalised_and_validated():
    assert normalise_postal_code("63220") == "632 20"
    assert normalise_postal_code("") == ""
    validate_postal_code("632 20")
    for bad in ("63220", "632 2", "000 00", "632 20 "):
        with pytest.raises(ValidationError):
            validate_postal_code(bad)


@pytest.mark.django_db
def test_a_sole_traders_address_is_marked_personal_data_and_kept_from_other_roles(
    developer_client, council_client, facilitator_client
):
    """A sole trader's address is the owner's: the company page marks it as personal data, and
    only roles that may see companies (interviews.view) reach a page that shows it."""
    sole_trader = CompanyFactory(
        organisation_number="811218-9876",
        name="Eriks Åkeri",
        is_personal_data=True,
        postal_address="Hemvägen 3",
        postal_code="635 10",
        postal_town="Eskilstuna",
    )
    url = reverse("interviews:company_detail", args=[sole_trader.pk])
    body = developer_client.get(url).content.decode()
    address = body[body.index("Hemvägen 3") :]
    assert address.index(swedish("Sole trader – personal data")) < address.index("</dd>")
    for client in (council_client, facilitator_client):
        for page in (url, reverse("interviews:company_update", args=[sole_trader.pk])):
            response = client.get(page)
            assert response.status_code == 403 and "Hemvägen" not in response.content.decode()


@pytest.mark.django_db
def test_a_company_without_an_address_links_to_adding_it(developer_client):
    company = CompanyFactory(postal_address="Kungsgatan 5", postal_code="632 20")
    body = developer_client.get(
        reverse("interviews:company_detail", args=[company.pk])
    ).content.decode()
    assert not company.has_postal_address  # no town
    assert reverse("interviews:company_update", args=[company.pk]) in body


@pytest.mark.django_db
def test_the_contact_form_records_the_language_for_letters(developer_client):
    company = CompanyFactory()
    url = reverse("interviews:contact_create", args=[company.pk])
    page = developer_client.get(url).content.decode()
    assert 'name="language"' in page
    fields = {"name": "John Smith", "role": "CEO", "email": "john@example.invalid", "phone": ""}
    assert developer_client.post(url, {**fields, "language": "en"}).status_code == 302
    contact = company.contacts.get()
    assert contact.language == "en"
    # Posted without it (an older form), the contact keeps the language it has.
    update = reverse("interviews:contact_update", args=[contact.pk])
    assert developer_client.post(update, fields).status_code == 302
    contact.refresh_from_db()
    assert contact.language == "en"
    assert developer_client.post(update, {**fields, "language": "fr"}).status_code == 400

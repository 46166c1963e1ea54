"""The import's contact person columns (issue 14): the person interviewed becomes the
interview's interviewee, matched by name to the company's contacts or added, and their
agreement to hear about the results is recorded with the date and who recorded it."""

from __future__ import annotations

import io
import math
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from interviews import imports
from interviews.imports import (
    ENGLISH_HEADERS,
    IMPORT_HEADERS,
    REQUIRED_HEADERS,
    import_template_workbook,
    interview_import_commit,
    parse_interview_workbook,
)
from interviews.models import Company, Contact, Finding, Interview
from interviews.services import NewInterview, interviews_create_many
from smeportal.areas.models import PriorityArea
from tests.factories import CompanyFactory, ContactFactory, UserFactory, _valid_orgnr
from tests.interviews.test_imports import ORGNR, problem_cells, row, workbook_file
from tests.interviews.test_interviews_create_many import _new_company

NOW = "2026-05-20 10:00"
TODAY = date(2026, 5, 20)
CONTACT_COLUMNS = {
    imports.CONTACT_NAME: "Anna Berg",
    imports.CONTACT_ROLE: "VD",
    imports.CONTACT_EMAIL: "anna.berg@example.invalid",
    imports.RESULTS_CONSENT: "Ja",
}
NO_CONTACT = dict.fromkeys(CONTACT_COLUMNS)


def contact_row(**values) -> dict:
    """A complete interview with one finding and its contact person, who agrees."""
    return row(**{**CONTACT_COLUMNS, **values})


def preview_of(rows, headers=IMPORT_HEADERS):
    return parse_interview_workbook(workbook_file(rows, headers=headers))


def commit(rows, user, **kwargs):
    preview = preview_of(rows, **kwargs)
    assert preview.problems == [], preview.problems
    return interview_import_commit(preview=preview, user=user)


def contact_records(contact: Contact) -> list[tuple[str, int | None]]:
    return [
        (record.history_type, record.history_user_id)
        for record in Contact.history.filter(id=contact.pk).order_by("history_id")
    ]


def interviewee_records(interview: Interview) -> list[tuple[int, int]]:
    """The interviewees held by each of the interview's history records."""
    linked = Interview.history.model.interviewees.model
    return [
        (link.interview_id, link.contact_id)
        for link in linked.objects.filter(history__id=interview.pk)
    ]


# --- A new contact --------------------------------------------------------------------------


@pytest.mark.django_db
@freeze_time(NOW)
def test_a_new_contact_becomes_the_interviewee_with_the_agreement(developer):
    rows = [contact_row(), contact_row(**{imports.TEXT: "Bra dialog."})]
    preview = preview_of(rows)

    assert preview.problems == [] and preview.warnings == []
    assert (
        preview.new_contact_count,
        preview.existing_contact_count,
        preview.results_consent_count,
    ) == (1, 0, 1)
    assert not Contact.objects.exists()  # the preview writes nothing

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.contacts_created, result.results_consents_recorded) == (1, 1)
    interview = Interview.objects.get()
    contact = Contact.objects.get()
    assert (contact.name, contact.role, contact.email) == (
        "Anna Berg",
        "VD",
        "anna.berg@example.invalid",
    )
    assert contact.company == interview.company
    assert (contact.results_consent_on, contact.results_consent_by) == (TODAY, developer)
    assert list(interview.interviewees.all()) == [contact]
    # The audit trail: the contact's "created" record names the importer and holds the
    # agreement; the interview's one record holds its interviewee.
    assert contact_records(contact) == [("+", developer.pk)]
    assert Contact.history.get(id=contact.pk).results_consent_on == TODAY
    [record] = Interview.history.filter(id=interview.pk)
    assert interviewee_records(interview) == [(interview.pk, contact.pk)]
    assert record.history_type == "+"


@pytest.mark.django_db
@freeze_time(NOW)
def test_an_english_file_with_a_contact_imports(developer):
    english = [ENGLISH_HEADERS[header] for header in IMPORT_HEADERS]
    values = contact_row(
        **{
            imports.FORMAT: "visit",
            imports.STATUS: "done",
            imports.CONSENT: "anonymous",
            imports.TYPE: "challenge",
            imports.KEY_QUOTE: "Yes",
            imports.CONFIDENTIAL: "No",
            imports.RESULTS_CONSENT: "Yes",
        }
    )
    workbook = Workbook()
    workbook.active.title = "Interviews"
    workbook.active.append(english)
    workbook.active.append([values.get(header) for header in IMPORT_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = parse_interview_workbook(SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert preview.problems == []
    interview_import_commit(preview=preview, user=developer)

    contact = Contact.objects.get()
    assert (contact.name, contact.role, contact.results_consent_on) == ("Anna Berg", "VD", TODAY)
    assert list(Interview.objects.get().interviewees.all()) == [contact]


@pytest.mark.django_db
def test_a_file_from_the_template_without_the_contact_columns_still_imports(developer):
    assert set(REQUIRED_HEADERS) == set(IMPORT_HEADERS) - set(imports.CONTACT_HEADERS)
    result = commit([row()], developer, headers=REQUIRED_HEADERS)

    assert (result.interview_count, result.contacts_created) == (1, 0)
    interview = Interview.objects.get()
    assert not interview.interviewees.exists()
    assert not Contact.objects.exists()
    assert interviewee_records(interview) == []


@pytest.mark.django_db
def test_a_file_lacking_only_some_contact_columns_imports(developer):
    headers = [h for h in IMPORT_HEADERS if h not in {imports.CONTACT_ROLE, imports.CONTACT_EMAIL}]
    commit([contact_row(**{imports.RESULTS_CONSENT: None})], developer, headers=headers)
    contact = Contact.objects.get()
    assert (contact.name, contact.role, contact.email, contact.results_consent_on) == (
        "Anna Berg",
        "",
        "",
        None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["Nej", None])
def test_no_or_empty_records_no_agreement(developer, answer):
    result = commit([contact_row(**{imports.RESULTS_CONSENT: answer})], developer)
    assert result.results_consents_recorded == 0
    contact = Contact.objects.get()
    assert (contact.results_consent_on, contact.results_consent_by) == (None, None)


# --- A contact already in the portal --------------------------------------------------------


@pytest.fixture
def company(db):
    return CompanyFactory(organisation_number=ORGNR, name="Svets & Smide AB")


@pytest.mark.django_db
@freeze_time(NOW)
def test_a_known_contact_is_matched_by_name_and_keeps_its_details(developer, company):
    known = ContactFactory(
        company=company, name="Åsa Öberg", role="Ekonomichef", email="asa@example.invalid"
    )
    other = ContactFactory(company=company, name="Bo Ek")
    rows = [
        contact_row(
            **{
                imports.CONTACT_NAME: "ASA  oberg",
                imports.CONTACT_EMAIL: "asa.oberg@foretaget.invalid",
            }
        )
    ]
    preview = preview_of(rows)

    assert preview.problems == []
    assert {(w.row, w.column) for w in preview.warnings} == {
        (2, imports.CONTACT_ROLE),
        (2, imports.CONTACT_EMAIL),
    }
    messages = " ".join(w.message for w in preview.warnings)
    assert "Ekonomichef" in messages and "asa@example.invalid" in messages
    assert (
        preview.new_contact_count,
        preview.existing_contact_count,
        preview.results_consent_count,
    ) == (0, 1, 1)

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.contacts_created, result.results_consents_recorded) == (0, 1)
    assert Contact.objects.count() == 2
    known.refresh_from_db()
    assert (known.name, known.role, known.email) == (
        "Åsa Öberg",
        "Ekonomichef",
        "asa@example.invalid",
    )
    assert (known.results_consent_on, known.results_consent_by) == (TODAY, developer)
    interview = Interview.objects.get()
    assert list(interview.interviewees.all()) == [known]
    # The agreement is a change in the contact's history, by the importer.
    assert contact_records(known) == [("+", None), ("~", developer.pk)]
    latest = Contact.history.filter(id=known.pk).order_by("history_id").last()
    assert (latest.results_consent_on, latest.results_consent_by_id) == (TODAY, developer.pk)
    assert contact_records(other) == [("+", None)]
    assert interviewee_records(interview) == [(interview.pk, known.pk)]


@pytest.mark.django_db
@freeze_time(NOW)
def test_an_empty_role_or_email_of_a_known_contact_is_filled_in(developer, company):
    known = ContactFactory(company=company, name="Anna Berg", role="", email="")
    preview = preview_of([contact_row()])

    assert preview.problems == []  # the file's address is enough for the agreement
    assert {(w.row, w.column) for w in preview.warnings} == {
        (2, imports.CONTACT_ROLE),
        (2, imports.CONTACT_EMAIL),
    }
    interview_import_commit(preview=preview, user=developer)

    known.refresh_from_db()
    assert (known.role, known.email) == ("VD", "anna.berg@example.invalid")
    assert (known.results_consent_on, known.results_consent_by) == (TODAY, developer)
    latest = Contact.history.filter(id=known.pk).order_by("history_id").last()
    assert (latest.history_type, latest.email, latest.history_user_id) == (
        "~",
        "anna.berg@example.invalid",
        developer.pk,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["Ja", "Nej", None])
def test_a_contact_who_agreed_already_is_left_as_it_is(developer, company, answer):
    colleague = UserFactory()
    known = ContactFactory(
        company=company,
        name="Anna Berg",
        role="VD",
        email="anna.berg@example.invalid",
        results_consent_on=date(2025, 1, 2),
        results_consent_by=colleague,
    )
    preview = preview_of([contact_row(**{imports.RESULTS_CONSENT: answer})])
    assert preview.warnings == []
    assert preview.results_consent_count == 0

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.contacts_created, result.results_consents_recorded) == (0, 0)
    known.refresh_from_db()
    assert (known.results_consent_on, known.results_consent_by) == (date(2025, 1, 2), colleague)
    assert contact_records(known) == [("+", None)]  # nothing changed, nothing recorded
    assert list(Interview.objects.get().interviewees.all()) == [known]


@pytest.mark.django_db
def test_a_known_contact_with_an_address_needs_none_in_the_file(developer, company):
    known = ContactFactory(company=company, name="Anna Berg", email="anna@example.invalid")
    result = commit([contact_row(**{imports.CONTACT_EMAIL: None})], developer)
    assert result.results_consents_recorded == 1
    known.refresh_from_db()
    assert known.email == "anna@example.invalid" and known.results_consent_on is not None


# --- Problems ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_agreement_without_a_contact_person_is_refused():
    preview = preview_of([row(**{**NO_CONTACT, imports.RESULTS_CONSENT: "Ja"})])
    assert problem_cells(preview) == {(2, imports.RESULTS_CONSENT)}
    assert "”Kontaktperson”" in preview.problems[0].message  # Swedish quotation marks
    assert not preview.is_valid


@pytest.mark.django_db
@pytest.mark.parametrize("column", [imports.CONTACT_ROLE, imports.CONTACT_EMAIL])
def test_a_role_or_email_without_a_contact_person_is_refused(column):
    preview = preview_of([row(**{**NO_CONTACT, column: CONTACT_COLUMNS[column]})])
    assert problem_cells(preview) == {(2, imports.CONTACT_NAME)}
    assert not preview.is_valid


@pytest.mark.django_db
def test_an_agreement_without_an_email_address_is_refused(developer, company):
    # A new contact, and a known one without an address.
    ContactFactory(company=company, name="Bo Ek", email="")
    rows = [
        contact_row(**{imports.CONTACT_EMAIL: None}),
        contact_row(
            **{
                imports.REF: "INT-2",
                imports.DATE: "2025-03-15",
                imports.CONTACT_NAME: "Bo Ek",
                imports.CONTACT_EMAIL: None,
            }
        ),
    ]
    preview = preview_of(rows)
    assert problem_cells(preview) == {(2, imports.CONTACT_EMAIL), (3, imports.CONTACT_EMAIL)}
    with pytest.raises(ValidationError):
        interview_import_commit(preview=preview, user=developer)
    assert not Interview.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "in_message"),
    [
        (imports.CONTACT_EMAIL, "anna.berg(at)example.invalid", "anna.berg(at)example.invalid"),
        (imports.CONTACT_EMAIL, "anna@", "anna@"),
        (imports.CONTACT_NAME, "x" * 151, "150"),
        (imports.CONTACT_ROLE, "x" * 101, "100"),
        (imports.RESULTS_CONSENT, "kanske", None),
    ],
)
def test_a_bad_contact_cell_is_reported_by_row_and_column(column, value, in_message):
    preview = preview_of([contact_row(**{column: value})])
    assert problem_cells(preview) == {(2, column)}
    if in_message:
        assert in_message in preview.problems[0].message


@pytest.mark.django_db
def test_the_rows_of_one_interview_must_agree_on_the_contact():
    rows = [
        contact_row(),
        contact_row(**{imports.CONTACT_NAME: "Bo Ek", imports.TEXT: "Bra dialog."}),
        contact_row(**{imports.RESULTS_CONSENT: "Nej", imports.TEXT: "Bättre service."}),
    ]
    preview = preview_of(rows)
    assert problem_cells(preview) == {(3, imports.CONTACT_NAME), (4, imports.RESULTS_CONSENT)}
    message = preview.problems[0].message
    assert "2" in message and "INT-1" in message


@pytest.mark.django_db
def test_the_contact_may_be_given_on_any_row_of_the_interview(developer):
    rows = [row(**NO_CONTACT), contact_row(**{imports.TEXT: "Bra dialog."})]
    commit(rows, developer)
    interview = Interview.objects.get()
    assert [c.name for c in interview.interviewees.all()] == ["Anna Berg"]


# --- The same person in several interviews ------------------------------------------------------


@pytest.mark.django_db
@freeze_time(NOW)
def test_the_same_person_in_two_interviews_of_the_file_is_one_contact(developer):
    other_company = {
        imports.REF: "INT-3",
        imports.ORGANISATION_NUMBER: "5566778899",
        imports.COMPANY_NAME: "Mälarverken AB",
    }
    rows = [
        contact_row(),
        # The same person at the same company, written differently and without details.
        row(
            **{
                **NO_CONTACT,
                imports.REF: "INT-2",
                imports.DATE: "2025-04-01",
                imports.CONTACT_NAME: "anna  BERG",
            }
        ),
        # Someone of the same name at another company is another person.
        contact_row(**other_company),
    ]
    preview = preview_of(rows)
    assert preview.problems == []
    assert (preview.new_contact_count, preview.results_consent_count) == (2, 2)

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.contacts_created, result.results_consents_recorded) == (2, 2)
    anna = Contact.objects.get(company__organisation_number=ORGNR)
    assert anna.name == "Anna Berg" and anna.results_consent_on == TODAY
    interviews = Interview.objects.filter(company__organisation_number=ORGNR)
    assert [list(i.interviewees.all()) for i in interviews] == [[anna], [anna]]
    assert contact_records(anna) == [("+", developer.pk)]
    namesake = Contact.objects.get(company__organisation_number="556677-8899")
    assert namesake != anna


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [(imports.CONTACT_ROLE, "Ekonom"), (imports.CONTACT_EMAIL, "anna@annan.invalid")],
)
def test_one_person_given_different_details_in_two_interviews_is_refused(column, value):
    rows = [
        contact_row(),
        contact_row(**{imports.REF: "INT-2", imports.DATE: "2025-04-01", column: value}),
    ]
    preview = preview_of(rows)
    assert problem_cells(preview) == {(3, column)}
    assert "2" in preview.problems[0].message


# --- Changes made between the preview and the commit ----------------------------------------------


@pytest.mark.django_db
@freeze_time(NOW)
def test_a_contact_added_by_a_colleague_after_the_preview_is_used(developer, company):
    preview = preview_of([contact_row()])
    assert preview.new_contact_count == 1
    colleagues = ContactFactory(company=company, name="Anna Berg", role="", email="")

    result = interview_import_commit(preview=preview, user=developer)

    assert result.contacts_created == 0
    assert Contact.objects.get() == colleagues
    colleagues.refresh_from_db()
    assert (colleagues.role, colleagues.email) == ("VD", "anna.berg@example.invalid")
    assert (colleagues.results_consent_on, colleagues.results_consent_by) == (TODAY, developer)
    assert list(Interview.objects.get().interviewees.all()) == [colleagues]


@pytest.mark.django_db
@freeze_time(NOW)
def test_a_company_and_contact_added_after_the_preview_are_used(developer):
    preview = preview_of([contact_row()])
    assert preview.new_company_count == 1
    company = CompanyFactory(organisation_number=ORGNR)
    colleagues = ContactFactory(company=company, name="Anna Berg")

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.companies_created, result.contacts_created) == (0, 0)
    assert Contact.objects.get() == colleagues
    assert list(Interview.objects.get().interviewees.all()) == [colleagues]


@pytest.mark.django_db
def test_an_address_removed_after_the_preview_writes_nothing(developer, company):
    known = ContactFactory(company=company, name="Anna Berg", email="anna@example.invalid")
    preview = preview_of([contact_row(**{imports.CONTACT_EMAIL: None})])
    assert preview.is_valid
    Contact.objects.filter(pk=known.pk).update(email="")

    with pytest.raises(ValidationError) as refusal:
        interview_import_commit(preview=preview, user=developer)

    assert "email" in refusal.value.message_dict
    assert not Interview.objects.exists()
    known.refresh_from_db()
    assert known.results_consent_on is None


# --- The service: checks before writing, bounded queries ------------------------------------------


def _fields() -> dict:
    return {"date": date(2025, 3, 14), "status": "utkast"}


@pytest.mark.django_db
def test_an_invalid_contact_anywhere_writes_nothing(developer):
    batch = [
        NewInterview(
            company=_new_company(n),
            fields=_fields(),
            contact=Contact(name=f"Person {n}", email=f"person{n}@example.invalid"),
            results_consent=True,
        )
        for n in range(5)
    ]
    batch[-1].contact.email = "inte en adress"

    with pytest.raises(ValidationError) as refusal:
        interviews_create_many(user=developer, interviews=batch)

    assert "email" in refusal.value.message_dict
    assert (Company.objects.count(), Contact.objects.count(), Interview.objects.count()) == (
        0,
        0,
        0,
    )
    assert not Contact.history.exists()


@pytest.mark.django_db
def test_a_contact_of_another_company_is_refused(developer):
    stranger = ContactFactory()
    batch = [NewInterview(company=CompanyFactory(), fields=_fields(), contact=stranger)]
    with pytest.raises(ValidationError) as refusal:
        interviews_create_many(user=developer, interviews=batch)
    assert "interviewees" in refusal.value.message_dict
    assert not Interview.objects.exists()


@pytest.mark.django_db
@freeze_time(NOW)
def test_a_saved_contact_can_be_given_as_it_is(developer):
    company = CompanyFactory()
    contact = ContactFactory(company=company, role="", email="kim@example.invalid")
    batch = [NewInterview(company=company, fields=_fields(), contact=contact, results_consent=True)]

    result = interviews_create_many(user=developer, interviews=batch)

    assert result.results_consents_recorded == 1
    contact.refresh_from_db()
    assert (contact.results_consent_on, contact.results_consent_by) == (TODAY, developer)
    assert list(result.interviews[0].interviewees.all()) == [contact]


def _statements(model, count: int, fields=None) -> int:
    """INSERT (or, with `fields`, bulk_update) statements for `count` rows: one on Postgres,
    one per batch on SQLite."""
    if fields is None:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    else:
        fields = [model._meta.pk, model._meta.pk, *(model._meta.get_field(f) for f in fields)]
    size = max(connection.ops.bulk_batch_size(fields, [None] * count), 1)
    return math.ceil(count / size)


def _contact_file_queries(user, first: int, count: int) -> int:
    """Commit a file of `count` interviews: half with a new company and a new contact who
    agrees, half with a known company whose known contact (no address yet) agrees."""
    rows = []
    for n in range(first, first + count):
        number = _valid_orgnr(5568000000 + n * 10)
        name = f"Person {n}"
        if n % 2:
            company = CompanyFactory(organisation_number=number, name="Svets & Smide AB")
            ContactFactory(company=company, name=name, role="VD", email="")
        rows.append(
            contact_row(
                **{
                    imports.REF: f"R-{n}",
                    imports.ORGANISATION_NUMBER: number,
                    imports.CONTACT_NAME: name,
                    imports.CONTACT_EMAIL: f"person{n}@example.invalid",
                }
            )
        )
    preview = preview_of(rows)
    assert preview.is_valid, preview.problems[:3]
    with CaptureQueriesContext(connection) as captured:
        result = interview_import_commit(preview=preview, user=user)
    assert result.contacts_created == count // 2
    assert result.results_consents_recorded == count
    return len(captured)


@pytest.mark.django_db
def test_the_commit_makes_the_same_queries_for_200_contacts_as_for_4(developer):
    small = _contact_file_queries(developer, 0, 4)
    large = _contact_file_queries(developer, 1_000, 200)
    # SQLite splits an INSERT (and a bulk update) of many rows into batches; on Postgres the
    # extra is 0 and the counts are equal. History copied by INSERT ... SELECT is one statement.
    inserted = (
        (Company, 0.5),
        (Contact, 0.5),
        (Interview, 1),
        (Interview.interviewers.through, 1),
        (Interview.interviewees.through, 1),
        (Interview.history.model, 1),
        (Interview.history.model.interviewers.model, 1),
        (Interview.history.model.interviewees.model, 1),
        (Finding, 1),
    )
    extra = sum(
        _statements(model, int(200 * share)) - _statements(model, int(4 * share))
        for model, share in inserted
    )
    extra += _statements(Contact, 100, ["email"]) - _statements(Contact, 2, ["email"])
    assert large == small + extra
    assert small <= 30
    assert Contact.objects.filter(results_consent_on__isnull=False).count() == 204
    assert Contact.history.filter(history_type="~", history_user=developer).count() == 102


# --- The template and the pages -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sheets", "words"),
    [
        (
            "sv",
            ("Intervjuer", "Instruktioner"),
            ("en per intervju", "Nej eller tomt ändrar ingenting", "får saknas"),
        ),
        (
            "en",
            ("Interviews", "Instructions"),
            ("one per interview", "No or empty changes nothing", "may be left out"),
        ),
    ],
)
def test_the_template_has_the_contact_columns_and_their_instructions(language, sheets, words):
    workbook = load_workbook(io.BytesIO(import_template_workbook(language)))
    data, instructions = (workbook[sheet] for sheet in sheets)
    headers = [cell.value for cell in data[1]]
    expected = [imports.column_header(h, language) for h in imports.CONTACT_HEADERS]
    notes = headers.index(imports.column_header(imports.NOTES, language))
    assert headers[notes + 1 : notes + 5] == expected
    rows = {r[0]: r for r in instructions.iter_rows(values_only=True) if r and r[0]}
    for header in expected:
        assert rows[header][2], header  # described
    text = "\n".join(str(v) for r in instructions.iter_rows(values_only=True) for v in r if v)
    for word in words:
        assert word in text
    consent = rows[expected[3]]
    assert consent[3] == ("Ja, Nej" if language == "sv" else "Yes, No")
    assert expected[0] in consent[2]  # names the contact person's column


@pytest.mark.django_db
def test_the_preview_and_the_result_count_the_contacts(
    developer_client, developer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    developer_client.cookies["django_language"] = "en"
    company = CompanyFactory(organisation_number="556677-8899", name="Mälarverken AB")
    ContactFactory(company=company, name="Bo Ek")
    rows = [
        contact_row(),
        contact_row(
            **{
                imports.REF: "INT-2",
                imports.ORGANISATION_NUMBER: "5566778899",
                imports.COMPANY_NAME: "Mälarverken AB",
                imports.CONTACT_NAME: "Bo Ek",
                imports.CONTACT_ROLE: None,
                imports.CONTACT_EMAIL: None,
                imports.RESULTS_CONSENT: None,
            }
        ),
    ]
    upload = workbook_file(rows)
    response = developer_client.post(reverse("interviews:interview_import"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    for label, count in (
        ("New contact persons", 1),
        ("Contact persons already in the portal", 1),
        ("Agreements to hear about the results to record", 1),
    ):
        assert f'{label}</dt><dd class="col-sm-8">{count}</dd>' in body

    done = developer_client.post(response.context["confirm_url"], follow=True)
    text = " ".join(str(m) for m in done.context["messages"])
    assert "1 new contact persons; 1 agreements to hear about the results recorded." in text


@pytest.mark.django_db
def test_a_file_without_contacts_shows_no_contact_counts(developer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    developer_client.cookies["django_language"] = "en"
    response = developer_client.post(
        reverse("interviews:interview_import"), {"file": workbook_file([row()])}
    )
    assert response.status_code == 200
    assert "New contact persons" not in response.content.decode()


@pytest.mark.django_db
def test_the_area_list_is_unaffected_by_the_contact_columns():
    """The contact columns sit between the interview's and the finding's columns."""
    index = IMPORT_HEADERS.index
    assert index(imports.NOTES) < index(imports.CONTACT_NAME) < index(imports.AREA)
    assert PriorityArea.objects.exists()

"""Pages of the Excel export and import: access, refusals, preview, confirmation."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from interviews import imports
from interviews.imports import IMPORT_HEADERS
from interviews.models import Company, Finding, Interview
from smeportal.accounts.roles import Role
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    UserFactory,
    _valid_orgnr,
)

EXPORT = reverse("interviews:interview_export")
IMPORT = reverse("interviews:interview_import")
TEMPLATE = reverse("interviews:interview_import_template")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def confirm_url(token) -> str:
    return reverse("interviews:interview_import_confirm", kwargs={"token": token})


def row(ref="INT-1", **values) -> dict:
    base = {
        imports.REF: ref,
        imports.ORGANISATION_NUMBER: "556036-0793",
        imports.COMPANY_NAME: "Svets & Smide AB",
        imports.INDUSTRY: "C",
        imports.SIZE_CLASS: "10–49",
        imports.DISTRICT: "centrum",
        imports.DATE: "2025-03-14",
        imports.AREA: "kompetensforsorjning",
        imports.TYPE: "utmaning",
        imports.TEXT: "Svårt att hitta svetsare.",
    }
    base.update(values)
    return base


def xlsx_bytes(rows, headers=IMPORT_HEADERS) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Intervjuer"
    workbook.active.append(list(headers))
    for values in rows:
        workbook.active.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "import.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def counts() -> tuple[int, int, int]:
    return Company.objects.count(), Interview.objects.count(), Finding.objects.count()


def stored_files(settings) -> list[str]:
    directory = settings.MEDIA_ROOT / "imports"
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


# --- Access -------------------------------------------------------------------------------


# A fixed unknown token: the parameters are the same in every process of a parallel run.
UNKNOWN_TOKEN = uuid.UUID("00000000-0000-4000-8000-000000000000")


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["facilitator_client", "council_client"])
@pytest.mark.parametrize("url", [EXPORT, IMPORT, TEMPLATE, confirm_url(UNKNOWN_TOKEN)])
def test_facilitators_and_council_members_get_403(request, fixture, url):
    client = request.getfixturevalue(fixture)
    assert client.get(url).status_code == 403
    if url != EXPORT and url != TEMPLATE:
        assert client.post(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT, IMPORT, TEMPLATE, confirm_url(UNKNOWN_TOKEN)])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_facilitator_cannot_import_a_file(facilitator_client):
    response = upload(facilitator_client, xlsx_bytes([row()]))
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


# --- Export -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["developer_client", "admin_client"])
def test_the_export_is_an_xlsx_download_of_the_filtered_list(request, fixture):
    done = InterviewFactory(status="klar", date=date(2025, 3, 1))
    FindingFactory(interview=done, text="Exporterad synpunkt")
    InterviewFactory(status="utkast", date=date(2025, 3, 2))
    response = request.getfixturevalue(fixture).get(EXPORT, {"status": "klar"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="intervjuer-')
    worksheet = load_workbook(io.BytesIO(response.content))["Intervjuer"]
    values = list(worksheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 1
    assert "Exporterad synpunkt" in values[0]
    assert values[0][-1] == done.pk


@pytest.mark.django_db
def test_the_export_accepts_get_only(developer_client):
    assert developer_client.post(EXPORT).status_code == 405


@pytest.mark.django_db
def test_the_template_downloads_with_its_two_sheets(developer_client):
    response = developer_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Intervjuer", "Instruktioner"]


# --- Upload form --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_upload_page_has_a_labelled_multipart_form_and_the_template_link(developer_client):
    response = developer_client.get(IMPORT)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'<label\s+for="id_file"', body)
    assert 'type="file"' in body
    assert TEMPLATE in body
    assert body.index("<h1") < body.index('<form method="post" enctype')


def _bad_files() -> dict[str, tuple[bytes, str]]:
    import zipfile

    def with_part(name: str, data: bytes) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row()])))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, source.read(info))
            target.writestr(name, data)
        return buffer.getvalue()

    return {
        "csv renamed": (b"Intervju-ref;Organisationsnummer\n1;556036-0793\n", "import.xlsx"),
        "pdf renamed": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "import.xlsx"),
        "csv": (b"a;b\n", "import.csv"),
        "encrypted": (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504, "import.xlsx"),
        "macro": (with_part("xl/vbaProject.bin", b"\x00"), "import.xlsx"),
        "zip bomb": (with_part("xl/media/big.bin", b"\x00" * (60 * 1024 * 1024)), "import.xlsx"),
        "too large": (xlsx_bytes([row()]) + b"\x00" * (5 * 1024 * 1024 + 1), "import.xlsx"),
        "wrong headers": (xlsx_bytes([row()], headers=IMPORT_HEADERS[:-3]), "import.xlsx"),
        "empty sheet": (xlsx_bytes([]), "import.xlsx"),
        "empty file": (b"", "import.xlsx"),
    }


BAD_FILE_CODES = {
    "csv renamed": "not_xlsx",
    "pdf renamed": "not_xlsx",
    "csv": "extension",
    "encrypted": "encrypted",
    "macro": "macro",
    "zip bomb": "zip_bomb",
    "too large": "too_large",
    "wrong headers": "headers",
    "empty sheet": "empty",
    "empty file": "empty",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILE_CODES))
def test_a_bad_file_is_refused_with_a_form_error_and_nothing_is_written(
    developer_client, settings, kind
):
    content, name = _bad_files()[kind]
    response = upload(developer_client, content, name)

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["file"]
    assert errors[0].code == BAD_FILE_CODES[kind]
    message = response.context["form"].errors["file"][0]
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_missing_headers_are_named_on_the_page(developer_client):
    response = upload(developer_client, xlsx_bytes([row()], headers=IMPORT_HEADERS[:-1]))
    assert response.status_code == 400
    assert imports.CONFIDENTIAL in response.content.decode()


@pytest.mark.django_db
def test_no_file_at_all_is_a_form_error(developer_client):
    response = developer_client.post(IMPORT, {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


# --- Preview and confirmation -------------------------------------------------------------


@pytest.mark.django_db
def test_bad_rows_are_listed_in_a_table_and_nothing_can_be_imported(developer_client, settings):
    content = xlsx_bytes([row(), row(ref="INT-2", **{imports.AREA: "Parkering", imports.GRADE: 9})])
    response = upload(developer_client, content)
    body = response.content.decode()

    assert response.status_code == 400
    problems = response.context["preview"].problems
    assert {(p.row, p.column) for p in problems} == {(3, imports.AREA), (3, imports.GRADE)}
    assert "<caption>" in body and '<th scope="col">' in body
    for problem in problems:
        assert escape(problem.message) in body
    assert "Parkering" in body
    assert '<form method="post" action=' not in body  # no confirm button
    assert reverse("interviews:interview_import") in body
    assert counts() == (0, 0, 0)
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_a_valid_file_is_previewed_then_imported_on_confirmation(
    developer_client, developer, settings
):
    CompanyFactory(organisation_number="556677-8899")
    content = xlsx_bytes(
        [
            row(),
            row(**{imports.TEXT: "Bra samarbete med skolan.", imports.TYPE: "styrka"}),
            row(ref="INT-2", **{imports.ORGANISATION_NUMBER: "5566778899"}),
        ]
    )
    response = upload(developer_client, content)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.interview_count, preview.finding_count) == (2, 3)
    assert (preview.new_company_count, preview.existing_company_count) == (1, 1)
    url = response.context["confirm_url"]
    body = response.content.decode()
    assert f'action="{url}"' in body
    assert body.index("<h1") < body.index("<h2")
    # Each interview is shown before anything is written: its rows, company, new or known.
    table = body.split("Intervjuerna i filen", 1)[1].split("</table>", 1)[0]
    rows = [row.split("</tr>")[0] for row in table.split("<tr>")[2:]]
    assert len(rows) == 2
    assert "2–3" in rows[0] and "Nej, ett nytt företag" in rows[0]
    assert "Ja, matchat på organisationsnummer" in rows[1] and "556677-8899" in rows[1]
    assert counts() == (1, 0, 0)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    # The rows read from the file are kept for the confirmation, not the workbook.
    assert stored_files(settings) == sorted([f"{token}.json", f"{token}.rows.json"])

    again = developer_client.get(url)
    assert again.status_code == 200
    assert again.context["preview"].finding_count == 3

    done = developer_client.post(url, follow=True)
    assert done.redirect_chain[-1] == (reverse("interviews:interview_list"), 302)
    assert counts() == (2, 2, 3)
    assert set(Interview.objects.values_list("created_by", flat=True)) == {developer.pk}
    assert stored_files(settings) == []
    assert [m.level_tag for m in done.context["messages"]] == ["success"]

    # The token is spent.
    assert developer_client.post(url).status_code == 404


@pytest.mark.django_db
def test_another_user_cannot_use_the_token(developer_client, settings):
    response = upload(developer_client, xlsx_bytes([row()]))
    url = response.context["confirm_url"]
    colleague = Client()
    colleague.force_login(UserFactory(role=Role.DEVELOPER))

    assert colleague.get(url).status_code == 404
    assert colleague.post(url).status_code == 404
    assert counts() == (0, 0, 0)
    assert len(stored_files(settings)) == 2


@pytest.mark.django_db
def test_an_unknown_token_gives_404(developer_client):
    assert developer_client.get(confirm_url(uuid.uuid4())).status_code == 404
    assert developer_client.post(confirm_url(uuid.uuid4())).status_code == 404


@pytest.mark.django_db
def test_the_confirmation_checks_the_file_again(developer_client, settings):
    """A company created meanwhile under the same number with other details is reused."""
    response = upload(developer_client, xlsx_bytes([row()]))
    url = response.context["confirm_url"]
    existing = CompanyFactory(organisation_number="556036-0793", name="Redan inlagd AB")

    assert developer_client.post(url).status_code == 302
    assert Company.objects.count() == 1
    assert Interview.objects.get().company == existing


def _confirmation_queries(client, count: int, first: int) -> int:
    """The queries of confirming a file of `count` interviews (new companies, one finding each)."""
    rows = [
        row(
            ref=f"R-{n}",
            **{
                imports.ORGANISATION_NUMBER: _valid_orgnr(5568000000 + n * 10),
                imports.DATE: date(2024, 1, 1 + n % 28),
            },
        )
        for n in range(first, first + count)
    ]
    url = upload(client, xlsx_bytes(rows)).context["confirm_url"]
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url).status_code == 302
    return len(captured)


@pytest.mark.django_db
def test_the_confirmation_makes_the_same_queries_for_300_interviews_as_for_3(developer_client):
    """The stored rows are checked again and written in bulk: nothing is done per row."""
    small = _confirmation_queries(developer_client, 3, 0)
    large = _confirmation_queries(developer_client, 300, 1_000)
    assert Interview.objects.count() == 303
    if connection.vendor == "postgresql":  # SQLite splits large INSERTs into batches
        assert large == small
    assert small <= 30

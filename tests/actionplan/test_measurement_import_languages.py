"""The measurement import in Swedish and English (issue 13): the template in the reader's
language or the one asked for, files read with either language's headers."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from actionplan.models import Measurement
from tests.factories import IndicatorFactory

TODAY = "2025-09-01"
TEMPLATE = reverse("actionplan:measurement_import_template")
SWEDISH = ("Datum", "Värde", "Kommentar")
ENGLISH = ("Date", "Value", "Comment")


@pytest.fixture
def indicator(db):
    return IndicatorFactory(name="Sammanfattande omdöme")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english_client(developer_client):
    developer_client.cookies["django_language"] = "en"
    return developer_client


def xlsx(rows, headers, sheet="Measurements") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.title = sheet
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("matningar.xlsx", buffer.getvalue())


def upload(client, indicator, file):
    url = reverse("actionplan:measurement_import", args=[indicator.pk])
    return client.post(url, {"file": file})


def upload_and_confirm(client, indicator, file):
    preview = upload(client, indicator, file)
    assert preview.status_code == 200, preview.context.get("problems")
    return client.post(preview.context["confirm_url"])


def template_workbook(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.django_db
def test_the_template_is_in_english_for_an_english_reader(english_client):
    response = english_client.get(TEMPLATE)
    assert response.status_code == 200
    assert 'filename="measurements-import-template.xlsx"' in response["Content-Disposition"]
    workbook = template_workbook(response)
    assert workbook.sheetnames == ["Measurements", "Instructions"]
    assert tuple(cell.value for cell in workbook["Measurements"][1]) == ENGLISH
    instructions = [
        [cell.value for cell in row] for row in workbook["Instructions"].iter_rows(max_col=3)
    ]
    assert instructions[0] == ["Column", "Required", "Description"]
    assert [row[:2] for row in instructions[1:4]] == [
        ["Date", "Yes"],
        ["Value", "Yes"],
        ["Comment", "No"],
    ]
    assert "decimal comma" in " ".join(str(row[2]) for row in instructions)


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "query"), [("sv", {}), ("en", {"sprak": "sv"})])
def test_the_template_is_in_swedish_by_default_and_on_request(developer_client, cookie, query):
    developer_client.cookies["django_language"] = cookie
    response = developer_client.get(TEMPLATE, query)
    assert 'filename="matningar-importmall.xlsx"' in response["Content-Disposition"]
    workbook = template_workbook(response)
    assert workbook.sheetnames == ["Mätningar", "Instruktioner"]
    assert tuple(cell.value for cell in workbook["Mätningar"][1]) == SWEDISH


@pytest.mark.django_db
def test_a_template_in_an_unknown_language_is_a_clear_400(developer_client):
    response = developer_client.get(TEMPLATE, {"sprak": "de"})
    assert response.status_code == 400
    assert "sprak=en" in response.content.decode()


@pytest.mark.django_db
def test_the_upload_page_links_both_templates(developer_client, indicator):
    url = reverse("actionplan:measurement_import", args=[indicator.pk])
    body = developer_client.get(url).content.decode()
    assert f'href="{TEMPLATE}?sprak=sv"' in body
    assert f'href="{TEMPLATE}?sprak=en"' in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_an_english_file_imports_in_a_swedish_session(developer_client, indicator):
    rows = [("2024-06-01", "3,6", "Survey"), (datetime.date(2023, 6, 1), 3.5, None)]
    response = upload_and_confirm(developer_client, indicator, xlsx(rows, ENGLISH))
    assert response.status_code == 302
    assert sorted(indicator.measurements.values_list("value", flat=True)) == [
        Decimal("3.50"),
        Decimal("3.60"),
    ]


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_swedish_file_imports_in_an_english_session(english_client, indicator):
    file = xlsx([("2024-06-01", "3,6", "Enkäten")], SWEDISH, sheet="Mätningar")
    response = upload_and_confirm(english_client, indicator, file)
    assert response.status_code == 302
    assert indicator.measurements.get().comment == "Enkäten"


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_english_template_filled_in_imports(english_client, indicator):
    workbook = template_workbook(english_client.get(TEMPLATE))
    workbook["Measurements"].append([datetime.date(2024, 6, 1), 3.6, "From the template"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("template.xlsx", buffer.getvalue())
    response = upload_and_confirm(english_client, indicator, file)
    assert response.status_code == 302
    assert indicator.measurements.get().comment == "From the template"


@pytest.mark.django_db
@freeze_time(TODAY)
def test_mixed_headers_are_read(developer_client, indicator):
    file = xlsx([("2024-06-01", "3,6", "Blandat")], ("Date", "Värde", "Comment"))
    assert upload_and_confirm(developer_client, indicator, file).status_code == 302


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_column_given_in_both_languages_is_refused(english_client, indicator):
    file = xlsx([("2024-06-01", "3,6", "x", "2024-07-01")], (*SWEDISH, "Date"))
    response = upload(english_client, indicator, file)
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["file"][0].code == "duplicate_headers"
    message = response.context["form"].errors["file"][0]
    assert "“Datum” twice, also as “Date”" in message
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_problems_are_in_english_and_name_the_files_column(english_client, indicator):
    file = xlsx([("2024-06-01", "many", "")], SWEDISH, sheet="Mätningar")
    response = upload(english_client, indicator, file)
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column, problem.heading) == (2, "Värde", "Värde")
    assert problem.message == "“many” is not a number."
    assert "<td>2</td><td>Värde</td>" in response.content.decode()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_an_english_files_columns_are_named_in_english(developer_client, indicator):
    response = upload(developer_client, indicator, xlsx([("2024-06-01", "", "")], ENGLISH))
    assert response.status_code == 400
    assert [problem.heading for problem in response.context["problems"]] == ["Value"]


@pytest.mark.django_db
def test_missing_columns_are_named_in_the_files_language(english_client, indicator):
    response = upload(english_client, indicator, xlsx([("2024-06-01",)], ("Date",)))
    assert response.status_code == 400
    message = response.context["form"].errors["file"][0]
    assert "lacks the columns: Value." in message

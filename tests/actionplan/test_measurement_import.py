from __future__ import annotations

import datetime
import io
import math
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from actionplan.choices import CelebrationKind
from actionplan.measurement_import import DATA_SHEET, INSTRUCTIONS_SHEET
from actionplan.models import Celebration, Measurement
from actionplan.services import measurements_import
from audit.selectors import AuditFilter, audit_trail_count
from smeportal.accounts.roles import Role
from tests.factories import IndicatorFactory, MeasurementFactory, UserFactory

TODAY = "2025-09-01"
HEADERS = ("Datum", "Värde", "Kommentar")


def sv(text: str) -> str:
    with translation.override("sv"):
        return gettext(text)


def xlsx(rows, headers=HEADERS, name: str = "matningar.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def indicator(db):
    return IndicatorFactory(
        name="Sammanfattande omdöme",
        baseline_value=Decimal("3.3"),
        baseline_date=datetime.date(2021, 6, 1),
        target_value=Decimal("4.0"),
        target_date=datetime.date(2030, 6, 1),
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def import_url(indicator) -> str:
    return reverse("actionplan:measurement_import", args=[indicator.pk])


def upload(client, indicator, file):
    """The upload: a preview, or the problems; nothing is written yet."""
    return client.post(import_url(indicator), {"file": file})


def upload_and_confirm(client, indicator, file):
    """The upload, then the confirmation on its preview: the import itself."""
    preview = upload(client, indicator, file)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert not Measurement.objects.filter(indicator=indicator).exists()
    return client.post(preview.context["confirm_url"])


def stored_files(settings) -> list[str]:
    directory = settings.MEDIA_ROOT / "imports"
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


VALID_ROWS = [
    (datetime.datetime(2022, 6, 1), 3.4, "Enkäten 2022"),
    ("2023-06-01", "3,5", None),
    (datetime.date(2024, 6, 1), "3.6", "Ny metod"),
]


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_valid_file_adds_every_row(developer_client, indicator, developer):
    response = upload_and_confirm(developer_client, indicator, xlsx(VALID_ROWS))
    assert response.status_code == 302
    assert response.url.startswith(reverse("actionplan:indicator_detail", args=[indicator.pk]))
    saved = list(Measurement.objects.order_by("date").values_list("date", "value", "comment"))
    assert saved == [
        (datetime.date(2022, 6, 1), Decimal("3.40"), "Enkäten 2022"),
        (datetime.date(2023, 6, 1), Decimal("3.50"), ""),
        (datetime.date(2024, 6, 1), Decimal("3.60"), "Ny metod"),
    ]
    assert set(Measurement.objects.values_list("created_by", flat=True)) == {developer.pk}
    page = developer_client.get(response.url)
    with translation.override("sv"):
        message = translation.ngettext(
            "%(count)s measurement was imported.", "%(count)s measurements were imported.", 3
        ) % {"count": 3}
    assert message in page.content.decode()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_empty_rows_are_skipped(developer_client, indicator):
    rows = [VALID_ROWS[0], (None, None, None), VALID_ROWS[1]]
    assert upload_and_confirm(developer_client, indicator, xlsx(rows)).status_code == 302
    assert Measurement.objects.count() == 2


@pytest.mark.django_db
@freeze_time(TODAY)
def test_reaching_the_target_by_import_is_celebrated_once(developer_client, indicator):
    rows = [("2024-06-01", "4,0", ""), ("2025-06-01", "4,2", "")]
    response = upload_and_confirm(developer_client, indicator, xlsx(rows))
    assert response.status_code == 302
    celebration = Celebration.objects.get()
    assert celebration.kind == CelebrationKind.TARGET_REACHED
    assert celebration.occurred_on == datetime.date(2025, 6, 1)


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("bad_row", "column", "shown"),
    [
        (("2024-13-01", "3,4", ""), "Datum", "2024-13-01"),
        (("1 juni 2024", "3,4", ""), "Datum", "1 juni 2024"),
        (("2026-01-01", "3,4", ""), "Datum", "The date is in the future."),
        (("1989-12-31", "3,4", ""), "Datum", "1990-01-01"),
        (("9999-12-31", "3,4", ""), "Datum", "1990-01-01"),
        ((None, "3,4", ""), "Datum", "Fill in this column."),
        (("2024-06-01", "tre", ""), "Värde", "tre"),
        (("2024-06-01", None, "saknas"), "Värde", "Fill in this column."),
        (("2024-06-01", "3,456", ""), "Värde", "Use at most two decimals, e.g. 3,45."),
        (("2024-06-01", 1e12, ""), "Värde", "The number is too large."),
        (("2024-06-01", "3,4", "x" * 501), "Kommentar", "501"),
    ],
)
def test_a_bad_row_writes_nothing_and_is_listed_by_row_and_column(
    developer_client, indicator, settings, bad_row, column, shown
):
    response = upload(developer_client, indicator, xlsx([VALID_ROWS[0], bad_row]))
    assert response.status_code == 400
    assert not Measurement.objects.exists()
    assert stored_files(settings) == []  # nothing kept to confirm
    problems = response.context["problems"]
    assert [(problem.row, problem.column) for problem in problems] == [(3, column)]
    assert sv(shown) in problems[0].message  # a message text, or the cell's value quoted
    body = response.content.decode()
    assert sv("Nothing has been imported. Correct the file and upload it again.") in body
    assert f"<td>3</td><td>{column}</td>" in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_date_twice_in_the_file_is_refused(developer_client, indicator):
    rows = [("2024-06-01", "3,4", ""), ("2023-06-01", "3,4", ""), ("2024-06-01", "3,5", "")]
    response = upload(developer_client, indicator, xlsx(rows))
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (4, "Datum")
    assert "2024-06-01" in problem.message and "2" in problem.message
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_date_already_in_the_portal_is_refused(developer_client, indicator):
    MeasurementFactory(indicator=indicator, date=datetime.date(2023, 6, 1))
    response = upload(developer_client, indicator, xlsx(VALID_ROWS))
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (3, "Datum")
    assert Measurement.objects.count() == 1


@pytest.mark.django_db
@freeze_time(TODAY)
def test_another_indicators_dates_do_not_count(developer_client, indicator):
    MeasurementFactory(date=datetime.date(2023, 6, 1))  # of another indicator
    assert upload_and_confirm(developer_client, indicator, xlsx(VALID_ROWS)).status_code == 302
    assert indicator.measurements.count() == 3


def _zip(entries: dict[str, bytes], name: str = "fil.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def _macro_workbook() -> SimpleUploadedFile:
    original = zipfile.ZipFile(io.BytesIO(xlsx(VALID_ROWS).read()))
    entries = {info.filename: original.read(info) for info in original.infolist()}
    entries["xl/vbaProject.bin"] = b"\x00" * 100
    return _zip(entries)


BAD_FILES = {
    "renamed csv": lambda: SimpleUploadedFile("data.xlsx", b"Datum;V\xe4rde\n2024-06-01;3,4\n"),
    "wrong extension": lambda: SimpleUploadedFile("data.csv", b"Datum,Varde\n"),
    "encrypted": lambda: SimpleUploadedFile(
        "losen.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512
    ),
    "macros": _macro_workbook,
    "zip bomb": lambda: _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "big": b"0" * 3_000_000}
    ),
    "too large": lambda: SimpleUploadedFile("stor.xlsx", b"PK\x03\x04" + b"\x00" * 5_300_000),
    "empty": lambda: SimpleUploadedFile("tom.xlsx", b""),
    "no headers": lambda: xlsx([("2024-06-01", "3,4", "")], headers=("Dag", "Tal", "")),
    "no rows": lambda: xlsx([]),
}


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_bad_file_writes_nothing(developer_client, indicator, kind):
    response = upload(developer_client, indicator, BAD_FILES[kind]())
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert 'id="form-errors"' in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_no_file_is_a_form_error(developer_client, indicator):
    response = developer_client.post(import_url(indicator), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
def test_council_and_facilitators_cannot_import(role_client, indicator):
    assert role_client.get(import_url(indicator)).status_code == 403
    response = role_client.post(import_url(indicator), {"file": xlsx(VALID_ROWS)})
    assert response.status_code == 403
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_importing_to_an_unknown_indicator_is_404(developer_client):
    url = reverse("actionplan:measurement_import", args=[999999])
    assert developer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_upload_page_links_the_template(developer_client, indicator):
    response = developer_client.get(import_url(indicator))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("actionplan:measurement_import_template") in body
    assert 'type="file"' in body


@pytest.mark.django_db
def test_the_template_has_the_columns_and_an_instructions_sheet(developer_client):
    response = developer_client.get(reverse("actionplan:measurement_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET]
    header = [cell.value for cell in workbook[DATA_SHEET][1]]
    assert header == list(HEADERS)
    instructions = " ".join(
        str(cell.value) for row in workbook[INSTRUCTIONS_SHEET].iter_rows() for cell in row
    )
    assert "Decimalkomma" in instructions


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_filled_in_template_imports(developer_client, indicator):
    template = developer_client.get(reverse("actionplan:measurement_import_template")).content
    workbook = load_workbook(io.BytesIO(template))
    workbook[DATA_SHEET].append([datetime.date(2024, 6, 1), 3.6, "Från mallen"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload_and_confirm(
        developer_client, indicator, SimpleUploadedFile("mall.xlsx", buffer.getvalue())
    )
    assert response.status_code == 302
    assert indicator.measurements.get().comment == "Från mallen"


# --- The commit is set-based (issue 11): its queries do not grow with the rows ------------------


def _rows(count: int) -> list[tuple[datetime.date, Decimal, str]]:
    first = datetime.date(1990, 1, 1)
    return [
        (first + datetime.timedelta(days=n), Decimal("3.40"), f"Mätning {n}") for n in range(count)
    ]


def _insert_batches(model, count: int) -> int:
    """The INSERT statements Django needs for `count` new rows of `model`: one on Postgres,
    one per batch on SQLite, which caps the variables of a statement."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    size = max(connection.ops.bulk_batch_size(fields, [None] * count), 1)
    return math.ceil(count / size)


def _commit_queries(indicator, user, count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert measurements_import(indicator=indicator, rows=_rows(count), user=user) == count
    return len(captured)


@pytest.mark.django_db
def test_the_commit_makes_the_same_queries_for_1000_rows_as_for_10(developer):
    small = _commit_queries(IndicatorFactory(), developer, 10)
    large = _commit_queries(IndicatorFactory(), developer, 1_000)

    extra_batches = _insert_batches(Measurement, 1_000) - _insert_batches(Measurement, 10)
    # The same queries, except that SQLite needs more INSERT statements for more rows (on
    # Postgres extra_batches is 0); the history is one INSERT ... SELECT at any size. A query
    # per row, as before, made it over 5,000.
    assert large == small + extra_batches
    assert small <= 12
    assert Measurement.objects.count() == 1_010


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_audit_trail_shows_who_imported_each_measurement(
    developer_client, indicator, developer
):
    assert upload_and_confirm(developer_client, indicator, xlsx(VALID_ROWS)).status_code == 302

    records = Measurement.history.filter(indicator_id=indicator.pk)
    assert records.count() == 3
    assert {(record.history_type, record.history_user_id) for record in records} == {
        ("+", developer.pk)
    }
    assert sorted(record.id for record in records) == sorted(
        indicator.measurements.values_list("pk", flat=True)
    )
    trail = AuditFilter(user_id=developer.pk, model_label="actionplan.measurement")
    assert audit_trail_count(trail) == 3


@pytest.mark.django_db
def test_a_date_already_in_the_portal_stops_the_whole_commit(developer, indicator):
    rows = _rows(20)
    MeasurementFactory(indicator=indicator, date=rows[-1][0])
    with pytest.raises(ValidationError) as refusal:
        measurements_import(indicator=indicator, rows=rows, user=developer)
    assert rows[-1][0].isoformat() in refusal.value.messages[0]
    assert indicator.measurements.count() == 1
    assert Measurement.history.filter(history_user=developer).count() == 0


@pytest.mark.django_db
def test_a_clash_found_by_the_database_undoes_the_whole_commit(developer, indicator):
    """Two rows on one date pass the in-memory checks (the parser refuses them earlier); the
    unique constraint stops the insert and nothing stays, neither rows nor history."""
    rows = [*_rows(5), _rows(1)[0]]
    with pytest.raises(ValidationError):
        measurements_import(indicator=indicator, rows=rows, user=developer)
    assert not Measurement.objects.exists()
    assert not Measurement.history.exists()
    assert not Celebration.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        ((datetime.date(2001, 1, 1), Decimal("3.4"), "x" * 501), "comment"),
        ((datetime.date(2001, 1, 1), Decimal("3.456"), ""), "value"),
        ((datetime.date(2001, 1, 1), Decimal("1e12"), ""), "value"),
        ((datetime.date(2001, 1, 1), None, ""), "value"),
        ((datetime.date(2025, 9, 2), Decimal("3.4"), ""), "date"),  # tomorrow
        ((datetime.date(1989, 12, 31), Decimal("3.4"), ""), "date"),
        ((None, Decimal("3.4"), ""), "date"),
    ],
)
def test_an_invalid_row_stops_the_whole_commit(developer, indicator, bad_row, field):
    """The commit's own checks are those of full_clean(), by field, whatever the caller
    checked before."""
    rows = [*_rows(5), bad_row]
    with pytest.raises(ValidationError) as refusal:
        measurements_import(indicator=indicator, rows=rows, user=developer)
    assert list(refusal.value.message_dict) == [field]
    assert not Measurement.objects.exists()


def _import_queries(client, indicator, count: int) -> tuple[int, int]:
    """The queries of the upload (checked and previewed) and of its confirmation (imported)."""
    with CaptureQueriesContext(connection) as previewed:
        preview = upload(client, indicator, xlsx(_rows(count)))
    assert preview.status_code == 200
    with CaptureQueriesContext(connection) as confirmed:
        assert client.post(preview.context["confirm_url"]).status_code == 302
    return len(previewed), len(confirmed)


@pytest.mark.django_db
def test_the_preview_and_the_import_make_the_same_queries_for_1000_rows_as_for_10(
    developer_client,
):
    """The whole requests, check and commit: nothing is done per row."""
    small_preview, small_commit = _import_queries(developer_client, IndicatorFactory(), 10)
    large_preview, large_commit = _import_queries(developer_client, IndicatorFactory(), 1_000)
    assert Measurement.objects.count() == 1_010
    assert large_preview == small_preview
    # SQLite needs more INSERT statements for more rows (on Postgres extra_batches is 0).
    extra_batches = _insert_batches(Measurement, 1_000) - _insert_batches(Measurement, 10)
    assert large_commit == small_commit + extra_batches
    assert small_preview <= 10
    assert small_commit <= 20


# --- Preview, then confirmation ---------------------------------------------------------------


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_preview_sums_up_the_file_and_writes_nothing(developer_client, indicator, settings):
    response = upload(developer_client, indicator, xlsx(VALID_ROWS, name="enkat.xlsx"))

    assert response.status_code == 200
    assert not Measurement.objects.exists()
    assert len(stored_files(settings)) == 2  # the rows and the upload's facts
    parsed = response.context["parsed"]
    assert (parsed.count, parsed.first_date) == (3, datetime.date(2022, 6, 1))
    assert parsed.latest == (datetime.date(2024, 6, 1), Decimal("3.6"))
    body = response.content.decode()
    assert "enkat.xlsx" in body
    assert "2022-06-01 – 2024-06-01" in body
    assert f'action="{response.context["confirm_url"]}"' in body
    # The confirmation page shows the same preview again.
    again = developer_client.get(response.context["confirm_url"])
    assert again.status_code == 200
    assert again.context["parsed"].count == 3


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_import_removes_the_stored_rows(developer_client, indicator, settings):
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))
    confirm_url = preview.context["confirm_url"]

    assert developer_client.post(confirm_url).status_code == 302

    assert stored_files(settings) == []
    assert indicator.measurements.count() == 3
    # Confirming twice imports nothing twice.
    assert developer_client.post(confirm_url).status_code == 404
    assert indicator.measurements.count() == 3


@pytest.mark.django_db
@freeze_time(TODAY)
def test_another_user_cannot_use_the_token(developer_client, indicator):
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))
    colleague = Client()
    colleague.force_login(UserFactory(role=Role.DEVELOPER))

    assert colleague.get(preview.context["confirm_url"]).status_code == 404
    assert colleague.post(preview.context["confirm_url"]).status_code == 404
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_token_is_good_only_for_the_indicator_it_was_uploaded_to(developer_client, indicator):
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))
    token = preview.context["confirm_url"].rstrip("/").rsplit("/", 1)[-1]
    other = IndicatorFactory()
    url = reverse("actionplan:measurement_import_confirm", args=[other.pk, token])

    assert developer_client.post(url).status_code == 404
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_an_unknown_token_gives_404(developer_client, indicator):
    url = reverse("actionplan:measurement_import_confirm", args=[indicator.pk, uuid.uuid4()])
    assert developer_client.get(url).status_code == 404
    assert developer_client.post(url).status_code == 404


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_confirmation_checks_the_rows_again(developer_client, indicator, settings):
    """A measurement recorded after the preview on one of the file's dates stops the import
    with its row, and the stored rows are dropped."""
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))
    MeasurementFactory(indicator=indicator, date=datetime.date(2023, 6, 1))

    response = developer_client.post(preview.context["confirm_url"])

    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (3, "Datum")
    assert sv("Nothing has been imported. Correct the file and upload it again.") in (
        response.content.decode()
    )
    assert indicator.measurements.count() == 1
    assert stored_files(settings) == []


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_refusal_by_the_commit_is_shown_and_nothing_is_written(
    developer_client, indicator, settings, monkeypatch
):
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))

    def refuse(**kwargs):
        raise ValidationError("Datumet finns redan.")

    monkeypatch.setattr("actionplan.views.indicators.measurements_import", refuse)
    response = developer_client.post(preview.context["confirm_url"])

    assert response.status_code == 400
    assert "Datumet finns redan." in response.content.decode()
    assert not Measurement.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
@freeze_time(TODAY)
def test_council_and_facilitators_cannot_confirm(role_client, developer_client, indicator):
    preview = upload(developer_client, indicator, xlsx(VALID_ROWS))
    assert role_client.get(preview.context["confirm_url"]).status_code == 403
    assert role_client.post(preview.context["confirm_url"]).status_code == 403
    assert not Measurement.objects.exists()

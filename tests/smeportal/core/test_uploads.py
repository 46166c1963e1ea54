"""The safety checks on uploaded .xlsx files, with real files built in the tests."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from smeportal.core.uploads import OLE_SIGNATURE, check_xlsx_upload

FIVE_MB = 5 * 1024 * 1024


def real_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Intervju-ref", "Företagsnamn"])
    workbook.active.append(["1", "Exempelbolaget AB"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezipped(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """A real workbook with parts added or its content types replaced."""
    source = zipfile.ZipFile(io.BytesIO(real_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            target.writestr(info, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def error_code(content: bytes, name: str = "intervjuer.xlsx", **limits) -> str | None:
    upload = SimpleUploadedFile(name, content)
    try:
        check_xlsx_upload(upload, max_bytes=limits.pop("max_bytes", FIVE_MB), **limits)
    except ValidationError as error:
        assert error.messages and error.messages[0]
        return error.code
    return None


def test_a_real_workbook_passes_and_is_left_at_its_start():
    upload = SimpleUploadedFile("Intervjuer.XLSX", real_xlsx())
    check_xlsx_upload(upload, max_bytes=FIVE_MB)
    assert upload.tell() == 0
    assert upload.read(4) == b"PK\x03\x04"


def test_a_name_not_ending_in_xlsx_is_refused():
    assert error_code(real_xlsx(), name="intervjuer.xls") == "extension"
    assert error_code(real_xlsx(), name="intervjuer.xlsm") == "extension"
    assert error_code(b"a;b\n1;2\n", name="intervjuer.csv") == "extension"


@pytest.mark.parametrize(
    "content",
    [
        b"Intervju-ref;Organisationsnummer\n1;556036-0793\n",  # a CSV renamed .xlsx
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",  # a PDF renamed .xlsx
        b"PK\x03\x04 but not really a zip archive at all",
    ],
    ids=["csv", "pdf", "broken-zip"],
)
def test_a_file_that_is_not_an_ooxml_zip_is_refused(content):
    assert error_code(content) == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    assert error_code(buffer.getvalue()) == "not_xlsx"


def test_an_encrypted_or_old_format_file_is_refused():
    assert error_code(OLE_SIGNATURE + b"\x00" * 504) == "encrypted"


def test_a_workbook_with_a_vba_project_is_refused():
    assert error_code(rezipped({"xl/vbaProject.bin": b"\x00macro"})) == "macro"


def test_a_macro_enabled_content_type_is_refused():
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    assert error_code(rezipped({}, content_types=content_types)) == "macro"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    # 60 MB of zeros compresses to about 60 kB: small upload, huge when unpacked.
    bomb = rezipped({"xl/media/padding.bin": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < FIVE_MB
    assert error_code(bomb) == "zip_bomb"


def test_an_extreme_compression_ratio_is_refused_even_when_small_in_total():
    # 20 MB is below the 50 MB limit, but compresses more than a thousandfold.
    assert error_code(rezipped({"xl/media/padding.bin": b"\x00" * (20 * 1024 * 1024)})) == (
        "zip_bomb"
    )


def test_a_file_over_the_size_limit_is_refused():
    too_big = real_xlsx() + b"\x00" * (FIVE_MB + 1)
    assert error_code(too_big) == "too_large"
    assert error_code(real_xlsx(), max_bytes=100) == "too_large"


def test_an_empty_file_is_refused():
    assert error_code(b"") == "empty"

"""Delivery packages for the e-archive (FGS): what they hold, and that verification catches a
changed, missing or extra file and an invalid METS document."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from archive.mets import METS_NS, XLINK_NS, mets_schema, parse_mets
from archive.models import DeliveredRecord, DeliveryPackage
from archive.package import package_verify_file
from archive.services import delivery_package_produce, delivery_package_request
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from interviews.services import finding_archive
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from tests.reports.test_pdf import pdf_info, pdf_text
from tests.swedish import sv

M = f"{{{METS_NS}}}"


def _produce(user, **what) -> DeliveryPackage:
    """Order a package and produce it, as the worker does once the order is committed."""
    package = delivery_package_request(user=user, **what)
    package = delivery_package_produce(package_id=package.pk)
    assert package.status == DeliveryPackage.Status.DONE, package.error_message
    return package


def _zip(package: DeliveryPackage) -> zipfile.ZipFile:
    return zipfile.ZipFile(Path(package.file.path))


def _rewrite(source: Path, target: Path, *, change=None, drop=None, add=None) -> Path:
    """A copy of the package with one entry changed, dropped or added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            if info.filename == drop:
                continue
            data = original.read(info.filename)
            if info.filename == (change or (None,))[0]:
                data = change[1](data)
            copy.writestr(info.filename, data)
        if add:
            copy.writestr(add[0], add[1])
    return target


@pytest.fixture
def package(administrator, interviews_2025):
    return _produce(administrator, kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2025)


@pytest.mark.django_db
def test_a_package_of_a_years_interviews_holds_them_and_verifies(package, interviews_2025):
    kept, later = interviews_2025
    with _zip(package) as archive:
        names = set(archive.namelist())
        assert {
            "mets.xml",
            "package.txt",
            "content/intervjuer.csv",
            "content/intervjuer.json",
        } <= names
        assert "schema/synpunkter.schema.json" in names
        rows = list(csv.DictReader(io.StringIO(archive.read("content/intervjuer.csv").decode())))
        assert sorted(int(row["id"]) for row in rows) == sorted(i.pk for i in kept)
        findings = json.loads(archive.read("content/synpunkter.json"))
        texts = {finding["text"] for finding in findings}
        assert "Inte med i 2025 års paket" not in texts
        # The JSON holds the text as written; the CSV cannot be run as a formula.
        assert '=HYPERLINK("http://example.invalid")' in texts
        finding_csv = archive.read("content/synpunkter.csv").decode()
        assert "'=HYPERLINK" in finding_csv
        schema = json.loads(archive.read("schema/synpunkter.schema.json"))
        assert schema["items"]["properties"]["sekretess"]["type"] == "boolean"
        assert "Sekretessmarkerad" in schema["items"]["properties"]["sekretess"]["description"]
        contacts = json.loads(archive.read("content/kontaktpersoner.json"))
        assert [contact["namn"] for contact in contacts] == ["Gunborg Åkesson"]
    assert package_verify_file(package.file.path).passed
    assert package.sha256 and package.size == Path(package.file.path).stat().st_size


@pytest.mark.django_db
def test_the_mets_document_follows_the_fgs_package_profile(package, settings):
    with _zip(package) as archive:
        tree = parse_mets(archive.read("mets.xml"))
        names = set(archive.namelist()) - {"mets.xml"}
    assert mets_schema().validate(tree), mets_schema().error_log
    root = tree.getroot()
    assert root.get("PROFILE").startswith("http://xml.ra.se/e-arkiv/METS/")
    header = root.find(f"{M}metsHdr")
    assert header.get("CREATEDATE") and header.get("RECORDSTATUS") == "NEW"
    agents = {
        agent.get("ROLE"): agent.find(f"{M}name").text for agent in header.findall(f"{M}agent")
    }
    assert agents["ARCHIVIST"] == settings.ARCHIVE_ARCHIVIST == "Eskilstuna kommun"
    software = header.find(f"{M}agent[@OTHERTYPE='SOFTWARE']")
    assert software.find(f"{M}note").text == settings.VERSION
    alt = {element.get("TYPE"): element.text for element in header.findall(f"{M}altRecordID")}
    assert alt["SUBMISSIONAGREEMENT"] == settings.ARCHIVE_SUBMISSION_AGREEMENT
    assert alt["PACKAGETYPE"] == "SIP"
    files = root.findall(f".//{M}file")
    listed = {
        f.find(f"{M}FLocat").get(f"{{{XLINK_NS}}}href").removeprefix("file:///") for f in files
    }
    assert listed == names
    for element in files:
        assert element.get("CHECKSUMTYPE") == "SHA-256" and len(element.get("CHECKSUM")) == 64
        assert element.get("SIZE").isdigit() and element.get("CREATED") and element.get("MIMETYPE")
    pointers = {fptr.get("FILEID") for fptr in root.iter(f"{M}fptr")}
    assert pointers == {element.get("ID") for element in files}


@pytest.mark.django_db
def test_producing_a_package_marks_the_records_it_holds_and_is_recorded(
    package, administrator, interviews_2025
):
    kept, later = interviews_2025
    delivered = set(
        DeliveredRecord.objects.filter(package=package).values_list("model_label", "object_id")
    )
    assert {("interviews.interview", interview.pk) for interview in kept} <= delivered
    assert ("interviews.interview", later.pk) not in delivered
    for model in (Finding, FollowUp, Company, Contact):
        label = model._meta.label_lower
        assert any(row_label == label for row_label, _pk in delivered), label
    archived = Finding.all_objects.filter(interview=kept[0]).first()
    assert ("interviews.finding", archived.pk) in delivered
    history = package.history.order_by("history_id")
    assert history.first().history_user == administrator
    assert history.last().status == DeliveryPackage.Status.DONE
    assert package.record_count == len(delivered)


@pytest.mark.django_db
def test_a_changed_file_fails_verification_naming_the_file(package, tmp_path):
    tampered = _rewrite(
        Path(package.file.path),
        tmp_path / "tampered.zip",
        change=("content/intervjuer.csv", lambda data: data.replace(b"klar", b"utkast", 1)),
    )
    result = package_verify_file(str(tampered))
    assert not result.passed
    assert any("content/intervjuer.csv" in problem for problem in result.problems)
    assert all("intervjuer.csv" in problem for problem in result.problems)


@pytest.mark.django_db
def test_a_missing_or_extra_file_fails_verification(package, tmp_path):
    source = Path(package.file.path)
    missing = package_verify_file(
        str(_rewrite(source, tmp_path / "missing.zip", drop="content/foretag.json"))
    )
    assert not missing.passed
    assert any("content/foretag.json" in problem for problem in missing.problems)
    extra = package_verify_file(
        str(_rewrite(source, tmp_path / "extra.zip", add=("content/hemligt.txt", b"x")))
    )
    assert not extra.passed
    assert any("content/hemligt.txt" in problem for problem in extra.problems)


@pytest.mark.django_db
def test_an_invalid_mets_document_fails_verification(package, tmp_path):
    def without_struct_map(data: bytes) -> bytes:
        tree = etree.fromstring(data)
        tree.remove(tree.find(f"{M}structMap"))  # METS requires one
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    invalid = _rewrite(
        Path(package.file.path), tmp_path / "invalid.zip", change=("mets.xml", without_struct_map)
    )
    result = package_verify_file(str(invalid))
    assert not result.passed
    assert any("mets.xml" in problem and "METS" in problem for problem in result.problems)
    broken = _rewrite(
        Path(package.file.path), tmp_path / "broken.zip", change=("mets.xml", lambda d: d[:-20])
    )
    assert not package_verify_file(str(broken)).passed
    assert not package_verify_file(io.BytesIO(b"not a zip")).passed


@pytest.mark.django_db
def test_a_dialogue_round_holds_the_workshop_its_proposals_and_the_interviews_behind_them(
    administrator,
):
    group = WorkshopGroupFactory()
    cited = FindingFactory(interview=InterviewFactory(), text="Snabbare bygglov behövs")
    other = FindingFactory(interview=InterviewFactory(), text="Inte citerad")
    proposal = ProposalFactory(group=group)
    proposal.evidence.add(cited)
    package = _produce(
        administrator, kind=DeliveryPackage.Kind.DIALOGUE_ROUND, workshop=group.workshop
    )
    with _zip(package) as archive:
        assert json.loads(archive.read("content/workshoppar.json"))[0]["id"] == group.workshop.pk
        assert [p["id"] for p in json.loads(archive.read("content/forslag.json"))] == [proposal.pk]
        links = json.loads(archive.read("content/forslag_underlag.json"))
        assert links == [{"forslag_id": proposal.pk, "synpunkt_id": cited.pk}]
        interviews = json.loads(archive.read("content/intervjuer.json"))
        assert [i["id"] for i in interviews] == [cited.interview_id]
        assert other.interview_id not in {i["id"] for i in interviews}
    assert package_verify_file(package.file.path).passed


@pytest.mark.django_db
def test_the_summary_report_goes_in_as_pdf_a(administrator, interviews_2025, tmp_path):
    from reports.models import ReportRun
    from reports.services import report_run_execute

    report_run_execute(run_id=ReportRun.objects.create(requested_by=administrator).pk)
    package = _produce(administrator, kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2025)
    with _zip(package) as archive:
        documents = [name for name in archive.namelist() if name.startswith("documents/")]
        assert len(documents) == 1
        pdf = archive.read(documents[0])
        assert "documents/" in archive.read("package.txt").decode()
    metadata = pdf_info(pdf, "-meta")
    assert "pdfaid:part" in metadata and "2" in metadata.split("pdfaid:part")[1][:5]
    text = pdf_text(pdf)
    assert "Företag" in text or "företag" in text
    assert "Företag" in text or "företag" in text


@pytest.mark.django_db
def test_the_command_creates_and_verifies_a_package(administrator, interviews_2025, tmp_path):
    out = io.StringIO()
    call_command("archive_package", "create", "--year", "2025", stdout=out)
    package = DeliveryPackage.objects.get()
    assert package.status == DeliveryPackage.Status.DONE
    assert package.file.path in out.getvalue()
    out = io.StringIO()
    call_command("archive_package", "verify", str(package.pk), stdout=out)
    package.refresh_from_db()
    assert package.verification == DeliveryPackage.Verification.PASSED
    call_command("archive_package", "verify", package.file.path, stdout=io.StringIO())
    tampered = _rewrite(
        Path(package.file.path),
        tmp_path / "tampered.zip",
        change=("content/intervjuer.json", lambda data: data + b" "),
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("archive_package", "verify", str(tampered), stdout=out)
    assert "content/intervjuer.json" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("archive_package", "create", "--workshop", "999999")


@pytest.mark.django_db
def test_a_failure_leaves_no_delivered_records_and_says_so(
    administrator, interviews_2025, monkeypatch
):
    from archive import services

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services.PackageWriter, "close", broken)
    package = delivery_package_request(
        user=administrator, kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2025
    )
    package = delivery_package_produce(package_id=package.pk)
    assert package.status == DeliveryPackage.Status.FAILED
    assert "OSError" in package.error_message
    assert not DeliveredRecord.objects.exists()
    assert not package.file
    # Run again (a second delivery of the task): a failed package is left as it is.
    assert delivery_package_produce(package_id=package.pk).status == DeliveryPackage.Status.FAILED


def _memory_peak(administrator, count: int) -> tuple[int, int]:
    """(peak bytes allocated, rows written) while producing a package of `count` interviews."""
    import datetime
    import tracemalloc

    company = CompanyFactory()
    Interview.objects.bulk_create(
        Interview(
            company=company,
            date=datetime.date(2024, 5, 1),
            status="klar",
            consent="anonymt",
            format="besok",
            notes="Anteckningar " * 40,
        )
        for _ in range(count)
    )
    package = DeliveryPackage.objects.create(
        kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2024, produced_by=administrator
    )
    tracemalloc.start()
    try:
        package = delivery_package_produce(package_id=package.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert package.status == DeliveryPackage.Status.DONE, package.error_message
    Interview.objects.filter(date__year=2024).delete()
    return peak, package.record_count


@pytest.mark.django_db
def test_memory_does_not_grow_with_the_number_of_records(administrator, monkeypatch):
    """The rows are streamed: a chunk of rows read at a time, delivered ids written in batches.
    With chunks and batches of 100, ten times the records take about the same memory."""
    from archive import contents, services

    monkeypatch.setattr(contents, "ITERATOR_CHUNK", 100)
    monkeypatch.setattr(services, "RECORD_BATCH", 100)
    small, small_rows = _memory_peak(administrator, 300)
    large, large_rows = _memory_peak(administrator, 3000)
    assert large_rows >= 10 * small_rows - 10
    # 2,700 more interviews of 500 characters each would be well over 1.5 MB held in memory.
    assert large - small < 300_000, (small, large)


@pytest.mark.django_db
def test_delivered_records_are_named_on_the_retention_page(admin_client, package, interviews_2025):
    from archive.models import InformationRule

    kept, _later = interviews_2025
    finding = Finding.objects.filter(interview=kept[0]).first()
    finding_archive(finding=finding, user=None)
    rule = InformationRule.objects.create(
        record_type="intervjuer",
        action="gallras",
        period=1,
        period_unit="manader",
        counted_from="intervjudatum",
        decision_reference="KS 2025/412 § 7",
        decision_date="2025-06-10",
    )
    response = admin_client.post(
        "/granskning/gallring/", {"rule": rule.pk, "search": "", "show": "1"}
    )
    body = response.content.decode()
    date = package.produced_at.astimezone().date().isoformat()
    assert sv("Delivered to the e-archive on %(date)s") % {"date": date} in body


def _released(user, interview, received_on):
    """A request covering one interview, released as a PDF (and a workbook, which stays out)."""
    from records.models import CoveredItem, ReleasedDocument
    from records.services import covered_item_add, record_request_create, request_release

    record_request = record_request_create(
        received_on=received_on,
        channel="e-post",
        description="Intervjun med företaget",
        handler=user,
        user=user,
    )
    covered_item_add(
        record_request=record_request,
        kind=CoveredItem.Kind.INTERVIEW,
        target_id=interview.pk,
        label="En intervju",
        user=user,
    )
    request_release(record_request=record_request, user=user, with_workbook=True)
    return ReleasedDocument.objects.get(
        request=record_request, kind=ReleasedDocument.Kind.RELEASE_PDF
    )


def test_what_was_released_from_the_years_records_goes_in_as_it_was_sent(
    administrator, interviews_2025, django_capture_on_commit_callbacks, tmp_path
):
    from records.models import ReleasedDocument

    (first, _second, _third), later = interviews_2025
    with django_capture_on_commit_callbacks(execute=True):
        released = _released(administrator, first, datetime.date(2026, 1, 5))
        _released(administrator, later, datetime.date(2026, 1, 6))  # a 2026 interview
    released.refresh_from_db()
    assert released.status == ReleasedDocument.Status.DONE
    with released.file.open("rb") as handle:
        sent = handle.read()

    package = _produce(administrator, kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=2025)

    with _zip(package) as archive:
        documents = [name for name in archive.namelist() if name.startswith("documents/")]
        assert documents == [f"documents/utlamnat-{released.request_id}-{released.pk}.pdf"]
        assert archive.read(documents[0]) == sent  # not drawn again: the masks may have changed
        mets = archive.read("mets.xml").decode()
    assert documents[0] in mets
    metadata = pdf_info(sent, "-meta")
    assert "pdfaid:part" in metadata  # the records app writes what it releases as PDF/A
    assert DeliveredRecord.objects.filter(
        package=package, model_label="records.releaseddocument", object_id=released.pk
    ).exists()
    assert package_verify_file(package.file.path).passed

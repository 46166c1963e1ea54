"""What each kind of delivery package holds: tables of records and documents.

CONTENT_FOR maps a package's kind to functions; each takes the package and yields
`RecordTable`s and `PackageDocument`s (archive/package.py). Adding a kind of content is adding
one such function to the lists (released_documents_for is one).

Every query is read with `.iterator()` by the writer, so no table is held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from interviews.models import Company, Contact, Finding, FollowUp, Interview
from records.models import CoveredItem, ReleasedDocument
from reports.models import ReportRun
from smeportal.core.pdf import ARCHIVAL_PDF_VARIANT
from workshops.models import Proposal, Workshop, WorkshopGroup

from .models import DeliveryPackage
from .package import ITERATOR_CHUNK, Column, PackageDocument, RecordTable

# The reports go in as PDF/A-2a: archival (fonts embedded, nothing fetched) and tagged.
PDFA_VARIANT = ARCHIVAL_PDF_VARIANT


def _rows(queryset: QuerySet, columns: tuple[Column, ...]) -> Callable[[], Iterable[tuple]]:
    paths = [column.path for column in columns]
    return lambda: queryset.values_list(*paths).iterator(chunk_size=ITERATOR_CHUNK)


def _table(name, title, queryset, columns, model_label=None) -> RecordTable:
    columns = tuple(columns)
    return RecordTable(
        name=name,
        title=title,
        columns=columns,
        rows=_rows(queryset.order_by("pk") if model_label else queryset, columns),
        model_label=model_label,
    )


def C(name, path, kind, description, nullable=False) -> Column:  # noqa: N802 - a table row
    return Column(name=name, path=path, type=kind, description=description, nullable=nullable)


# --- The tables of the interviews ------------------------------------------------------------


def interview_tables(interviews: QuerySet) -> Iterable[RecordTable]:
    """Interviews with their findings (archived too), follow-ups, interviewees and companies."""
    interview_ids = interviews.values("pk")
    yield _table(
        "intervjuer",
        "Intervjuer",
        Interview.objects.filter(pk__in=interview_ids),
        [
            C("id", "pk", "integer", "Intervjuns id i portalen."),
            C("foretag_id", "company_id", "integer", "Företaget (foretag.id)."),
            C("datum", "date", "date", "Dag då intervjun hölls."),
            C("form", "format", "string", "Hur intervjun hölls (kod)."),
            C("langd_minuter", "duration_minutes", "integer", "Intervjuns längd.", True),
            C("status", "status", "string", "utkast eller klar."),
            C("betyg", "grade", "integer", "Företagets betyg på kommunen, 1–6.", True),
            C("samtycke", "consent", "string", "Samtycke till citat (kod)."),
            C("anteckningar", "notes", "string", "Näringslivsutvecklarens anteckningar."),
            C("skapad", "created_at", "date-time", "När intervjun registrerades."),
            C("andrad", "updated_at", "date-time", "När intervjun senast ändrades."),
        ],
        Interview._meta.label_lower,
    )
    yield _table(
        "synpunkter",
        "Synpunkter",
        Finding.all_objects.filter(interview__in=interview_ids),
        [
            C("id", "pk", "integer", "Synpunktens id."),
            C("intervju_id", "interview_id", "integer", "Intervjun (intervjuer.id)."),
            C("omrade", "area__name", "string", "Prioriterat område."),
            C("typ", "type", "string", "Utmaning, idé eller styrka (kod)."),
            C("text", "text", "string", "Synpunkten."),
            C("vikt", "importance", "integer", "Hur viktig, 1–3.", True),
            C("citat", "quote", "string", "Ordagrant citat."),
            C("nyckelcitat", "is_key_quote", "boolean", "Markerad som nyckelcitat."),
            C("sekretess", "is_confidential", "boolean", "Sekretessmarkerad (31 kap. 16 § OSL)."),
            C("arkiverad", "is_archived", "boolean", "Flyttad till arkivet i portalen."),
            C("arkiverad_tid", "archived_at", "date-time", "När den arkiverades.", True),
        ],
        Finding._meta.label_lower,
    )
    yield _table(
        "uppfoljningar",
        "Uppföljningar",
        FollowUp.objects.filter(interview__in=interview_ids),
        [
            C("id", "pk", "integer", "Uppföljningens id."),
            C("intervju_id", "interview_id", "integer", "Intervjun (intervjuer.id)."),
            C("flagga", "flag", "string", "röd eller gul flagga (kod)."),
            C("vad", "title", "string", "Vad som behöver göras."),
            C("forfaller", "due_date", "date", "Förfallodag."),
            C("status", "status", "string", "Status (kod)."),
            C("anteckningar", "notes", "string", "Anteckningar."),
            C("skapad", "created_at", "date-time", "När den skapades."),
            C("avslutad", "closed_at", "date-time", "När den avslutades.", True),
        ],
        FollowUp._meta.label_lower,
    )
    company_ids = interviews.values("company_id")
    yield _table(
        "foretag",
        "Företag",
        Company.objects.filter(pk__in=company_ids),
        [
            C("id", "pk", "integer", "Företagets id."),
            C("namn", "name", "string", "Företagets namn."),
            C("organisationsnummer", "organisation_number", "string", "Organisationsnummer."),
            C("enskild_firma", "is_personal_data", "boolean", "Enskild firma (personuppgift)."),
            C("bransch", "industry", "string", "SNI-avdelning."),
            C("storlek", "size_class", "string", "Storleksklass (kod)."),
            C("stadsdel", "district", "string", "Stadsdel (kod)."),
            C("postort", "postal_town", "string", "Postort."),
        ],
        Company._meta.label_lower,
    )
    links = Interview.interviewees.through.objects.filter(interview__in=interview_ids)
    yield _table(
        "kontaktpersoner",
        "Kontaktpersoner som intervjuades",
        Contact.objects.filter(pk__in=links.values("contact_id")),
        [
            C("id", "pk", "integer", "Kontaktpersonens id."),
            C("foretag_id", "company_id", "integer", "Företaget (foretag.id)."),
            C("namn", "name", "string", "Namn."),
            C("roll", "role", "string", "Roll i företaget."),
            C("epost", "email", "string", "E-postadress."),
            C("telefon", "phone", "string", "Telefonnummer."),
        ],
        Contact._meta.label_lower,
    )
    yield _table(
        "intervjuade",
        "Vilka kontaktpersoner som deltog i vilken intervju",
        links.order_by("interview_id", "contact_id"),
        [
            C("intervju_id", "interview_id", "integer", "Intervjun (intervjuer.id)."),
            C("kontaktperson_id", "contact_id", "integer", "Kontaktpersonen (kontaktpersoner.id)."),
        ],
    )


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    return start, end


def interview_year(package: DeliveryPackage) -> Iterable[RecordTable]:
    """A closed year's interviews."""
    yield from interview_tables(Interview.objects.filter(date__year=package.year))


def dialogue_round(package: DeliveryPackage) -> Iterable[RecordTable]:
    """A workshop with its groups, proposals and evidence links, and the interviews behind them."""
    workshop_id = package.workshop_id
    yield _table(
        "workshoppar",
        "Workshop",
        Workshop.objects.filter(pk=workshop_id),
        [
            C("id", "pk", "integer", "Workshoppens id."),
            C("titel", "title", "string", "Titel."),
            C("datum", "date", "date", "Dag."),
            C("plats", "place", "string", "Plats."),
            C("status", "status", "string", "Status (kod)."),
            C("deltagare", "participants_total", "integer", "Antal deltagare.", True),
        ],
        Workshop._meta.label_lower,
    )
    yield _table(
        "grupper",
        "Grupper",
        WorkshopGroup.objects.filter(workshop_id=workshop_id),
        [
            C("id", "pk", "integer", "Gruppens id."),
            C("workshop_id", "workshop_id", "integer", "Workshoppen (workshoppar.id)."),
            C("namn", "name", "string", "Namn eller bordsnummer."),
            C("omrade", "area__name", "string", "Prioriterat område."),
            C("anteckningar", "notes", "string", "Anteckningar från samtalet."),
        ],
        WorkshopGroup._meta.label_lower,
    )
    proposals = Proposal.objects.filter(group__workshop_id=workshop_id)
    yield _table(
        "forslag",
        "Förslag",
        proposals,
        [
            C("id", "pk", "integer", "Förslagets id."),
            C("grupp_id", "group_id", "integer", "Gruppen (grupper.id)."),
            C("omrade", "area__name", "string", "Prioriterat område."),
            C("titel", "title", "string", "Förslaget."),
            C("beskrivning", "description", "string", "Beskrivning."),
            C("aktor", "actor", "string", "Vem som agerar (kod)."),
            C("roster", "votes", "integer", "Antal röster."),
            C("status", "status", "string", "Status (kod)."),
            C(
                "sammanslaget_med",
                "merged_into_id",
                "integer",
                "Förslaget det slogs ihop med.",
                True,
            ),
        ],
        Proposal._meta.label_lower,
    )
    evidence = Proposal.evidence.through.objects.filter(proposal__in=proposals.values("pk"))
    yield _table(
        "forslag_underlag",
        "Vilka synpunkter som ligger bakom vilket förslag",
        evidence.order_by("proposal_id", "finding_id"),
        [
            C("forslag_id", "proposal_id", "integer", "Förslaget (forslag.id)."),
            C("synpunkt_id", "finding_id", "integer", "Synpunkten (synpunkter.id)."),
        ],
    )
    cited = Finding.all_objects.filter(pk__in=evidence.values("finding_id"))
    yield from interview_tables(Interview.objects.filter(pk__in=cited.values("interview_id")))


# --- The reports as PDF/A ---------------------------------------------------------------------


def report_pdfa_writer(run: ReportRun) -> Callable:
    """Draw a finished report's summary again as PDF/A (the stored PDF is PDF/UA, not PDF/A)."""

    def write(handle) -> None:
        from reports.pdf import PDF_STYLESHEET, PDF_TEMPLATE, summary_pdf_context
        from reports.workbook import REPORT_LANGUAGE
        from smeportal.core.pdf import html_to_pdf

        with translation.override(REPORT_LANGUAGE):
            html = render_to_string(PDF_TEMPLATE, summary_pdf_context(run.snapshot.data))
            handle.write(html_to_pdf(html, stylesheet=PDF_STYLESHEET, variant=PDFA_VARIANT))

    return write


def reports_for(package: DeliveryPackage) -> Iterable[PackageDocument]:
    """The newest finished summary report made after the package's period began: it holds the
    figures of every interview up to its day. Reports whose files a retention decision removed
    are left out."""
    if package.kind == DeliveryPackage.Kind.INTERVIEW_YEAR:
        since, _end = _year_bounds(package.year)
    else:
        since = timezone.make_aware(datetime.combine(package.workshop.date, time.min))
    run = (
        ReportRun.objects.filter(
            status=ReportRun.Status.DONE,
            removed_by__isnull=True,
            snapshot__isnull=False,
            requested_at__gte=since,
        )
        .select_related("snapshot")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if run is not None:
        yield PackageDocument(
            path=f"documents/sammanstallning-{run.pk}.pdf",
            mimetype="application/pdf",
            write=report_pdfa_writer(run),
            title=f"Sammanställning {timezone.localtime(run.requested_at):%Y-%m-%d}",
        )


# --- What was released from these records, and the decisions -------------------------------


def _covering_requests(package: DeliveryPackage) -> QuerySet:
    """The requests for public records that covered records of the package: its interviews (one,
    or all of a company's), its findings' area and period, or its workshop."""
    if package.kind == DeliveryPackage.Kind.INTERVIEW_YEAR:
        interviews = Interview.objects.filter(date__year=package.year)
        first, last = date(package.year, 1, 1), date(package.year, 12, 31)
        covering = (
            Q(kind=CoveredItem.Kind.INTERVIEW, target_id__in=interviews.values("pk"))
            | Q(
                kind=CoveredItem.Kind.COMPANY_INTERVIEWS,
                target_id__in=interviews.values("company_id"),
            )
            | (
                Q(kind=CoveredItem.Kind.FINDINGS)
                & (Q(date_from__isnull=True) | Q(date_from__lte=last))
                & (Q(date_to__isnull=True) | Q(date_to__gte=first))
            )
        )
    else:
        covering = Q(kind=CoveredItem.Kind.WORKSHOP, target_id=package.workshop_id)
    return CoveredItem.objects.filter(covering).values("request_id")


def released_documents_for(package: DeliveryPackage) -> Iterable[PackageDocument]:
    """The PDFs released from the package's records and the decisions on those requests, as
    they were sent (the records app writes them as PDF/A-2a): a document is never drawn again,
    since the masks may have changed since."""
    documents = ReleasedDocument.objects.filter(
        request_id__in=_covering_requests(package),
        kind__in=[ReleasedDocument.Kind.RELEASE_PDF, ReleasedDocument.Kind.DECISION],
        status=ReleasedDocument.Status.DONE,
    ).select_related("request")
    for document in documents.order_by("pk").iterator(chunk_size=ITERATOR_CHUNK):
        if not document.file:
            continue

        def write(handle, document=document) -> None:
            with document.file.open("rb") as source:
                for chunk in iter(lambda source=source: source.read(1 << 16), b""):
                    handle.write(chunk)

        kind = "beslut" if document.kind == ReleasedDocument.Kind.DECISION else "utlamnat"
        yield PackageDocument(
            path=f"documents/{kind}-{document.request.pk}-{document.pk}.pdf",
            mimetype="application/pdf",
            write=write,
            title=f"{document.get_kind_display()} {document.request.number}",
            model_label=ReleasedDocument._meta.label_lower,
            object_id=document.pk,
        )


CONTENT_FOR: dict[str, list[Callable[[DeliveryPackage], Iterable]]] = {
    DeliveryPackage.Kind.INTERVIEW_YEAR: [interview_year, reports_for, released_documents_for],
    DeliveryPackage.Kind.DIALOGUE_ROUND: [dialogue_round, reports_for, released_documents_for],
}


def package_contents(package: DeliveryPackage) -> Iterable[RecordTable | PackageDocument]:
    for content in CONTENT_FOR[package.kind]:
        yield from content(package)

"""What a covered item holds, field by field, and the same with the secrecy review applied.

Each covered item (records.models.CoveredItem) is read as *units* (an interview, a finding, a
proposal, an activity, a report), read from the domain apps in bounded, ordered querysets: the
review pages show a page of units at a time, and a release walks them in chunks
(`item_sections_chunked`), so a selection over a large period is never held in memory at once.
A unit becomes a `Section`: a title that holds nothing the review could mask (the kind of record
and its date or number), and its `FieldText`s.

`redact` applies the review to a field: its default mask (a confidential finding's text, a
contact's name, e-mail and phone, a sole trader's name and number), unless the handler lifted
it, and every passage the handler masked. The result is a list of `Segment`s in which a masked
passage is only its ground: the released files and the preview are built from these, so the
masked text is never written into them at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Prefetch, QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from actionplan.models import Activity
from interviews.models import Finding, Interview
from interviews.selectors import interviewee_rows
from reports.models import ReportRun
from reports.pdf import summary_pdf_context
from workshops.models import Proposal

from .models import BUSINESS_SECRECY, PERSONAL_DATA_SECRECY, CoveredItem, Mask

# Units read from the database at a time when a release walks an item.
CHUNK_SIZE = 200
MASK_LABEL = "█"


@dataclass(frozen=True)
class FieldText:
    source: str
    source_id: int
    field: str
    label: str
    text: str
    default_ground: str = ""  # the ground of its default mask; "" when not masked by default

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}:{self.field}"


@dataclass
class Section:
    title: str
    fields: list[FieldText] = field(default_factory=list)

    def add(self, source, source_id, name, label, text, default_ground="") -> None:
        self.fields.append(
            FieldText(source, source_id, name, str(label), text or "", default_ground)
        )


@dataclass(frozen=True)
class Segment:
    text: str = ""
    ground: str = ""  # set: a masked passage, of which only the ground is kept

    @property
    def is_masked(self) -> bool:
        return bool(self.ground)

    @property
    def mask_label(self) -> str:
        return _("%(box)s Masked – %(ground)s") % {"box": MASK_LABEL, "ground": self.ground}


@dataclass
class RedactedField:
    label: str
    segments: list[Segment]
    key: str

    @property
    def plain(self) -> str:
        """The field as one text, each masked passage as its box (for the workbook)."""
        return "".join(
            segment.mask_label if segment.is_masked else segment.text for segment in self.segments
        )


@dataclass
class RedactedSection:
    title: str
    fields: list[RedactedField]


# --- Units of each kind --------------------------------------------------------------------------


def _interviews(queryset: QuerySet) -> QuerySet:
    # Only the columns _interview_section() shows: an interview, a contact and a finding have
    # many more, and reading them all was most of the review page's time.
    return (
        queryset.select_related("company")
        .only(
            "date",
            "format",
            "notes",
            "company__name",
            "company__organisation_number",
            "company__is_personal_data",
        )
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.filter(is_archived=False)
                .select_related("area")
                .only(
                    "interview",
                    "type",
                    "text",
                    "quote",
                    "is_confidential",
                    "area__name",
                    "area__name_en",
                )
                .order_by("area__order", "pk"),
                to_attr="active_findings",
            ),
        )
    )


def item_units(item: CoveredItem) -> QuerySet:
    """The units the item covers, ordered, with what their sections show."""
    kind = CoveredItem.Kind
    if item.kind == kind.INTERVIEW:
        return _interviews(Interview.objects.filter(pk=item.target_id).order_by("pk"))
    if item.kind == kind.COMPANY_INTERVIEWS:
        return _interviews(
            Interview.objects.filter(company_id=item.target_id).order_by("date", "pk")
        )
    if item.kind == kind.FINDINGS:
        findings = Finding.objects.filter(is_archived=False, area_id=item.target_id)
        if item.date_from:
            findings = findings.filter(interview__date__gte=item.date_from)
        if item.date_to:
            findings = findings.filter(interview__date__lte=item.date_to)
        return findings.select_related("area", "interview__company").order_by(
            "interview__date", "pk"
        )
    if item.kind == kind.WORKSHOP:
        return (
            Proposal.objects.filter(group__workshop_id=item.target_id, merged_into__isnull=True)
            .select_related("group", "area")
            .order_by("group__name", "pk")
        )
    if item.kind == kind.ACTION_PLAN:
        return (
            Activity.objects.filter(plan_id=item.target_id)
            .select_related("goal")
            .order_by("goal__title", "pk")
        )
    return (
        ReportRun.objects.filter(pk=item.target_id, status=ReportRun.Status.DONE)
        .select_related("snapshot")
        .order_by("pk")
    )


@dataclass(frozen=True)
class _PersonMet:
    pk: int
    name: str
    role: str
    email: str
    phone: str


def _add_people_met(interviews: list[Interview]) -> None:
    """Each interview's interviewees, by name, as `people_met`, read for all the interviews in
    one query (interviews.selectors.interviewee_rows)."""
    people = defaultdict(list)
    for interview_id, *person in interviewee_rows([interview.pk for interview in interviews]):
        people[interview_id].append(_PersonMet(*person))
    for interview in interviews:
        interview.people_met = people[interview.pk]


def _company_fields(section: Section, company) -> None:
    # A sole trader's name and number (a personal identity number) are personal data.
    personal = PERSONAL_DATA_SECRECY if company.is_personal_data else ""
    section.add("company", company.pk, "name", _("Company"), company.name, personal)
    section.add(
        "company",
        company.pk,
        "organisation_number",
        _("Organisation number"),
        company.organisation_number,
        personal,
    )


def _finding_fields(section: Section, finding: Finding) -> None:
    confidential = BUSINESS_SECRECY if finding.is_confidential else ""
    heading = f"{finding.area} – {finding.get_type_display()}"
    section.add(
        "finding", finding.pk, "text", _("Finding (%s)") % heading, finding.text, confidential
    )
    if finding.quote:
        section.add("finding", finding.pk, "quote", _("Quote"), finding.quote, confidential)


def _interview_section(interview: Interview) -> Section:
    section = Section(
        _("Interview of %(date)s (no. %(number)s)")
        % {"date": date_format(interview.date, "Y-m-d"), "number": interview.pk}
    )
    _company_fields(section, interview.company)
    section.add("interview", interview.pk, "format", _("Format"), interview.get_format_display())
    for contact in interview.people_met:
        section.add(
            "contact", contact.pk, "name", _("Person met"), contact.name, PERSONAL_DATA_SECRECY
        )
        section.add("contact", contact.pk, "role", _("Role"), contact.role)
        section.add(
            "contact", contact.pk, "email", _("E-mail"), contact.email, PERSONAL_DATA_SECRECY
        )
        section.add(
            "contact", contact.pk, "phone", _("Phone"), contact.phone, PERSONAL_DATA_SECRECY
        )
    section.add("interview", interview.pk, "notes", _("Notes"), interview.notes)
    for finding in interview.active_findings:
        _finding_fields(section, finding)
    return section


def unit_section(item: CoveredItem, unit) -> Section:
    kind = CoveredItem.Kind
    if item.kind in (kind.INTERVIEW, kind.COMPANY_INTERVIEWS):
        return _interview_section(unit)
    if item.kind == kind.FINDINGS:
        section = Section(
            _("Finding no. %(number)s, interview of %(date)s")
            % {"number": unit.pk, "date": date_format(unit.interview.date, "Y-m-d")}
        )
        _company_fields(section, unit.interview.company)
        _finding_fields(section, unit)
        return section
    if item.kind == kind.WORKSHOP:
        section = Section(_("Proposal no. %(number)s") % {"number": unit.pk})
        section.add("proposal", unit.pk, "group", _("Group"), unit.group.name)
        section.add("proposal", unit.pk, "area", _("Priority area"), str(unit.area))
        section.add("proposal", unit.pk, "title", _("Proposal"), unit.title)
        section.add("proposal", unit.pk, "description", _("Description"), unit.description)
        section.add("proposal", unit.pk, "actor", _("Who acts"), unit.get_actor_display())
        return section
    if item.kind == kind.ACTION_PLAN:
        section = Section(_("Activity no. %(number)s") % {"number": unit.pk})
        if unit.goal is not None:
            section.add("goal", unit.goal.pk, "title", _("Goal"), unit.goal.title)
        section.add("activity", unit.pk, "title", _("Activity"), unit.title)
        section.add("activity", unit.pk, "description", _("Description"), unit.description)
        section.add("activity", unit.pk, "status", _("Status"), unit.get_status_display())
        return section
    section = Section(_("Summary report no. %(number)s") % {"number": unit.pk})
    period = " – ".join(
        date_format(day, "Y-m-d") for day in (unit.period_start, unit.period_end) if day
    )
    section.add("report", unit.pk, "period", _("Period"), period or _("All time"))
    snapshot = getattr(unit, "snapshot", None)
    if snapshot is None:
        section.add("report", unit.pk, "content", _("Content"), _("The report's figures are gone."))
        return section
    # The figures the report's PDF shows (reports/pdf.py), one field per priority area: counts
    # only, no interview notes, quotes or contact details.
    figures = summary_pdf_context(snapshot.data)
    totals = figures["totals"]
    section.add(
        "report",
        unit.pk,
        "totals",
        _("In all"),
        _(
            "interviews: %(interviews)s, companies: %(companies)s, findings: %(findings)s, "
            "proposals: %(proposals)s, activities: %(activities)s"
        )
        % _grouped(
            interviews=totals.interviews,
            companies=totals.companies,
            findings=totals.findings,
            proposals=totals.proposals,
            activities=totals.activities,
        ),
    )
    for card in figures["cards"]:
        section.add(
            "report",
            unit.pk,
            f"area-{card.position}",
            card.name,
            _(
                "interviews: %(interviews)s, companies: %(companies)s, challenges: "
                "%(challenges)s, ideas: %(ideas)s, strengths: %(strengths)s, proposals: "
                "%(proposals)s, activities: %(activities)s (overdue: %(overdue)s)"
            )
            % _grouped(
                interviews=card.interviews,
                companies=card.companies,
                challenges=card.challenges,
                ideas=card.ideas,
                strengths=card.strengths,
                proposals=card.proposals,
                activities=card.activities,
                overdue=card.overdue,
            ),
        )
    return section


def _grouped(**counts: int) -> dict[str, str]:
    """Counts written as the reader's language groups thousands (Swedish: 12 345)."""
    return {name: number_format(count, force_grouping=True) for name, count in counts.items()}


def item_sections(item: CoveredItem, units: Iterable) -> list[Section]:
    units = list(units)
    if units and item.kind in (CoveredItem.Kind.INTERVIEW, CoveredItem.Kind.COMPANY_INTERVIEWS):
        _add_people_met(units)
    return [unit_section(item, unit) for unit in units]


def item_sections_chunked(item: CoveredItem) -> Iterator[list[Section]]:
    """All the item's sections, CHUNK_SIZE units at a time."""
    units = item_units(item).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(units, CHUNK_SIZE)):
        yield item_sections(item, chunk)


# --- The review ----------------------------------------------------------------------------------


@dataclass
class Review:
    """The handler's decisions on one item, by field key."""

    masks: dict[str, list[Mask]] = field(default_factory=lambda: defaultdict(list))
    lifted: dict[str, Mask] = field(default_factory=dict)

    @classmethod
    def of(cls, item: CoveredItem) -> Review:
        return cls.of_masks(item.masks.select_related("ground").order_by("pk"))

    @classmethod
    def of_masks(cls, masks: Iterable[Mask]) -> Review:
        """The review made of the item's decisions, read already (oldest first)."""
        review = cls()
        for mask in masks:
            key = f"{mask.source}:{mask.source_id}:{mask.field}"
            if mask.action == Mask.Action.UNMASK:
                review.lifted[key] = mask
            else:
                review.masks[key].append(mask)
        return review


def _spans(text: str, passage: str) -> Iterator[tuple[int, int]]:
    start = text.find(passage)
    while passage and start >= 0:
        yield start, start + len(passage)
        start = text.find(passage, start + 1)


def redact(field_text: FieldText, review: Review) -> list[Segment]:
    """The field's text as segments, every masked passage reduced to its ground."""
    text = field_text.text
    if not text:
        return []
    spans: list[tuple[int, int, str]] = []
    if field_text.default_ground and field_text.key not in review.lifted:
        spans.append((0, len(text), field_text.default_ground))
    for mask in review.masks.get(field_text.key, ()):
        spans.extend(
            (start, end, mask.ground.reference) for start, end in _spans(text, mask.passage)
        )
    if not spans:
        return [Segment(text=text)]
    spans.sort()
    merged: list[list] = []
    for start, end, ground in spans:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if ground not in last[2]:
                last[2].append(ground)
        else:
            merged.append([start, end, [ground]])
    segments = []
    position = 0
    for start, end, grounds in merged:
        if start > position:
            segments.append(Segment(text=text[position:start]))
        segments.append(Segment(ground=", ".join(grounds)))
        position = end
    if position < len(text):
        segments.append(Segment(text=text[position:]))
    return segments


def redact_sections(
    sections: Iterable[Section], review: Review, counts: Counter | None = None
) -> list[RedactedSection]:
    """The sections with the review applied; `counts` gathers the masked passages per ground."""
    redacted = []
    for section in sections:
        fields = []
        for field_text in section.fields:
            segments = redact(field_text, review)
            if not segments:
                continue
            if counts is not None:
                for segment in segments:
                    if segment.is_masked:
                        counts.update(segment.ground.split(", "))
            fields.append(RedactedField(field_text.label, segments, field_text.key))
        redacted.append(RedactedSection(section.title, fields))
    return redacted

"""Reads of the interviews app: a QuerySet ready for its page, or a page's plain values (no
N+1). The busiest pages' reads are compiled to SQL once per process
(smeportal.core.compiled)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import ngettext

from smeportal.accounts.roles import CAPABILITIES, role_holders
from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead
from smeportal.core.slices import compiled_slice, counts_of_slices, rows_of_slices, union_all

from .area_search import AreaTextSearch
from .choices import FindingType, Flag, FollowUpStatus, Industry, InterviewStatus, SizeClass
from .models import Company, Contact, Finding, FollowUp, Interview, recent_interview_cutoff
from .search import DocumentMatches


def _count(queryset: QuerySet, outer_field: str = "interview") -> Subquery:
    """A correlated COUNT subquery: avoids the row multiplication of several joined Counts."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def interview_list_base() -> QuerySet[Interview]:
    return (
        Interview.objects.select_related("company")
        .prefetch_related(
            "interviewers",
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("area").order_by("area__order", "pk"),
            ),
        )
        .annotate(
            finding_count=_count(Finding.objects.all()),
            open_red_flags=_count(
                FollowUp.objects.exclude(status=FollowUpStatus.DONE).filter(flag="rod")
            ),
            open_yellow_flags=_count(
                FollowUp.objects.exclude(status=FollowUpStatus.DONE).filter(flag="gul")
            ),
        )
    )


@dataclass(slots=True)
class InterviewRow:
    """What one row of the interview list shows: plain values, no model instances."""

    pk: int
    date: date
    status: str
    grade: int | None
    company_name: str
    industry: str
    size_class: str
    interviewers: list[str] = field(default_factory=list)
    # The orders of the priority areas of its live findings, in the order of the findings
    # (area order, then id), one per run of the same area: what {% regroup %} showed.
    area_numbers: list[int] = field(default_factory=list)
    finding_count: int = 0
    open_red_flags: int = 0
    open_yellow_flags: int = 0

    @property
    def status_display(self) -> str:
        return _INTERVIEW_STATUSES.get(self.status, self.status)

    @property
    def size_class_display(self) -> str:
        return _SIZE_CLASSES.get(self.size_class, self.size_class)


_INTERVIEW_STATUSES = dict(InterviewStatus.choices)
_SIZE_CLASSES = dict(SizeClass.choices)


def interview_list_rows(ids: list[int]) -> list[InterviewRow]:
    """One page of the interview list, in the order of `ids`, with what the page shows.

    The list page pages through bare ids and asks here for the rows of its page only: with
    the counts and prefetches on the whole filtered list, the database would compute them
    for every row an OFFSET skips (page 2,000 cost 91 trivial pages). Four small queries of
    plain values, whatever the page holds: model instances, prefetched findings with their
    areas and correlated counts cost more than the page's budget at scale, in Python. Each
    compiled once per number of ids (smeportal.core.compiled).
    """
    if not ids:
        return []
    rows = {
        pk: InterviewRow(pk, day, status, grade, name, industry, size_class)
        for pk, day, status, grade, name, industry, size_class in _LIST_ROWS.rows(ids)
    }
    for interview_id, first_name, last_name, username in _LIST_INTERVIEWERS.rows(ids):
        # User.__str__: the full name, else the username.
        rows[interview_id].interviewers.append(f"{first_name} {last_name}".strip() or username)
    last_area: dict[int, int] = {}
    for interview_id, area_id, area_order in _LIST_FINDINGS.rows(ids):
        row = rows[interview_id]
        row.finding_count += 1
        if last_area.get(interview_id) != area_id:
            row.area_numbers.append(area_order)
            last_area[interview_id] = area_id
    for interview_id, flag in _LIST_OPEN_FLAGS.rows(ids):
        if flag == Flag.RED:
            rows[interview_id].open_red_flags += 1
        elif flag == Flag.YELLOW:
            rows[interview_id].open_yellow_flags += 1
    return [rows[pk] for pk in ids if pk in rows]


# The four reads of a page of the interview list, compiled (smeportal.core.compiled).
_LIST_ROWS = CompiledRead(
    lambda ids: (
        Interview.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "date",
            "status",
            "grade",
            "company__name",
            "company__industry",
            "company__size_class",
        )
    )
)
_LIST_INTERVIEWERS = CompiledRead(
    lambda ids: (
        Interview.interviewers.through.objects.filter(interview_id__in=ids)
        .order_by("user__first_name", "user__last_name", "user__username", "user_id")
        .values_list("interview_id", "user__first_name", "user__last_name", "user__username")
    )
)
_LIST_FINDINGS = CompiledRead(
    lambda ids: (
        Finding.objects.filter(interview_id__in=ids)
        .order_by("area__order", "pk")
        .values_list("interview_id", "area_id", "area__order")
    )
)
_LIST_OPEN_FLAGS = CompiledRead(
    lambda ids: (
        FollowUp.objects.filter(interview_id__in=ids)
        .exclude(status=FollowUpStatus.DONE)
        .order_by()
        .values_list("interview_id", "flag")
    )
)


def interview_text_search(interviews: QuerySet[Interview], text: str) -> QuerySet[Interview]:
    """Interviews whose notes, live findings or quotes match the text, or whose company name does.

    Postgres: full-text search with the Swedish configuration (stemming: "bygglovet" finds
    "bygglov"; web-search syntax) in the interview's stored search document, one GIN-indexed
    match for the page and its count alike (interviews.search). SQLite (the embedded
    default): a case-insensitive substring match. Either way confidential findings count (the
    list is for business developers and administrators) and archived ones do not.
    """
    text = text.strip()
    if not text:
        return interviews
    if connection.vendor == "postgresql":
        return interviews.filter(DocumentMatches(text))
    by_findings = Finding.objects.filter(
        Q(text__folded_contains=text) | Q(quote__folded_contains=text)
    )
    return interviews.filter(
        Q(notes__folded_contains=text)
        | Q(pk__in=by_findings.values("interview_id"))
        | Q(company__name__folded_contains=text)
    )


def interview_list_filtered(params, *, user) -> QuerySet[Interview]:
    """The interview list as filtered by the list page's parameters (used by the export too).

    Invalid parameters give an empty result; the page shows the form errors.
    """
    from .filters import InterviewFilter

    filterset = InterviewFilter(params, queryset=interview_list_base(), request=None)
    if not filterset.is_valid():
        return Interview.objects.none()
    return filterset.qs


@dataclass(slots=True)
class ProposalNext:
    """A workshop proposal that a finding stands behind, and the activities that answer it."""

    pk: int
    title: str
    status: str
    merged_into_pk: int | None
    merged_into_title: str | None
    next_activities: list = field(default_factory=list)  # the action plan's activities

    @property
    def status_display(self) -> str:
        return _proposal_statuses().get(self.status, self.status)


@dataclass(slots=True)
class FindingDetail:
    """What the interview's page shows of one finding: plain values, its proposals in order."""

    pk: int
    interview: Interview
    area: PriorityArea  # its order, names and colour only
    type: str
    text: str
    importance: int
    quote: str
    is_key_quote: bool
    is_confidential: bool
    proposals: list[ProposalNext] = field(default_factory=list)
    visible_quote: object = None  # set by the view (consent.visible_quote)

    @property
    def type_display(self) -> str:
        return _FINDING_TYPES.get(self.type, self.type)

    @property
    def proposal_count_text(self) -> str:
        """ "3 proposals": a plural, translated here (makemessages reads no Jinja2)."""
        count = len(self.proposals)
        return ngettext("%(counter)s proposal", "%(counter)s proposals", count) % {"counter": count}


_FINDING_TYPES = dict(FindingType.choices)


@dataclass(slots=True)
class InterviewDetail:
    """One interview with what its page shows."""

    interview: Interview  # with its company
    interviewers: list[str]  # as User.__str__, in the users' order
    interviewees: list[str]  # as Contact.__str__ (name and role), in the contacts' order
    interviewee_names: str  # their names alone, for the quotes' attribution
    findings: list[FindingDetail]
    follow_ups: list[FollowUp]

    def findings_by_area(self) -> list[tuple[PriorityArea, list[FindingDetail]]]:
        """The findings in runs of the same area, as {% regroup %} groups them."""
        groups: list[tuple[PriorityArea, list[FindingDetail]]] = []
        for finding in self.findings:
            if groups and groups[-1][0].pk == finding.area.pk:
                groups[-1][1].append(finding)
            else:
                groups.append((finding.area, [finding]))
        return groups


def interview_detail(pk: int) -> InterviewDetail:
    """One interview with what its page shows, in four queries whatever it holds: the
    interview with its people, its findings with the proposals behind them, the activities
    that answer those (their progress is the view's, with_progress), its follow-ups.

    Each proposal carries `next_activities`: the activities that answer it (through a merge
    too). Plain values rather than prefetched model instances, read by compiled queries
    (smeportal.core.compiled): the prefetches cost more to build than the page to draw.
    """
    interview, interviewers, interviewees = _interview_with_people(pk)
    findings = _findings_with_proposals(interview)
    _attach_next_activities([proposal for finding in findings for proposal in finding.proposals])
    follow_ups = _interview_follow_ups(pk)
    return InterviewDetail(
        interview=interview,
        interviewers=[name for name, _ in interviewers],
        interviewees=[label for label, _ in interviewees],
        interviewee_names=", ".join(name for _, name in interviewees),
        findings=findings,
        follow_ups=follow_ups,
    )


def _model_fields(model, names: set[str]) -> tuple[str, ...]:
    """These fields in the model's order: Model.from_db takes its values in that order."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What the interview's page reads of the interview and its company (no more: the page builds
# them from these, and any other field would be read on use, as .only() leaves it).
_INTERVIEW_FIELDS = _model_fields(
    Interview,
    {
        "id",
        "company_id",
        "date",
        "format",
        "duration_minutes",
        "status",
        "grade",
        "consent",
        "notes",
    },
)
_COMPANY_FIELDS = _model_fields(
    Company, {"id", "name", "industry", "size_class", "is_personal_data"}
)


_INTERVIEW_WITH_PEOPLE = CompiledRead(
    lambda pk: (
        Interview.objects.filter(pk=pk)
        .order_by(
            "interviewers__first_name",
            "interviewers__last_name",
            "interviewers__username",
            "interviewers__pk",
            "interviewees__name",
            "interviewees__pk",
        )
        .values_list(
            *_INTERVIEW_FIELDS,
            *(f"company__{name}" for name in _COMPANY_FIELDS),
            "interviewers__pk",
            "interviewers__first_name",
            "interviewers__last_name",
            "interviewers__username",
            "interviewees__pk",
            "interviewees__name",
            "interviewees__role",
        )
    )
)


def _interview_with_people(
    pk: int,
) -> tuple[Interview, list[tuple[str, str]], list[tuple[str, str]]]:
    """The interview with its company, its interviewers and its interviewees, in one query:
    both relations joined (every pair of the few of each, on a row of the interview each).
    The people in their models' orders (User's and Contact's), each once, as
    (shown as, name). Http404 when there is no such interview."""
    from django.http import Http404

    rows = _INTERVIEW_WITH_PEOPLE.rows(pk)
    if not rows:
        raise Http404("No such interview.")
    first = rows[0]
    interview = Interview.from_db(
        connection.alias, _INTERVIEW_FIELDS, first[: len(_INTERVIEW_FIELDS)]
    )
    interview.company = Company.from_db(
        connection.alias,
        _COMPANY_FIELDS,
        first[len(_INTERVIEW_FIELDS) : len(_INTERVIEW_FIELDS) + len(_COMPANY_FIELDS)],
    )
    interviewers: dict[int, tuple[str, str]] = {}
    interviewees: dict[int, tuple[str, str]] = {}
    for row in rows:
        user_pk, first_name, last_name, username, contact_pk, name, role = row[
            len(_INTERVIEW_FIELDS) + len(_COMPANY_FIELDS) :
        ]
        if user_pk is not None and user_pk not in interviewers:
            # User.__str__: the full name, else the username.
            full_name = f"{first_name} {last_name}".strip() or username
            interviewers[user_pk] = (full_name, full_name)
        if contact_pk is not None and contact_pk not in interviewees:
            # Contact.__str__: the name, and the role when there is one.
            interviewees[contact_pk] = (f"{name} ({role})" if role else name, name)
    return interview, list(interviewers.values()), list(interviewees.values())


def _findings_with_proposals_read(interview_id: int) -> QuerySet:
    # Within a finding, its proposals in their model's order (votes, id), as a prefetch has them.
    proposal_order = [
        f"-proposals__{name[1:]}" if name.startswith("-") else f"proposals__{name}"
        for name in _proposal_model()._meta.ordering
    ]
    return (
        Finding.objects.filter(interview_id=interview_id)
        .order_by("area__order", "pk", *proposal_order)
        .values_list(
            "pk",
            "type",
            "text",
            "importance",
            "quote",
            "is_key_quote",
            "is_confidential",
            "area_id",
            "area__order",
            "area__name",
            "area__name_en",
            "area__colour",
            "proposals__pk",
            "proposals__title",
            "proposals__status",
            "proposals__merged_into__pk",
            "proposals__merged_into__title",
        )
    )


_FINDINGS_WITH_PROPOSALS = CompiledRead(_findings_with_proposals_read)
_DETAIL_AREA_FIELDS = _model_fields(PriorityArea, {"id", "order", "name", "name_en", "colour"})


def _findings_with_proposals(interview: Interview) -> list[FindingDetail]:
    """The interview's findings in their order (area, id), each with the proposals behind it
    in theirs (votes, id), and their areas: one query, a row per finding and proposal."""
    rows = _FINDINGS_WITH_PROPOSALS.rows(interview.pk)
    findings: dict[int, FindingDetail] = {}
    areas: dict[int, PriorityArea] = {}
    for (
        pk,
        finding_type,
        text,
        importance,
        quote,
        is_key_quote,
        is_confidential,
        area_id,
        area_order,
        area_name,
        area_name_en,
        area_colour,
        proposal_pk,
        proposal_title,
        proposal_status,
        merged_into_pk,
        merged_into_title,
    ) in rows:
        finding = findings.get(pk)
        if finding is None:
            area = areas.get(area_id)
            if area is None:
                values = {
                    "id": area_id,
                    "order": area_order,
                    "name": area_name,
                    "name_en": area_name_en,
                    "colour": area_colour,
                }
                area = areas[area_id] = PriorityArea.from_db(
                    connection.alias, _DETAIL_AREA_FIELDS, [values[n] for n in _DETAIL_AREA_FIELDS]
                )
            finding = findings[pk] = FindingDetail(
                pk=pk,
                interview=interview,
                area=area,
                type=finding_type,
                text=text,
                importance=importance,
                quote=quote,
                is_key_quote=is_key_quote,
                is_confidential=is_confidential,
            )
        if proposal_pk is not None:
            finding.proposals.append(
                ProposalNext(
                    pk=proposal_pk,
                    title=proposal_title,
                    status=proposal_status,
                    merged_into_pk=merged_into_pk,
                    merged_into_title=merged_into_title,
                )
            )
    return list(findings.values())


def _proposal_model():
    """The proposal model, reached through the finding's reverse relation: the workshops app
    stands on this one, not the other way round (tests/architecture)."""
    return Finding._meta.get_field("proposals").related_model


def _proposal_statuses() -> dict[str, str]:
    return dict(_proposal_model()._meta.get_field("status").flatchoices)


def _activity_model():
    return _proposal_model()._meta.get_field("activities").related_model


def _next_activities_read(proposal_ids: list[int]) -> QuerySet:
    links = _proposal_model()._meta.get_field("activities").through.objects
    return (
        links.filter(proposal_id__in=proposal_ids)
        .order_by("activity__due_date", "activity_id")
        .values_list(
            "proposal_id",
            *(f"activity__{field.attname}" for field in _activity_model()._meta.concrete_fields),
        )
    )


_NEXT_ACTIVITIES = CompiledRead(_next_activities_read)


def _attach_next_activities(proposals: list[ProposalNext]) -> None:
    """Each proposal's `next_activities`, in the activities' order (due date, id): those of
    the proposal, or of the proposal it was merged into, which carries it on. One query for
    all of them (the activity model is reached through the proposal's reverse relation)."""
    live_ids = sorted({proposal.merged_into_pk or proposal.pk for proposal in proposals})
    activity_model = _activity_model()
    names = [field.attname for field in activity_model._meta.concrete_fields]
    by_proposal: dict[int, list] = defaultdict(list)
    if live_ids:
        for proposal_id, *values in _NEXT_ACTIVITIES.rows(live_ids):
            by_proposal[proposal_id].append(activity_model.from_db(connection.alias, names, values))
    # A proposal behind two findings is two rows here: each gets its list.
    for proposal in proposals:
        proposal.next_activities = by_proposal.get(proposal.merged_into_pk or proposal.pk, [])


# What a table of follow-ups on an interview's page shows of each (followup_table_rows.html).
_FOLLOW_UP_FIELDS = _model_fields(
    FollowUp, {"id", "interview_id", "flag", "title", "owner_id", "due_date", "status"}
)
_OWNER_FIELDS = ("id", "username", "first_name", "last_name")
_INTERVIEW_FOLLOW_UPS = CompiledRead(
    lambda interview_id: (
        FollowUp.objects.filter(interview_id=interview_id)
        .order_by("status", "due_date")
        .values_list(*_FOLLOW_UP_FIELDS, *(f"owner__{name}" for name in _OWNER_FIELDS))
    )
)


def _interview_follow_ups(interview_id: int) -> list[FollowUp]:
    """The interview's follow-ups (open first, by due date) with their owners, as models
    holding what the table shows (any other field is read on use, as .only() leaves it)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    owner_fields = _model_fields(user_model, set(_OWNER_FIELDS))
    follow_ups = []
    for row in _INTERVIEW_FOLLOW_UPS.rows(interview_id):
        follow_up = FollowUp.from_db(
            connection.alias, _FOLLOW_UP_FIELDS, row[: len(_FOLLOW_UP_FIELDS)]
        )
        owner = dict(zip(_OWNER_FIELDS, row[len(_FOLLOW_UP_FIELDS) :], strict=True))
        follow_up.owner = user_model.from_db(
            connection.alias, owner_fields, [owner[name] for name in owner_fields]
        )
        follow_ups.append(follow_up)
    return follow_ups


def company_list(search: str = "") -> QuerySet[Company]:
    from smeportal.core.collation import swedish

    # No per-company aggregates here: the list page adds them for its own rows only
    # (company_interview_facts), and the interview form's company choice needs none.
    companies = Company.objects.order_by(swedish("name"), "pk")
    if search.strip():
        search = search.strip()
        companies = companies.filter(company_matches(search))
    return companies


def company_matches(search: str) -> Q:
    """Companies whose name or organisation number holds `search` (case-insensitive).

    An organisation number is digits and a hyphen: a search without a digit is not looked for
    there, which leaves Postgres one trigram index to read instead of two (a seq scan of every
    company was the planner's choice for the pair).
    """
    matches = Q(name__folded_contains=search)
    if any(character.isdigit() for character in search):
        for number in organisation_number_searches(search):
            matches |= Q(organisation_number__icontains=number)
    return matches


def organisation_number_searches(search: str) -> list[str]:
    """What to look for among the organisation numbers, stored as NNNNNN-NNNN: a whole one
    typed as the form accepts it ("5560360793", "556036 0793", a sole trader's
    "198112189876") as it is stored; digits that may be the start of one ("5560360") both as
    typed and as the start ("556036-0"); anything else as typed ("036-07")."""
    compact = search.strip().replace(" ", "").replace("-", "").replace("+", "")
    if not compact.isascii() or not compact.isdigit():
        return [search.strip()]
    if len(compact) == 12:
        compact = compact[2:]  # a personal identity number with its century
    if len(compact) == 10:
        return [f"{compact[:6]}-{compact[6:]}"]
    if len(compact) > 6 and "-" not in search:
        return [compact, f"{compact[:6]}-{compact[6:]}"]
    return [search.strip()]


def company_interview_facts(companies: list[Company]) -> list[Company]:
    """Set `interview_count` and `last_interview` on a page of companies, in one query.

    Grouping every company with all its interviews would cost the whole table on each page.
    """
    facts = {
        row["company"]: row
        for row in Interview.objects.filter(company__in=[company.pk for company in companies])
        .order_by()
        .values("company")
        .annotate(total=Count("pk"), last=Max("date"))
    }
    for company in companies:
        row = facts.get(company.pk, {})
        company.interview_count = row.get("total", 0)
        company.last_interview = row.get("last")
    return companies


def company_by_organisation_number(number: str) -> Company | None:
    return Company.objects.filter(organisation_number=number).first()


def company_detail(pk: int) -> Company:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Company.objects.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")),
        ),
        pk=pk,
    )


def company_interviews(company: Company) -> QuerySet[Interview]:
    """The ids of the company's interviews, newest first: the company page shows them a page
    at a time, each page's rows read by interview_list_rows (a company may have hundreds)."""
    return (
        Interview.objects.filter(company=company)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True, slots=True)
class RecentVisit:
    """The company's latest interview, when it is recent: the "visited lately" notice."""

    date: date
    interviewers: list[str]


def company_recent_interview(
    company: Company, *, newest: InterviewRow | None = None
) -> RecentVisit | None:
    """The latest interview within the last six months, if any, in one query of plain values.

    `newest`: the company's newest interview as a row of the interview list, when the page
    has read it already (the first page of the company's interviews): then no query at all.
    """
    cutoff = recent_interview_cutoff()
    if newest is not None:
        return RecentVisit(newest.date, newest.interviewers) if newest.date >= cutoff else None
    latest = company.interviews.filter(date__gte=cutoff).order_by("-date", "-pk").values("pk")[:1]
    rows = list(
        Interview.objects.filter(pk__in=latest)
        .order_by(
            "interviewers__first_name",
            "interviewers__last_name",
            "interviewers__username",
            "interviewers__pk",
        )
        .values_list(
            "date",
            "interviewers__first_name",
            "interviewers__last_name",
            "interviewers__username",
        )
    )
    if not rows:
        return None
    # User.__str__: the full name, else the username (none when nobody is named).
    names = [
        f"{first_name or ''} {last_name or ''}".strip() or username
        for _, first_name, last_name, username in rows
        if username is not None
    ]
    return RecentVisit(rows[0][0], names)


# What a table of follow-ups shows (interviews/followup_table.html): a list of 50 loads no
# more of the owner, the interview and the company than that.
FOLLOW_UP_TABLE_FIELDS = (
    "flag",
    "title",
    "due_date",
    "status",
    "interview__date",
    "interview__company__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def open_follow_ups_for_company(company: Company) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(interview__company=company)
        .exclude(status=FollowUpStatus.DONE)
        .select_related("owner", "interview__company")
        .only(*FOLLOW_UP_TABLE_FIELDS)
        .order_by("due_date", "pk")
    )


def open_follow_ups_of_team(owner=None) -> QuerySet[FollowUp]:
    """Every open follow-up, by owner (name), then by due date so overdue ones come first;
    one owner's when given."""
    follow_ups = (
        FollowUp.objects.exclude(status=FollowUpStatus.DONE)
        .select_related("owner", "interview__company")
        .only(*FOLLOW_UP_TABLE_FIELDS, "owner_id")
    )
    if owner is not None:
        return follow_ups.filter(owner=owner).order_by("due_date", "pk")
    return follow_ups.order_by(
        "owner__first_name", "owner__last_name", "owner__username", "owner_id", "due_date", "pk"
    )


def open_follow_ups_for_owner(user) -> QuerySet[FollowUp]:
    """A user's open follow-ups by due date, so overdue ones come first (paginated by the page)."""
    return (
        FollowUp.objects.filter(owner=user)
        .exclude(status=FollowUpStatus.DONE)
        .select_related("owner", "interview__company")
        .only(*FOLLOW_UP_TABLE_FIELDS)
        .order_by("due_date", "pk")
    )


def done_follow_ups_for_owner(user) -> QuerySet[FollowUp]:
    """A user's done follow-ups, the most recently closed first."""
    return (
        FollowUp.objects.filter(owner=user, status=FollowUpStatus.DONE)
        .select_related("owner", "interview__company")
        .only(*FOLLOW_UP_TABLE_FIELDS)
        .order_by(F("closed_at").desc(nulls_last=True), "-due_date", "-pk")
    )


def interviewer_choices() -> QuerySet:
    """Users who can conduct interviews: holders of a role with the interviews capability."""
    return role_holders(CAPABILITIES["interviews.edit"])


# --- The history pages' subjects (compiled: smeportal.core.compiled) ------------------------------

_INTERVIEW_TITLE = CompiledRead(
    lambda pk: Interview.objects.filter(pk=pk).values_list("date", "company__name")
)
_COMPANY_NAME = CompiledRead(lambda pk: Company.objects.filter(pk=pk).values_list("name"))


def interview_title_values(pk: int) -> tuple[date, str]:
    """The interview's date and its company's name; Http404 when there is no such interview."""
    from django.http import Http404

    rows = _INTERVIEW_TITLE.rows(pk)
    if not rows:
        raise Http404("No such interview.")
    return rows[0]


def company_name(pk: int) -> str:
    """The company's name; Http404 when there is no such company."""
    from django.http import Http404

    rows = _COMPANY_NAME.rows(pk)
    if not rows:
        raise Http404("No such company.")
    return rows[0][0]


# --- The interview form's reads (compiled: smeportal.core.compiled) -------------------------------

_INTERVIEW_ALL = tuple(field.attname for field in Interview._meta.concrete_fields)
_COMPANY_ALL = tuple(field.attname for field in Company._meta.concrete_fields)
_INTERVIEW_WITH_COMPANY = CompiledRead(
    lambda pk: Interview.objects.filter(pk=pk).values_list(
        *_INTERVIEW_ALL, *(f"company__{name}" for name in _COMPANY_ALL)
    )
)


def interview_with_company(pk: int) -> Interview:
    """The interview with its company, as select_related("company") reads it; Http404 when
    there is none."""
    from django.http import Http404

    rows = _INTERVIEW_WITH_COMPANY.rows(pk)
    if not rows:
        raise Http404("No such interview.")
    values = rows[0]
    interview = Interview.from_db(connection.alias, _INTERVIEW_ALL, values[: len(_INTERVIEW_ALL)])
    interview.company = Company.from_db(
        connection.alias, _COMPANY_ALL, values[len(_INTERVIEW_ALL) :]
    )
    return interview


# A user as a choice shows: User.__str__ (the full name, else the username).
_CHOICE_USER_FIELDS = ("id", "username", "first_name", "last_name")


def _interviewer_choices_read(interview_id: int | None = None) -> QuerySet:
    users = interviewer_choices()
    if interview_id is None:
        chosen = Value(False)
    else:
        links = Interview.interviewers.through.objects.filter(
            interview_id=interview_id, user=OuterRef("pk")
        )
        chosen = Exists(links)
    return users.annotate(chosen=chosen).values_list(*_CHOICE_USER_FIELDS, "chosen")


# Compiled once for the page of a new interview (no id) and once for an interview's.
_INTERVIEWER_CHOICES = CompiledRead(_interviewer_choices_read)


def interviewers_to_choose(interview_id: int | None) -> list:
    """The users who can conduct interviews, in their order, each with `chosen`: whether they
    conducted this interview. Models holding what a choice shows (any other field is read on
    use, as .only() leaves it)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    fields = tuple(
        field.attname
        for field in user_model._meta.concrete_fields
        if field.attname in _CHOICE_USER_FIELDS
    )
    keys = () if interview_id is None else (interview_id,)
    rows = _INTERVIEWER_CHOICES.rows(*keys)
    users = []
    for row in rows:
        values = dict(zip(_CHOICE_USER_FIELDS, row, strict=False))
        user = user_model.from_db(connection.alias, fields, [values[name] for name in fields])
        user.chosen = row[-1]
        users.append(user)
    return users


_CONTACT_ALL = tuple(field.attname for field in Contact._meta.concrete_fields)


def _contacts_read(company_id: int, interview_id: int | None = None) -> QuerySet:
    contacts = Contact.objects.filter(company_id=company_id).order_by("name")
    if interview_id is None:
        chosen = Value(False)
    else:
        links = Interview.interviewees.through.objects.filter(
            interview_id=interview_id, contact=OuterRef("pk")
        )
        chosen = Exists(links)
    return contacts.annotate(chosen=chosen).values_list(*_CONTACT_ALL, "chosen")


# Compiled once for a new interview's page (the company's id) and once for an interview's.
_CONTACTS = CompiledRead(_contacts_read)


def contacts_to_choose(company_id: int, interview_id: int | None) -> list[Contact]:
    """The company's contact persons by name, each with `chosen`: whether this interview
    interviewed them."""
    keys = (company_id,) if interview_id is None else (company_id, interview_id)
    rows = _CONTACTS.rows(*keys)
    contacts = []
    for *values, chosen in rows:
        contact = Contact.from_db(connection.alias, _CONTACT_ALL, values)
        contact.chosen = chosen
        contacts.append(contact)
    return contacts


# A finding's row of the interview form: its form's initial data.
FINDING_FORM_FIELDS = (
    "id",
    "area",
    "type",
    "text",
    "importance",
    "quote",
    "is_key_quote",
    "is_confidential",
)
_FINDING_FORM_VALUES = CompiledRead(
    lambda interview_id: Finding.objects.filter(interview_id=interview_id).values_list(
        *FINDING_FORM_FIELDS
    )
)


def interview_finding_values(interview_id: int) -> list[dict]:
    """The interview's findings in their order (area, id) as the form's initial data (the area
    by its id)."""
    return [
        dict(zip(FINDING_FORM_FIELDS, row, strict=True))
        for row in _FINDING_FORM_VALUES.rows(interview_id)
    ]


_FILTER_AREAS = CompiledRead(
    lambda: PriorityArea.objects.order_by("order").values_list("id", "name", "name_en")
)


def areas_to_filter_by() -> list[PriorityArea]:
    """Every area in its order, as the interview list's filter offers them: models holding
    their names (any other field is read on use, as .only() leaves it)."""
    fields = ("id", "name", "name_en")
    return [PriorityArea.from_db(connection.alias, fields, row) for row in _FILTER_AREAS.rows()]


def _area_choices_read() -> QuerySet:
    from smeportal.areas.selectors import area_list

    return area_list().values_list("id", "name", "name_en")


_AREA_CHOICES = CompiledRead(_area_choices_read)


def area_choices() -> list[tuple[int, str]]:
    """The areas a finding can be coded to, in their order: (id, name in the interface
    language), as a choice of them shows."""
    fields = ("id", "name", "name_en")
    return [
        (row[0], PriorityArea.from_db(connection.alias, fields, row).display_name)
        for row in _AREA_CHOICES.rows()
    ]


# The order of findings within a priority area, on every list of them: the most important
# first, then the most recently recorded interviews, then the finding's id. The interview's id
# stands for its recency: an index on the findings serves this order, whereas the interview's
# date would have every matching finding joined and sorted for each page (0.3 s for the
# challenges of one area at 600,000 findings, against 0.1 ms).
FINDING_ORDER = ("-importance", "-interview_id", "pk")


# The finding list's order: area by area, then FINDING_ORDER.
FINDING_LIST_ORDER = ("area__order", *FINDING_ORDER)


def finding_list(*, audience_is_internal: bool) -> QuerySet[Finding]:
    findings = Finding.objects.select_related("area", "interview__company").order_by(
        *FINDING_LIST_ORDER
    )
    if not audience_is_internal:
        # Business secrets never leave the business developers' pages.
        findings = findings.filter(is_confidential=False)
    return findings


def _area_rank(area_ids: Sequence[int]) -> Case:
    return Case(
        *[When(area_id=area_id, then=Value(rank)) for rank, area_id in enumerate(area_ids)],
        default=Value(len(area_ids)),
        output_field=IntegerField(),
    )


def findings_by_area(
    findings: QuerySet[Finding],
    area_ids: Sequence[int],
    start: int,
    stop: int,
    within_area: Callable[[int], Q] | None = None,
) -> list[Finding]:
    """Findings [start:stop] of `findings` in the given areas: area by area in the order of
    `area_ids`, FINDING_ORDER within an area. `within_area(area_id)`: a condition of each
    area's own (a text search through the area's own index, interviews.area_search).

    On Postgres a page is one UNION ALL of a slice per area, each read in the order of the
    index on (area, importance, interview, id): no page sorts every matching finding, since
    the area's place in the order (PriorityArea.order) lives in another table. Elsewhere
    (the embedded SQLite) a plain ORDER BY does.
    """
    ids = finding_ids_by_area(findings, area_ids, start, stop, within_area)
    rows = findings.order_by().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def finding_ids_by_area(
    findings: QuerySet[Finding],
    area_ids: Sequence[int],
    start: int,
    stop: int,
    within_area: Callable[[int], Q] | None = None,
) -> list[int]:
    """The ids of findings_by_area(), in its order."""
    if stop <= start or not area_ids:
        return []

    def of_area(area_id: int) -> QuerySet[Finding]:
        area = findings.filter(area_id=area_id)
        return area.filter(within_area(area_id)) if within_area is not None else area

    if len(area_ids) == 1:
        keys = of_area(area_ids[0]).order_by(*FINDING_ORDER)
        ids = list(keys.values_list("pk", flat=True)[start:stop])
    elif connection.vendor == "postgresql":
        parts = [
            of_area(area_id)
            .order_by(*FINDING_ORDER)
            .annotate(area_rank=Value(rank, output_field=IntegerField()))
            .values_list("id", "area_rank", "importance", "interview_id")[:stop]
            for rank, area_id in enumerate(area_ids)
        ]
        union = parts[0].union(*parts[1:], all=True)
        keys = union.order_by("area_rank", "-importance", "-interview_id", "id")[start:stop]
        ids = [key[0] for key in keys]
    else:
        in_areas = findings.filter(area_id__in=area_ids)
        if within_area is not None:
            in_areas = in_areas.filter(any_area(within_area, area_ids))
        keys = in_areas.order_by(_area_rank(area_ids), *FINDING_ORDER)
        ids = list(keys.values_list("pk", flat=True)[start:stop])
    return ids


def _searched_ids(
    findings: QuerySet[Finding], area_ids: Sequence[int], limit: int, search: AreaTextSearch
) -> list[int]:
    """finding_list_ids() of a text search (Postgres): a slice of each area, through its own
    index or walked, UNION ALL, without an order over them.

    Postgres reads the slices one after the other (each in list order) and stops at `limit`
    rows, so a word found on the first areas leaves the later ones unread: a word whose
    trigrams are all common but that is itself rare makes an area's index hand over thousands
    of findings to be checked one by one (20-45 ms an area for "företagen"). Each form of the
    slice (indexed or walked) is compiled once and repeated with each area's id (as
    smeportal.core.slices does): the ORM compiling six parts and their union took 3 ms.
    """

    def part(by_index: bool):
        return compiled_slice(
            lambda area_id: (
                findings.filter(area_id=area_id)
                .filter(search.condition(area_id, by_index=by_index))
                .order_by(*FINDING_ORDER)
                .values_list("id", "area_id", "importance", "interview_id")
            ),
            limit,
        )

    forms = {by_index: part(by_index) for by_index in {search.by_index(a) for a in area_ids}}
    sql, params = union_all([forms[search.by_index(area_id)](area_id) for area_id in area_ids])
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, limit])
        return _ids_in_list_order(cursor.fetchall(), area_ids)


def _ids_in_list_order(rows: list[tuple], area_ids: Sequence[int]) -> list[int]:
    """The ids of (id, area_id, importance, interview_id) rows, area by area in the order of
    `area_ids`, FINDING_ORDER within an area: the order the slices of the areas were read in,
    which their union does not keep."""
    rank = {area_id: position for position, area_id in enumerate(area_ids)}
    rows = sorted(rows, key=lambda row: (rank[row[1]], -row[2], -row[3], row[0]))
    return [row[0] for row in rows]


def finding_list_ids(
    findings: QuerySet[Finding],
    area_ids: Sequence[int],
    limit: int,
    within_area: Callable[[int], Q] | None = None,
) -> list[int]:
    """The ids of the first `limit` findings of the finding list's order (findings_by_area).

    Without a search, on Postgres, the slice of each area is one part compiled once and
    repeated with each area's id (smeportal.core.slices), and the few rows are put in order
    here: the ORM compiled the union part by part, six times over, each with the page's
    filters (a semi-join for an industry), which cost more than the rest of the page.
    """
    if len(area_ids) > 1 and connection.vendor == "postgresql":
        if isinstance(within_area, AreaTextSearch):
            return _searched_ids(findings, area_ids, limit, within_area)
        if within_area is None:
            part = findings.order_by(*FINDING_ORDER).values_list(
                "id", "area_id", "importance", "interview_id"
            )
            rows = rows_of_slices(part, "area_id", area_ids, limit)
            return _ids_in_list_order(rows, area_ids)[:limit]
    return finding_ids_by_area(findings, area_ids, 0, limit, within_area)


def interviewee_rows(interview_ids: Sequence[int]) -> QuerySet:
    """The contact persons of these interviews as (interview id, contact id, name, role,
    e-mail, phone) rows, by name: one query of the link table for all of them (Django's
    prefetch of a many-to-many relation builds a costlier one, through an extra select, for
    the same rows). For the API's interviews and a public-records item's content."""
    return (
        Interview.interviewees.through.objects.filter(interview_id__in=interview_ids)
        .order_by("contact__name", "contact_id")
        .values_list(
            "interview_id",
            "contact_id",
            "contact__name",
            "contact__role",
            "contact__email",
            "contact__phone",
        )
    )


# What the finding list shows of a finding, its interview and its company
# (finding_list_rows.html, consent.visible_quote).
_LIST_FINDING_FIELDS = _model_fields(
    Finding,
    {
        "id",
        "interview_id",
        "area_id",
        "type",
        "text",
        "importance",
        "quote",
        "is_key_quote",
        "is_confidential",
    },
)
_LIST_INTERVIEW_FIELDS = _model_fields(Interview, {"id", "company_id", "date", "consent"})
_LIST_COMPANY_FIELDS = _model_fields(
    Company, {"id", "name", "industry", "size_class", "is_personal_data"}
)
_FINDING_LIST_ROWS = CompiledRead(
    lambda ids: (
        Finding.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            *_LIST_FINDING_FIELDS,
            *(f"interview__{name}" for name in _LIST_INTERVIEW_FIELDS),
            *(f"interview__company__{name}" for name in _LIST_COMPANY_FIELDS),
        )
    )
)


def finding_list_rows(ids: list[int], areas: dict[int, PriorityArea]) -> list[Finding]:
    """The findings of a page of the finding list, in the order of `ids`, with their interview,
    its company and their area (from `areas`): models holding what the page shows (any other
    field is read on use, as .only() leaves it), read in one compiled query."""
    if not ids:
        return []
    first, second = (
        len(_LIST_FINDING_FIELDS),
        len(_LIST_FINDING_FIELDS) + len(_LIST_INTERVIEW_FIELDS),
    )
    findings = {}
    for row in _FINDING_LIST_ROWS.rows(ids):
        finding = Finding.from_db(connection.alias, _LIST_FINDING_FIELDS, row[:first])
        interview = Interview.from_db(connection.alias, _LIST_INTERVIEW_FIELDS, row[first:second])
        interview.company = Company.from_db(connection.alias, _LIST_COMPANY_FIELDS, row[second:])
        finding.interview = interview
        finding.area = areas[finding.area_id]
        findings[finding.pk] = finding
    return [findings[pk] for pk in ids if pk in findings]


_AREA_FIELDS = _model_fields(
    PriorityArea, {"id", "name", "name_en", "order", "colour", "is_archived"}
)
_ALL_AREAS = CompiledRead(
    lambda: PriorityArea.objects.order_by("order", "name").values_list(*_AREA_FIELDS)
)


def all_areas() -> list[PriorityArea]:
    """Every area, archived ones too, in their order (area_list(include_archived=True)):
    models holding their names, order and colour."""
    return [PriorityArea.from_db(connection.alias, _AREA_FIELDS, row) for row in _ALL_AREAS.rows()]


def any_area(within_area: Callable[[int], Q], area_ids: Sequence[int]) -> Q:
    """`within_area` of any of the areas: one condition per area, OR-ed (each answered by the
    area's own index)."""
    condition = Q(pk__in=[])
    for area_id in area_ids:
        condition |= within_area(area_id)
    return condition


def finding_counts_by_area(
    findings: QuerySet[Finding], area_ids: Sequence[int], *, cap: int
) -> dict[int, int]:
    """Per area, how many of `findings` it holds, counted up to cap + 1 (one query).

    Past the cap a page says "more than": counting every challenge of an area exactly would
    read them all on each page view.
    """
    if not area_ids:
        return {}
    if connection.vendor == "postgresql":
        return counts_of_slices(findings, "area_id", area_ids, cap + 1)
    counted = (
        findings.filter(area_id__in=area_ids)
        .order_by()
        .values("area_id")
        .annotate(total=Count("pk"))
    )
    return {row["area_id"]: min(row["total"], cap + 1) for row in counted}


def findings_first_per_area(
    findings: QuerySet[Finding], area_ids: Sequence[int], per_area: int
) -> dict[int, list[Finding]]:
    """The first `per_area` findings of each area (FINDING_ORDER), in two queries."""
    if not area_ids:
        return {}
    if connection.vendor == "postgresql":
        first = findings.order_by(*FINDING_ORDER).values_list("id")
        ids = [key for (key,) in rows_of_slices(first, "area_id", area_ids, per_area)]
    else:
        numbered = (
            findings.filter(area_id__in=area_ids)
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=[F("area_id")],
                    order_by=[F("importance").desc(), F("interview_id").desc(), F("pk").asc()],
                )
            )
            .filter(position__lte=per_area)
        )
        ids = list(numbered.values_list("pk", flat=True))
    by_area: dict[int, list[Finding]] = {area_id: [] for area_id in area_ids}
    rows = findings.filter(pk__in=ids).order_by(*FINDING_ORDER)
    for finding in rows:
        by_area[finding.area_id].append(finding)
    return by_area


def interview_exports_of(user) -> QuerySet:
    """The interview exports this user may see: their own; an administrator sees everyone's."""
    from smeportal.accounts.roles import Role, user_roles

    from .models import InterviewExport

    exports = InterviewExport.objects.select_related("requested_by")
    if Role.ADMINISTRATOR in user_roles(user):
        return exports
    return exports.filter(requested_by=user)


def interview_export_visible(*, export_id: int, user):
    """The export if this user may see it; 404 otherwise (another user's export is not even
    shown to exist)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(interview_exports_of(user), pk=export_id)


# --- The findings behind a proposal or an activity ----------------------------------------------


@dataclass(frozen=True)
class FindingsSummary:
    """What stands behind a proposal or an activity: its findings and their companies."""

    finding_count: int
    confidential_count: int  # of finding_count, business secrets (listed to staff only)
    company_count: int
    industries: list[tuple[str, int]]  # (label, number of companies), most first
    sizes: list[tuple[str, int]]  # (label, number of companies), smallest size first
    # (id, is a business secret) of every finding, in the order the page lists them.
    findings_in_order: list[tuple[int, bool]]

    def finding_ids(self, *, internal: bool) -> list[int]:
        """The ids of the findings this audience may read, in the page's order: the page
        pages through them and reads one page of findings by id."""
        return [pk for pk, secret in self.findings_in_order if internal or not secret]


def findings_summary(findings: QuerySet[Finding], order: Sequence[str]) -> FindingsSummary:
    """The summary of these findings, in one query, with their ids sorted by `order` (field
    names, "-" for a descending number): the same order as `findings.order_by(*order)`.

    A page of them is then read by id. Asked for through the evidence tables, as a join of up
    to seven tables, Postgres took 1.5 ms to plan a page's query and 0.1 ms to run it.
    """
    return findings_summary_of_rows(list(findings_summary_rows(findings, order)), order)


def findings_summary_rows(findings: QuerySet[Finding], order: Sequence[str]) -> QuerySet:
    """The values findings_summary() reads of each finding (a page may run this read in its own
    way, e.g. compiled once: smeportal.core.compiled)."""
    return findings.values_list(
        "pk",
        "is_confidential",
        "interview__company_id",
        "interview__company__industry",
        "interview__company__size_class",
        *[name.removeprefix("-") for name in order],
    )


def findings_summary_of_rows(rows: Sequence[tuple], order: Sequence[str]) -> FindingsSummary:
    """findings_summary() of the rows of findings_summary_rows()."""
    signs = [-1 if name.startswith("-") else 1 for name in order]

    def sort_key(row) -> tuple:
        return tuple(
            -value if sign < 0 else value for value, sign in zip(row[5:], signs, strict=True)
        )

    companies = {company: (industry, size) for _pk, _s, company, industry, size, *_o in rows}
    industry_counts: dict[str, int] = defaultdict(int)
    size_counts: dict[str, int] = defaultdict(int)
    for industry, size in companies.values():
        industry_counts[industry] += 1
        size_counts[size] += 1
    industry_labels = dict(Industry.choices)
    return FindingsSummary(
        finding_count=len(rows),
        confidential_count=sum(1 for _pk, secret, *_rest in rows if secret),
        company_count=len(companies),
        industries=sorted(
            ((str(industry_labels.get(code, code)), n) for code, n in industry_counts.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        sizes=[
            (str(label), size_counts[code])
            for code, label in SizeClass.choices
            if code in size_counts
        ],
        findings_in_order=[(row[0], row[1]) for row in sorted(rows, key=sort_key)],
    )

"""Reads of the workshops app."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from interviews.area_search import finding_text_matches, sampled_share_sql
from interviews.models import Finding
from interviews.selectors import (
    FINDING_LIST_ORDER,
    FINDING_ORDER,
    FindingsSummary,
    finding_list,
    findings_summary,
)
from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from smeportal.areas.selectors import area_list
from smeportal.core.compiled import CompiledRead
from smeportal.core.pagination import (
    COUNT_CAP,
    CappedCount,
    CappedPaginator,
    CountedPaginator,
    counted_rows,
    page_with_count,
    window_count,
)

from .models import Proposal, ProposalMerge, Workshop, WorkshopGroup


def workshop_list() -> QuerySet[Workshop]:
    """Workshops, latest first, with their numbers of groups and proposals.

    The numbers are subqueries, which Postgres runs for the rows of the page only; a join
    with GROUP BY counted every group and proposal of every workshop for each page.
    """
    groups = (
        WorkshopGroup.objects.filter(workshop=OuterRef("pk"))
        .order_by()
        .values("workshop")
        .annotate(total=Count("pk"))
        .values("total")
    )
    proposals = (
        Proposal.objects.filter(group__workshop=OuterRef("pk"))
        .order_by()
        .values("group__workshop")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Workshop.objects.annotate(
        group_count=Coalesce(Subquery(groups), 0),
        proposal_count=Coalesce(Subquery(proposals), 0),
    ).order_by("-date", "-pk")


def live_proposals() -> QuerySet[Proposal]:
    """Proposals that have not been merged into another."""
    return Proposal.objects.filter(merged_into__isnull=True)


# --- A workshop's page: reads compiled once (smeportal.core.compiled) -----------------------------
#
# Compiling these reads cost the page more than running them; they differ between requests only
# in the workshop's id. In each values_list() the annotations come last, where the SQL has them.


def columns(model, *names: str) -> tuple[str, ...]:
    """The model's columns (all without names), in the order Model.from_db() takes their
    values: the model's own."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if not names or field.attname in names
    )


def instance(model, **values):
    """An instance of the model with these column values and the others deferred, as the ORM
    builds one from a row (Model.from_db() takes the values in the model's order)."""
    names = columns(model, *values)
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


# What a workshop's page shows of a person: str(user) reads these.
NAME_FIELDS = ("first_name", "last_name", "username")
WORKSHOP_COLUMNS = columns(Workshop)
# What the ranking shows of a proposal (and Proposal.is_on_public_page reads).
RANKED_COLUMNS = columns(
    Proposal, "id", "group_id", "area_id", "title", "actor", "votes", "status", "is_public",
    "merged_into_id",
)  # fmt: skip
# The ranking shows this many proposals a page; the first pages run compiled SQL.
RANKING_PAGE_SIZE = 50
COMPILED_RANKING_PAGES = 10

_WORKSHOP = CompiledRead(lambda pk: Workshop.objects.filter(pk=pk).values_list(*WORKSHOP_COLUMNS))
_AREAS = CompiledRead(lambda: area_list(include_archived=True).values_list(*AREA_COLUMNS))
_FACILITATORS = CompiledRead(
    lambda pk: (
        Workshop.facilitators.through.objects.filter(workshop_id=pk)
        .order_by(*(f"user__{name}" for name in User._meta.ordering))
        .values_list("user_id", *(f"user__{name}" for name in NAME_FIELDS))
    )
)
_GROUPS = CompiledRead(
    lambda pk: (
        WorkshopGroup.objects.filter(workshop=pk)
        .order_by("area__order", "name")
        .annotate(
            live_proposal_count=Count("proposals", filter=Q(proposals__merged_into__isnull=True))
        )
        .values_list(
            "pk",
            "name",
            "area_id",
            "member_count",
            "facilitator_id",
            *(f"facilitator__{name}" for name in NAME_FIELDS),
            "live_proposal_count",
        )
    )
)
_PROPOSAL_COUNTS = CompiledRead(
    lambda pk: (
        live_proposals()
        .filter(group__workshop=pk)
        .order_by()
        .values_list("area", "actor")
        .annotate(total=Count("pk"), votes=Sum("votes"))
    )
)


def workshop_page(pk: int) -> Workshop:
    """The workshop (404 if unknown)."""
    rows = _WORKSHOP.rows(pk)
    if not rows:
        raise Http404("No such workshop.")
    return Workshop.from_db(DEFAULT_DB_ALIAS, WORKSHOP_COLUMNS, rows[0])


def every_area() -> list[PriorityArea]:
    """area_list(include_archived=True): every area in its order, archived ones too."""
    return [PriorityArea.from_db(DEFAULT_DB_ALIAS, AREA_COLUMNS, row) for row in _AREAS.rows()]


def _user(pk: int, first_name: str, last_name: str, username: str) -> User:
    return instance(User, id=pk, first_name=first_name, last_name=last_name, username=username)


def workshop_facilitators(workshop: Workshop) -> list[User]:
    """The workshop's facilitators, with their names only (str(user))."""
    return [_user(*row) for row in _FACILITATORS.rows(workshop.pk)]


def workshop_groups(workshop: Workshop, areas: dict[int, PriorityArea]) -> list[WorkshopGroup]:
    """The workshop's groups with `live_proposal_count`, their facilitators' names, and
    their areas from `areas` (every area by id, which the page reads anyway)."""
    groups = []
    for pk, name, area_id, members, facilitator_id, *names, live_count in _GROUPS.rows(workshop.pk):
        group = instance(
            WorkshopGroup,
            id=pk,
            workshop_id=workshop.pk,
            name=name,
            area_id=area_id,
            member_count=members,
            facilitator_id=facilitator_id,
        )
        group.area = areas[area_id]
        group.facilitator = _user(facilitator_id, *names) if facilitator_id else None
        group.live_proposal_count = live_count
        groups.append(group)
    return groups


def ranked_proposals(workshop_id: int) -> QuerySet[Proposal]:
    """The workshop's live proposals, most votes first."""
    return live_proposals().filter(group__workshop=workshop_id).order_by("-votes", "title", "pk")


@functools.cache
def _ranking_page_read(number: int) -> CompiledRead:
    bottom = (number - 1) * RANKING_PAGE_SIZE
    return CompiledRead(
        lambda pk: ranked_proposals(pk).values_list(*RANKED_COLUMNS)[
            bottom : bottom + RANKING_PAGE_SIZE
        ]
    )


def ranking_page(
    workshop: Workshop,
    number,
    *,
    count: int,
    groups: list[WorkshopGroup],
    areas: dict[int, PriorityArea],
) -> Page:
    """Page `number` of the ranking (as Paginator.get_page gives it) of `count` proposals
    (counted already, group by group: no COUNT query), each with RANKED_COLUMNS, its group
    and its area (from those the page has read)."""
    # Only to page: a page the compiled reads serve needs no queryset.
    paginator = CountedPaginator((), RANKING_PAGE_SIZE, count=count)
    try:
        number = paginator.validate_number(number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    if number > COMPILED_RANKING_PAGES:
        bottom = (number - 1) * RANKING_PAGE_SIZE
        proposals = list(
            ranked_proposals(workshop.pk).only(*RANKED_COLUMNS)[bottom : bottom + RANKING_PAGE_SIZE]
        )
    else:
        proposals = [
            Proposal.from_db(DEFAULT_DB_ALIAS, RANKED_COLUMNS, row)
            for row in _ranking_page_read(number).rows(workshop.pk)
        ]
    by_id = {group.pk: group for group in groups}
    for proposal in proposals:
        proposal.group = by_id[proposal.group_id]
        proposal.area = areas[proposal.area_id]
    return paginator._get_page(proposals, number, paginator)


def workshop_proposals(workshop: Workshop) -> QuerySet[Proposal]:
    """All proposals of a workshop, ranked by votes, with what the pages show of each."""
    return (
        Proposal.objects.filter(group__workshop=workshop)
        .select_related("group", "area", "merged_into")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-votes", "title", "pk")
    )


# What the merge page shows of a proposal, its group and its area.
_MERGE_COLUMNS = columns(
    Proposal, "id", "group_id", "area_id", "title", "description", "actor", "votes", "status"
)
_MERGE_AREA_COLUMNS = ("order", "name", "name_en", "colour")
_MERGEABLE = CompiledRead(
    lambda pk: (
        live_proposals()
        .filter(group__workshop=pk)
        .order_by("area__order", "area__name", "-votes", "title", "pk")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .values_list(
            *_MERGE_COLUMNS,
            "group__name",
            *(f"area__{name}" for name in _MERGE_AREA_COLUMNS),
            "evidence_count",
        )
    )
)


def mergeable_proposals(workshop: Workshop) -> list[Proposal]:
    """The workshop's live proposals by area (in the areas' order), most votes first, each
    with its group's name, its area and `evidence_count`; a group and an area is one object
    however many proposals it has."""
    groups: dict[int, WorkshopGroup] = {}
    areas: dict[int, PriorityArea] = {}
    proposals = []
    size = len(_MERGE_COLUMNS)
    for row in _MERGEABLE.rows(workshop.pk):
        proposal = Proposal.from_db(DEFAULT_DB_ALIAS, _MERGE_COLUMNS, row[:size])
        group_name, *area, evidence_count = row[size:]
        if proposal.group_id not in groups:
            groups[proposal.group_id] = instance(
                WorkshopGroup, id=proposal.group_id, name=group_name
            )
        if proposal.area_id not in areas:
            areas[proposal.area_id] = instance(
                PriorityArea,
                id=proposal.area_id,
                **dict(zip(_MERGE_AREA_COLUMNS, area, strict=True)),
            )
        proposal.group, proposal.area = groups[proposal.group_id], areas[proposal.area_id]
        proposal.evidence_count = evidence_count
        proposals.append(proposal)
    return proposals


@dataclass(frozen=True)
class ProposalCounts:
    """A workshop's live proposals counted by (area, actor), and their votes in total."""

    by_area_and_actor: list[tuple[PriorityArea, str, int]]
    vote_total: int


def workshop_proposal_counts(workshop: Workshop, areas: dict[int, PriorityArea]) -> ProposalCounts:
    """Live proposals by (area, actor) and their votes, in one query; `areas` are every area
    by id (archived ones too: a workshop may have proposals in an area since archived)."""
    rows = _PROPOSAL_COUNTS.rows(workshop.pk)
    return ProposalCounts(
        by_area_and_actor=[(areas[area_id], actor, total) for area_id, actor, total, _v in rows],
        vote_total=sum(votes or 0 for *_rest, votes in rows),
    )


def evidence_summary(proposal: Proposal) -> FindingsSummary:
    """The findings and companies behind a proposal, its findings' ids in the finding list's
    order (the proposal page reads a page of them by id)."""
    return findings_summary(Finding.objects.filter(proposals=proposal), FINDING_LIST_ORDER)


# --- A proposal's pages: reads compiled once (smeportal.core.compiled) ----------------------------
#
# Compiling a read with joins cost a proposal's pages several times what running it does; these
# differ between requests only in the ids they are for. In each values_list() the annotations
# come last, where the SQL has them.


PROPOSAL_COLUMNS = columns(Proposal)
AREA_COLUMNS = columns(PriorityArea)


def _proposal_page_read(pk: int) -> QuerySet:
    return Proposal.objects.filter(pk=pk).values_list(
        *PROPOSAL_COLUMNS,
        "group__workshop_id",
        "group__name",
        "group__workshop__title",
        "group__workshop__date",
        *(f"area__{column}" for column in AREA_COLUMNS[1:]),
        "merged_into__title",
    )


_PROPOSAL_PAGE = CompiledRead(_proposal_page_read)


def proposal_page(pk: int) -> Proposal:
    """The proposal with what its pages show of its group, workshop, area and the proposal it
    was merged into (404 if unknown); those carry nothing else (a page that read more would
    cost a query a field)."""
    rows = _PROPOSAL_PAGE.rows(pk)
    if not rows:
        raise Http404("No such proposal.")
    row = rows[0]
    own, rest = row[: len(PROPOSAL_COLUMNS)], row[len(PROPOSAL_COLUMNS) :]
    proposal = Proposal.from_db(DEFAULT_DB_ALIAS, PROPOSAL_COLUMNS, own)
    workshop_id, group_name, workshop_title, workshop_date, *area, survivor_title = rest
    proposal.group = instance(
        WorkshopGroup, id=proposal.group_id, workshop_id=workshop_id, name=group_name
    )
    proposal.group.workshop = instance(
        Workshop, id=workshop_id, title=workshop_title, date=workshop_date
    )
    proposal.area = instance(
        PriorityArea, **dict(zip(AREA_COLUMNS, (proposal.area_id, *area), strict=True))
    )
    if proposal.merged_into_id is not None:
        proposal.merged_into = instance(Proposal, id=proposal.merged_into_id, title=survivor_title)
    return proposal


def _activity_model():
    """The action plan's Activity, through the relation (this app does not import that one)."""
    return Proposal._meta.get_field("activities").related_model


def _activity_columns() -> tuple[str, ...]:
    """What a proposal's page shows of an activity and the roll-up of its progress reads."""
    return columns(
        _activity_model(), "id", "title", "status", "due_date", "plan_id", "manual_progress"
    )


_PROPOSAL_ACTIVITIES = CompiledRead(
    lambda pk: (
        _activity_model()
        .objects.filter(proposals=pk)
        .order_by("due_date", "pk")
        .values_list(*_activity_columns())
    )
)


def proposal_activities(proposal: Proposal) -> list:
    """The activities of the plan that realise the proposal, by due date (_activity_columns
    of each)."""
    activity, names = _activity_model(), _activity_columns()
    return [
        activity.from_db(DEFAULT_DB_ALIAS, names, row)
        for row in _PROPOSAL_ACTIVITIES.rows(proposal.pk)
    ]


# What a finding's row shows (finding_rows.html) and its quote needs (interviews.consent):
# the findings behind a proposal, on its page and its evidence page.
SHOWN_FIELDS = (
    "pk",
    "type",
    "text",
    "importance",
    "quote",
    "is_confidential",
    "interview_id",
    "interview__date",
    "interview__consent",
    "interview__company__name",
    "interview__company__industry",
    "interview__company__size_class",
    "interview__company__is_personal_data",
)
AREA_FIELDS = ("area_id", "area__order", "area__name", "area__name_en")


def finding_values(findings: QuerySet[Finding], *, with_area: bool = False) -> QuerySet:
    """The findings as the values their table shows (dicts; the views' finding_rows() makes
    them the rows of a page). `with_area`: the area too, for a table with an area column.

    Three model instances a finding (with a company's address, notes and a dozen columns no
    row shows) cost more to read than the rest of the page's data.
    """
    fields = (*SHOWN_FIELDS, *AREA_FIELDS) if with_area else SHOWN_FIELDS
    return findings.values(*fields)


_FINDINGS_BY_ID = {
    internal: CompiledRead(
        lambda ids, internal=internal: (
            finding_list(audience_is_internal=internal)
            .filter(pk__in=ids)
            .order_by()
            .values_list(*SHOWN_FIELDS, *AREA_FIELDS)
        )
    )
    for internal in (True, False)
}


def findings_by_id(ids: list[int], *, internal: bool) -> list[dict]:
    """The findings of these ids (each once), in their order, as finding_values(with_area=True)
    reads them: a page of the list a summary ordered. Confidential ones only for `internal`."""
    fields = (*SHOWN_FIELDS, *AREA_FIELDS)
    position = {pk: index for index, pk in enumerate(ids)}
    rows = [dict(zip(fields, row, strict=True)) for row in _FINDINGS_BY_ID[internal].rows(ids)]
    return sorted(rows, key=lambda row: position[row["pk"]])


def latest_merge_into(proposal: Proposal) -> ProposalMerge | None:
    """The latest merge into the proposal that has not been undone (the one undo applies to)."""
    return (
        ProposalMerge.objects.filter(survivor=proposal, undone_at__isnull=True)
        .order_by("-pk")
        .first()
    )


def proposal_lineage(proposal: Proposal) -> list[Proposal]:
    """The proposals merged into this one, directly or through earlier merges, oldest first,
    each with `group_name`.

    One recursive query however deep the merges go (a query per level made the page's count
    of queries depend on its history). The lineage's ids are handed over as an array on
    Postgres: joined as a table, their count was guessed at a hundred and every proposal was
    read to find the one or two (2.3 ms instead of 0.4 at 5,000 proposals).
    """
    proposals = Proposal._meta.db_table
    groups = WorkshopGroup._meta.db_table
    in_lineage = (
        "= ANY(ARRAY(SELECT id FROM lineage))"
        if connection.vendor == "postgresql"
        else "IN (SELECT id FROM lineage)"
    )
    return list(
        Proposal.objects.raw(
            f"""
            WITH RECURSIVE lineage(id) AS (
                SELECT id FROM {proposals} WHERE merged_into_id = %s
                UNION
                SELECT p.id FROM {proposals} p JOIN lineage l ON p.merged_into_id = l.id
            )
            SELECT p.*, g.name AS group_name
            FROM {proposals} p
            JOIN {groups} g ON g.id = p.group_id
            WHERE p.id {in_lineage}
            ORDER BY p.id
            """,  # noqa: S608 - table names from the models, the id a parameter
            [proposal.pk],
        )
    )


# --- The evidence page's two lists ----------------------------------------------------------------
#
# Each a query a page: the rows carry their list's number. The first pages of each list, for
# each audience and finding type, run SQL compiled once per process (smeportal.core.compiled); a
# later page and a text search (its words are no ids) are built each time.

EVIDENCE_PAGE_SIZE = 25
EVIDENCE_CAP = COUNT_CAP  # the unlinked findings are counted and paged up to this many
COMPILED_PAGES = EVIDENCE_CAP // EVIDENCE_PAGE_SIZE


def linked_findings(proposal_id: int, *, internal: bool) -> QuerySet[Finding]:
    """The findings linked to the proposal that this audience may see, in the list's order."""
    return finding_list(audience_is_internal=internal).filter(proposals=proposal_id)


def unlinked_findings(
    area_id: int, proposal_id: int, *, internal: bool, finding_type: str = ""
) -> QuerySet[Finding]:
    """The findings of the proposal's area not linked to it that this audience may see (of
    one type, when given), in the order the index on (area, importance, interview, id)
    gives."""
    findings = (
        finding_list(audience_is_internal=internal)
        .filter(area=area_id)
        .exclude(proposals=proposal_id)
        .order_by(*FINDING_ORDER)
    )
    return findings.filter(type=finding_type) if finding_type else findings


def _as_dicts(fields: tuple[str, ...], rows: list[tuple]) -> list[dict]:
    return [dict(zip(fields, row, strict=True)) for row in rows]


@functools.cache
def _linked_page_read(internal: bool, number: int) -> CompiledRead:
    bottom = (number - 1) * EVIDENCE_PAGE_SIZE
    return CompiledRead(
        lambda proposal_id: (
            linked_findings(proposal_id, internal=internal)
            .values_list(*SHOWN_FIELDS, *AREA_FIELDS)
            .annotate(listed_total=window_count())[bottom : bottom + EVIDENCE_PAGE_SIZE]
        )
    )


@functools.cache
def _unlinked_page_read(internal: bool, finding_type: str, number: int) -> CompiledRead:
    bottom = (number - 1) * EVIDENCE_PAGE_SIZE

    def build(area_id: int, proposal_id: int) -> QuerySet:
        findings = unlinked_findings(
            area_id, proposal_id, internal=internal, finding_type=finding_type
        )
        return findings.values_list(*SHOWN_FIELDS).annotate(
            listed_total=CappedCount(findings, EVIDENCE_CAP + 1)
        )[bottom : bottom + EVIDENCE_PAGE_SIZE]

    return CompiledRead(build)


def _paginator(
    count: int | None, values: Callable[[], QuerySet], make: Callable[..., Paginator]
) -> Paginator:
    """page_with_count's paginator: with the count known the rows are read already and it
    only pages (the list's queryset is not even built); without, it reads for itself."""
    return make(() if count is not None else values(), count)


def linked_findings_page(proposal_id: int, number, *, internal: bool) -> Page:
    """Page `number` of the findings linked to the proposal, as finding_values(with_area=True)
    reads them."""

    def values() -> QuerySet:
        return finding_values(linked_findings(proposal_id, internal=internal), with_area=True)

    def rows_of(page: int) -> list[dict]:
        if page > COMPILED_PAGES:
            return counted_rows(values(), window_count(), EVIDENCE_PAGE_SIZE)(page)
        rows = _linked_page_read(internal, page).rows(proposal_id)
        return _as_dicts((*SHOWN_FIELDS, *AREA_FIELDS, "listed_total"), rows)

    return page_with_count(
        rows_of,
        number,
        EVIDENCE_PAGE_SIZE,
        paginator=lambda count: _paginator(
            count,
            values,
            lambda rows, count: CountedPaginator(rows, EVIDENCE_PAGE_SIZE, count=count),
        ),
    )


def unlinked_findings_page(
    area_id: int, proposal_id: int, number, *, internal: bool, finding_type: str = ""
) -> Page:
    """Page `number` of unlinked_findings(), as finding_values() reads them, counted up to
    EVIDENCE_CAP (a CappedPaginator's page)."""

    def findings() -> QuerySet:
        return unlinked_findings(area_id, proposal_id, internal=internal, finding_type=finding_type)

    def rows_of(page: int) -> list[dict]:
        if page > COMPILED_PAGES:
            total = CappedCount(findings(), EVIDENCE_CAP + 1)
            return counted_rows(finding_values(findings()), total, EVIDENCE_PAGE_SIZE)(page)
        rows = _unlinked_page_read(internal, finding_type, page).rows(area_id, proposal_id)
        return _as_dicts((*SHOWN_FIELDS, "listed_total"), rows)

    return page_with_count(
        rows_of,
        number,
        EVIDENCE_PAGE_SIZE,
        paginator=lambda count: _paginator(
            count,
            lambda: finding_values(findings()),
            lambda rows, count: CappedPaginator(
                rows,
                EVIDENCE_PAGE_SIZE,
                cap=EVIDENCE_CAP,
                counted=None if count is None else lambda _limit: count,
            ),
        ),
    )


def _evidence_matches(
    findings: QuerySet[Finding], area_id: int, text: str, internal: bool, finding_type: str
) -> tuple[list[int], bool]:
    """The keys of at most EVIDENCE_CAP + 1 findings matching the text, in one statement, and
    whether they are in list order: the first in list order when the word is common in the
    area, any of them through the area's trigram indexes otherwise (the branch not taken is
    not run: its condition is evaluated once). Either way the matches are all there when
    there are no more than EVIDENCE_CAP. On SQLite, which has no such index, always the walk.
    The walk's keys come in its order: Postgres passes a subquery's ordered rows through
    UNION ALL as they come."""
    walked = findings.filter(
        finding_text_matches(area_id, text, internal=internal, by_index=False)
    ).values_list("pk", flat=True)[: EVIDENCE_CAP + 1]
    if connection.vendor != "postgresql":
        return list(walked), True
    walked_sql, walked_params = walked.query.sql_with_params()
    indexed_sql, indexed_params = (
        findings.filter(
            finding_text_matches(area_id, text, internal=internal, finding_type=finding_type)
        )
        .order_by()
        .values_list("pk")[: EVIDENCE_CAP + 1]
        .query.sql_with_params()
    )
    common_sql, common_params = sampled_share_sql([area_id], text, finding_type=finding_type)
    # Three reads' SQL, each with its values as parameters. An area the sample does not hold
    # has no row: the word is not common there.
    is_common = "coalesce((SELECT is_common FROM common), false)"
    sql = (
        f"WITH common AS ({common_sql}) "  # noqa: S608
        f"SELECT w.id, true FROM ({walked_sql}) w(id) WHERE {is_common} "
        "UNION ALL "
        f"SELECT i.id, false FROM ({indexed_sql}) i(id) WHERE NOT {is_common}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*common_params, *walked_params, *indexed_params))
        rows = cursor.fetchall()
    return [key for key, _ in rows], any(walked for _, walked in rows)


def evidence_search_page(
    area_id: int,
    proposal_id: int,
    text: str,
    number,
    *,
    internal: bool,
    finding_type: str = "",
) -> Page:
    """Page `number` of the unlinked findings of the area (of one type, when given) whose text
    or quote holds `text`, in the list's order, counted up to EVIDENCE_CAP.

    The matches come first, at most EVIDENCE_CAP + 1 (_evidence_matches). When that is all of
    them, the page is read from those by key and they are the count. When there are more, the
    word is common in the area (at scale "bygglov" is in 56,000 findings of one): fetching and
    sorting every match took half a second, so the matches were found by walking the area in
    list order (the index finding_area_rank), checking each finding's folded text as it is
    read, and the page is read from their keys; the count then says "more than EVIDENCE_CAP".
    (More than EVIDENCE_CAP through the indexes, a word just short of common, are in no order:
    the page then walks the area itself.) Two statements either way, one when nothing
    matches.
    """
    findings = unlinked_findings(area_id, proposal_id, internal=internal, finding_type=finding_type)
    matches, in_order = _evidence_matches(findings, area_id, text, internal, finding_type)

    def by_key(keys: list[int]) -> QuerySet:
        # Ordered as the index on the area cannot: read by key, not by walking the area in
        # list order hoping to meet the few keys early.
        return finding_values(
            findings.filter(pk__in=keys).order_by(
                Coalesce("importance", 0).desc(), *FINDING_ORDER[1:]
            )
        )

    if len(matches) <= EVIDENCE_CAP:
        return CountedPaginator(by_key(matches), EVIDENCE_PAGE_SIZE, count=len(matches)).get_page(
            number
        )
    if in_order:
        # The walk's first EVIDENCE_CAP + 1 keys, in list order: each page is its keys' rows.
        return CappedPaginator(
            None,
            EVIDENCE_PAGE_SIZE,
            cap=EVIDENCE_CAP,
            rows=lambda start, stop: by_key(matches[start:stop]),
            counted=lambda _limit: EVIDENCE_CAP + 1,
        ).get_page(number)
    walked = findings.filter(finding_text_matches(area_id, text, internal=internal, by_index=False))
    return CappedPaginator(
        finding_values(walked),
        EVIDENCE_PAGE_SIZE,
        cap=EVIDENCE_CAP,
        counted=lambda _limit: EVIDENCE_CAP + 1,
    ).get_page(number)

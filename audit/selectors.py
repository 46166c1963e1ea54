"""Reads of the audit app: the audit trail across the domain's history tables, retention.

The audit trail lists django-simple-history records of nine models newest first. A page is read
in the same queries whatever the amount of history and whichever models its rows are of (the
bench compares the demo with 100,000 interviews, whose first pages hold other models):

1. one UNION ALL over the history tables selects only (history id, date, model) of the page,
   ordered and sliced in the database, each table giving at most the rows up to the page's end
   (plus one capped COUNT of the same union for the paginator);
2. one UNION ALL for the id of each record's previous record (to show what changed);
3. per model the filter covers, one query for its records on the page and their previous ones;
   one UNION ALL for the links of the tracked many-to-many fields (an interview's interviewers,
   a proposal's findings) as they were at both records;
4. the objects the records point at (shown by name instead of id) come joined with them; per
   model that a tracked link points at, one query for those.

A query whose list of ids is empty is still made (for no rows): Django would skip it, and the
count would then depend on the page's rows.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from actionplan.models import Activity, Indicator, Measurement
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from smeportal.core.choices import choice_labels
from smeportal.core.history import CHANGE_TYPES, IGNORED_FIELDS, FieldChange, _display
from workshops.models import Proposal

from .models import RetentionDecision, RetentionDecisionItem

AUDITED_MODELS: tuple[type[Model], ...] = (
    Company,
    Contact,
    Interview,
    Finding,
    FollowUp,
    Proposal,
    Activity,
    Indicator,
    Measurement,
)
ARCHIVED = _("Moved to the archive")
# Contacts anonymised under a retention decision get this name; they are not offered again.
ANONYMISED_NAME = "Anonymiserad"
# The retention page lists at most this many candidates; narrow the criteria to see others.
CANDIDATE_LIMIT = 200


def audited_models() -> dict[str, type[Model]]:
    """The audited models keyed by their label ("interviews.finding")."""
    return {model._meta.label_lower: model for model in AUDITED_MODELS}


@functools.cache
def history_model_of(label: str) -> type[Model]:
    """The history model of an audited model. `Model.history` builds a manager class on each
    access (inspect.getmembers, about 0.3 ms): a page asked for it some 130 times."""
    return audited_models()[label].history.model


def audited_model_choices() -> list[tuple[str, str]]:
    """(label, Swedish name) of each audited model, for the object type filter."""
    return [
        (label, capfirst(model._meta.verbose_name)) for label, model in audited_models().items()
    ]


def audit_user_choices() -> QuerySet:
    return get_user_model().objects.order_by("first_name", "last_name", "username")


def day_start(day: date) -> datetime:
    """Midnight at the start of a day, Swedish time."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    model_label: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    def labels(self) -> list[str]:
        """The labels of the models whose records the filter shows."""
        return [
            label for label in audited_models() if not self.model_label or label == self.model_label
        ]


def audit_trail_keys(audit_filter: AuditFilter, *, first: int | None = None) -> QuerySet:
    """(history_id, history_date, model label) of each matching record, newest first.

    One UNION ALL query over the history tables: the database orders and slices it, so a page
    never loads more than its own rows. With `first`, each table gives only its `first` newest
    records (where the database can order the parts of a union): a page ending at row `first`
    needs no more, and each table then reads them from its date index (0.8 s for a user's
    200,000 changes sorted whole, at 100,000 interviews).
    """
    labels = audit_filter.labels()
    limit_parts = (
        first is not None
        and len(labels) > 1
        and connection.features.supports_slicing_ordering_in_compound
    )
    parts = []
    for label in labels:
        records = history_model_of(label)._default_manager.all()
        if audit_filter.user_id:
            records = records.filter(history_user_id=audit_filter.user_id)
        if audit_filter.date_from:
            records = records.filter(history_date__gte=day_start(audit_filter.date_from))
        if audit_filter.date_to:
            records = records.filter(
                history_date__lt=day_start(audit_filter.date_to + timedelta(days=1))
            )
        part = (
            records.order_by()
            .annotate(audit_model=Value(label, output_field=CharField()))
            .values_list("history_id", "history_date", "audit_model")
        )
        if limit_parts:
            part = part.order_by("-history_date", "-history_id")[:first]
        parts.append(part)
    if not parts:
        return (
            history_model_of(Company._meta.label_lower)
            ._default_manager.none()
            .values_list("history_id", "history_date")
        )
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-history_date", "-history_id", "audit_model")


@dataclass
class LinkChange:
    """Objects linked or unlinked through a many-to-many field (a proposal's findings)."""

    label: str
    added: list[str]
    removed: list[str]


@dataclass
class AuditRow:
    when: datetime
    who: str
    action: str
    object_type: str
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)
    link_changes: list[LinkChange] = field(default_factory=list)


def _asked(ids) -> list:
    """The ids to look up; [0] (no row has it) for none, so that the query is still made."""
    return list(ids) or [0]


def _m2m_histories(labels: list[str]) -> list[tuple[str, Model, object, str]]:
    """(model label, tracked many-to-many field, its history model, target column) per field.

    django-simple-history keeps a copy of the links with every record of a model that tracks
    them (an interview's interviewers, a proposal's findings).
    """
    fields = []
    for label in labels:
        history_model = history_model_of(label)
        for m2m_field in getattr(history_model, "_history_m2m_fields", []):
            through = m2m_field.remote_field.through
            m2m_history = next(
                relation.related_model
                for relation in history_model._meta.related_objects
                if getattr(relation.related_model, "instance_type", None) is through
            )
            fields.append(
                (label, m2m_field, m2m_history, f"{m2m_field.m2m_reverse_field_name()}_id")
            )
    return fields


def _m2m_snapshots(labels: list[str], history_ids: dict[str, list[int]]) -> dict:
    """Per (model label, history id), the ids linked through each tracked field then.

    One UNION ALL query over the link history tables of the models in `labels`.
    """
    fields = _m2m_histories(labels)
    snapshots: dict[tuple[str, int], dict] = defaultdict(dict)
    for label, m2m_field, _history, _target in fields:
        for history_id in history_ids.get(label, []):
            snapshots[label, history_id][m2m_field] = set()
    if not fields:
        return snapshots
    parts = [
        m2m_history._default_manager.filter(history_id__in=_asked(history_ids.get(label, [])))
        .order_by()
        .annotate(audit_field=Value(index, output_field=IntegerField()))
        .values_list("audit_field", "history_id", target)
        for index, (label, _field, m2m_history, target) in enumerate(fields)
    ]
    first, *rest = parts
    for index, history_id, target_id in first.union(*rest, all=True) if rest else first:
        label, m2m_field, _history, _target = fields[index]
        snapshots[label, history_id][m2m_field].add(target_id)
    return snapshots


@functools.cache
def _joined(model: type[Model], prefix: str = "", depth: int = 0) -> tuple[str, ...]:
    """select_related() paths for what a record's related objects need to name themselves.

    Every key of the history record, and one level below it the keys that cannot be empty
    (an interview names itself by its company). Not deeper: no object names itself through
    its keys' keys, and every further join cost planning and compiling on each page (a
    proposal's record joined eleven tables, among them its merged-into proposal's workshop).
    """
    paths: list[str] = []
    for model_field in model._meta.concrete_fields:
        if not model_field.is_relation or (depth and model_field.null):
            continue
        path = f"{prefix}{model_field.name}"
        paths.append(path)
        if depth < 1:
            paths += _joined(model_field.related_model, f"{path}__", depth + 1)
    return tuple(paths)


def _link_targets(labels: list[str]) -> list[type[Model]]:
    """The models the tracked many-to-many fields of these models link to."""
    return list(dict.fromkeys(field.related_model for _l, field, _h, _t in _m2m_histories(labels)))


def _related_objects(labels: list[str], records, extra: dict[type[Model], set]) -> dict:
    """The objects the records point at, by model and pk (archived too).

    Those of the keys came joined with the records; those of the tracked links are read in one
    query per model they link to.
    """
    related: dict[type[Model], dict] = defaultdict(dict)
    for record in records:
        for model_field in record._meta.concrete_fields:
            if model_field.is_relation and model_field.is_cached(record):
                target = model_field.get_cached_value(record)
                if target is not None:
                    related[model_field.related_model][target.pk] = target
    for model in _link_targets(labels):
        wanted = [pk for pk in extra.get(model, ()) if pk not in related[model]]
        related[model].update(model._base_manager.select_related().in_bulk(_asked(wanted)))
    return related


def _object_label(record, related: dict) -> str:
    """The object as it was in this record, its foreign keys filled from `related`."""
    instance = record.instance
    for model_field in instance._meta.concrete_fields:
        if model_field.is_relation:
            target = related.get(model_field.related_model, {}).get(
                getattr(instance, model_field.attname)
            )
            if target is not None:
                model_field.set_cached_value(instance, target)
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"#{instance.pk}"


def _value(record, model_field, labels: dict) -> str:
    value = getattr(record, model_field.attname)
    if isinstance(value, datetime):
        # Swedish time to the minute, as everywhere else in the portal.
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return _display(record, model_field, labels)


@functools.cache
def _compared_fields(model: type[Model]) -> tuple[tuple[Model, str], ...]:
    """(field, attname) of the fields whose changes the trail shows."""
    return tuple(
        (model_field, model_field.attname)
        for model_field in model._meta.concrete_fields
        if model_field.name not in IGNORED_FIELDS and not model_field.primary_key
    )


def _changes(previous, record, labels: dict) -> list[FieldChange]:
    changes = []
    for model_field, attname in _compared_fields(record.instance_type):
        # Equal stored values show equally: only a difference is worth formatting.
        if getattr(previous, attname) == getattr(record, attname):
            continue
        old = _value(previous, model_field, labels)
        new = _value(record, model_field, labels)
        if old != new:
            changes.append(FieldChange(str(model_field.verbose_name), old, new))
    return changes


def _link_changes(links: tuple[dict, dict], labels: dict) -> list[LinkChange]:
    old_links, new_links = links
    changes = []
    for m2m_field, new_ids in new_links.items():
        old_ids = old_links.get(m2m_field, set())
        if old_ids != new_ids:
            names = labels.get(m2m_field.related_model, {})
            changes.append(
                LinkChange(
                    str(m2m_field.verbose_name),
                    added=sorted(names.get(pk, f"#{pk}") for pk in new_ids - old_ids),
                    removed=sorted(names.get(pk, f"#{pk}") for pk in old_ids - new_ids),
                )
            )
    return changes


def _action(record, previous) -> str:
    was_archived = getattr(previous, "is_archived", False)
    if record.history_type == "~" and getattr(record, "is_archived", False) and not was_archived:
        return str(ARCHIVED)
    return str(CHANGE_TYPES.get(record.history_type, record.history_type))


def _previous_ids(ids_by_model: dict[str, list[int]]) -> dict[tuple[str, int], int]:
    """Per (model label, history id) of the page, the id of the object's record before it.

    One UNION ALL query. MAX over the object's own records (its id index) rather than ORDER BY
    ... LIMIT 1: with the latter Postgres walked the whole history backwards for a record
    without a predecessor (130 ms a row at 600,000 finding records).
    """
    models = audited_models()
    parts = []
    for label, ids in ids_by_model.items():
        history_model = history_model_of(label)
        pk_name = models[label]._meta.pk.attname
        earlier = (
            history_model._default_manager.filter(
                **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
            )
            .order_by()
            .values(pk_name)
            .annotate(previous=Max("history_id"))
            .values("previous")
        )
        parts.append(
            history_model._default_manager.filter(history_id__in=ids)
            .order_by()
            .annotate(
                audit_model=Value(label, output_field=CharField()),
                previous_history_id=Subquery(earlier),
            )
            .values_list("audit_model", "history_id", "previous_history_id")
        )
    if not parts:
        return {}
    first, *rest = parts
    return {
        (label, history_id): previous_id
        for label, history_id, previous_id in (first.union(*rest, all=True) if rest else first)
        if previous_id is not None
    }


def audit_rows(keys, labels: list[str] | None = None) -> list[AuditRow]:
    """The page's rows, in the order of `keys` (from audit_trail_keys, already sliced).

    `labels` are the models the filter covers (AuditFilter.labels()); each gets its queries
    whether or not the page holds its records.
    """
    models = audited_models()
    labels = list(models) if labels is None else labels
    ids_by_model: dict[str, list[int]] = defaultdict(list)
    for history_id, _history_date, label in keys:
        ids_by_model[label].append(history_id)
    previous_ids = _previous_ids(ids_by_model)
    records: dict[tuple[str, int], Model] = {}
    previous: dict[tuple[str, int], Model] = {}
    linked: dict[type[Model], set] = defaultdict(set)
    compared: dict[str, list[int]] = defaultdict(list)
    for label in labels:
        ids = ids_by_model.get(label, [])
        earlier_ids = [previous_ids[label, pk] for pk in ids if (label, pk) in previous_ids]
        history_model = history_model_of(label)
        found = history_model._default_manager.select_related(*_joined(history_model)).in_bulk(
            _asked([*ids, *earlier_ids])
        )
        for history_id in ids:
            record = found.get(history_id)
            if record is None:  # removed between the two queries (a retention decision)
                continue
            records[label, history_id] = record
            earlier = found.get(previous_ids.get((label, history_id)))
            if earlier is not None:
                previous[label, history_id] = earlier
            if record.history_type == "~":
                compared[label].append(history_id)
                if earlier is not None:
                    compared[label].append(earlier.history_id)
    snapshots = _m2m_snapshots(labels, compared)
    links: dict[tuple[str, int], tuple[dict, dict]] = {}
    for (label, history_id), record in records.items():
        if record.history_type != "~":
            continue
        earlier = previous.get((label, history_id))
        old = snapshots.get((label, earlier.history_id), {}) if earlier is not None else {}
        pair = (old, snapshots.get((label, history_id), {}))
        links[label, history_id] = pair
        for snapshot in pair:
            for m2m_field, target_ids in snapshot.items():
                linked[m2m_field.related_model] |= target_ids
    related = _related_objects(labels, [*records.values(), *previous.values()], linked)
    names = {
        model: {pk: str(obj) for pk, obj in objects.items()} for model, objects in related.items()
    }
    rows = []
    for history_id, _history_date, label in keys:
        record = records.get((label, history_id))
        if record is None:
            continue
        earlier_record = previous.get((label, history_id))
        compare = record.history_type == "~" and earlier_record is not None
        user = record.history_user
        rows.append(
            AuditRow(
                when=record.history_date,
                who=str(user) if user else str(_("the system")),
                action=_action(record, earlier_record),
                object_type=capfirst(models[label]._meta.verbose_name),
                object_label=_object_label(record, related),
                changes=_changes(earlier_record, record, names) if compare else [],
                link_changes=_link_changes(links[label, history_id], names)
                if compare and (label, history_id) in links
                else [],
            )
        )
    return rows


# --- Retention --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionCriteria:
    """Which records a retention decision may cover: a scope, an age and a name search.

    `sole_traders_only` narrows the company scope to sole traders (whose name and number are
    personal data).
    """

    scope: str
    older_than_years: int = 0
    search: str = ""
    sole_traders_only: bool = False

    def cutoff(self, today: date | None = None) -> date:
        today = today or timezone.localdate()
        try:
            return today.replace(year=today.year - self.older_than_years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.older_than_years, day=28)


def retention_candidates(criteria: RetentionCriteria) -> QuerySet:
    """The records a decision with these criteria may cover, oldest first.

    - archived findings, archived before the cutoff;
    - interviews held before the cutoff (with their findings and follow-ups);
    - contact persons not yet anonymised and not interviewed since the cutoff;
    - companies not interviewed since the cutoff (or never), sole traders only if asked.
    With 0 years the cutoff is tomorrow, i.e. every record of the kind.
    """
    scope = RetentionDecision.Scope
    cutoff = criteria.cutoff()
    if criteria.older_than_years == 0:
        cutoff = timezone.localdate() + timedelta(days=1)
    search = criteria.search.strip()
    if criteria.scope == scope.ARCHIVED_FINDINGS:
        findings = (
            Finding.all_objects.filter(is_archived=True, archived_at__lt=day_start(cutoff))
            .select_related("area", "interview__company", "archived_by")
            .order_by("archived_at", "pk")
        )
        if search:
            findings = findings.filter(interview__company__name__icontains=search)
        return findings
    if criteria.scope == scope.INTERVIEWS:
        interviews = (
            Interview.objects.filter(date__lt=cutoff)
            .select_related("company")
            .order_by("date", "pk")
        )
        if search:
            interviews = interviews.filter(company__name__icontains=search)
        return interviews
    if criteria.scope == scope.CONTACTS:
        # Not interviewed since the cutoff: no interview on or after it (or none at all).
        recent = Interview.interviewees.through.objects.filter(
            contact=OuterRef("pk"), interview__date__gte=cutoff
        )
        contacts = (
            Contact.objects.exclude(name=ANONYMISED_NAME)
            .filter(~Exists(recent))
            .select_related("company")
            .order_by("company__name", "name", "pk")
        )
        if search:
            contacts = contacts.filter(
                Q(name__icontains=search) | Q(company__name__icontains=search)
            )
        return contacts
    if criteria.scope == scope.COMPANIES:
        recent = Interview.objects.filter(company=OuterRef("pk"), date__gte=cutoff)
        companies = Company.objects.filter(~Exists(recent)).order_by("name", "pk")
        if criteria.sole_traders_only:
            companies = companies.filter(is_personal_data=True)
        if search:
            companies = companies.filter(
                Q(name__icontains=search) | Q(organisation_number__icontains=search)
            )
        return companies
    raise ValueError(f"unknown retention scope {criteria.scope!r}")


def retention_candidate_facts(scope: str, candidates: list) -> list:
    """What the retention page shows beside each listed candidate, for those rows only.

    Interviews get `finding_total` (archived findings included) and `follow_up_total`;
    contacts `last_interview`; companies `last_interview`, `interview_total` and
    `contact_total`. Computed over every candidate these would aggregate 600,000 findings
    to show 200 rows.
    """
    # Asked even for no candidates, so that the page's queries do not depend on the data.
    ids = _asked(candidate.pk for candidate in candidates)
    if scope == RetentionDecision.Scope.INTERVIEWS:
        findings = _totals(Finding.all_objects.filter(interview__in=ids), "interview")
        follow_ups = _totals(FollowUp.objects.filter(interview__in=ids), "interview")
        for interview in candidates:
            interview.finding_total = findings.get(interview.pk, 0)
            interview.follow_up_total = follow_ups.get(interview.pk, 0)
    elif scope == RetentionDecision.Scope.CONTACTS:
        # Per contact through its own index: as one GROUP BY over the 200 ids Postgres scanned
        # every interviewee link instead (30 ms at 100,000 interviews).
        latest = (
            Interview.interviewees.through.objects.filter(contact=OuterRef("pk"))
            .order_by()
            .values("contact")
            .annotate(last=Max("interview__date"))
            .values("last")
        )
        last = dict(
            Contact.objects.filter(pk__in=ids)
            .order_by()
            .annotate(last=Subquery(latest))
            .values_list("pk", "last")
        )
        for contact in candidates:
            contact.last_interview = last.get(contact.pk)
    elif scope == RetentionDecision.Scope.COMPANIES:
        interviews = (
            Interview.objects.filter(company__in=ids)
            .order_by()
            .values("company")
            .annotate(total=Count("pk"), last=Max("date"))
        )
        by_company = {row["company"]: row for row in interviews}
        contacts = _totals(Contact.objects.filter(company__in=ids), "company")
        for company in candidates:
            row = by_company.get(company.pk, {})
            company.last_interview = row.get("last")
            company.interview_total = row.get("total", 0)
            company.contact_total = contacts.get(company.pk, 0)
    return candidates


@dataclass(frozen=True)
class CandidateRow:
    """One listed candidate as the retention page shows it, formatted once in Python.

    `name` labels its checkbox; `cells` are the table's cells after it as (value, whether it
    stays on one line). 200 rows through the template's lookups and filters (truncatechars,
    date, get_FOO_display) took three quarters of the page's time.
    """

    pk: int
    checked: bool
    name: str
    cells: list[tuple[object, bool]]


def _truncated(text: str, length: int) -> str:
    """`text|truncatechars:length`, without walking a text that is short enough already."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


def _day(value: date | datetime | None) -> str:
    """`value|date:"Y-m-d"|default:"–"`: a point in time on its Swedish day."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def retention_candidate_rows(scope: str, candidates: list, chosen: set[str]) -> list[CandidateRow]:
    """The listed candidates (with their facts, retention_candidate_facts) as table rows."""
    scopes = RetentionDecision.Scope
    rows = []
    if scope == scopes.ARCHIVED_FINDINGS:
        for finding in candidates:
            interview = finding.interview
            cells = [
                (_day(finding.archived_at), True),
                (str(finding.archived_by) if finding.archived_by else "–", False),
                (f"{interview.company.name}, {_day(interview.date)}", False),
                (finding.area.display_name, False),
                (_truncated(finding.text, 120), False),
            ]
            rows.append((finding.pk, _truncated(finding.text, 60), cells))
    elif scope == scopes.INTERVIEWS:
        statuses = choice_labels(Interview, "status")
        for interview in candidates:
            day = _day(interview.date)
            cells = [
                (day, True),
                (interview.company.name, False),
                (statuses.get(interview.status, interview.status), False),
                (interview.finding_total, False),
                (interview.follow_up_total, False),
            ]
            rows.append((interview.pk, f"{interview.company.name} {day}", cells))
    elif scope == scopes.COMPANIES:
        yes, no = str(_("Yes")), str(_("No"))
        for company in candidates:
            cells = [
                (company.name, False),
                (company.organisation_number, True),
                (yes if company.is_personal_data else no, False),
                (_day(company.last_interview), True),
                (company.interview_total or 0, False),
                (company.contact_total or 0, False),
            ]
            rows.append((company.pk, company.name, cells))
    else:
        for contact in candidates:
            company_name = contact.company.name
            cells = [
                (contact.name, False),
                (company_name, False),
                (contact.role or "–", False),
                (_day(contact.last_interview), True),
            ]
            rows.append((contact.pk, f"{contact.name}, {company_name}", cells))
    return [
        CandidateRow(pk=pk, checked=str(pk) in chosen, name=name, cells=cells)
        for pk, name, cells in rows
    ]


def _totals(queryset: QuerySet, field_name: str) -> dict[int, int]:
    rows = queryset.order_by().values(field_name).annotate(total=Count("pk"))
    return {row[field_name]: row["total"] for row in rows}


def decision_counts(decision: RetentionDecision) -> list[tuple[str, int]]:
    """(object type in the interface language, count) of what a decision covered."""
    rows = []
    for label, count in decision.counts.items():
        try:
            name = capfirst(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            name = label
        rows.append((str(name), count))
    return rows


def _type_name(label: str) -> str:
    """A model label in the interface language; a history table says whose history it is."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return label
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None:
        return str(
            _("Change history of %(type)s") % {"type": instance_type._meta.verbose_name_plural}
        )
    return str(capfirst(model._meta.verbose_name_plural))


def decision_effects(decisions: list[RetentionDecision]) -> dict[int, list[tuple[str, int]]]:
    """Per decision, what carrying it out changed besides the records it covers (one query):
    ("Intervjuer: namn maskerat", 3), ("Rapportkörningar: rapportfilen borttagen", 1), …"""
    items = (
        RetentionDecisionItem.objects.filter(decision__in=[decision.pk for decision in decisions])
        .exclude(action__in=RetentionDecisionItem.COVERED_ACTIONS)
        .order_by()
        .values_list("decision_id", "model_label", "action")
        .annotate(total=Count("pk"))
        .order_by("decision_id", "action", "model_label")
    )
    effects: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for decision_id, label, action, total in items:
        action_label = RetentionDecisionItem.Action(action).label
        effects[decision_id].append((f"{_type_name(label)}: {action_label}", total))
    return effects


def retention_decision_list() -> QuerySet[RetentionDecision]:
    return RetentionDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk")

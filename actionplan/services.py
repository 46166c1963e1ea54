"""Writes of the action plan: plans, goals, activities, milestones, indicators, measurements
and the celebrations they trigger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smeportal.accounts.roles import has_capability
from smeportal.core.bulk_history import bulk_create_with_history_rows
from smeportal.core.compiled import CompiledRead
from smeportal.core.dates import validate_past_date
from workshops.choices import ProposalStatus
from workshops.models import Proposal

from .choices import ActivityStatus, CelebrationKind, MeasurementSource
from .models import (
    ActionPlan,
    Activity,
    Celebration,
    Goal,
    Indicator,
    Measurement,
    Milestone,
)
from .progress import indicator_state
from .selectors import open_items


def can_update_activity(user, activity: Activity) -> bool:
    """Editors of the plan, and the activity's own contact user, may update its progress."""
    return has_capability(user, "actionplan.edit") or (
        activity.contact_user_id is not None and activity.contact_user_id == user.pk
    )


# Whether the user is the contact of an activity under a goal the indicator measures (compiled
# once: the indicator's page asks on every view).
_CONTACT_UNDER_INDICATOR = CompiledRead(
    lambda indicator_id, user_id: Activity.objects.filter(
        goal__indicators=indicator_id, contact_user_id=user_id
    ).values_list("pk")[:1]
)


def can_add_measurement(user, indicator: Indicator) -> bool:
    """Editors, the indicator's owner, and contact users of activities under its goals."""
    if has_capability(user, "actionplan.edit") or indicator.owner_id == user.pk:
        return True
    return bool(_CONTACT_UNDER_INDICATOR.rows(indicator.pk, user.pk))


def _celebrate(**fields) -> Celebration | None:
    """Create the celebration unless this event was celebrated before (then None).

    The title is stored text ("what" happened), so callers build it inside
    `translation.override(settings.LANGUAGE_CODE)`: it reads in Swedish whoever triggered it.
    """
    lookup = {
        key: fields[key]
        for key in ("kind", "milestone", "activity", "indicator")
        if fields.get(key) is not None
    }
    if Celebration.objects.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():
            return Celebration.objects.create(**fields)
    except IntegrityError:  # a parallel request celebrated it first
        return None


def plan_save(*, plan: ActionPlan) -> ActionPlan:
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def goal_save(*, goal: Goal, indicators: Iterable[Indicator] | None = None) -> Goal:
    goal.full_clean()
    goal.save()
    if indicators is not None:
        goal.indicators.set(indicators)
    return goal


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    areas: Iterable | None = None,
    proposals: Iterable[Proposal] | None = None,
) -> Activity:
    """Create or change an activity; completing it is celebrated (once)."""
    was_done = False
    if activity.pk:
        was_done = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.DONE).exists()
    if activity.parent_id:
        ancestor = activity.parent
        while ancestor is not None:
            if ancestor.pk == activity.pk:
                raise ValidationError({"parent": _("An activity cannot be part of itself.")})
            ancestor = ancestor.parent
    activity.full_clean()
    _check_done_with_items_done(activity)
    activity.save()
    if areas is not None:
        areas = list(areas)
        if not areas:
            raise ValidationError({"areas": _("Choose at least one priority area.")})
        activity.areas.set(areas)
    if proposals is not None:
        _link_proposals(activity, list(proposals))
    if activity.status == ActivityStatus.DONE and not was_done:
        with translation.override(settings.LANGUAGE_CODE):
            _celebrate(
                kind=CelebrationKind.ACTIVITY_DONE,
                activity=activity,
                title=_("Activity completed: %(title)s") % {"title": activity.title},
                occurred_on=timezone.localdate(),
            )
    return activity


def _check_done_with_items_done(activity: Activity) -> None:
    """An activity is done when its milestones are and its sub-activities are done or
    cancelled: "klar" with open items would show 100 % beside work still to do."""
    if activity.status != ActivityStatus.DONE or not activity.pk:
        return
    milestones, children = open_items(activity)
    parts = []
    if milestones:
        parts.append(
            ngettext(
                "%(count)s milestone is not done", "%(count)s milestones are not done", milestones
            )
            % {"count": milestones}
        )
    if children:
        parts.append(
            ngettext(
                "%(count)s sub-activity is still open",
                "%(count)s sub-activities are still open",
                children,
            )
            % {"count": children}
        )
    if parts:
        raise ValidationError(
            {
                "status": _(
                    "The activity cannot be marked done yet: %(open)s. Mark them done (or "
                    "cancel the sub-activities) first, or keep the activity ongoing."
                )
                % {"open": _(" and ").join(parts)}
            }
        )


def _link_proposals(activity: Activity, proposals: list[Proposal]) -> None:
    for proposal in proposals:
        if proposal.merged_into_id:
            raise ValidationError(
                _("“%(title)s” has been merged into another proposal; choose that one instead.")
                % {"title": proposal.title}
            )
        if proposal.status == ProposalStatus.REJECTED:
            raise ValidationError(
                _("“%(title)s” was rejected and cannot be put in the plan.")
                % {"title": proposal.title}
            )
    activity.proposals.set(proposals)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=ProposalStatus.IN_PLAN)


@transaction.atomic
def activity_create_from_proposals(
    *, activity: Activity, proposals: Iterable[Proposal], areas: Iterable | None = None
) -> Activity:
    """Create an activity that realises one or more proposals, in one step.

    The proposals get the status "in the action plan"; the activity's areas default to theirs.
    """
    proposals = list(proposals)
    if not proposals:
        raise ValidationError(_("Choose at least one proposal."))
    if areas is None or not list(areas):
        areas = {proposal.area for proposal in proposals}
    return activity_save(activity=activity, areas=areas, proposals=proposals)


@transaction.atomic
def activity_set_progress(*, activity: Activity, status: str, manual_progress: int) -> Activity:
    """The contact user's quick update: status and hand-set progress."""
    activity.status = status
    activity.manual_progress = manual_progress
    return activity_save(activity=activity)


@transaction.atomic
def milestone_save(*, milestone: Milestone) -> Milestone:
    """Save a milestone; marking it done records when and is celebrated (once)."""
    previous_done = False
    if milestone.pk:
        previous_done = Milestone.objects.filter(pk=milestone.pk, is_done=True).exists()
    if milestone.is_done and not previous_done:
        milestone.done_at = timezone.now()
    elif not milestone.is_done:
        milestone.done_at = None
    if not milestone.is_done and milestone.activity.status == ActivityStatus.DONE:
        raise ValidationError(
            {
                "is_done": _(
                    "The activity is done, so its milestones are too. To add or reopen a "
                    "milestone, set the activity to ongoing first."
                )
            }
        )
    milestone.full_clean()
    milestone.save()
    if milestone.is_done and not previous_done:
        with translation.override(settings.LANGUAGE_CODE):
            _celebrate(
                kind=CelebrationKind.MILESTONE_DONE,
                milestone=milestone,
                activity=milestone.activity,
                title=_("Milestone reached: %(title)s (%(activity)s)")
                % {"title": milestone.title, "activity": milestone.activity.title},
                occurred_on=timezone.localdate(),
            )
    return milestone


def indicator_save(*, indicator: Indicator) -> Indicator:
    indicator.full_clean()
    indicator.save()
    celebrate_if_target_reached(indicator)
    return indicator


def celebrate_if_target_reached(indicator: Indicator) -> None:
    # The state follows from the latest measurement alone; the index on (indicator, date)
    # finds it without reading the others.
    measurements = list(indicator.measurements.order_by("-date").values_list("date", "value")[:1])
    state = indicator_state(
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        measurements=measurements,
        # Whether the target was reached does not depend on how fresh the value is.
        reporting_interval=None,
        as_of=None,
    )
    if state.target_reached:
        with translation.override(settings.LANGUAGE_CODE):
            _celebrate(
                kind=CelebrationKind.TARGET_REACHED,
                indicator=indicator,
                title=_("Target reached: %(name)s is %(value)s")
                % {
                    "name": indicator.name,
                    # "4,1" in Swedish, not "4.10"
                    "value": formats.localize(state.latest_value.normalize()),
                },
                value=state.latest_value,
                occurred_on=state.latest_date,
            )


@transaction.atomic
def measurement_add(
    *,
    indicator: Indicator,
    value: Decimal,
    on: date,
    comment: str = "",
    user=None,
    source: str = MeasurementSource.HAND,
) -> Measurement:
    """Record a value (by default one entered by hand; `source` says where else it came
    from); reaching the target is celebrated once, however often it is reached."""
    measurement = Measurement(
        indicator=indicator,
        value=value,
        date=on,
        comment=comment,
        created_by=user,
        source=source,
    )
    measurement.full_clean()
    measurement.save()
    celebrate_if_target_reached(indicator)
    return measurement


@transaction.atomic
def measurement_correct(
    *, measurement: Measurement, value: Decimal, on: date, comment: str
) -> Measurement:
    """Correct a recorded value, date or comment. The measurement's history keeps what it was,
    who changed it and when (simple_history, with the user of the request). A corrected value
    that reaches the target is celebrated (once); one corrected down leaves an earlier
    celebration as it was: it happened.

    A value or date corrected by hand is the user's from then on (source "entered by hand"):
    the next fetch from Kolada keeps it and reports the difference instead of overwriting it.
    """
    if value != measurement.value or on != measurement.date:
        measurement.source = MeasurementSource.HAND
        measurement.fetched_at = None
    measurement.value = value
    measurement.date = on
    measurement.comment = comment
    measurement.full_clean()
    measurement.save()
    celebrate_if_target_reached(measurement.indicator)
    return measurement


@transaction.atomic
def measurement_remove(*, measurement: Measurement) -> None:
    """Remove a measurement recorded by mistake. Its history, with who removed it, stays: the
    indicator's history page shows it (a retention decision is what destroys history)."""
    measurement.delete()


def _check_measurement_fields(measurements: list[Measurement]) -> None:
    """The field checks of full_clean() for a batch of new measurements, by field as there.

    Checking object by object cost as much as inserting them (issue 12), so each distinct value
    and comment is cleaned once by its model field, and the dates, one per row, by the earliest
    and the latest: their rule (validate_past_date) is a range. The indicator and the user are
    given, not chosen, and need no check.
    """
    for name in ("value", "comment"):
        field = Measurement._meta.get_field(name)
        distinct = {getattr(measurement, name) for measurement in measurements}
        try:
            cleaned = {raw: field.clean(raw, None) for raw in distinct}
        except ValidationError as error:
            raise ValidationError({name: error.error_list}) from None
        for measurement in measurements:
            setattr(measurement, name, cleaned[getattr(measurement, name)])
    field = Measurement._meta.get_field("date")
    try:
        for measurement in measurements:
            measurement.date = field.to_python(measurement.date)
            if measurement.date is None:
                raise ValidationError(field.error_messages["null"], code="null")
        if measurements:
            dates = [measurement.date for measurement in measurements]
            today = timezone.localdate()
            validate_past_date(min(dates), today=today)
            validate_past_date(max(dates), today=today)
    except ValidationError as error:
        raise ValidationError({"date": error.error_list}) from None


@transaction.atomic
def measurements_import(
    *, indicator: Indicator, rows: Iterable[tuple[date, Decimal, str]], user=None
) -> int:
    """Add many measurements in one transaction: all or nothing.

    Set-based, so the number of queries does not grow with the rows (issue 11; a save per row
    cost about 10 ms): the rows get the field checks of full_clean() in memory, the dates are
    checked against the indicator's in one query, and the measurements and their history
    records are inserted in bulk, the history naming the user as for a measurement entered by
    hand. Reaching the target is checked once, for the whole file.
    """
    user_id = user.pk if user is not None else None
    measurements = [
        Measurement(
            indicator_id=indicator.pk,
            value=value,
            date=on,
            comment=comment,
            created_by_id=user_id,
            source=MeasurementSource.IMPORT,
        )
        for on, value, comment in rows
    ]
    if not measurements:
        return 0
    _check_measurement_fields(measurements)
    dates = {measurement.date for measurement in measurements}
    # The dates of the file's span only: two parameters, however many rows.
    nearby = indicator.measurements.filter(date__range=(min(dates), max(dates)))
    existing = sorted(dates.intersection(nearby.values_list("date", flat=True)))
    if existing:
        raise ValidationError(
            _("The indicator already has a measurement on %(date)s in the portal.")
            % {"date": existing[0].isoformat()}
        )
    try:
        # A savepoint, so that a measurement saved meanwhile leaves the caller's transaction
        # usable; the unique constraint is the final word on one measurement per date.
        with transaction.atomic():
            bulk_create_with_history_rows(measurements, Measurement, user=user, date=timezone.now())
    except IntegrityError:
        raise ValidationError(
            _(
                "A measurement on one of the dates already exists (it may have been added "
                "meanwhile). Nothing has been imported; check the file and upload it again."
            )
        ) from None
    celebrate_if_target_reached(indicator)
    return len(measurements)


def celebration_mark(
    *,
    celebration: Celebration,
    user,
    celebrated: bool,
    note: str = "",
    is_public: bool | None = None,
) -> Celebration:
    """Mark an entry of "Att fira" as celebrated and communicated (or undo it), and, when
    `is_public` is given, whether the public page shows it."""
    if is_public is not None:
        celebration.is_public = is_public
    celebration.is_celebrated = celebrated
    celebration.celebrated_at = timezone.now() if celebrated else None
    celebration.celebrated_by = user if celebrated else None
    celebration.note = note
    celebration.full_clean()
    celebration.save()
    return celebration

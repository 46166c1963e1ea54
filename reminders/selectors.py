"""What each user should be reminded of today: one digest per user, built for all users at once.

The reads do not depend on the number of users: one query per kind (follow-ups, activities,
milestones, indicators), then grouped by owner. Each list is capped (DIGEST_ITEMS) with the
number left out, so a message stays readable and bounded; the portal's own lists have the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q

from actionplan.choices import IndicatorStatus
from actionplan.models import Activity, Milestone
from actionplan.progress import CLOSED_ACTIVITY_STATUSES
from actionplan.selectors_indicators import indicator_overviews
from interviews.choices import FollowUpStatus
from interviews.models import FollowUp
from records.selectors import overdue_requests
from smeportal.outbox.models import MailPreference, preference_for

# A follow-up is brought up this many days before it is due, and every day after.
DUE_SOON_DAYS = 3
# At most this many items of each kind in one message.
DIGEST_ITEMS = 20


@dataclass(frozen=True)
class Item:
    title: str
    on: date | None
    url_name: str
    pk: int
    context: str = ""  # the company, the activity: what the item belongs to


@dataclass
class ItemList:
    items: list[Item] = field(default_factory=list)
    total: int = 0

    def add(self, item: Item) -> None:
        self.total += 1
        if len(self.items) < DIGEST_ITEMS:
            self.items.append(item)

    @property
    def left_out(self) -> int:
        return self.total - len(self.items)


@dataclass
class Digest:
    user: object
    preference: MailPreference
    follow_ups: ItemList = field(default_factory=ItemList)
    activities: ItemList = field(default_factory=ItemList)
    milestones: ItemList = field(default_factory=ItemList)
    indicators: ItemList = field(default_factory=ItemList)
    requests: ItemList = field(default_factory=ItemList)

    @property
    def is_empty(self) -> bool:
        return not any(
            kind.total
            for kind in (
                self.follow_ups,
                self.activities,
                self.milestones,
                self.indicators,
                self.requests,
            )
        )


def _follow_ups(today: date) -> dict[int, list[Item]]:
    rows = (
        FollowUp.objects.exclude(status=FollowUpStatus.DONE)
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .order_by("owner_id", "due_date", "pk")
        .values_list("owner_id", "pk", "title", "due_date", "interview__company__name")
    )
    found = defaultdict(list)
    for owner, pk, title, due, company in rows:
        found[owner].append(Item(title, due, "interviews:followup_update", pk, company))
    return found


def _activities(today: date) -> dict[int, list[Item]]:
    rows = (
        Activity.objects.filter(contact_user__isnull=False, due_date__lt=today)
        .exclude(status__in=CLOSED_ACTIVITY_STATUSES)
        .order_by("contact_user_id", "due_date", "pk")
        .values_list("contact_user_id", "pk", "title", "due_date")
    )
    found = defaultdict(list)
    for owner, pk, title, due in rows:
        found[owner].append(Item(title, due, "actionplan:activity_detail", pk))
    return found


def _milestones(today: date) -> dict[int, list[Item]]:
    rows = (
        Milestone.objects.filter(
            is_done=False, date__lt=today, activity__contact_user__isnull=False
        )
        .exclude(activity__status__in=CLOSED_ACTIVITY_STATUSES)
        .order_by("activity__contact_user_id", "date", "pk")
        .values_list("activity__contact_user_id", "activity_id", "title", "date", "activity__title")
    )
    found = defaultdict(list)
    for owner, activity, title, on, activity_title in rows:
        found[owner].append(Item(title, on, "actionplan:activity_detail", activity, activity_title))
    return found


def _indicators(today: date) -> dict[int, list[Item]]:
    found = defaultdict(list)
    for overview in indicator_overviews(today=today):
        indicator = overview.indicator
        if indicator.owner_id and overview.status == IndicatorStatus.NEEDS_UPDATE:
            found[indicator.owner_id].append(
                Item(
                    indicator.name,
                    indicator.latest_date,
                    "actionplan:indicator_detail",
                    indicator.pk,
                )
            )
    return found


def _requests(today: date) -> dict[int, list[Item]]:
    """Requests for public documents past their due date without a decision, by handler."""
    rows = overdue_requests(today=today).values_list("handler_id", "pk", "number", "due_on")
    found = defaultdict(list)
    for handler, pk, number, due in rows:
        found[handler].append(Item(number, due, "records:request_detail", pk))
    return found


def digests_for(today: date) -> list[Digest]:
    """The digests with something in them, of active users with an e-mail address, each kind
    only for users who have not switched it off."""
    kinds = {
        "follow_ups": _follow_ups(today),
        "activities": _activities(today),
        "milestones": _milestones(today),
        "indicators": _indicators(today),
        "requests": _requests(today),
    }
    user_ids = set().union(*(found.keys() for found in kinds.values()))
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(Q(email="") | Q(email__isnull=True))
        .select_related("mail_preference")
        .order_by("pk")
    )
    digests = []
    for user in users:
        preference = preference_for(user)
        digest = Digest(user=user, preference=preference)
        switches = {
            "follow_ups": preference.follow_ups,
            "activities": preference.activities,
            "milestones": preference.activities,
            "indicators": preference.indicators,
            # A decision the law wants made promptly: not a reminder one can switch off.
            "requests": True,
        }
        for kind, found in kinds.items():
            if switches[kind]:
                for item in found.get(user.pk, []):
                    getattr(digest, kind).add(item)
        if not digest.is_empty:
            digests.append(digest)
    return digests

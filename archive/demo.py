"""Demo: an information management plan (informationshanteringsplan) as a municipality adopts it.

The rules follow what Swedish municipalities commonly decide for business-support records:
contact details go early, interviews after some years, what shows how decisions were made
(reports, workshops, the action plan, requests for public records) is kept for good.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .models import CountedFrom, InformationRule, RecordType

DECISION = "KS 2025/412 § 7"
ADOPTED = date(2025, 6, 10)

KEEP = InformationRule.Action.KEEP
DISPOSE = InformationRule.Action.DISPOSE
YEARS = InformationRule.Unit.YEARS
MONTHS = InformationRule.Unit.MONTHS

# (record type, action, period, unit, counted from, note)
DEMO_PLAN = (
    (
        RecordType.INTERVIEWS,
        DISPOSE,
        5,
        YEARS,
        CountedFrom.INTERVIEW_DATE,
        "Levereras till e-arkivet efter avslutat år; gallras i portalen därefter.",
    ),
    (
        RecordType.FINDINGS,
        DISPOSE,
        1,
        YEARS,
        CountedFrom.ARCHIVED,
        "Gäller synpunkter som tagits bort ur en intervju (felregistreringar).",
    ),
    (
        RecordType.CONTACTS,
        DISPOSE,
        2,
        YEARS,
        CountedFrom.LAST_INTERVIEW,
        "Personuppgifter: anonymiseras när de inte längre behövs.",
    ),
    (
        RecordType.COMPANIES,
        DISPOSE,
        5,
        YEARS,
        CountedFrom.LAST_INTERVIEW,
        "Enskilda firmor är personuppgifter.",
    ),
    (RecordType.FOLLOW_UPS, DISPOSE, 2, YEARS, CountedFrom.CLOSED, ""),
    (RecordType.WORKSHOPS, KEEP, None, "", "", "Visar hur dialogen med näringslivet gick till."),
    (RecordType.PROPOSALS, KEEP, None, "", "", ""),
    (RecordType.ACTIVITIES, KEEP, None, "", "", "Handlingsplanen och dess uppföljning."),
    (RecordType.INDICATORS, KEEP, None, "", "", ""),
    (RecordType.REPORTS, KEEP, None, "", "", "Sammanställningar till Tillväxtrådet."),
    (RecordType.REQUESTS, KEEP, None, "", "", "Diarieförda begäranden och beslut."),
    (
        RecordType.OUTBOX,
        DISPOSE,
        1,
        YEARS,
        CountedFrom.SENT,
        "Kopior av utskick; själva ärendet finns kvar där det hör hemma.",
    ),
    (RecordType.AUDIT_TRAIL, DISPOSE, 10, YEARS, CountedFrom.CHANGED, ""),
    (
        RecordType.API_CALLS,
        DISPOSE,
        2,
        YEARS,
        CountedFrom.CALLED,
        "Loggen visar vem som hämtade vad genom API:t; äldre anrop behövs inte.",
    ),
)


@transaction.atomic
def seed_plan(*, stdout=None) -> None:
    """Create the demo plan's rules that are missing; rules already there are left alone."""
    created = 0
    for record_type, action, period, unit, counted_from, note in DEMO_PLAN:
        if InformationRule.objects.filter(record_type=record_type).exists():
            continue
        rule = InformationRule(
            record_type=record_type,
            action=action,
            period=period,
            period_unit=unit,
            counted_from=counted_from,
            decision_reference=DECISION,
            decision_date=ADOPTED,
            note=note,
        )
        rule.full_clean()
        rule.save()
        created += 1
    if stdout is not None:
        stdout.write(f"Information management plan: {created} rules added.")


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_plan

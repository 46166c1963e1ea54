"""Rules of the information management plan (archive) for the retention tests.

Retention proposes records from a disposal rule of the plan: step one of the page posts the
rule's id. `plan_rule(scope, ...)` gives the rule of the kind of records a scope covers, with
the period asked for (one month unless told), creating or changing it.
"""

from __future__ import annotations

import datetime

from archive.models import COUNTED_FROM_FOR, InformationRule

# The retention scope (audit.models.RetentionDecision.Scope) and the plan's kind of records.
SCOPE_RECORD_TYPES = {
    "synpunkter": "synpunkter",
    "intervjuer": "intervjuer",
    "kontakter": "kontaktpersoner",
    "foretag": "foretag",
    "utskick": "utskick",
    "api_anrop": "api_anrop",
}


def plan_rule(scope: str, *, years: int = 0, months: int = 0) -> InformationRule:
    """The plan's disposal rule for the scope's records: `years` years, else `months` (1)."""
    record_type = SCOPE_RECORD_TYPES[scope]
    if years:
        period, unit = years, InformationRule.Unit.YEARS
    else:
        period, unit = months or 1, InformationRule.Unit.MONTHS
    rule, _created = InformationRule.objects.update_or_create(
        record_type=record_type,
        defaults={
            "action": InformationRule.Action.DISPOSE,
            "period": period,
            "period_unit": unit,
            "counted_from": COUNTED_FROM_FOR[record_type][0],
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": datetime.date(2025, 6, 10),
        },
    )
    return rule


def rule_fields(scope: str, older_than_years: str | int = 0) -> dict[str, str]:
    """The criteria step's fields for the rule of the scope's records (`older_than_years` as
    the period in years; 0 for the shortest, one month)."""
    return {"rule": str(plan_rule(scope, years=int(older_than_years)).pk)}

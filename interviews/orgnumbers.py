"""Swedish organisation numbers, and personal identity numbers used by sole traders.

A legal entity's organisationsnummer has ten digits whose third digit is 2 or more. A sole
trader (enskild firma) uses the owner's personnummer instead, whose third digit is a month's
first digit (0 or 1); such a number is personal data, so the company is marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr, personnummer


@dataclass(frozen=True)
class OrganisationNumber:
    formatted: str  # NNNNNN-NNNN, the form stored and shown
    is_personal_identity_number: bool


def parse_organisation_number(raw: str) -> OrganisationNumber:
    """Validate and normalise; raises ValidationError with a Swedish message."""
    # Only 0-9: other digits ("²", "٣") would pass isdigit() and break int() or the check digit.
    digits = "".join(ch for ch in str(raw or "") if ch in "0123456789")
    if len(digits) == 12:
        if not personnummer.is_valid(digits):
            raise ValidationError(
                _("“%(value)s” is not a valid personal identity number."),
                code="invalid_personnummer",
                params={"value": raw},
            )
        digits = digits[2:]
        return OrganisationNumber(f"{digits[:6]}-{digits[6:]}", True)
    if len(digits) != 10:
        raise ValidationError(
            _("An organisation number has ten digits, e.g. 556036-0793."),
            code="invalid_length",
        )
    if int(digits[2]) >= 2:
        if not orgnr.is_valid(digits):
            raise ValidationError(
                _("“%(value)s” is not a valid organisation number (the check digit is wrong)."),
                code="invalid_orgnr",
                params={"value": raw},
            )
        return OrganisationNumber(f"{digits[:6]}-{digits[6:]}", False)
    if not personnummer.is_valid(digits):
        raise ValidationError(
            _(
                "“%(value)s” is neither a valid organisation number nor a valid personal identity "
                "number of a sole trader."
            ),
            code="invalid_personnummer",
            params={"value": raw},
        )
    return OrganisationNumber(f"{digits[:6]}-{digits[6:]}", True)


def validate_organisation_number(value: str) -> None:
    parse_organisation_number(value)

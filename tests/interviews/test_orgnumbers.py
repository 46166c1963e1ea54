from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from interviews.orgnumbers import parse_organisation_number


@pytest.mark.parametrize(
    ("raw", "formatted", "personal"),
    [
        ("556036-0793", "556036-0793", False),
        ("5560360793", "556036-0793", False),
        (" 556036 0793 ", "556036-0793", False),
        ("811228-9874", "811228-9874", True),
        ("19811228-9874", "811228-9874", True),
    ],
)
def test_valid_numbers_are_normalised(raw, formatted, personal):
    parsed = parse_organisation_number(raw)
    assert parsed.formatted == formatted
    assert parsed.is_personal_identity_number is personal


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("556036-0794", "kontrollsiffran"),
        ("12345", "tio siffror"),
        ("", "tio siffror"),
        ("811328-9874", "varken"),
        ("19811328-9874", "personnummer"),
    ],
)
def test_invalid_numbers_give_swedish_messages(raw, message):
    with pytest.raises(ValidationError) as error:
        parse_organisation_number(raw)
    assert message in " ".join(error.value.messages)

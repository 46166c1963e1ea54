from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from smeportal.accounts.models import User
from smeportal.accounts.roles import Role, user_roles


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_is_idempotent(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = StringIO()
    call_command("seed_demo", stdout=first)
    assert "Generated demo password" in first.getvalue()
    password = first.getvalue().split("(shown once): ")[1].split()[0]
    expected = {
        "utvecklare": Role.DEVELOPER,
        "processledare": Role.FACILITATOR,
        "radsmedlem": Role.COUNCIL,
        "admin": Role.ADMINISTRATOR,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user_roles(user) == {role}
        assert user.check_password(password)

    second = StringIO()
    call_command("seed_demo", stdout=second)
    assert "Generated demo password" not in second.getvalue()
    assert User.objects.count() == 4
    assert User.objects.get(username="admin").check_password(password)
    # The dashboard has figures on the first visit, and a second run adds no report.
    from reports.models import ReportRun, SummarySnapshot

    assert SummarySnapshot.objects.count() == 1
    assert list(ReportRun.objects.values_list("status", flat=True)) == ["klar"]


@pytest.mark.django_db
def test_seed_demo_uses_demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "eskilstuna-demo-2030")
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(username="radsmedlem").check_password("eskilstuna-demo-2030")

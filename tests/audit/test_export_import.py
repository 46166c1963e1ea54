"""export_all writes every record to one file; import_all restores it into an empty database."""

from __future__ import annotations

import json
import os
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from actionplan.models import Activity, Measurement
from audit.backup import table_counts
from audit.models import RetentionDecision
from interviews.models import Finding, Interview
from interviews.services import finding_archive
from smeportal.accounts.models import User
from workshops.models import Proposal


def _empty_database() -> None:
    """A freshly migrated database, as far as data goes: `flush` empties every table.

    The test runs in a transaction; Postgres truncates only once the deferred foreign key
    checks of that transaction have run.
    """
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo_data(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "eskilstuna-demo-2030")
    call_command("seed_demo", stdout=StringIO())


def _snapshot() -> dict:
    """A few things a user would check after a restore, by primary key."""
    interview = Interview.objects.order_by("pk").prefetch_related("interviewers").last()
    merged = Proposal.objects.filter(merged_into__isnull=False).order_by("pk").first()
    activity = Activity.objects.filter(proposals__isnull=False).order_by("pk").first()
    return {
        "interview": (interview.pk, interview.company.name, interview.notes, interview.version),
        "findings": sorted(interview.findings.values_list("pk", "text", "area__slug")),
        "interviewers": sorted(user.username for user in interview.interviewers.all()),
        "merged": (merged.pk, merged.merged_into_id, merged.votes),
        "activity_proposals": sorted(activity.proposals.values_list("pk", flat=True)),
        "activity_parent": sorted(
            Activity.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        ),
        "measurements": sorted(Measurement.objects.values_list("indicator_id", "date", "value")),
        "history": list(
            Interview.history.order_by("history_id").values_list(
                "history_id", "history_date", "history_user__username"
            )
        ),
        "archived": sorted(
            Finding.all_objects.filter(is_archived=True).values_list("pk", flat=True)
        ),
        "groups": sorted(User.objects.values_list("username", "groups__name")),
    }


@pytest.mark.django_db
def test_demo_data_survives_export_and_import(demo_data, tmp_path):
    # An archived finding that a proposal still links to must come back, link included.
    finding = Finding.objects.order_by("pk").first()
    proposal = Proposal.objects.order_by("pk").first()
    finding_archive(finding=finding)
    proposal.evidence.through.objects.create(proposal=proposal, finding=finding)
    before_counts, before = table_counts(), _snapshot()
    path = tmp_path / "backup.json"

    call_command("export_all", str(path), stdout=StringIO())
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["format"] == "smeportal-backup"
    assert written["counts"] == before_counts

    _empty_database()
    assert not Interview.objects.exists()
    out = StringIO()
    call_command("import_all", str(path), stdout=out)

    assert "every count matches" in out.getvalue()
    assert table_counts() == before_counts
    assert before_counts["interviews.interview"] == 60
    assert before_counts["interviews.interview_interviewers"] > 60
    assert before_counts["workshops.proposal_evidence"] > 0
    assert _snapshot() == before
    assert finding.pk in proposal.evidence.through.objects.values_list("finding_id", flat=True)
    # The restored users can log in with their passwords.
    assert User.objects.get(username="admin").check_password("eskilstuna-demo-2030")


@pytest.mark.django_db
def test_import_refuses_a_database_with_data(demo_data, tmp_path):
    path = tmp_path / "backup.json"
    call_command("export_all", str(path), stdout=StringIO())
    before = table_counts()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_all", str(path), stdout=StringIO())
    assert table_counts() == before


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"model": "interviews.company", "pk": 1, "fields": {}}]')
    with pytest.raises(CommandError, match="not a backup"):
        call_command("import_all", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_all", str(tmp_path / "missing.json"), stdout=StringIO())


@pytest.mark.django_db
def test_a_mismatch_undoes_the_whole_import(tmp_path, administrator):
    path = tmp_path / "backup.json"
    call_command("export_all", str(path), stdout=StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["counts"]["audit.retentiondecision"] = 1  # the file claims a row it does not hold
    path.write_text(json.dumps(data), encoding="utf-8")
    _empty_database()
    with pytest.raises(CommandError, match="did not match"):
        call_command("import_all", str(path), stdout=StringIO())
    assert not User.objects.exists()
    assert not RetentionDecision.objects.exists()


@pytest.mark.django_db
def test_the_export_is_readable_by_its_owner_only(tmp_path, administrator):
    """It holds password hashes and personal data: mode 0600 whatever the umask ..."""
    path = tmp_path / "backup.json"
    previous = os.umask(0o022)
    try:
        call_command("export_all", str(path), stdout=StringIO())
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert administrator.password in path.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_an_existing_readable_file_is_made_private_before_it_is_written(tmp_path, administrator):
    """... and also when it overwrites a file that others could read."""
    path = tmp_path / "backup.json"
    path.write_text("gammal säkerhetskopia", encoding="utf-8")
    path.chmod(0o644)
    call_command("export_all", str(path), stdout=StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "smeportal-backup"

"""Indexes for the list pages at scale (issue 12): every list reads a page in index order.

- interview (date, id): the interview list's default order (an index-only scan however deep
  the page), its date filters and retention's "held before";
- interview (company, date): a company's interviews, "not interviewed since";
- interview (grade, id) and (status, id desc): the list sorted by grade or status;
- finding (area, importance desc, interview desc, id) for live findings, carrying type and
  confidentiality: the order of every list of findings within an area (finding list,
  coverage, evidence picker; interviews.selectors.FINDING_ORDER);
- finding (archived_at, id) for archived findings: the retention page;
- follow-up (owner, status, due date): "Mina uppföljningar";
- Postgres only: company (name in Swedish order, id), the company list's order and the
  interview list sorted by company; finding (id) with its interview and interview (id) with
  its company, so evidence reaches its companies by index alone.
"""

from django.db import migrations, models

from smeportal.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0008_search_plans_and_bulk_writes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="interview",
            name="interviews__date_1f3552_idx",
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["date", "id"], name="interview_date_id"),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["company", "date"], name="interview_company_date"),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["grade", "id"], name="interview_grade_id"),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["status", "-id"], name="interview_status_id"),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                condition=models.Q(("is_archived", False)),
                fields=["area", "-importance", "-interview", "id"],
                include=("type", "is_confidential"),
                name="finding_area_rank",
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                condition=models.Q(("is_archived", True)),
                fields=["archived_at", "id"],
                name="finding_archived",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(fields=["owner", "status", "due_date"], name="followup_owner_open"),
        ),
        PostgresOnlySQL(
            "CREATE INDEX interviews_company_name_sv ON interviews_company "
            '((name COLLATE "sv-x-icu"), id)',
            "DROP INDEX interviews_company_name_sv",
        ),
        # finding -> interview -> company by id without visiting the tables (findings hold
        # long texts, interviews their search document): the companies behind a proposal's
        # or an activity's evidence, 3x faster for coverage's 2,500 open proposals.
        PostgresOnlySQL(
            "CREATE INDEX interviews_finding_id_interview ON interviews_finding (id) "
            "INCLUDE (interview_id)",
            "DROP INDEX interviews_finding_id_interview",
        ),
        PostgresOnlySQL(
            "CREATE INDEX interviews_interview_id_company ON interviews_interview (id) "
            "INCLUDE (company_id)",
            "DROP INDEX interviews_interview_id_company",
        ),
    ]

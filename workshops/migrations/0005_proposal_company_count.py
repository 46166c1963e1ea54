"""Proposal.company_count: the distinct companies behind a proposal's evidence, stored.

Filled for existing rows by one UPDATE from a GROUP BY (the same statement as
workshops.services.proposal_company_counts_refresh), before the ranking index is built.
"""

from django.conf import settings
from django.db import migrations, models

FILL = """
UPDATE workshops_proposal SET company_count = counted.total
FROM (
    SELECT p.id AS proposal_id, COUNT(DISTINCT i.company_id) AS total
    FROM workshops_proposal p
    LEFT JOIN workshops_proposal_evidence e ON e.proposal_id = p.id
    LEFT JOIN interviews_finding f ON f.id = e.finding_id
    LEFT JOIN interviews_interview i ON i.id = f.interview_id
    GROUP BY p.id
) AS counted
WHERE workshops_proposal.id = counted.proposal_id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0003_text_limits'),
        ('interviews', '0009_list_indexes'),
        ('workshops', '0004_evidence_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalproposal',
            name='company_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='companies behind it'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='company_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='companies behind it'),
        ),
        migrations.RunSQL(
            FILL,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['area', '-company_count', '-votes'], name='proposal_area_ranking'),
        ),
    ]

"""Each contact's latest interview, kept by the database, on Postgres only.

Retention lists and counts the contact persons not interviewed since a cutoff. Asked of the
interviewee links, that meant joining every link since the cutoff for the count (46 ms at
100,000 interviews: 132,000 links, a contact in eleven interviews on average). The column
`last_interview_on` holds the date of each contact's latest interview instead, and triggers
keep it current: when links are added or removed (once per statement, so a bulk insert
refreshes each contact it touched once) and when an interview's date changes. Deleting an
interview deletes its links first, which refreshes its contacts. Nothing changes on SQLite,
where audit.selectors asks the links as before.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

COLUMN = [
    "ALTER TABLE interviews_contact ADD COLUMN last_interview_on date",
    """
    CREATE FUNCTION interviews_contact_last_interview(p_contact bigint)
    RETURNS date LANGUAGE sql STABLE AS $$
        SELECT max(i.date)
          FROM interviews_interview_interviewees l
          JOIN interviews_interview i ON i.id = l.interview_id
         WHERE l.contact_id = p_contact
    $$
    """,
    """
    CREATE FUNCTION interviews_contact_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE interviews_contact c
               SET last_interview_on = interviews_contact_last_interview(c.id)
             WHERE c.id IN (SELECT n.contact_id FROM new_links n);
        ELSE
            UPDATE interviews_contact c
               SET last_interview_on = interviews_contact_last_interview(c.id)
             WHERE c.id IN (SELECT o.contact_id FROM old_links o);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_contact_links_inserted
    AFTER INSERT ON interviews_interview_interviewees
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_contact_links_changed()
    """,
    """
    CREATE TRIGGER interviews_contact_links_deleted
    AFTER DELETE ON interviews_interview_interviewees
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_contact_links_changed()
    """,
    # Per row, and only when the date changed: the interview's row is updated often (its
    # search document, with every finding), its date seldom.
    """
    CREATE FUNCTION interviews_contact_interview_date_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE interviews_contact c
           SET last_interview_on = interviews_contact_last_interview(c.id)
         WHERE c.id IN (
            SELECT l.contact_id FROM interviews_interview_interviewees l
             WHERE l.interview_id = NEW.id
         );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_contact_interview_date
    AFTER UPDATE OF date ON interviews_interview
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION interviews_contact_interview_date_changed()
    """,
    "UPDATE interviews_contact SET last_interview_on = interviews_contact_last_interview(id)",
]
DROP = [
    "DROP TRIGGER interviews_contact_interview_date ON interviews_interview",
    "DROP FUNCTION interviews_contact_interview_date_changed()",
    "DROP TRIGGER interviews_contact_links_deleted ON interviews_interview_interviewees",
    "DROP TRIGGER interviews_contact_links_inserted ON interviews_interview_interviewees",
    "DROP FUNCTION interviews_contact_links_changed()",
    "DROP FUNCTION interviews_contact_last_interview(bigint)",
    "ALTER TABLE interviews_contact DROP COLUMN last_interview_on",
]


class Migration(migrations.Migration):
    dependencies = [("interviews", "0017_contact_language_company_address")]

    operations = [PostgresOnlySQL(COLUMN, DROP)]

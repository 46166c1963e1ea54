"""Each company's latest interview, kept by the database, on Postgres only.

Retention lists and counts the companies not interviewed since a cutoff (sole traders, or
those a name search finds), by name. Asked of the interviews, each listed or counted company
meant a probe of its interviews (12 ms for the 1,600 sole traders at 100,000 interviews,
before the first 50 by name could be shown). The column `last_interview_on` holds the date of
each company's latest interview instead, and triggers keep it current: when interviews are
added or deleted (once per statement, so a bulk insert refreshes each company it touched
once) and when an interview's date or company changes. Nothing changes on SQLite, where
audit.selectors asks the interviews as before. (0018 does the same for contact persons.)
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

COLUMN = [
    "ALTER TABLE interviews_company ADD COLUMN last_interview_on date",
    """
    CREATE FUNCTION interviews_company_last_interview(p_company bigint)
    RETURNS date LANGUAGE sql STABLE AS $$
        SELECT max(i.date) FROM interviews_interview i WHERE i.company_id = p_company
    $$
    """,
    """
    CREATE FUNCTION interviews_company_interviews_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE interviews_company c
               SET last_interview_on = interviews_company_last_interview(c.id)
             WHERE c.id IN (SELECT n.company_id FROM new_interviews n);
        ELSE
            UPDATE interviews_company c
               SET last_interview_on = interviews_company_last_interview(c.id)
             WHERE c.id IN (SELECT o.company_id FROM old_interviews o);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_company_interviews_inserted
    AFTER INSERT ON interviews_interview
    REFERENCING NEW TABLE AS new_interviews
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_company_interviews_changed()
    """,
    """
    CREATE TRIGGER interviews_company_interviews_deleted
    AFTER DELETE ON interviews_interview
    REFERENCING OLD TABLE AS old_interviews
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_company_interviews_changed()
    """,
    # Per row, and only when the date or the company changed: the interview's row is updated
    # often (its search document, with every finding), these seldom.
    """
    CREATE FUNCTION interviews_company_interview_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE interviews_company c
           SET last_interview_on = interviews_company_last_interview(c.id)
         WHERE c.id IN (OLD.company_id, NEW.company_id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_company_interview_moved
    AFTER UPDATE OF date, company_id ON interviews_interview
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date
                       OR OLD.company_id IS DISTINCT FROM NEW.company_id)
    EXECUTE FUNCTION interviews_company_interview_moved()
    """,
    "UPDATE interviews_company SET last_interview_on = interviews_company_last_interview(id)",
]
DROP = [
    "DROP TRIGGER interviews_company_interview_moved ON interviews_interview",
    "DROP FUNCTION interviews_company_interview_moved()",
    "DROP TRIGGER interviews_company_interviews_deleted ON interviews_interview",
    "DROP TRIGGER interviews_company_interviews_inserted ON interviews_interview",
    "DROP FUNCTION interviews_company_interviews_changed()",
    "DROP FUNCTION interviews_company_last_interview(bigint)",
    "ALTER TABLE interviews_company DROP COLUMN last_interview_on",
]


class Migration(migrations.Migration):
    dependencies = [("interviews", "0018_contact_last_interview")]

    operations = [PostgresOnlySQL(COLUMN, DROP)]

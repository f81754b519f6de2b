"""On PostgreSQL, refuse UPDATE and DELETE of change records in the database itself (not only in the app).

The other vendors have no such trigger: SQLite is the single-server mode, where whoever can open the
file can rewrite it anyway; there the hash chain (`manage.py journal_verify`) is the evidence.
A migration that must rewrite history (a new chain version) drops the trigger and recreates it after.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION journal_changerecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'journal_changerecord is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS journal_changerecord_append_only ON journal_changerecord;
CREATE TRIGGER journal_changerecord_append_only
    BEFORE UPDATE OR DELETE ON journal_changerecord
    FOR EACH ROW EXECUTE FUNCTION journal_changerecord_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS journal_changerecord_append_only ON journal_changerecord;
DROP FUNCTION IF EXISTS journal_changerecord_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the % in RAISE is PL/pgSQL's

    return run


class Migration(migrations.Migration):
    dependencies = [("journal", "0008_change_record_chain_backfill")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]

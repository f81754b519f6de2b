"""Each mark's place in its cell (`Mark.slot`), unique per cell: the database decides a cell's concurrent first writes.

Existing cells with several marks get 0, 1, 2… in the order the journal shows them (created_at, id); the
unique index then replaces the plain (lesson, student) one, which it covers.
"""

from django.db import migrations, models

# One statement on both engines (SQLite >= 3.33 has UPDATE … FROM); only cells with more than one mark change.
NUMBER_SLOTS = """
WITH numbered AS (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY lesson_id, student_id ORDER BY created_at, id) - 1 AS n
    FROM journal_mark
)
UPDATE journal_mark SET slot = numbered.n FROM numbered WHERE numbered.id = journal_mark.id AND numbered.n > 0
"""


class Migration(migrations.Migration):

    dependencies = [
        ("journal", "0005_correction_current_seen"),
    ]

    operations = [
        migrations.AddField(
            model_name="mark",
            name="slot",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.RunSQL(NUMBER_SLOTS, migrations.RunSQL.noop, elidable=True),
        migrations.AddConstraint(
            model_name="mark",
            constraint=models.UniqueConstraint(fields=("lesson", "student", "slot"), name="mark_unique_cell_slot"),
        ),
        migrations.RemoveIndex(
            model_name="mark",
            name="journal_mar_lesson__861fdf_idx",
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models

# The lesson's class, filled from the lessons (one statement, PostgreSQL and SQLite alike).
BACKFILL = (
    "UPDATE journal_homework SET school_class_id = "
    "(SELECT l.school_class_id FROM timetable_lesson l WHERE l.id = journal_homework.lesson_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_mark_attendance_lean_indexes"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="homework",
            name="school_class",
            field=models.ForeignKey(
                db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="schools.schoolclass",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="homework",
            name="school_class",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="schools.schoolclass",
            ),
        ),
        migrations.AddIndex(
            model_name="homework",
            index=models.Index(fields=["school_class", "due_date"], name="journal_hom_school__e1000d_idx"),
        ),
    ]

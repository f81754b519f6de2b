from django.db import migrations


def load(apps, schema_editor):
    from ejournal.curriculum.catalogue import SUBJECTS

    Subject = apps.get_model("curriculum", "Subject")
    for position, (name, short_name) in enumerate(SUBJECTS, start=1):
        Subject.objects.get_or_create(school=None, name=name, defaults={"short_name": short_name, "position": position * 10})


def unload(apps, schema_editor):
    apps.get_model("curriculum", "Subject").objects.filter(school=None).delete()


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

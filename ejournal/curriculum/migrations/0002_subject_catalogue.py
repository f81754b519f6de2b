from django.db import migrations


def load(apps, schema_editor):
    from ejournal.curriculum.catalogue import catalogue_ensure

    catalogue_ensure(apps.get_model("curriculum", "Subject"))


def unload(apps, schema_editor):
    apps.get_model("curriculum", "Subject").objects.filter(school=None).delete()


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

"""Link the change records written before the chain existed: per school, in id order (the order they were written)."""

from django.db import migrations

from ejournal.journal.chain import FIELDS, GENESIS, record_hash

BATCH = 5000


def chain_existing(apps, schema_editor):
    ChangeRecord = apps.get_model("journal", "ChangeRecord")
    ChainHead = apps.get_model("journal", "ChainHead")
    school_ids = ChangeRecord.objects.order_by().values_list("school_id", flat=True).distinct()
    for school_id in list(school_ids):
        prev, last_id, length, batch = GENESIS, None, 0, []
        rows = ChangeRecord.objects.filter(school_id=school_id).order_by("id").values("id", *FIELDS)
        for row in rows.iterator(chunk_size=BATCH):
            digest = record_hash(row, prev)
            batch.append(ChangeRecord(id=row["id"], prev_hash=prev, hash=digest))
            prev, last_id, length = digest, row["id"], length + 1
            if len(batch) >= BATCH:
                ChangeRecord.objects.bulk_update(batch, ["prev_hash", "hash"])
                batch = []
        ChangeRecord.objects.bulk_update(batch, ["prev_hash", "hash"])
        ChainHead.objects.update_or_create(
            school_id=school_id, defaults={"last_id": last_id, "last_hash": prev, "length": length}
        )


class Migration(migrations.Migration):
    dependencies = [("journal", "0007_change_record_chain")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]

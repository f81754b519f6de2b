from decimal import Decimal

from ejournal.core.models import AuditEvent

from ..services import work_type_update, work_types_ensure
from .helpers import deputy


def test_work_type_update_changes_the_weight_and_logs_old_and_new(world):
    work_type = work_types_ensure(world.school)["answer"]
    work_type_update(
        work_type=work_type, name=work_type.name, weight="1.5", is_written=work_type.is_written, actor=deputy(world)
    )
    work_type.refresh_from_db()
    assert work_type.weight == Decimal("1.5")
    event = AuditEvent.objects.get(action="work_type_updated", object_id=str(work_type.pk))
    assert event.changes["weight"][1] == "1.5"
    assert "name" not in event.changes

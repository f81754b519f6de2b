"""Thematic plans (КТП): import, edit, reorder. Plan-vs-fact and the next topic are in the selectors."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import TeachingAssignment

from ..models import PlannedTopic, ThematicPlan

TITLE_MAX = 500
HOURS_MAX = 100
SHIFT = 1_000_000  # moves positions out of the way while renumbering (unique per plan)


def require_planner(actor: Actor, assignment: TeachingAssignment) -> None:
    if not (policy.check(actor, "can_keep_journal", assignment) or policy.check(actor, "can_plan_school", assignment)):
        raise ValidationError(_("Планирование ведёт учитель этого предмета или заместитель директора."))


def thematic_plan_parse(text: str) -> list[tuple[str, int]]:
    """Read one topic a line, optionally «Тема; часы» (or a tab before the hours); refuse bad lines, naming them."""
    topics: list[tuple[str, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        title, hours = line, "1"
        for sep in ("\t", ";"):
            if sep in line:
                title, hours = (part.strip() for part in line.rsplit(sep, 1))
                break
        if not hours.isdigit() or not 1 <= int(hours) <= HOURS_MAX or not title or len(title) > TITLE_MAX:
            raise ValidationError(
                _("Строка %(line)s: нужна тема (до %(max)s знаков) и число часов от 1 до %(hours)s.")
                % {"line": number, "max": TITLE_MAX, "hours": HOURS_MAX},
                code="plan_line",
            )
        topics.append((title, int(hours)))
    if not topics:
        raise ValidationError(_("В планировании нет ни одной темы."), code="plan_empty")
    return topics


def thematic_plan_import(
    *, assignment: TeachingAssignment, topics: Sequence[tuple] | str, replace: bool = True, actor: Actor
) -> ThematicPlan:
    """Load a plan's topics (list of (title, hours) or (title, hours, control work), or text to parse).

    `replace` drops the topics not yet linked to lessons and puts the new
    list in their place; otherwise the topics are appended at the end.
    """
    require_planner(actor, assignment)
    rows = thematic_plan_parse(topics) if isinstance(topics, str) else list(topics)
    if not rows:
        raise ValidationError(_("В планировании нет ни одной темы."), code="plan_empty")
    with transaction.atomic():
        plan, _created = ThematicPlan.objects.select_for_update().get_or_create(
            assignment=assignment, defaults={"school_id": assignment.school_id}
        )
        if replace:
            plan.topics.filter(lesson_notes__isnull=True).delete()
        kept = list(plan.topics.order_by("position"))
        _renumber(plan, kept)
        PlannedTopic.objects.bulk_create(
            PlannedTopic(
                school_id=plan.school_id, plan=plan, position=len(kept) + n, title=row[0], hours=row[1],
                is_control_work=bool(row[2]) if len(row) > 2 else False,
            )
            for n, row in enumerate(rows, start=1)
        )  # fmt: skip
        plan.save()
        audit_record(
            actor=actor,
            action="thematic_plan_imported",
            obj=plan,
            changes={"topics": [len(kept), len(kept) + len(rows)]},
        )
    return plan


def _renumber(plan: ThematicPlan, ordered: Sequence[PlannedTopic]) -> None:
    PlannedTopic.objects.filter(plan=plan).update(position=F("position") + SHIFT)
    for n, topic in enumerate(ordered, start=1):
        topic.position = n
    PlannedTopic.objects.bulk_update(ordered, ["position"])


def thematic_plan_reorder(*, plan: ThematicPlan, topic_ids: Sequence[int], actor: Actor) -> ThematicPlan:
    """Put the plan's topics in the given order; the ids must be exactly the plan's topics."""
    require_planner(actor, plan.assignment)
    with transaction.atomic():
        topics = {t.pk: t for t in PlannedTopic.objects.select_for_update().filter(plan=plan)}
        if sorted(topic_ids) != sorted(topics) or len(set(topic_ids)) != len(topic_ids):
            raise ValidationError(_("Список тем изменился. Обновите страницу."), code="conflict")
        _renumber(plan, [topics[pk] for pk in topic_ids])
        audit_record(actor=actor, action="thematic_plan_reordered", obj=plan, changes={"order": list(topic_ids)})
    return plan


def planned_topic_update(
    *, topic: PlannedTopic, title: str, hours: int, is_control_work: bool = False, actor: Actor
) -> PlannedTopic:
    """Change a topic's title, hours and control-work flag."""
    require_planner(actor, topic.plan.assignment)
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX or not isinstance(hours, int) or not 1 <= hours <= HOURS_MAX:
        raise ValidationError(
            _("Нужна тема (до %(max)s знаков) и число часов от 1 до %(hours)s.")
            % {"max": TITLE_MAX, "hours": HOURS_MAX}
        )
    with transaction.atomic():
        changes = {
            k: [getattr(topic, k), v]
            for k, v in {"title": title, "hours": hours, "is_control_work": is_control_work}.items()
            if getattr(topic, k) != v
        }
        topic.title, topic.hours, topic.is_control_work = title, hours, is_control_work
        topic.save()
        audit_record(actor=actor, action="planned_topic_updated", obj=topic, changes=changes)
    return topic


def planned_topic_delete(*, topic: PlannedTopic, actor: Actor) -> None:
    """Remove a topic; lessons that taught it keep their topic text (the link is cleared)."""
    plan = topic.plan
    require_planner(actor, plan.assignment)
    with transaction.atomic():
        audit_record(actor=actor, action="planned_topic_deleted", obj=topic, changes={"title": [topic.title, None]})
        topic.delete()
        _renumber(plan, list(plan.topics.order_by("position")))

"""The formulas of REQUIREMENTS §3 on hand-counted cases (no database)."""

from decimal import Decimal

from ejournal.reports.formulas import Figures, one_below, student_category, unit_category


def test_student_category_by_lowest_mark_fail_and_not_attested():
    assert student_category(["5", "5"]) == "5"
    assert student_category(["5", "4"]) == "4"
    assert student_category(["5", "3", "4"]) == "3"
    assert student_category(["5", "2"]) == "2"
    assert student_category(["5", "незач"]) == "2"
    assert student_category(["5", "н/а"]) == "na"
    assert student_category(["2", "н/а"]) == "2"  # failing wins: counted once, in n2


def test_exempt_marks_are_not_counted_and_only_exempt_is_no_student():
    assert student_category(["5", "осв"]) == "5"
    assert student_category(["осв", "осв"]) is None
    assert student_category([]) is None
    assert unit_category("осв") is None
    assert student_category(["зач", "зач"]) == "3"  # passes, not «качество»
    assert student_category(["зач", "5"]) == "5"


def test_one_four_and_one_three():
    assert one_below(["5", "5", "4"], "4")
    assert not one_below(["5", "4", "4"], "4")
    assert one_below(["5", "4", "3"], "3")
    assert not one_below(["3", "3", "4"], "3")
    assert not one_below(["5", "3", "2"], "3")


def test_figures_of_eight_students_counted_by_hand():
    f = Figures()
    for cat, marks in [("5", "555"), ("5", "55"), ("4", "554"), ("4", "445"), ("3", "543"), ("3", "334"),
                       ("2", "245"), ("na", "34")]:  # fmt: skip
        f.add(cat, list(marks))
    assert f.total == 8
    assert f.pass_rate == Decimal("75.0")  # (2 + 2 + 2) × 100 / 8
    assert f.quality == Decimal("50.0")  # (2 + 2) × 100 / 8
    assert f.sou == Decimal("52.9")  # (100·2 + 64·2 + 36·2 + 16·1 + 7·1) / 8 = 423 / 8 = 52.875
    assert f.average == Decimal("4.18")  # 92 / 22


def test_empty_group_has_no_percentages():
    f = Figures()
    assert (f.pass_rate, f.quality, f.sou, f.average) == (None, None, None, None)

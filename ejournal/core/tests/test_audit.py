from types import SimpleNamespace

from ejournal.core.audit import diff_apply


def test_diff_apply_sets_values_and_returns_only_what_changed():
    obj = SimpleNamespace(name="5 «А»", shift=1)
    changes = diff_apply(obj, {"name": "5 «А»", "shift": 2})
    assert changes == {"shift": [1, 2]}
    assert (obj.name, obj.shift) == ("5 «А»", 2)

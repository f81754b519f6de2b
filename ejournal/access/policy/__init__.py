"""The one access policy: named rules, default deny.

Every view declares the rule that guards it (see `decorators.py`); every
object-level decision is `check(actor, "rule_name", obj)`. A rule is a pure
function of the acting `Actor` and the target's attributes, so this package
imports no models and every app can use it without importing upwards.

The rules live by area in `school`, `journal`, `city` and `reports`, each
registering its rules on import; `base` holds the `Actor`, the registry and the
building blocks. Import everything from here: `from ejournal.access.policy import Actor`.

Targets are duck-typed: school-scoped objects carry `school_id`; students
carry `id`, `school_id` and `school_class_id` (the current class); classes
carry `id` and `school_id`; schools carry `id` and `district_id`.
"""

from __future__ import annotations

from . import city, journal, reports, school  # noqa: F401 - registers the named rules
from .base import ANONYMOUS, RULES, Actor, Rule, check, enforce, rule

__all__ = ["ANONYMOUS", "RULES", "Actor", "Rule", "check", "enforce", "rule"]

"""Import of the curriculum and the teaching assignments, on the core import framework.

`importers` holds the two kinds, `kinds.PLAN_KINDS` their table; the roster's
`SchoolContext` (people) tells them the school and its year.
"""

"""Import of the curriculum and the teaching assignments, on top of the roster import framework.

Readers, `Row`, `Column`, `Importer`, `SchoolContext` and the job model come
from `ejournal.people.imports`; this package adds the two kinds, a runner
that takes its own table of kinds, and their blank files.
"""

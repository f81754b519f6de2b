"""Import of a thematic plan (КТП) from XLSX/CSV on the core import framework.

`importers` holds the kind, `kinds.JOURNAL_KINDS` the journal's table of
kinds, `service` checks every row and saves all or nothing. A plan belongs
to one teaching assignment and has a few hundred rows at most, so it is
checked and saved in the request (a background `ImportJob` carries only a
school, not the assignment).
"""

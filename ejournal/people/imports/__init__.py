"""Roster import: classes, students, guardians and staff from XLSX or CSV files.

Built on `ejournal.core.imports` (reading, header matching, rows, the job
runner and its report): here are one module per kind, `fields` with the
roster-only parsers, `base.SchoolContext` and `kinds.ROSTER_KINDS`.
"""

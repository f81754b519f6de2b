"""Import of a thematic plan (КТП) from XLSX/CSV on the core import framework.

`importers` holds the kind, `kinds.JOURNAL_KINDS` the journal's table of
kinds (its jobs load into one teaching assignment: the job's `target_id`),
`service` queues the upload as a background job that checks every row and
saves all or nothing; the job page shows the report.
"""

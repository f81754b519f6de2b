"""Roster import: classes, students, guardians and staff from XLSX or CSV files.

`readers` turns a file into rows of text, `fields` parses cells and matches
headers, one module per kind validates rows and saves them, `service` runs an
upload as a background job (all rows valid, or nothing saved).
"""

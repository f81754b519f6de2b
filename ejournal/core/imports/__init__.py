"""The import framework: XLSX/CSV files of rows checked one by one, then saved all together or not at all.

`readers` turns a file into rows of text (the one reader of uploads: `xlsx` streams a
workbook, `caps` holds the caps counted while reading); `fields` matches headers and parses
cells; `base` has `Row` and `Importer`; `kinds.ImportKinds` is an app's table
of kinds; `services` runs an upload as a background job (all rows valid, or
nothing saved, and a report); `selectors` reads jobs and their summary;
`template_files` builds the blank files; `forms` and `views` serve the pages.
Apps keep only their importers, their `ImportKinds` and thin views with
their own access rule. Core imports no domain app.
"""

"""Import of the weekly timetable from XLSX/CSV: one importer and its table of kinds on the core import framework."""

"""Import of the weekly timetable from XLSX/CSV, composed from the roster import framework (people.imports)."""

"""Hostile spreadsheets built in memory, for the reader's tests and `bench/hostile_files.py`.

Each is a real file a spreadsheet program or a script could produce: a 6 KB
XLSX declaring the whole grid (A1:XFD1048576) over hundreds of thousands of
empty styled cells, a 700 KB XLSX of 300,000 rows, an XLSX whose `<dimension>`
understates its rows, a CSV whose first rows are Windows-1251 and the later
ones UTF-8. `peak_of_reading` reads a file in a fresh interpreter and reports
its peak memory, time and outcome.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.styles import Font

from ejournal.core.spreadsheet import workbook_new

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ROOT = Path(__file__).resolve().parents[3]


def xlsx_with_sheet(sheet_xml: str, *, compresslevel: int = 9, bare: bool = False) -> bytes:
    """A real workbook (styles with a second cell style, s="1") whose first sheet's XML is `sheet_xml`.

    `bare` leaves out the parts a workbook can do without (theme, document properties), as a crafted file would.
    """
    book, sheet = workbook_new()
    sheet["A1"] = "x"
    sheet["A1"].font = Font(bold=True)
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z,
    ):
        for info in src.infolist():
            if bare and info.filename.startswith(("xl/theme/", "docProps/")):
                continue
            z.writestr(info.filename, sheet_xml.encode() if info.filename == SHEET else src.read(info.filename))
    return out.getvalue()


def sheet_xml(rows: str, *, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>{rows}</sheetData></worksheet>'


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def text_row(number: int, values: list[str]) -> str:
    cells = "".join(text_cell(f"{chr(ord('A') + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def bomb_xlsx(*, rows: int = 12, width: int = 16384) -> bytes:
    """About 6 KB declaring A1:XFD1048576: `rows` rows of `width` empty cells with a style (196,608 by default),
    and one more styled empty cell at XFD1048576, the grid's last, so that a reader filling the gaps
    builds a million rows of 16,384 cells."""
    row = '<c s="1"/>' * width
    body = "".join(f'<row r="{n}">{row}</row>' for n in range(1, rows + 1))
    body += '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    return xlsx_with_sheet(sheet_xml(body, dimension="A1:XFD1048576"), bare=True)


def many_rows_xlsx(*, rows: int = 300_000) -> bytes:
    """A header and `rows` one-cell rows: about 700 KB for 300,000 rows."""
    body = [text_row(1, ["Фамилия"])]
    body += [f'<row r="{n}"><c><v>1</v></c></row>' for n in range(2, rows + 2)]
    return xlsx_with_sheet(sheet_xml("".join(body)), bare=True)


def understated_xlsx(header: list[str], data: list[list[str]]) -> bytes:
    """The header and `data` rows under a `<dimension>` that claims the header and one row only."""
    body = "".join(text_row(n, values) for n, values in enumerate([header, *data], start=1))
    last = chr(ord("A") + len(header) - 1)
    return xlsx_with_sheet(sheet_xml(body, dimension=f"A1:{last}2"))


def mixed_encoding_csv(header: list[str], cp1251_rows: list[list[str]], utf8_rows: list[list[str]]) -> bytes:
    """A CSV glued from a Windows-1251 part (header included) and a UTF-8 part."""
    first = "\r\n".join(";".join(r) for r in [header, *cp1251_rows]) + "\r\n"
    second = "\r\n".join(";".join(r) for r in utf8_rows) + "\r\n"
    return first.encode("cp1251") + second.encode("utf-8")


READ_SCRIPT = """
import json, resource, sys, time
import django
django.setup()
from ejournal.core.imports.readers import ImportFileError, read_table
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
cpu_start = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
try:
    table = read_table(data, sys.argv[1])
    outcome = {"rows": len(table.rows)}
except ImportFileError as exc:
    outcome = {"error": str(exc)}
outcome["seconds"] = round(time.perf_counter() - start, 2)
usage = resource.getrusage(resource.RUSAGE_SELF)
outcome["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime - cpu_start, 2)
# VmHWM, not ru_maxrss: the latter survives exec and would include the launching process's memory.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
outcome["peak_rss_mb"] = round(peak_kb / 1024, 1)
print(json.dumps(outcome, ensure_ascii=False))
"""

# The guard of a run that would otherwise take the machine down (the original reader did).
GUARD = "import resource; resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"


def peak_of_reading(path: Path, *, code_root: Path = ROOT, memory_limit_mb: int = 2048, timeout: int = 300) -> dict:
    """Read `path` with `read_table` in a fresh interpreter; return rows or error, seconds (wall and CPU of the
    reading) and the interpreter's peak RSS in MB.

    The interpreter may use at most `memory_limit_mb` of address space and `timeout` seconds; running
    out of either is reported as {"crashed": ...} rather than taking the machine down.
    """
    limit = memory_limit_mb * 1024 * 1024
    env = {**os.environ, "PYTHONPATH": str(code_root), "DJANGO_SETTINGS_MODULE": "ejournal.settings"}
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603 - our own script on our own file
            [sys.executable, "-c", GUARD.format(limit=limit) + READ_SCRIPT, str(path)],
            capture_output=True, text=True, timeout=timeout, env=env, cwd=code_root,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"crashed": f"still running after {timeout} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return {"crashed": last, "seconds": round(time.perf_counter() - started, 2)}
    return json.loads(done.stdout.strip().splitlines()[-1])

"""Spreadsheets out: CSV (for Excel in Swedish: UTF-8 with BOM, semicolons,
numbers with the decimal comma) and Excel (xlsx, through openpyxl, numbers as
numbers). A cell that a spreadsheet would run as a formula (starting with =,
+, -, @, a tab or a carriage return) is written as text: in CSV with a
leading apostrophe, in xlsx as a string cell."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils.formats import get_format
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Rows = Iterable[Sequence[Any]]


def csv_safe(value: Any) -> str:
    """The value as CSV text that no spreadsheet runs as a formula."""
    if _is_number(value):
        return csv_number(value)  # a number is never a formula: "-1,5" stays a number
    text = _text(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_number(value: int | float) -> str:
    """The number as the person's language writes it, for a spreadsheet in
    that language to read it as a number: "1213,5" in Swedish (Excel in
    Swedish reads "1213.5" as text or a date), "1213.5" in English. No
    thousands separator; a whole number without decimals ("642", not
    "642,0"). The delimiter is a semicolon, so the comma needs no quotes."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", get_format("DECIMAL_SEPARATOR"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_response(filename: str, rows: Rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return response


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Rows]]) -> HttpResponse:
    """An Excel file with one sheet per (title, rows)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        _sheet_fill(book.create_sheet(title=title[:31]), rows)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_fill(sheet, rows: Rows) -> None:
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if _is_number(value):
                cell.value = value
            elif isinstance(value, date):
                _date_cell(cell, value)
            else:
                cell.value = _text(value)
                # openpyxl reads a string starting with "=" as a formula: it is text.
                cell.data_type = "s"
            widths[column] = max(widths.get(column, 0), len(_text(value)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def _date_cell(cell, value: date) -> None:
    """A real date (or date and time) that Excel can sort and count on, in
    local time as the page shows it: Excel knows no time zones."""
    if isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    else:
        cell.value = value
        cell.number_format = "yyyy-mm-dd"

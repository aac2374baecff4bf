"""Test documents made from text, in every format reportmine reads: nothing is downloaded.

Text convention: paragraphs are lines; consecutive lines holding tabs are the rows of one table
(cells split at the tabs). Each writer puts the same text in its format the way an office
program would: a PDF with a running header, page numbers and lines wrapped at the page width
(inside figures too), a DOCX with real paragraphs and tables, sheets with one cell per cell.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest


def blocks(text: str) -> list:
    """[(kind, payload)]: ("p", paragraph) or ("table", rows of cells)."""
    out, rows = [], []
    for line in text.splitlines():
        if "\t" in line:
            rows.append([cell.strip() for cell in line.strip("\t").split("\t")])
            continue
        if rows:
            out.append(("table", rows))
            rows = []
        if line.strip():
            out.append(("p", line.strip()))
    if rows:
        out.append(("table", rows))
    return out


def cjk_font() -> Path:
    """A TrueType font with Chinese glyphs, shipped by a PyPI package (mplfonts, in the test extra)."""
    mplfonts = pytest.importorskip("mplfonts", reason="the test extra brings mplfonts, whose fonts the test PDFs use")
    font = Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
    if not font.is_file():
        pytest.skip(f"{font} is missing from mplfonts")
    return font


def pdf_bytes(text: str, header: str | None = None, page_numbers: bool = True, font_size: float = 12) -> bytes:
    fpdf = pytest.importorskip("fpdf", reason="the test extra brings fpdf2, which writes the test PDFs")
    from fpdf.enums import WrapMode

    running = header if header is not None else text.strip().splitlines()[0]

    class Report(fpdf.FPDF):
        def header(self):
            if running:
                self.set_font("hei", size=9)
                self.cell(0, 6, running, align="C")
                self.ln(10)

        def footer(self):
            if page_numbers:
                self.set_y(-15)
                self.set_font("hei", size=9)
                self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Report()
    pdf.add_font("hei", fname=str(cjk_font()))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("hei", size=font_size)
    for kind, payload in blocks(text):
        if kind == "p":
            # a first-line indent of two characters, lines broken anywhere (figures too), as CJK text is
            pdf.set_x(pdf.l_margin + 2 * font_size * 0.3528)
            pdf.multi_cell(0, font_size * 0.6, payload, align="L", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("hei", size=font_size - 2)
            with pdf.table(text_align="LEFT", line_height=font_size * 0.55, first_row_as_headings=False) as table:
                for row in payload:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
            pdf.set_font("hei", size=font_size)
            pdf.ln(2)
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    """A PDF with an image and no text layer, as a scanner writes one."""
    fpdf = pytest.importorskip("fpdf", reason="the test extra brings fpdf2, which writes the test PDFs")
    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (200, 100), 255).save(picture, format="PNG")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=100)
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    docx = pytest.importorskip("docx", reason="the office extra brings python-docx")
    document = docx.Document()
    for kind, payload in blocks(text):
        if kind == "p":
            document.add_paragraph(payload)
        else:
            table = document.add_table(rows=len(payload), cols=max(map(len, payload)))
            for r, row in enumerate(payload):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _sheet_rows(text: str) -> list:
    """A sheet's rows: paragraphs in the first column (a title, notes), table rows cell by cell;
    cells that are plain numbers are written as numbers."""
    rows = []
    for kind, payload in blocks(text):
        if kind == "p":
            rows.append([payload])
        else:
            rows.extend([[_number(cell) for cell in row] for row in payload])
    return rows


def _number(cell: str):
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        return cell
    return int(value) if value.is_integer() and "." not in cell else value


def xlsx_bytes(text: str) -> bytes:
    openpyxl = pytest.importorskip("openpyxl", reason="the test extra brings openpyxl, which writes the test sheets")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "统计表"
    for row in _sheet_rows(text):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_bytes(text: str) -> bytes:
    xlwt = pytest.importorskip("xlwt", reason="the test extra brings xlwt, which writes the test .xls sheets")
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("统计表")
    for r, row in enumerate(_sheet_rows(text)):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ods_bytes(text: str) -> bytes:
    pytest.importorskip("odf", reason="the test extra brings odfpy, which writes the test .ods sheets")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="统计表")
    for row in _sheet_rows(text):
        table_row = TableRow()
        for value in row:
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def html_bytes(text: str) -> bytes:
    import html

    parts = []
    for kind, payload in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(payload)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in payload)
            parts.append(f"<table>{rows}</table>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body><div class='article'>"
            + "\n".join(parts) + "</div></body></html>").encode("utf-8")


def pipe_text(text: str) -> str:
    """Tables typed with pipes, a rule under the header row (as Markdown and many 公报 have)."""
    out = []
    for kind, payload in blocks(text):
        if kind == "p":
            out.append(payload)
        else:
            out.append("| " + " | ".join(payload[0]) + " |")
            out.append("|" + "|".join("---" for _ in payload[0]) + "|")
            out.extend("| " + " | ".join(row) + " |" for row in payload[1:])
    return "\n".join(out) + "\n"


def aligned_text(text: str) -> str:
    """Tables typed with spaces, each column starting at one display column."""
    from reportmine.readers.texttables import _width

    out = []
    for kind, payload in blocks(text):
        if kind == "p":
            out.append(payload)
            continue
        widths = [max(_width(row[c]) if c < len(row) else 0 for row in payload) + 4 for c in range(max(map(len, payload)))]
        for row in payload:
            out.append("".join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)).rstrip())
    return "\n".join(out) + "\n"

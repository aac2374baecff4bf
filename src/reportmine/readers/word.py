"""Word .docx: paragraphs and tables in the order the document has them (python-docx).

A table is written as rows of tab-separated cells, each row on its own line after a tab, the form
the extractor reads under its column headers (as an HTML table's). A cell merged across columns
repeats its text under each column it spans when it names something (a header: 2023年 over two
columns; a row label down the rows it spans), and is written once when it holds a figure, so no figure is counted twice. Running
headers and footers are not read (they repeat on every page and hold no report text).
"""
from __future__ import annotations

import io

from .cells import holds_figure, table_lines, tidy


def read_docx(data: bytes):
    from . import Source, UnreadableDocument, require

    docx = require("docx", "office", "DOCX files")
    from docx.table import Table

    try:
        document = _open(docx, data)
        blocks = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = _table_rows(block)
                if rows:
                    blocks.append(table_lines(rows))
            else:
                text = block.text.strip()
                if text:
                    blocks.append(text)
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors on broken files
        raise UnreadableDocument(f"malformed DOCX file: {type(exc).__name__}: {exc}", format="docx") from None
    # paragraphs apart by a blank line, as in the corpus's text files; a table's rows are one block
    return Source(text="\n\n".join(blocks) + "\n" if blocks else "", format="docx", is_html=False)


# the main parts of a macro-enabled document and of templates: the same WordprocessingML
DOCUMENT_LIKE = ("application/vnd.ms-word.document.macroEnabled.main+xml",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                 "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")


def _open(docx, data: bytes):
    """python-docx opens .docx only; a macro-enabled .docm or a .dotx template holds the same
    document part, read the same way (macros are never run: python-docx only parses XML)."""
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" not in str(exc):
            raise
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for content_type in DOCUMENT_LIKE:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    return Package.open(io.BytesIO(data)).main_document_part.document


def _table_rows(table) -> list:
    rows = []
    # a merged cell comes back once for each grid cell it covers, across columns and down rows;
    # holding the elements keeps their ids unique while the table is read
    written: dict = {}
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = tidy(cell.text)
            if id(cell._tc) in written and holds_figure(text):
                text = ""  # the same merged cell again: its figure is written once
            written[id(cell._tc)] = cell._tc
            cells.append(text)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows

"""What the table readers (Word, spreadsheets) share: when a merged cell's text may be repeated
under every column and row it covers."""
from __future__ import annotations

import re

# a figure: a number not followed by a date word (2023年, 1月 name periods, they are headers)
FIGURE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?!\d)(?![\d,.]*\s*(?:年|月|日|季度|时))")
CELL_BREAKS = re.compile(r"[\t\r\n\v]+")


def holds_figure(text: str) -> bool:
    """A merged cell that holds a figure is written once (never counted twice); one that names
    something (a header spanning columns: 2023年; a row label spanning rows) is repeated."""
    return bool(FIGURE.search(text))


def tidy(text: str) -> str:
    """A cell's text on one line: its own tabs and line breaks would break the row."""
    return CELL_BREAKS.sub(" ", text).strip()


def table_lines(rows: list) -> str:
    """Rows of cells in the form the extractor reads: each row a line, each cell after a tab."""
    return "\n".join("\t" + "\t".join(row) for row in rows)

"""PDF files with a text layer, read with PDFium (pypdfium2), into the text a report would have
had before it was typeset.

Chosen by measurement (benchmarks/bench_readers.py, README): on a 96-page PDF written by fpdf2 and
a 125-page one exported by LibreOffice, PDFium gave the same characters as pdfplumber and
pdfminer.six (every line of the source text found whole, none lost) in 0.2 s, where pdfminer.six
took 2-14 s and pdfplumber 7-14 s.

What typesetting did is undone with the geometry PDFium gives for each line of text:
- A line that reaches the right margin, followed by one that starts at the left margin (not
  indented) and does not open a heading or list item, was wrapped by the page: the two are joined
  with nothing between them (a Latin word pair gets a space), also across a page break, so a
  figure split over two lines (6 / 42.8万元) is one figure again.
- Running headers and footers (the same line, digits aside, at the top or bottom of most pages)
  and page numbers (- 3 -, 第3页 共10页, 3/10) are dropped.
- Tables (rows of cells separated by wide gaps, on two or more lines) are laid out from the
  boxes of their characters: columns where the figure rows leave a gap, rows by baseline, a
  wrapped cell's second line joined to its first; each row is written as tab-separated cells,
  the form the extractor reads under its column headers.
Paragraphs are separated by a blank line, as in the text files of the corpus. `page_starts` gives
the offset where each page begins, so each metric gets its page.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from ..records import Warning_

# a line that opens a heading or a list item, never the continuation of the line above
PARAGRAPH_START = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)"
                             r"|第[一二三四五六七八九十\d]+[章节条部分]|[①-⑳]|[●■◆▲•]")
PAGE_NUMBER = re.compile(r"[-—–－~·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－~·\s]*"
                         r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[ivxlcIVXLC]{1,6}")
SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
LATIN_END = re.compile(r"[A-Za-z]$")
LATIN_START = re.compile(r"^[A-Za-z]")
DIGIT = re.compile(r"\d")
# a gap of this many line heights between two runs of characters separates table cells ...
CELL_GAP = 1.5
# ... and inside a table, this much empty space across all figure rows separates two columns
COLUMN_GAP = 0.6
# what a typesetter moves to the next line whole: a run of Latin letters and figures (1,126.40,
# 11.2%), or one Han character with the punctuation that may not open a line and the figure glued
# to that (LibreOffice keeps 支、1,900 together)
FIRST_TOKEN = re.compile(r"[\w.,%‰+\-/:·]+[，。、；：！？”’）)》〕】,.;:!?]*|.[，。、；：！？”’）)》〕】,.;:!?]*[\w.,%‰]*", re.A)
INDENT = 0.6
# share of characters that are private-use or unmapped above which a text layer is not text
# (fonts without a Unicode map): such a PDF must be OCRed
GARBLED_SHARE = 0.3


@dataclass
class Line:
    text: str
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    segments: list = field(default_factory=list)  # (left, right) runs of characters, wide gaps between
    first_char: int = 0  # index of its first character in PDFium's text page
    char_index: Optional[list] = None  # PDFium's index of each character, when not first_char + offset
    geometry: bool = True
    table: Optional[list] = None  # rows of cells, for the first line of a table (the others are dropped)
    header_columns: Optional[list] = None  # [left, right] of each column, for a header left at a page's foot
    in_table: bool = False

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


@dataclass
class Page:
    lines: list
    width: float
    height: float


def read_pdf(data: bytes):
    from . import Skipped, Source, UnreadableDocument, require

    pdfium = require("pypdfium2", "pdf", "PDF files")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableDocument("PDF is password-protected: remove the password to read it", format="pdf") from None
        raise UnreadableDocument(f"malformed PDF: PDFium cannot open it ({message})", format="pdf") from None
    try:
        pages, empty = [], []
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    width, height = page.get_size()
                    lines = _page_lines(textpage)
                    _find_tables(page, textpage, lines)
                finally:
                    textpage.close()
            finally:
                page.close()
            if not any(line.text.strip() for line in lines):
                empty.append(index + 1)
            pages.append(Page(lines, width, height))
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"malformed PDF: PDFium cannot read page {len(pages) + 1} ({exc})", format="pdf") from None
    finally:
        document.close()
    if not pages:
        raise UnreadableDocument("malformed PDF: it has no pages", format="pdf")
    if len(empty) == len(pages):
        raise Skipped(f"scanned PDF: no text layer on any of its {len(pages)} page(s); reportmine does not OCR "
                      f"(run OCR first, e.g. ocrmypdf -l chi_sim, and give it the result)", format="pdf")
    _drop_running_lines(pages)
    _continue_headers(pages)
    text, page_starts = _assemble(pages)
    garbled = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if garbled > GARBLED_SHARE * max(1, len(text.strip())):
        raise Skipped("unreadable text layer: its fonts map characters to no Unicode text "
                      f"({garbled} of {len(text)} characters); OCR the PDF first", format="pdf")
    warnings = []
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (" ..." if len(empty) > 20 else "")
        warnings.append(Warning_(code="pdf_pages_without_text",
                                 message=f"{len(empty)} of {len(pages)} page(s) have no text layer (scanned?), "
                                         f"not read: page(s) {shown}"))
    return Source(text=text, format="pdf", is_html=False, page_starts=page_starts, warnings=warnings)


# ---- lines of a page ---------------------------------------------------------------------
def _page_lines(textpage) -> list:
    """PDFium's lines (it ends each with a generated CR LF) with their boxes. PDFium's character
    index counts UTF-16 units, Python's string code points: where they differ (characters outside
    the BMP), the page's geometry is not trusted and its lines are kept as they are."""
    text = textpage.get_text_range()
    trusted = len(text) == textpage.count_chars()
    lines = []
    position = 0
    for raw in re.split(r"\r\n|\n|\r", text):
        if raw.strip():
            line = Line(raw, first_char=position, geometry=trusted)
            if trusted:
                _measure(textpage, line, position, len(raw))
            lines.append(line)
        position += len(raw) + (2 if text.startswith("\r\n", position + len(raw)) else 1)
    return lines


def _measure(textpage, line: Line, start: int, count: int) -> None:
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects(start, count))]  # (left, bottom, right, top)
    if not rects:
        line.geometry = False
        return
    if any(b[0] < a[2] - 1 for a, b in zip(rects, rects[1:])):
        # PDFium lists text in the order it was drawn: glyphs drawn from another font (the curly
        # quotes of a Chinese line, often) come after the line, out of place. Their boxes put
        # them back where they stand.
        _reorder(textpage, line, start, count)
    line.left = min(r[0] for r in rects)
    line.bottom = min(r[1] for r in rects)
    line.right = max(r[2] for r in rects)
    line.top = max(r[3] for r in rects)
    segments = []
    for left, _, right, _ in sorted(rects):
        if segments and left - segments[-1][1] < CELL_GAP * line.height:
            segments[-1][1] = max(segments[-1][1], right)
        else:
            segments.append([left, right])
    line.segments = segments


def _reorder(textpage, line: Line, start: int, count: int) -> None:
    chars = []
    for offset in range(count):
        ch = line.text[offset]
        if not ch.isspace():
            left, bottom, right, top = textpage.get_charbox(start + offset, loose=True)
            chars.append((ch, left, right, bottom, top, start + offset))
    chars.sort(key=lambda c: c[1])
    text, index = [], []
    for position, (ch, left, _, bottom, top, char) in enumerate(chars):
        if position and _word_gap(chars[position - 1], (ch, left, 0, bottom, top)):
            text.append(" ")
            index.append(char)  # a space has no box of its own: it stands where the next word starts
        text.append(ch)
        index.append(char)
    line.text = "".join(text)
    line.char_index = index


# ---- running headers, footers, page numbers -------------------------------------------------
def _band(page: Page, size: int = 2) -> set:
    """Indexes of the top and bottom lines of a page (by position, not by PDFium's order)."""
    placed = [(i, line) for i, line in enumerate(page.lines) if line.geometry and not line.in_table]
    by_top = sorted(placed, key=lambda item: -item[1].top)
    return {i for i, _ in by_top[:size]} | {i for i, _ in by_top[-size:]}


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list) -> None:
    bands = [_band(page) for page in pages]
    seen: dict = {}
    for page, band in zip(pages, bands):
        for key in {_running_key(page.lines[i].text) for i in band}:
            seen[key] = seen.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    for page, band in zip(pages, bands):
        drop, dropped_keys = set(), set()
        for i in sorted(band):
            line = page.lines[i]
            key = _running_key(line.text)
            if PAGE_NUMBER.fullmatch(line.text.strip()):
                drop.add(i)
            elif len(pages) > 1 and seen.get(key, 0) >= needed and key not in dropped_keys:
                # once a page: on the first page the running title may also be the document's title
                drop.add(i)
                dropped_keys.add(key)
        page.lines = [line for i, line in enumerate(page.lines) if i not in drop]


# ---- tables ------------------------------------------------------------------------------
def _find_tables(page, textpage, lines: list) -> None:
    """Runs of lines with wide gaps between runs of characters, two or more, holding figures:
    the lines lying between their top and bottom make a table, laid out from character boxes.
    Where the table is ruled (Word, WPS and LibreOffice draw cell borders), its rows are the bands
    between the rules, so a cell wrapped over two lines, or centred beside one, stays one cell."""
    candidates = [i for i, line in enumerate(lines) if line.geometry and len(line.segments) >= 2]
    if not candidates:
        return
    groups, current = [], [candidates[0]]
    for i in candidates[1:]:
        # PDFium may list a wrapped cell's lines between two rows: a few lines may lie between
        if i - current[-1] <= 3:
            current.append(i)
        else:
            groups.append(current)
            current = [i]
    groups.append(current)
    rules = None
    _page_end_header(textpage, lines, groups[-1])
    for group in groups:
        if len(group) < 2 or not any(DIGIT.search(lines[i].text) for i in group):
            continue
        if rules is None:
            rules = _horizontal_rules(page)
        top = max(lines[i].top for i in group)
        bottom = min(lines[i].bottom for i in group)
        height = statistics.median(lines[i].height for i in group)
        # the table reaches the rules just outside its figure rows (a header's wrapped line, a
        # label centred above its row); without rules, the lines that touch it
        above = [y for y in rules if top - 0.5 <= y <= top + 3 * height]
        below = [y for y in rules if bottom - 3 * height <= y <= bottom + 0.5]
        top = min(above) if above else top + 0.3 * height
        bottom = max(below) if below else bottom - 0.3 * height
        members = [i for i, line in enumerate(lines)
                   if line.geometry and not line.in_table and (line.top + line.bottom) / 2 <= top
                   and (line.top + line.bottom) / 2 >= bottom]
        bands = sorted({y for y in rules if bottom - 0.5 <= y <= top + 0.5}, reverse=True)
        rows, _ = _table_rows(textpage, [lines[i] for i in members], bands if len(bands) >= 3 else None)
        if len(rows) < 2:
            continue
        for i in members:
            lines[i].in_table = True
        lines[members[0]].table = rows


def _page_end_header(textpage, lines: list, group: list) -> None:
    """A table's header row left alone at the foot of a page, its rows on the next: lines with
    wide gaps and no figure among the page's last few lines are laid out as the table's header."""
    first = group[0]
    tail = lines[first:]
    if len(tail) > 4 or any(DIGIT.search(line.text) for line in tail) or not all(line.geometry for line in tail):
        return
    rows, columns = _table_rows(textpage, tail)
    if rows and max(len(row) for row in rows) >= 2:
        for line in tail:
            line.in_table = True
        lines[first].table = rows
        lines[first].header_columns = columns


def _horizontal_rules(page) -> list:
    """Heights of the page's horizontal rules: thin horizontal paths, and the top and bottom of
    rectangles (cell borders), merged when less than 2 points apart."""
    import pypdfium2.raw as raw

    heights = []
    for path in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = path.get_bounds()
        if right - left < 5:
            continue  # a vertical rule or a dot
        if top - bottom <= 2.5:
            heights.append((top + bottom) / 2)
        else:
            heights += [top, bottom]
    merged = []
    for y in sorted(heights):
        if merged and y - merged[-1] < 2:
            continue
        merged.append(y)
    return merged


def _lines_of(chars: list) -> list:
    """Characters grouped into visual lines (a line's highest character sets its band), each
    line's characters left to right, lines top to bottom."""
    lines, band_bottom = [], None
    for char in sorted(chars, key=lambda c: -(c[3] + c[4]) / 2):
        if band_bottom is None or (char[3] + char[4]) / 2 < band_bottom:
            lines.append([char])
            band_bottom = char[3]
        else:
            lines[-1].append(char)
    return [sorted(line, key=lambda c: c[1]) for line in lines]


def _table_rows(textpage, lines: list, bands=None) -> tuple[list, list]:
    """(rows of cell texts, columns as [left, right])."""
    chars = []
    for line in lines:
        for offset, ch in enumerate(line.text):
            if ch.isspace():
                continue
            index = line.char_index[offset] if line.char_index else line.first_char + offset
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            chars.append((ch, left, right, bottom, top))
    if not chars:
        return [], []
    unit = statistics.median(top - bottom for _, _, _, bottom, top in chars) or 1.0
    if bands:
        # ruled: a row is what lies between two rules
        visual = [[c for c in chars if low <= (c[3] + c[4]) / 2 < high] for high, low in zip(bands, bands[1:])]
        visual = [row for row in visual if row]
    else:
        visual = [row for row in _lines_of(chars)]
    # columns: where the rows holding figures leave empty space (header cells spanning columns
    # would bridge the gaps, so they are placed after)
    figure_rows = [row for row in visual if any(c[0].isdigit() for c in row)] or visual
    spans = sorted((c[1], c[2]) for row in figure_rows for c in row)
    columns = []
    for left, right in spans:
        if columns and left - columns[-1][1] < COLUMN_GAP * unit:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    if len(columns) < 2:
        return [], []

    def column_of(char) -> int:
        middle = (char[1] + char[2]) / 2
        for index, (left, right) in enumerate(columns):
            if middle <= right or index + 1 == len(columns) or middle < columns[index + 1][0]:
                return index
        return len(columns) - 1

    def full(cells) -> list:
        return [bool(cell) and max(c[2] for c in cell) >= columns[i][1] - 1.5 * unit for i, cell in enumerate(cells)]

    rows, previous_full = [], None
    for row in visual:
        cells = [[] for _ in columns]
        for char in row:
            cells[column_of(char)].append(char)
        texts = ["".join(_cell_text(line) for line in _lines_of(cell)) for cell in cells]
        filled = [i for i, t in enumerate(texts) if t]
        # unruled: a wrapped cell's next line has no figure, and lies only under cells of the
        # row above that were filled to their column's edge
        if not bands and rows and previous_full is not None and filled \
                and not any(DIGIT.search(t) for t in texts) and all(previous_full[i] for i in filled):
            for i in filled:
                rows[-1][i] += texts[i]
        else:
            rows.append(texts)
        previous_full = full(cells)
    for row in rows:
        while row and not row[-1]:
            row.pop()
    return rows, columns


def _word_gap(previous, char) -> bool:
    """A space between two Latin words; a gap between digits is a glyph's side bearing, and
    Chinese needs no spaces."""
    return (previous[0].isascii() and previous[0].isalpha() and char[0].isascii() and char[0].isalpha()
            and char[1] - previous[2] > 0.15 * (char[4] - char[3]))


def _cell_text(chars: list) -> str:
    """A line of a cell's characters in reading order."""
    out = []
    for position, char in enumerate(chars):
        if position and _word_gap(chars[position - 1], char):
            out.append(" ")
        out.append(char[0])
    return "".join(out).replace("\t", " ")


def _continue_headers(pages: list) -> None:
    """A header row broken by a page (全年预算数（万 / 元）): the lines with no figure that open the
    next page, before its table, finish the header's cells under which they stand."""
    for page, following in zip(pages, pages[1:]):
        header = next((line for line in reversed(page.lines) if line.table is not None), None)
        if header is None or header.header_columns is None or page.lines[-1].in_table is False:
            continue
        fragments = []
        for line in following.lines:
            if line.in_table:
                break
            if not line.geometry or DIGIT.search(line.text) or len(fragments) == 3:
                fragments = []
                break
            fragments.append(line)
        if not fragments or not any(line.in_table for line in following.lines):
            continue
        row = header.table[-1]
        for line in fragments:
            middle = (line.left + line.right) / 2
            column = min(range(len(header.header_columns)),
                         key=lambda i: abs((header.header_columns[i][0] + header.header_columns[i][1]) / 2 - middle))
            row.extend([""] * (column + 1 - len(row)))
            row[column] += line.text.strip()
        following.lines = [line for line in following.lines if line not in fragments]


# ---- assembling the text -------------------------------------------------------------------
def _margins(pages: list) -> tuple[float, float]:
    """The body's left and right margins: most long lines start and end there."""
    lefts, rights = [], []
    for page in pages:
        for line in page.lines:
            if line.geometry and not line.in_table and len(line.text.strip()) >= 10:
                lefts.append(line.left)
                rights.append(line.right)
    if not rights:
        return 0.0, 0.0
    lefts.sort()
    rights.sort()
    return lefts[len(lefts) // 10], rights[(len(rights) * 9) // 10]


def _wrapped(a: Line, b: Line, left_margin: float, right_margin: float) -> bool:
    """b continues the paragraph that the page wrapped at the end of a."""
    if not (a.geometry and b.geometry) or a.in_table or b.in_table:
        return False
    height = statistics.median([a.height, b.height])
    # a was wrapped when the first word of b would not have fitted after it
    token = FIRST_TOKEN.match(b.text.strip())
    token_width = sum(0.55 if ch.isascii() else 1.0 for ch in token.group()) if token else 1.0
    if a.right < right_margin - (token_width + 0.5) * height or b.left > left_margin + INDENT * height:
        return False
    if PARAGRAPH_START.match(b.text.strip()):
        return False
    if SENTENCE_END.search(a.text.rstrip()) and a.bottom - b.top > 0.8 * height:
        return False  # a sentence ended and space follows: a new paragraph without an indent
    return True


def _assemble(pages: list) -> tuple[str, list]:
    left_margin, right_margin = _margins(pages)
    parts, length = [], 0
    page_starts = []
    previous = None

    def add(piece: str):
        nonlocal length
        parts.append(piece)
        length += len(piece)

    for page in pages:
        page_start = None
        for line in page.lines:
            if line.in_table and line.table is None:
                continue
            if line.table is None and previous is not None and _wrapped(previous, line, left_margin, right_margin):
                body = line.text.strip()
                page_start = length if page_start is None else page_start  # the page begins mid-paragraph
                add((" " if LATIN_END.search(parts[-1]) and LATIN_START.search(body) else "") + body)
            else:
                if previous is not None:
                    add("\n\n")
                page_start = length if page_start is None else page_start
                if line.table is not None:
                    add("\n".join("\t" + "\t".join(row) for row in line.table))
                else:
                    add(line.text.strip())
            previous = line
        page_starts.append(length if page_start is None else page_start)
    return "".join(parts) + ("\n" if parts else ""), page_starts

"""Tables: normalize turns a table row into one line, its cells after tabs. A figure alone in a
cell is read under its column header, a bare number takes the unit its header or row label names,
and a row's label names the figures of a table of indicators.

Every lookup goes through `TableLines`, built once per document: the line a position is on, the
row's label and the column of a cell, and the header above a row, found by walking the lines once
(not by walking up from every cell).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal
from typing import Optional

import regex

from ..extraction import Figure
from ..lexicons import Lexicons
from ..normalize import DIGIT
from ..numbers import Quantity
from .attribution import read_words_before
from .grammar import BRACKETED, HAN_ONLY, NON_SPACE, Grammar

BARE_CELL = regex.compile(r"(?<=\t) *(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) *(?=\t|\n|$)")
ROW_LABEL_BRACKET = regex.compile(r"(?P<name>[^（(]+)[（(](?P<inner>[^（()）]{1,8})[)）]")
YEAR_NUMBER = regex.compile(r"(?:19|20)\d\d")
# a row label that can name a figure: not a date or a number (2023年), at least two Han characters
ROW_LABEL = regex.compile(r"(?!\d)(?=(?:.*\p{Han}){2})")
TABLE_CELL_RULE = "table-cell"
TABLE_ROW_LABEL_RULE = "table-row-label"
TABLE_BARE_CELL_RULE = "table-bare-cell"

TAB = regex.compile(r"\t")


class TableLines:
    """Line and cell lookups of one document, each in O(log n) or amortized O(1)."""

    def __init__(self, text: str, unit_labels=()):
        self.text = text
        # header cells that name a column of units (单位, 计量单位): such a header row may hold
        # digits (指标 | 单位 | 2023年 | 比上年增长（%）), and each row's unit is read from that column
        self.unit_labels = frozenset(unit_labels)
        self._unit_column = None  # the current table's unit column, if its header names one
        self.line_starts = [0] + [m.end() for m in regex.finditer(r"\n", text)]
        self._row: tuple = (-1, [], "", -1)  # (line start, tab positions, label, its start) of the last row asked about
        self._headers_before = -1  # the headers below reflect every line that starts before this
        self._headers: list = []  # column -> the nearest header cell above, in the current table
        self._header_cursor = 0  # index of the next line to take into _headers

    def line_bounds(self, position: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, position) - 1
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def _row_of(self, line_start: int, line_end: int) -> tuple[list, str]:
        if self._row[0] != line_start:
            line = self.text[line_start:line_end]
            tabs = [line_start + m.start() for m in TAB.finditer(line)]
            label = next((cell.strip() for cell in line.split("\t") if cell.strip()), "")
            self._row = (line_start, tabs, label, self.text.find(label, line_start, line_end) if label else line_start)
        return self._row[1], self._row[2]

    def label_span(self, line_start: int, line_end: int) -> tuple[int, int]:
        """Where the row's label is (the evidence of a name read from it)."""
        _, label = self._row_of(line_start, line_end)
        return self._row[3], self._row[3] + len(label)

    def row_label(self, line_start: int, line_end: int) -> str:
        """The first non-empty cell of the row (its label)."""
        return self._row_of(line_start, line_end)[1]

    def column(self, line_start: int, line_end: int, position: int) -> int:
        """How many tabs come before position on its line: the cell's column."""
        tabs, _ = self._row_of(line_start, line_end)
        return bisect_right(tabs, position - 1)

    def cell_bounds(self, line_start: int, line_end: int, position: int, end: int) -> tuple[int, int]:
        """The cell holding [position, end): (start, end) between the tabs around it; start is
        line_start when no tab comes before (then the span is in no table cell)."""
        tabs, _ = self._row_of(line_start, line_end)
        before = bisect_right(tabs, position - 1)
        cell_start = tabs[before - 1] + 1 if before else 0
        after = bisect_right(tabs, end - 1)
        cell_end = tabs[after] if after < len(tabs) else line_end
        return cell_start, cell_end

    def header(self, row_start: int, column: int) -> str:
        """The header of a column: the cell in that column of the nearest row above, in the same
        table, that holds no digit (its header row). Asked in text order, the lines above are
        taken in once; asked out of order, they are taken in again from the top."""
        if row_start < self._headers_before:
            self._headers, self._header_cursor, self._unit_column = [], 0, None
        lines = self.line_starts
        while self._header_cursor < len(lines) and self._line_end(self._header_cursor) < row_start:
            start = lines[self._header_cursor]
            line = self.text[start:self._line_end(self._header_cursor)]
            if line.strip():
                cells = line.split("\t") if "\t" in line else []
                unit_column = next((k for k, cell in enumerate(cells) if cell.strip() in self.unit_labels), None)
                if "\t" not in line:
                    self._headers, self._unit_column = [], None  # text between tables: a new table starts below
                elif not DIGIT.search(line) or unit_column is not None:
                    self._unit_column = unit_column if unit_column is not None else self._unit_column
                    if len(cells) > len(self._headers):
                        self._headers.extend([""] * (len(cells) - len(self._headers)))
                    for k, cell in enumerate(cells):
                        self._headers[k] = cell.strip()
            self._header_cursor += 1
        self._headers_before = row_start
        return self._headers[column] if column < len(self._headers) else ""

    def unit_cell(self, line_start: int, line_end: int) -> str:
        """The row's cell under its table's unit column (亿元 in 地区生产总值 | 亿元 | 3,012.5), or ''."""
        self.header(line_start, 0)  # the headers above this row taken in
        if self._unit_column is None:
            return ""
        cells = self.text[line_start:line_end].split("\t")
        return cells[self._unit_column].strip() if self._unit_column < len(cells) else ""

    def _line_end(self, line_index: int) -> int:
        return self.line_starts[line_index + 1] - 1 if line_index + 1 < len(self.line_starts) else len(self.text)


class Tables:
    """The table readings, with what they need from the lexicons."""

    def __init__(self, lexicons: Lexicons, grammar: Grammar):
        self.lexicons = lexicons
        self.grammar = grammar
        self.patterns = lexicons.grammar.patterns

    def bare_numbers(self, text: str, lines: TableLines, quantities: list[Quantity]) -> list[Quantity]:
        """Numbers alone in a table cell, without a unit of their own (信息内容 | 本年制发件数 /
        规章 | 0): a quantity when the column header or the row label names the unit."""
        taken = [(q.start, q.end) for q in quantities]
        found = []
        column_units: dict = {}  # (table, column) -> unit: a column keeps its unit down the table
        label_units: dict = {}  # header or row label -> the unit it names: read once, not once per cell
        unit_in_label = lambda label: label_units[label] if label in label_units else \
            label_units.setdefault(label, self.unit_in_label(label))
        table, row_start, row_end = 0, None, None  # where the current table and row start, where the row ends
        for match in BARE_CELL.finditer(text):
            start, end = match.span(1)
            index = bisect_left(taken, (start, end))
            if any(s < end and start < e for s, e in taken[max(0, index - 1):index + 1]):
                continue
            line_start, line_end = lines.line_bounds(start)
            row_label = lines.row_label(line_start, line_end)
            if row_label in self.lexicons.table_index_labels or YEAR_NUMBER.fullmatch(match.group(1)):
                continue  # 序号 | 1 | 2, 年份 | 2022 | 2023: an index, not a count
            column = lines.column(line_start, line_end, start)
            header = lines.header(line_start, column)
            unit = unit_in_label(header) or (unit_in_label(row_label) if not DIGIT.search(row_label) else None) \
                or self.as_unit(lines.unit_cell(line_start, line_end))
            if line_start != row_start:  # a new row: the same table unless text lies between
                gap = text[row_end:line_start] if row_end is not None else None
                if gap is None or any(line.strip() and "\t" not in line for line in gap.split("\n")):
                    table = line_start
                row_start, row_end = line_start, line_end
            key = (table, column)
            unit = unit or column_units.get(key)
            if unit is None:
                continue
            column_units[key] = unit
            canonical, scale = unit
            found.append(Quantity(start=start, end=end, value=Decimal(match.group(1).replace(",", "")) * scale,
                                  unit=canonical, kind=self.lexicons.units[canonical].kind,
                                  number_start=start, number_end=end, unit_start=end))
        return found

    def read_cells(self, text: str, lines: TableLines, figures: list[Figure]) -> None:
        """A figure alone in a table cell is read under its column header: 检查企业数 | 58家 -> as if
        检查企业58家 (企业, 检查). A row whose label is not a total (合计, 全县 ...) gives parts of
        the total row: breakdown. In a table without such headers (指标名称 | 2023年 | 同比变化), the
        row's label names what the figures in it measure: PM2.5平均浓度 | 24微克/立方米 | 下降7.7%."""
        if "\t" not in text:
            return  # no table
        g = self.grammar
        # a table repeats its headers and labels down its rows: each is read once per document
        # (read_words_before reads a figure's kind and unit only)
        without_unit, header_readings = {}, {}
        for figure in figures:
            line_start, line_end = lines.line_bounds(figure.start)
            cell_start, cell_end = lines.cell_bounds(line_start, line_end, figure.start, figure.end)
            if cell_start == 0:
                continue  # not in a table row
            alone = not NON_SPACE.search(text, cell_start, figure.start) and not NON_SPACE.search(text, figure.end, cell_end)
            row_label = lines.row_label(line_start, line_end)
            total_row = any(word in row_label for word in self.lexicons.table_total_labels)
            header = lines.header(line_start, lines.column(line_start, line_end, figure.start)) if alone else ""
            label_span = lines.label_span(line_start, line_end)
            if alone and BARE_CELL.match(text, cell_start) and ROW_LABEL.match(row_label) \
                    and not text[cell_start:figure.end].strip() == row_label:
                # 规章 | 0 under 本年制发件数: the row names what is counted, the header the act
                # a row label's notes in brackets (部分公开（区分处理的，只计这一情形）) name nothing
                label = BRACKETED.sub("", row_label).strip()
                name = "" if total_row else g.strip_leading(self.patterns["paragraph_number"].sub("", self.without_unit(label)))
                figure.decide("object", name, TABLE_BARE_CELL_RULE, label_span)
                # the act is named where the unit is: 本年制发件数 (header) or 本年新收…申请数量 (row)
                named = header if header and self.unit_in_label(header) else label
                phrase = without_unit.get(named)
                if phrase is None:
                    phrase = without_unit[named] = self.without_unit(named)
                verbs = [t.word for t in g.segmenter.tag(phrase) if t.is_verb and len(t.word) >= 2]
                figure.decide("action", verbs[-1] if verbs else "", TABLE_BARE_CELL_RULE, label_span)
                figure.context = phrase
            elif header:
                phrase = self.patterns["table_header_unit"].sub("", header)
                # the header read as the words before the figure, as in running text
                key = (phrase, figure.kind, figure.unit)
                reading = header_readings.get(key)
                if reading is None:
                    reading = header_readings[key] = read_words_before(g, g.segmenter.tag(phrase), figure, phrase, "")
                obj, action, _ = reading
                span = (figure.start, figure.end)  # the header is above: the cell is the evidence's place
                if obj:
                    figure.decide("object", obj, TABLE_CELL_RULE, span)
                if action:
                    figure.decide("action", action, TABLE_CELL_RULE, span)
                figure.decide("scope", not total_row, TABLE_CELL_RULE, label_span)
                figure.context = phrase
            elif not figure.object and ROW_LABEL.match(row_label) and not total_row \
                    and text.find(row_label, line_start, line_end) < cell_start:
                figure.decide("object", self.row_label_name(row_label), TABLE_ROW_LABEL_RULE, label_span)
                figure.context = figure.object

    def without_unit(self, label: str) -> str:
        """本年制发件数 -> 本年制发, 收费金额（单位：万元） -> 收费金额: the label without what names its unit."""
        name = self.patterns["unit_bracket"].sub("", label).strip()
        ending = next((e for e in self.lexicons.table_header_units if name.endswith(e) and len(name) > len(e)), "")
        return name[:len(name) - len(ending)]

    def unit_in_label(self, label: str) -> Optional[tuple[str, int]]:
        """The unit a table header or row label names: 收费金额（单位：万元） -> (元, 10000),
        本年制发件数 -> (件, 1); None if it names none."""
        bracket = self.patterns["unit_bracket"].search(label)
        unit = self.as_unit(bracket["unit"]) if bracket else None
        if unit:
            return unit
        name = self.patterns["unit_bracket"].sub("", label).strip()
        return next(((unit, 1) for ending, unit in self.lexicons.table_header_units.items() if name.endswith(ending)), None)

    def row_label_name(self, label: str) -> str:
        """行政处罚案件（大气类） -> 大气类行政处罚案件; a unit in brackets is dropped (隐患数（处） -> 隐患数)."""
        bracketed = ROW_LABEL_BRACKET.fullmatch(label)
        if not bracketed:
            return label
        name, inner = bracketed["name"].strip(), bracketed["inner"].strip()
        if self.as_unit(inner) or not HAN_ONLY.fullmatch(inner):
            return name
        return inner + name

    def as_unit(self, word: str) -> Optional[tuple[str, int]]:
        """件 -> (件, 1), 万元 -> (元, 10000); None if word is not a unit."""
        scale = 1
        if word[:1] in self.lexicons.magnitudes and word[1:] in self.lexicons.units:
            scale, word = self.lexicons.magnitudes[word[0]], word[1:]
        return (self.lexicons.units[word].canonical, scale) if word in self.lexicons.units else None

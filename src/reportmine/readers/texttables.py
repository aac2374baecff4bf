"""Tables typed as text (统计公报 copied to .txt, tables pasted from a spreadsheet): their cells
are marked with tabs, so the extractor reads them as it reads an HTML table's rows.

Two forms: pipe tables (| 指标 | 2023年 |, also with ｜ and box-drawing │) and space-aligned ones,
whose columns start at the same display column on every row. The marking keeps the text's
length, character for character (a separator becomes a tab, the spaces after it stay), so the
offsets of the original text still hold. A single line with pipes (a menu: 首页 | 新闻中心) or
with wide gaps (a byline) is no table: it takes two rows, aligned, holding figures.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

PIPES = "|｜│┃"
PIPE_ROW = re.compile(rf"^[^{PIPES}\n]*(?:[{PIPES}][^{PIPES}\n]*){{2,}}$")
RULE_ROW = re.compile(r"^[\s|｜│┃+\-=─━┼┬┴├┤┌┐└┘╋┳┻┣┫┏┓┗┛:：]+$")
# a gap between columns: two or more spaces (an ideographic space counts as two)
RULE_LINE_CHARS = re.compile(r"[-=+─━┼┬┴├┤┌┐└┘╋┳┻┣┫┏┓┗┛]")
GAP = re.compile(r"(?: {2,}|\u3000+| ?\t ?)")
DIGIT = re.compile(r"\d")
MIN_ROWS = 2


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def mark_text_tables(text: str) -> Optional[str]:
    """The text with its table cells tab-separated (same length), or None when it holds no table."""
    if not any(p in text for p in PIPES) and "  " not in text and "\u3000" not in text:
        return None
    lines = text.split("\n")
    chars = list(text)
    changed = False
    position = 0
    starts = []
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    changed |= _mark_pipe_tables(lines, starts, chars)
    changed |= _mark_aligned_tables(lines, starts, chars)
    return "".join(chars) if changed else None


def _runs(flags: list) -> list[tuple[int, int]]:
    """[start, end) runs of consecutive True flags."""
    runs, start = [], None
    for index, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _is_rule(line: str) -> bool:
    """A ruling line of a typed table: |---|:---:|, +----+----+, ├──┼──┤."""
    return bool(RULE_ROW.match(line)) and len(RULE_LINE_CHARS.findall(line)) >= 3


def _mark_pipe_tables(lines, starts, chars) -> bool:
    flags = [bool(PIPE_ROW.match(line)) or _is_rule(line) for line in lines]
    changed = False
    for first, last in _runs(flags):
        rows = [i for i in range(first, last) if not _is_rule(lines[i])]
        if len(rows) < MIN_ROWS or not any(DIGIT.search(lines[i]) for i in rows):
            continue
        for i in range(first, last):
            rule = i not in rows
            for offset, ch in enumerate(lines[i]):
                if rule and not ch.isspace():
                    # a rule under the header (|---|---|) would be taken for the header: blank
                    chars[starts[i] + offset] = " "
                elif ch in PIPES:
                    chars[starts[i] + offset] = "\t"
            changed = True
    return changed


def _cells(line: str) -> list[tuple[int, int, int]]:
    """(display column where a cell starts, start offset, end offset) for each cell of a line
    split at gaps; leading indentation is no cell."""
    cells = []
    stripped_start = len(line) - len(line.lstrip(" \u3000"))
    position = stripped_start
    column = _width(line[:stripped_start])
    for gap in GAP.finditer(line, stripped_start):
        if gap.start() > position:
            cells.append((column, position, gap.start()))
        column += _width(line[position:gap.end()])
        position = gap.end()
    body_end = len(line.rstrip())
    if body_end > position:
        cells.append((column, position, body_end))
    return cells


def _mark_aligned_tables(lines, starts, chars) -> bool:
    """Rows of two or more cells whose cells start at display columns shared with the rows around
    them (within one column), and hold figures."""
    cells = [_cells(line) if "\t" not in line and not any(p in line for p in PIPES) else [] for line in lines]
    flags = [len(row) >= 2 for row in cells]
    changed = False
    for first, last in _runs(flags):
        if last - first < MIN_ROWS:
            continue
        block = cells[first:last]
        # a column boundary is a display column where cells start on at least half the rows
        counts: dict = {}
        for row in block:
            for column, _, _ in row[1:]:
                counts[column] = counts.get(column, 0) + 1
        boundaries = sorted(c for c, n in counts.items()
                            if n + counts.get(c - 1, 0) + counts.get(c + 1, 0) >= max(2, len(block) / 2))
        aligned = [all(any(abs(column - b) <= 1 for b in boundaries) for column, _, _ in row[1:]) for row in block]
        with_figures = sum(1 for i in range(first, last) if DIGIT.search(lines[i]))
        if not boundaries or sum(aligned) < max(MIN_ROWS, 0.8 * len(block)) or with_figures < MIN_ROWS:
            continue
        for i, row in enumerate(block, first):
            line = lines[i]
            for _, start, _ in row[1:]:
                # the gap before this cell: its first character becomes the tab
                gap_start = start
                while gap_start > 0 and line[gap_start - 1] in " \u3000":
                    gap_start -= 1
                chars[starts[i] + gap_start] = "\t"
                changed = True
    return changed

"""What a figure is: an outcome (what happened) or a figure set for the future (a target, a plan,
a requirement on others, a forecast), read from the words around it with lexicons/status.yaml.

`StatusReader.read(text, start, end)` is the one entry point; it needs only the text and the
figure's offsets, so any extractor can call it. The nearest cue wins: a cue in the figure's own
clause, then a cue earlier in its sentence unless a reset word (实际, 累计, 同比 ...) stands between
them, then a cue right after the figure (…90%的目标), then the heading of its section
(二、2024年工作计划).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import regex

from .errors import LexiconError
from .lexicon_files import compile_expression, line_of
from .pattern_shape import opening_characters
from .word_places import WordPlaces

OUTCOME = "outcome"
STATUSES = (OUTCOME, "target", "plan", "requirement", "forecast")
POSITIONS = ("clause", "sentence", "after", "heading")
CLAUSE_BREAK = regex.compile(r"[，,；;：:]")
SENTENCE_BREAK = regex.compile(r"[。！？!?\n]")
# a heading: a short line with no sentence punctuation inside (二、2024年工作计划, （三）下步打算)
HEADING = regex.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])?[^。，；,;\n]{2,30}$")
HEADING_LOOKBACK = 3000  # characters above a figure in which its section heading is looked for


@dataclass(frozen=True)
class StatusCues:
    clause: tuple  # (status, compiled) pairs
    sentence: tuple
    after: tuple
    heading: tuple
    resets: "regex.Pattern"


def parse_status(path: Path, data) -> StatusCues:
    """Validate lexicons/status.yaml: known statuses only, lists of regular expressions that compile."""
    if not isinstance(data, dict):
        raise LexiconError(path, 1, "expected a mapping with statuses, clause, sentence, after, heading, resets")
    declared = data.get("statuses")
    if declared != list(STATUSES):
        raise LexiconError(path, line_of(path, "statuses"), f"statuses must be exactly {list(STATUSES)}")
    cues = {}
    for position in POSITIONS:
        table = data.get(position) or {}
        if not isinstance(table, dict):
            raise LexiconError(path, line_of(path, position + ":"), f"{position}: expected status -> list of patterns")
        pairs = []
        for status, patterns in table.items():
            if status not in STATUSES or status == OUTCOME:
                raise LexiconError(path, line_of(path, f"{status}:"),
                                   f"{position}: unknown status {status!r} (one of {', '.join(STATUSES[1:])})")
            if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
                raise LexiconError(path, line_of(path, f"{status}:"), f"{position}.{status}: expected a list of patterns")
            pairs += [(status, compile_expression(path, pattern, f"{position}.{status}")) for pattern in patterns]
        cues[position] = tuple(pairs)
    resets = data.get("resets") or []
    if not isinstance(resets, list) or not all(isinstance(r, str) and r for r in resets):
        raise LexiconError(path, line_of(path, "resets"), "resets: expected a list of patterns")
    return StatusCues(resets=compile_expression(path, "|".join(f"(?:{r})" for r in resets) or "(?!)", "resets"), **cues)


def merge_status(layers: list) -> Optional[StatusCues]:
    """Cues of several files (shipped, then --lexicon-dir folders): each position's lists joined."""
    if not layers:
        return None
    merged = {position: tuple(pair for layer in layers for pair in getattr(layer, position)) for position in POSITIONS}
    resets = regex.compile("|".join(f"(?:{layer.resets.pattern})" for layer in layers))
    return StatusCues(resets=resets, **merged)


# what would make one alternation of the cues match differently from the cues one by one: inline
# flags (global in the `regex` module's version 0) and back-references (group numbers shift)
_NOT_COMBINABLE = regex.compile(r"\(\?[abefiLmprsuVwx-]|\\[1-9]|\(\?P=|\\g<")


def any_cue(pairs):
    """One pattern that finds something in a text if and only if one of the cues does (searched
    at each position, an alternation tries every cue there): most clauses hold no cue, and one
    search of them replaces one per cue. None when the cues cannot be joined safely."""
    patterns = [pattern.pattern for _, pattern in pairs]
    if not patterns or any(_NOT_COMBINABLE.search(p) for p in patterns) \
            or any(pattern.flags != regex.compile("").flags for _, pattern in pairs):
        return None
    try:
        return regex.compile("|".join(f"(?:{p})" for p in patterns))
    except regex.error:
        return None


def first_characters(pairs) -> Optional[str]:
    """The characters every match of the cues starts with (计 for 计划(?!生育), 目 for
    (?<!实现)目标): a span that holds none of them holds no cue. None when some cue may start
    otherwise (an optional or repeated opening, a class with ranges, syntax Python's parser
    does not read)."""
    found = set()
    for _, pattern in pairs:
        if _NOT_COMBINABLE.search(pattern.pattern) or pattern.flags != regex.compile("").flags:
            return None  # (flags such as case folding change which characters match)
        first = opening_characters(pattern.pattern)
        if first is None:
            return None
        found |= first
    return "".join(sorted(found)) if found else None


class StatusReader:
    def __init__(self, cues: StatusCues):
        self.cues = cues
        self.any_clause_cue = any_cue(cues.clause)
        self.any_sentence_cue = any_cue(cues.sentence)
        # most spans hold none of the characters the cues open with: with a text's TextBreaks,
        # looked up by bisection instead of searching every span of 400 characters with the cues
        self.clause_cue_starts = first_characters(cues.clause)
        self.sentence_cue_starts = first_characters(cues.sentence)

    def read(self, text: str, start: int, end: int, index: Optional["TextBreaks"] = None) -> tuple:
        """(status, cue): the figure text[start:end]'s status and the words that decided it
        ("" for an outcome, which needs no cue). index: TextBreaks(text), for a document's many
        figures (its breaks and headings found once); the same answer without it."""
        if index is not None:
            sentence_start = index.last_break(index.sentence_breaks, start)
            clause_start = max(sentence_start, index.last_break(index.clause_breaks, start))
        else:
            sentence_start = _last_break(SENTENCE_BREAK, text, start)
            clause_start = max(sentence_start, _last_break(CLAUSE_BREAK, text, start))
        if index is None or self.clause_cue_starts is None or index.holds_any(self.clause_cue_starts, clause_start, start):
            found = _nearest(self.cues.clause, text[clause_start:start], any_cue=self.any_clause_cue)
            if found:
                return found
        # a cue earlier in the sentence reaches the figure unless a reset stands anywhere between
        if index is None or self.sentence_cue_starts is None \
                or index.holds_any(self.sentence_cue_starts, sentence_start, clause_start):
            found = _nearest(self.cues.sentence, text[sentence_start:clause_start], self.cues.resets,
                             following=text[clause_start:start], any_cue=self.any_sentence_cue)
            if found:
                return found
        after = text[end:end + 12]
        for status, pattern in self.cues.after:
            match = pattern.search(after)
            if match:
                return status, match.group(0)
        heading = index.heading_above(sentence_start) if index is not None else _heading_above(text, sentence_start)
        if heading:
            for status, pattern in self.cues.heading:
                match = pattern.search(heading)
                if match:
                    return status, match.group(0)
        return OUTCOME, ""


def _last_break(pattern, text: str, position: int) -> int:
    window_start = max(0, position - 400)
    last = window_start
    for match in pattern.finditer(text, window_start, position):
        last = match.end()
    return last


def _nearest(pairs, span: str, resets=None, following: str = "", any_cue=None):
    """The cue that ends nearest the end of span; with resets, only if no reset follows it (in the
    rest of span or in the following text). any_cue: the cues joined (any_cue()), to skip a span
    that holds none in one search."""
    if any_cue is not None and any_cue.search(span) is None:
        return None
    best = None
    for status, pattern in pairs:
        for match in pattern.finditer(span):
            if best is None or match.end() > best[2]:
                best = (status, match.group(0), match.end())
    if best is None:
        return None
    if resets is not None and (resets.search(span, best[2]) or resets.search(following)):
        return None
    return best[0], best[1]


def _heading_above(text: str, position: int) -> Optional[str]:
    """The nearest heading line above position, within HEADING_LOOKBACK characters."""
    window = text[max(0, position - HEADING_LOOKBACK):position]
    lines = window.split("\n")
    for line in reversed(lines[:-1]):  # the last piece is the figure's own line
        if HEADING.match(line):
            return line.strip()
    return None


class TextBreaks:
    """One text's clause and sentence break characters and its heading lines, found once: what
    _last_break and _heading_above find for one figure, for every figure of the text by bisection."""

    def __init__(self, text: str):
        self.text = text
        self.clause_breaks = [m.start() for m in CLAUSE_BREAK.finditer(text)]
        self.sentence_breaks = [m.start() for m in SENTENCE_BREAK.finditer(text)]
        self._headings: Optional[tuple] = None
        self.places = WordPlaces(text)

    def holds_any(self, characters: str, start: int, end: int) -> bool:
        """Whether text[start:end] holds one of the characters (looked up in their places)."""
        return self.places.holds_any(characters, start, end)

    @staticmethod
    def last_break(breaks: list, position: int) -> int:
        """_last_break: just after the last break in the 400 characters before position, else
        where those characters start (the patterns match one character each)."""
        window_start = max(0, position - 400)
        index = bisect_left(breaks, position) - 1
        return breaks[index] + 1 if index >= 0 and breaks[index] >= window_start else window_start

    def heading_above(self, position: int) -> Optional[str]:
        """_heading_above: the last line of the HEADING_LOOKBACK characters above position (its own
        line excluded) that is a heading; the first of them may be cut by the window."""
        if self._headings is None:
            ends, starts, lines, start = [], [], [], 0
            for line in self.text.split("\n")[:-1]:  # lines closed by a newline
                if HEADING.match(line):
                    ends.append(start + len(line))  # where its newline stands
                    starts.append(start)
                    lines.append(line.strip())
                start += len(line) + 1
            self._headings = (ends, starts, lines)
        ends, starts, lines = self._headings
        window_start = max(0, position - HEADING_LOOKBACK)
        index = bisect_left(ends, position) - 1
        if index >= 0 and starts[index] >= window_start:
            return lines[index]
        text = self.text
        if window_start > 0 and text[window_start - 1] != "\n":
            # the window opens inside a line: that piece is read as a line of its own
            newline = text.find("\n", window_start, position)
            if newline >= 0 and HEADING.match(text[window_start:newline]):
                return text[window_start:newline].strip()
        return None

"""Filters: what the guidelines say is not a metric, each drop with the name of its rule.

Slogans, formula patterns (formulas.yaml), titles in 《》 and short quoted formulas block the spans
they cover; a number inside or touching a blocked span is dropped with that span's reason. Then a
number's own surroundings: an identifier's letters, a rank's 第, a discourse count (一是), a
determiner 一 (一次总动员), the frequency of a standing rule (每月一次), a doubled percent sign.
The blocked spans are indexed once per document, so each number is judged in O(log n).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Optional

import regex

from ..lexicons import Lexicons
from ..numbers import Quantity
from .candidates import RANK_REACH, ListedNumbers
from .grammar import HAN, HAN_OR_OPENING_QUOTE, TextIndex

TITLE_SPAN = regex.compile(r"《[^《》\n]{0,80}》")
QUOTE_SPAN = regex.compile(r"“[^“”\n]{1,14}”|‘[^‘’\n]{1,14}’|「[^「」\n]{1,14}」|『[^『』\n]{1,14}』|\"[^\"\n]{1,14}\"")
CORRUPT = "corrupt_text"


class BlockedSpans:
    """The spans no metric may come from, sorted; answers "the first blocked span (in start order)
    that covers or touches this number" without scanning the list."""

    def __init__(self, text: str, spans: list[tuple[int, int, str]]):
        self.text = text
        self.spans = sorted(spans)
        self.starts = [start for start, _, _ in self.spans]
        # the largest end among the spans up to each index: the first span reaching past a point
        # is found by bisection, since this running maximum never decreases
        self.reach = list(accumulate((end for _, end, _ in self.spans), max))
        self.corrupt_ends: dict = {}  # end -> indexes of corrupt spans ending there
        for index, (_, end, reason) in enumerate(self.spans):
            if reason == CORRUPT:
                self.corrupt_ends.setdefault(end, []).append(index)

    def reason(self, q: Quantity) -> Optional[str]:
        limit = bisect_left(self.starts, q.end)  # spans starting before the quantity ends
        # the first span that overlaps the number (or its unit)
        first = bisect_right(self.reach, q.number_start)
        best = first if first < limit else None
        # corrupt text also poisons a metric it merely touches (检查?12家: the object is lost;
        # 9�.6%: the number's own characters may be lost)
        for end in (q.start, q.start - 1):
            for index in self.corrupt_ends.get(end, ()):
                if index < limit and (best is None or index < best) \
                        and (end == q.start or not HAN.match(self.text[end])):
                    best = index
        return self.spans[best][2] if best is not None else None


class Filters:
    """The not-a-metric rules, with what they need from the lexicons built once."""

    def __init__(self, lexicons: Lexicons, listed: ListedNumbers):
        self.lexicons = lexicons
        self.words = lexicons.grammar
        self.listed = listed
        slogans = sorted(lexicons.slogans, key=len, reverse=True)
        self.slogan_pattern = regex.compile("|".join(regex.escape(s) for s in slogans)) if slogans else None
        # one pass instead of one per pattern: discourse words at a unit
        self.discourse = regex.compile("|".join(f"(?:{p.pattern})" for p in lexicons.discourse_patterns)) \
            if lexicons.discourse_patterns else None
        self.frequency = regex.compile(
            "每(?:" + "|".join(regex.escape(p) for p in sorted(lexicons.frequency_periods, key=len, reverse=True)) + ")")

    def blocked(self, text: str, corrupt_spans=()) -> BlockedSpans:
        spans = []
        if self.slogan_pattern is not None:
            spans += [(m.start(), m.end(), "slogan") for m in self.slogan_pattern.finditer(text)]
        for named in self.lexicons.formula_patterns:
            if named.requires and not any(word in text for word in named.requires):
                continue  # (no match can hold none of them)
            spans += [(m.start(), m.end(), named.name) for m in named.pattern.finditer(text) if m.end() > m.start()]
        spans += [(m.start(), m.end(), "title_in_book_marks") for m in TITLE_SPAN.finditer(text)]
        spans += [(m.start(), m.end(), "quoted_formula") for m in QUOTE_SPAN.finditer(text)]
        spans += [(start, end, CORRUPT) for start, end in corrupt_spans]
        return BlockedSpans(text, spans)

    def reject_reason(self, text: str, q: Quantity, blocked: BlockedSpans, index: TextIndex) -> Optional[str]:
        reason = blocked.reason(q)
        if reason:
            return reason
        before = text[max(0, q.start - 1):q.start]
        if before and before.isascii() and before.isalpha():
            return "identifier"  # ICP19011366, G20, H7N9
        ordinal = self.words.ordinal_prefix
        if q.number_start > 0 and text.startswith(ordinal, q.number_start - len(ordinal)):
            return "ordinal"
        listed = self.listed.run_before(text, q.number_start, RANK_REACH)
        if listed and text.startswith(ordinal, listed.start() - len(ordinal)) and listed.start() >= len(ordinal):
            return "ordinal"  # 第1、2名
        if self.discourse is not None and self.discourse.match(text, q.unit_start):
            return "discourse"
        number_text = text[q.number_start:q.number_end]
        if number_text == "一" and q.unit in self.words.determiner_units and q.qualifier == "exact":
            follower = text[q.end:q.end + 1]
            if follower and HAN_OR_OPENING_QUOTE.match(follower):
                return "determiner"  # 一次总动员, 一项制度, 一支“铁军”
        if q.unit in self.lexicons.frequency_units:
            if self.frequency.search(text, index.clause_window(q.start, q.end)[0], q.start):
                return "frequency"
        if q.kind == "rate" and q.unit == "%" and text[q.end:q.end + 1] == "%":
            return "malformed"
        return None

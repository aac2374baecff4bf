"""Period: the time a figure refers to, from the period phrases of lexicons/periods.yaml.

The phrase nearest the number in its own sentence wins, else one in the opening sentence of its
paragraph (今年以来, … at its head). A phrase inside the baseline of a comparison (较2019—2021年同期
平均值, 比2022年: lexicons/change.yaml comparator_patterns) is the time compared with, not the
figure's. Templates fill in the document's year (今年以来 -> 2023) or the
written one (2022年上半年 -> 2022-H1).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Optional

import regex

from ..lexicons import Lexicons
from ..numbers import parse_numeral
from .grammar import TextIndex

QUARTERS = "一二三四"
PERIOD_RULE = "period-phrase"
BASELINE_RULE = "comparison-base"
# how far back from a change its base is read, within its sentence: a clause or two (与2015年相比，
# 2019年全省各类生产安全事故起数、死亡人数分别下降23.1%)
BASELINE_REACH = 80
YEAR_IN_PERIOD = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


class Periods:
    def __init__(self, lexicons: Lexicons):
        self.periods = lexicons.periods
        self.baselines = lexicons.change_comparator_patterns
        # whether a window holds any period phrase at all (most do not): one search, not one per pattern
        self.any_period = regex.compile("|".join(f"(?:{p.pattern})" for p, _ in lexicons.periods)) \
            if lexicons.periods else None

    def find(self, text: str, index: TextIndex, position: int, doc_year: Optional[int], speaking_year: Optional[int] = None):
        """(period, (start, end) of the phrase) for the figure at position, or None. speaking_year:
        the year a page's own 今年 and 去年 count from, where it is not doc_year (metadata
        SPEAKING_YEAR)."""
        sentence_start, _ = index.sentence_bounds(position)
        found = self._nearest(text, index, sentence_start, position)
        if found is None:
            paragraph_start = index.line_start(position)
            if paragraph_start < sentence_start:
                _, first_end = index.sentence_bounds(paragraph_start)
                found = self._nearest(text, index, paragraph_start, min(first_end, sentence_start))
        if found is None:
            return None
        match, template, offset = found
        span = (offset + match.start(), offset + match.end())
        return fill_period(match, template, doc_year, speaking_year), span

    def resolve(self, phrase: str, doc_year: Optional[int]) -> str:
        """A period phrase a figure kept as written, because its document's year was not known when
        it was read (1—9月份, 上半年, 去年), filled in with a year known later; the phrase itself when
        no pattern reads all of it, or a year is still missing."""
        for pattern, template in self.periods:
            match = pattern.fullmatch(phrase)
            if match is not None:
                return fill_period(match, template, doc_year)
        return phrase

    def _nearest(self, text: str, index: TextIndex, sentence_start: int, end: int):
        """The period phrase of the sentence at sentence_start that ends nearest before end (at
        equal place, the longer, more specific one), as (match, template, offset of the match)."""
        found = index.memo.get(("period", sentence_start))
        if found is None:
            found = index.memo[("period", sentence_start)] = self._phrases(text, sentence_start, index.sentence_bounds(sentence_start)[1])
        keys, phrases = found
        # the phrases of the whole sentence, found once: no phrase runs into a figure, so the ones
        # ending before the figure are those a search up to the figure finds
        at = bisect_right(keys, (end, len(text) + 1))
        return phrases[at - 1] if at else None

    def _phrases(self, text: str, start: int, end: int) -> tuple[list, list]:
        window = text[start:end]
        if self.any_period is None or not self.any_period.search(window):
            return [], []
        baselines = [match.span() for pattern in self.baselines for match in pattern.finditer(window)]
        best: dict = {}
        for pattern, template in self.periods:
            for match in pattern.finditer(window):
                if any(b_start <= match.start() and match.end() <= b_end for b_start, b_end in baselines):
                    continue
                key = (start + match.end(), match.end() - match.start())
                best.setdefault(key, (match, template, start))  # the first pattern listed wins a tie
        keys = sorted(best)
        return keys, [best[key] for key in keys]


def fill_period(match, template: str, doc_year: Optional[int], speaking_year: Optional[int] = None) -> str:
    """A period template (lexicons/periods.yaml) filled from the phrase's match and the document's
    year ({year}; {now}, for the page's own 今年 and 去年, from the year it speaks from, by default
    the same); the phrase as written when a year it needs is unknown."""
    groups = match.groupdict()
    written = groups.get("y")
    report_year = str(doc_year) if doc_year else None
    if ("{year" in template or "{now" in template) and report_year is None or "{y}" in template and written is None:
        return match.group(0)
    result = template
    if "{now" in result:
        now = speaking_year or doc_year
        result = result.replace("{now-1}", str(now - 1)).replace("{now}", str(now))
    if report_year:
        result = result.replace("{year-1}", str(int(report_year) - 1)).replace("{year}", report_year)
    if written:
        result = result.replace("{y}", written)
    if "{m}" in result and groups.get("m"):
        month = groups["m"]
        if not month.isdigit():
            month = str(parse_numeral(month))
        result = result.replace("{m}", month.zfill(2))
    if "{q}" in result and groups.get("q"):
        result = result.replace("{q}", str(QUARTERS.index(groups["q"]) + 1) if groups["q"] in QUARTERS else groups["q"])
    return result


class ComparisonBases:
    """What a change is measured against, when it is not the same period a year before
    (lexicons/change.yaml year_on_year, baseline_patterns): the last comparison between the start of
    the figure's sentence (at most BASELINE_REACH characters back) and the figure decides. A named
    year that is the year before the figure's is a year-on-year comparison (比2018年 of a 2019 figure)."""

    def __init__(self, lexicons: Lexicons):
        self.year_on_year = lexicons.change_year_on_year
        self.baselines = lexicons.change_baselines
        self.part_of_year = lexicons.change_part_of_year

    def find(self, text: str, sentence_start: int, position: int, figure_year: Optional[int],
             part_of_year: bool = False):
        """(the base as written, start, end) for a change whose number starts at position, or None
        when it is year-on-year (or names no base: year-on-year is what a bare change means).
        part_of_year: the figure's period is part of a year (2023-H1, 2023-01/2023-06)."""
        start = max(sentence_start, position - BASELINE_REACH)
        window = text[start:position]
        last = None  # ((end, length), is a base, match)
        for patterns, is_base in ((self.year_on_year, False), (self.baselines, True)):
            for pattern in patterns:
                for match in pattern.finditer(window):
                    key = (match.end(), match.end() - match.start())
                    if last is None or key > last[0]:
                        last = (key, is_base, match)
        if last is None or not last[1]:
            return None
        match = last[2]
        groups = match.groupdict()
        if groups.get("y") and figure_year is not None and int(groups["y"]) == figure_year - 1:
            return None
        if groups.get("year_end") and not part_of_year \
                and not (self.part_of_year is not None and self.part_of_year.search(window, 0, match.start())):
            return None  # 年末常住人口…比上年末: one year's end against the one before
        return match.group(0), start + match.start(), start + match.end()


def is_part_of_year(period: Optional[str]) -> bool:
    """Whether a period is part of a year (2023-H1, 2023-06, 2023-01/2023-06), not a whole year."""
    return isinstance(period, str) and "-" in period and not period.endswith("-12")


def figure_year(period: Optional[str], doc_year: Optional[int]) -> Optional[int]:
    """The year a figure's period ends in (2019-01/2019-11 -> 2019), else the document's."""
    if isinstance(period, str):
        years = YEAR_IN_PERIOD.findall(period)
        if years:
            return int(years[-1])
    return doc_year

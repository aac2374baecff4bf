"""Candidates: the numbers of a document read as figures (number, magnitude, unit, qualifier).

The scanner (numbers.py) finds number + unit spans; two readings here add figures it cannot see
alone: bare numbers listed before a figure that share its unit (分别为47、55和55微克/立方米), and
bare numbers in table cells whose header names the unit (tables.py).
"""
from __future__ import annotations

from decimal import Decimal

import regex

from ..numbers import Quantity

BARE_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
# how far back a run of listed numbers is looked for: for the shared-unit reading, and for a rank
SHARED_UNIT_REACH = 80
RANK_REACH = 40


class ListedNumbers:
    """Runs of bare numbers listed right before a figure (47、55和|55微克): the run ends where the
    figure begins; a number in it is not a year, and the run is not preceded by another digit."""

    def __init__(self, joiners: tuple, ordinal_prefix: str):
        # a run after a rank's prefix, a decimal point or a dash is no list (第1、2名, 3.5、6)
        self.not_after = (ordinal_prefix, ".", "-")
        self.joiner_ends = frozenset("".join(joiners))
        alternatives = "|".join(regex.escape(j) for j in joiners)
        self.pattern = regex.compile(r"(?<![\d.,])(?:\d+(?:\.\d+)?\s*(?:" + alternatives + r")\s*)+$")

    def run_before(self, text: str, end: int, reach: int):
        """The run of bare numbers listed right before end, or None. Most figures follow no list
        joiner, and for them the backward search is skipped."""
        before = end - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before < 0 or text[before] not in self.joiner_ends:
            return None
        return self.pattern.search(text, max(0, end - reach), end)

    def sharing_unit(self, text: str, quantities: list[Quantity]) -> list[Quantity]:
        """分别为47、55和55微克/立方米: bare numbers listed right before a figure share its unit."""
        listed = []
        for q in quantities:
            if q.chinese or q.value_max is not None or q.start != q.number_start or q.unit_start != q.number_end:
                continue  # only a plain number with its unit: no qualifier, range or magnitude to share
            run = self.run_before(text, q.start, SHARED_UNIT_REACH)
            if run is None or text[run.start() - 1:run.start()] in self.not_after:
                continue
            for number in BARE_NUMBER.finditer(text, run.start(), run.end()):
                listed.append(Quantity(start=number.start(), end=number.end(), value=Decimal(number.group()),
                                       unit=q.unit, kind=q.kind, number_start=number.start(),
                                       number_end=number.end(), unit_start=number.end()))
        return sorted(quantities + listed, key=lambda q: q.start) if listed else quantities

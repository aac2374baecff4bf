"""The rule extractor: candidates, filters, attribution, document passes, in that order."""
from __future__ import annotations

from typing import Optional

from ..extraction import Dropped, ExtractionResult
from ..lexicons import Lexicons
from ..numbers import QuantityScanner
from .attribution import STAGES, DocumentState, attribute
from .candidates import ListedNumbers
from .filters import Filters
from .grammar import Grammar, TextIndex
from .passes import run_passes, well_typed
from .period import Periods
from .tables import TableLines, Tables


class RuleExtractor:
    """Everything built from the lexicons once; per-document state lives in the values `extract`
    makes, so one extractor serves any number of documents (and threads)."""

    name = "rules"

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.grammar = Grammar(lexicons)
        self.scanner = QuantityScanner(lexicons)
        self.listed = ListedNumbers(lexicons.grammar.listed_number_joiners, lexicons.grammar.ordinal_prefix)
        self.filters = Filters(lexicons, self.listed)
        self.tables = Tables(lexicons, self.grammar)
        self.periods = Periods(lexicons)
        self.stages = STAGES

    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None,
                speaking_year: Optional[int] = None) -> ExtractionResult:
        result = ExtractionResult()
        index = TextIndex(text)
        lines = TableLines(text, self.lexicons.table_unit_labels)
        quantities = self.scanner.scan(text)
        rejected = list(self.scanner.rejected)
        quantities = self.listed.sharing_unit(text, quantities)
        if "\t" in text:
            quantities = sorted(quantities + self.tables.bare_numbers(text, lines, quantities), key=lambda q: q.start)
        result.dropped += [Dropped(start, end, reason) for start, end, reason in rejected]
        blocked = self.filters.blocked(text, corrupt_spans)
        kept = []
        for quantity in quantities:
            reason = self.filters.reject_reason(text, quantity, blocked, index)
            if reason:
                result.dropped.append(Dropped(quantity.start, quantity.end, reason))
            else:
                kept.append(quantity)
        state = DocumentState(text=text, index=index, quantities=kept, doc_year=doc_year, periods=self.periods,
                              speaking_year=speaking_year)
        for position in range(len(kept)):
            state.add(attribute(self.grammar, state, position, self.stages))
        run_passes(text, index, self.grammar, self.tables, lines, state.figures)
        well_typed(self.grammar, state.figures)
        result.metrics = state.figures
        return result


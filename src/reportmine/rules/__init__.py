"""The rule extractor, one module per concern: grammar (clauses, sentences, phrase readers),
candidates (numbers to figures), filters (what is not a metric), attribution (the table of named
rules), passes (document-level readings), tables, period; extractor.py runs them in order."""
from .extractor import RuleExtractor

__all__ = ["RuleExtractor"]

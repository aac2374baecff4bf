"""What every extractor produces: figures whose fields say which rule decided them, and from where.

A `Figure` is a metric in normalized-text coordinates, before the pipeline maps its offsets to the
original text and turns it into a `records.Metric`. Its object, action, change, period and scope
(`breakdown`) each carry `Evidence`: the name of the rule that set the field and the source span
(normalized offsets) of the words it was read from, so that a wrong value points at the rule to fix.
No rule logic lives here: the rule extractor is `rules/`, the tagger `extract_model.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Protocol

# the fields whose deciding rule is recorded; `scope` is the evidence of `breakdown`
EVIDENCE_FIELDS = ("object", "action", "change", "period", "scope")


@dataclass(frozen=True)
class Evidence:
    """Which rule decided a field, and the span (half-open, normalized offsets) it read it from."""

    rule: str
    start: int
    end: int

    def in_family(self, rule: str) -> bool:
        """Whether a rule or one of its branches decided (object-of-figure-before/members is of the
        family object-of-figure-before)."""
        return self.rule == rule or self.rule.startswith(rule + "/")


@dataclass
class Figure:
    """A metric candidate in normalized-text coordinates, with the evidence of its fields."""

    start: int
    end: int
    value: Decimal
    value_max: Optional[Decimal]
    unit: str
    kind: str
    qualifier: str
    object: str = ""
    action: str = ""
    change: Optional[str] = None
    period: Optional[str] = None
    sentence_start: int = 0  # the figure's sentence, [sentence_start, sentence_end) of the normalized text
    sentence_end: int = 0
    context: str = ""  # the clause before the number: fallback evidence for the indicator mapping
    breakdown: bool = False  # a part of a total given earlier in the sentence (其中...)
    confidence: float = 0.9
    extractor: str = "rules"
    evidence: dict = field(default_factory=dict)  # field name -> Evidence

    def object_span(self) -> tuple[int, int]:
        """Where the figure's object was read, else the figure itself (what a figure that borrows
        the object cites)."""
        evidence = self.evidence.get("object")
        return (evidence.start, evidence.end) if evidence else (self.start, self.end)

    def decide(self, name: str, value, rule: str, span: Optional[tuple[int, int]]) -> None:
        """Set a field and, for the fields with evidence, record the rule that set it and where it
        read it (`scope` is the field breakdown)."""
        setattr(self, "breakdown" if name == "scope" else name, value)
        if name in EVIDENCE_FIELDS:
            self.evidence[name] = Evidence(rule, span[0], span[1])


@dataclass
class Dropped:
    """A number that was read and then judged not to be a metric, with the rule that said so."""

    start: int
    end: int
    reason: str


@dataclass
class ExtractionResult:
    metrics: list = field(default_factory=list)  # Figure
    dropped: list = field(default_factory=list)  # Dropped


class Extractor(Protocol):
    """What the pipeline calls: the rules, the tagger, or both combined."""

    name: str

    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None) -> ExtractionResult:
        ...

"""Typed records: what reportmine returns and writes.

Values are Decimal while parsing (so 1.2万 is exactly 12000) and are written as JSON numbers.
Offsets are half-open character offsets into the decoded ORIGINAL text: original[start:end] == text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

Kind = Literal["count", "money", "rate", "measure"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Change = Literal["up", "down"]


def decimal_to_json_number(value: Optional[Decimal]):
    """int when integral (12000, not 12000.0), else float; None stays None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class Warning_(BaseModel):
    """Something worth knowing about a document: decoding trouble, corrupted spans, repeats."""

    model_config = ConfigDict(frozen=True)
    code: str
    message: str
    start: Optional[int] = None
    end: Optional[int] = None


class Evidence(BaseModel):
    """Which rule decided a field of a metric, and where in the original text it read it
    (half-open offsets, like the metric's own)."""

    model_config = ConfigDict(frozen=True)
    rule: str
    start: int
    end: int


class Metric(BaseModel):
    doc: str
    start: int
    end: int
    text: str
    value: Decimal
    value_max: Optional[Decimal] = None
    unit: str
    kind: Kind
    qualifier: Qualifier = "exact"
    object: str = ""
    action: str = ""
    change: Optional[Change] = None
    period: Optional[str] = None
    indicator: Optional[str] = None
    extractor: str = "rules"
    confidence: float = 1.0
    sentence: str = ""
    # start offset of the first mention of the same metric in a repeated passage, else None:
    # tables that must count a figure once drop rows whose repeat_of is set.
    repeat_of: Optional[int] = None
    # a part of a total given earlier in the same sentence (排查隐患242项，其中重大隐患12项 -> the
    # 12): the panel prefers totals over such parts when both land on one indicator
    breakdown: bool = False
    # field (object, action, change, period, scope) -> the rule that decided it and its source span
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    # the page the figure is on (1-based), for documents that have pages (PDF); else None
    page: Optional[int] = None

    @field_serializer("value", "value_max")
    def _number(self, value):
        return decimal_to_json_number(value)


class Document(BaseModel):
    doc: str
    path: Optional[str] = None
    sha256: Optional[str] = None
    encoding: Optional[str] = None
    script: Optional[Literal["simplified", "traditional", "mixed"]] = None
    title: Optional[str] = None
    bureau: Optional[str] = None
    region: Optional[str] = None
    region_code: Optional[str] = None
    year: Optional[int] = None
    date: Optional[str] = None
    genre: Optional[str] = None
    n_chars: int = 0
    warnings: list[Warning_] = Field(default_factory=list)
    error: Optional[str] = None
    # how the file was read: text, html, pdf, docx, xlsx, xls, ods, doc, wps, rtf, odt (or what it
    # was found to be when it was not read: png, zip ...)
    format: Optional[str] = None
    # why a file was not read, when that is no fault of the file (an image, a scanned PDF, a reader
    # not installed): the reason and the fix. Such a document has no metrics and no error
    skipped: Optional[str] = None
    metrics: list[Metric] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    @computed_field
    @property
    def status(self) -> str:
        """ok, error or skipped: every file found has one row with one of these."""
        return "error" if self.error else "skipped" if self.skipped else "ok"

    def summary_row(self) -> dict:
        """The document's fields without its metrics, as written to --documents files."""
        row = self.model_dump(mode="json", exclude={"metrics"})
        row["n_metrics"] = len(self.metrics)
        return row

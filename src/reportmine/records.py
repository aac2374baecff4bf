"""Typed records: what reportmine returns and writes.

Values are Decimal while parsing (so 1.2万 is exactly 12000) and are written as JSON numbers.
Offsets are half-open character offsets into the decoded ORIGINAL text: original[start:end] == text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_serializer

Kind = Literal["count", "money", "rate", "measure"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Change = Literal["up", "down"]
Status = Literal["outcome", "target", "plan", "requirement", "forecast"]


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
    # "taxonomy" (an id of lexicons/indicators.yaml) or "signature" (object head, action and unit
    # kind, for figures no id covers), so a column's origin is never a guess
    indicator_source: Optional[Literal["taxonomy", "signature"]] = None
    # outcome, or a figure set for the future (target, plan, requirement, forecast): status.py
    status: Status = "outcome"
    extractor: str = "rules"
    confidence: float = 1.0
    sentence: str = ""
    # start offset of the first mention of the same metric in a repeated passage, else None:
    # tables that must count a figure once drop rows whose repeat_of is set.
    repeat_of: Optional[int] = None
    # a part of a total given earlier in the same sentence (排查隐患242项，其中重大隐患12项 -> the
    # 12): the panel prefers totals over such parts when both land on one indicator
    breakdown: bool = False

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
    url: Optional[str] = None
    # where each of bureau, region, year, date came from: "text", "title", "url" or "manifest"
    provenance: dict = Field(default_factory=dict)
    n_chars: int = 0
    warnings: list[Warning_] = Field(default_factory=list)
    error: Optional[str] = None
    metrics: list[Metric] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary_row(self) -> dict:
        """The document's fields without its metrics, as written to --documents files."""
        row = self.model_dump(mode="json", exclude={"metrics"})
        row["n_metrics"] = len(self.metrics)
        return row

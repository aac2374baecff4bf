"""Typed records: what reportmine returns and writes.

Values are Decimal from parsing to the files (so 1.2万 is exactly 12000 and 99.9999999999999999%
is not 100): the output files write their digits exactly (aggregate.py). Offsets are half-open
character offsets into the decoded ORIGINAL text: original[start:end] == text.
"""
from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer, field_validator

Kind = Literal["count", "money", "rate", "measure"]
Qualifier = Literal["exact", "approx", "at_least", "at_most"]
Change = Literal["up", "down"]
Status = Literal["outcome", "target", "plan", "requirement", "forecast"]


# Parquet stores values as decimal128(38, VALUE_SCALE): 21 digits before the point hold any
# accepted figure (numbers.MAX_VALUE is 10^20), 17 after it hold every decimal a report writes.
# Only a division (三分之一 -> 33.33...%, already cut at 28 digits) has more; it is rounded here,
# once, so that every output format carries the same value.
VALUE_SCALE = 17
_VALUE_QUANTUM = Decimal(1).scaleb(-VALUE_SCALE)


def exact_decimal_text(value: Decimal) -> str:
    """The value's digits as a JSON number, never rounded and never in exponent form:
    Decimal("12000.0") -> "12000", Decimal("670.630") -> "670.63", Decimal("1E+3") -> "1000"."""
    text = format(value, "f")  # no precision given: every digit, no exponent
    if "." in text:
        text = text.rstrip("0").rstrip(".")  # not normalize(): it rounds to the context's 28 digits
    return "0" if text in ("-0", "") else text


class Warning_(BaseModel):
    """Something worth knowing about a document: decoding trouble, corrupted spans, repeats."""

    model_config = ConfigDict(frozen=True)
    code: str = Field(description="what kind of trouble: undecodable_bytes, corrupted_span, repeated_passages ...")
    message: str = Field(description="one sentence for a person")
    start: Optional[int] = Field(None, description="where it starts in the original text, if it has a place")
    end: Optional[int] = Field(None, description="where it ends (half-open)")


class Evidence(BaseModel):
    """Which rule decided a field of a metric, and where in the original text it read it
    (half-open offsets, like the metric's own)."""

    model_config = ConfigDict(frozen=True)
    rule: str = Field(description="the rule's name (rules/attribution.py, rules/passes.py; tagger for the model)")
    start: int = Field(description="where the words it read start in the original text")
    end: int = Field(description="where they end (half-open)")


def _described(description: str, default=..., **kwargs):
    return Field(default, description=description, **kwargs)


class Metric(BaseModel):
    """One figure found in a document: where it is, its exact value and unit, and what it counts.

    >>> m = reportmine.extract_text("检查企业128家次。").metrics[0]
    >>> (m.text, m.value, m.unit, m.kind, m.object, m.action)
    ('128家次', Decimal('128'), '家次', 'count', '企业', '检查')
    """

    doc: str = _described("the document's id: its path relative to the folder given, or its file name")
    start: int = _described("offset of the figure's first character in the decoded original text")
    end: int = _described("offset just past its last character: original[start:end] == text")
    text: str = _described("the figure as written (128家次, 489余万元)")
    value: Decimal = _described("exact value in base units (489余万元 -> 4890000); the low end of a range")
    value_max: Optional[Decimal] = _described("the high end of a range (3至5天 -> 5), else null", None)
    unit: str = _described("canonical unit (万元 -> 元, 千米 -> 公里)")
    kind: Kind = _described("count, money, rate or measure")
    qualifier: Qualifier = _described("exact, approx (约, 余), at_least (超过) or at_most (不足)", "exact")
    object: str = _described("what is counted (企业, 隐患)", "")
    action: str = _described("what was done to it (检查, 整改)", "")
    change: Optional[Change] = _described("up or down for a change (同比下降5%), else null", None)
    # KEYS-GUIDE: a change against another base is not compared in a year-on-year column
    baseline: Optional[str] = _described("for a change measured against something other than the same period a "
                                         "year before, that base as written (与2015年相比, 较三年均值, 环比); such "
                                         "a change has no indicator. Else null", None)
    period: Optional[str] = _described("the period it covers: 2023, 2023-H1, 2022/2023 ..., else null", None)
    indicator: Optional[str] = _described("the comparable column: an id of lexicons/indicators.yaml, or a signature "
                                          "(~object head|action|unit kind) for figures no id covers, else null", None)
    # so a column's origin is never a guess
    indicator_source: Optional[Literal["taxonomy", "signature"]] = _described(
        "taxonomy (an id of lexicons/indicators.yaml) or signature", None)
    status: Status = _described("outcome, or a figure set for the future: target, plan, requirement, forecast "
                                "(status.py)", "outcome")
    extractor: str = _described("rules, model or combined: which extractor found it", "rules")
    confidence: float = _described("the extractor's confidence, 0 to 1", 1.0)
    # a window of the original text, not the whole sentence: sentences are unbounded (a table or
    # a list without stops can be 100 KB), and a row per figure times its sentence is quadratic
    context: str = _described("the original text around the figure: about 100 characters on each side", "")
    context_start: int = _described("offset of the context's first character: "
                                    "original[context_start:context_start + len(context)] == context", 0)
    # tables that must count a figure once drop rows whose repeat_of is set
    repeat_of: Optional[int] = _described("start of the first mention when a passage repeats, else null", None)
    # the panel prefers totals over such parts when both land on one indicator
    breakdown: bool = _described("a part of a total given earlier in the sentence (其中重大隐患12项)", False)
    evidence: dict[str, Evidence] = Field(
        default_factory=dict, description="field (object, action, change, baseline, period, scope) -> the rule that decided "
                                          "it and the span of the original text it read")
    page: Optional[int] = _described("the page the figure is on (1-based), for documents with pages (PDF), else null",
                                     None)

    @field_validator("value", "value_max")
    @classmethod
    def _at_most_value_scale(cls, value: Optional[Decimal]) -> Optional[Decimal]:
        if value is not None and value.is_finite() and value.as_tuple().exponent < -VALUE_SCALE:
            with localcontext() as context:
                context.prec = 60  # quantize fails past the context's precision (28 by default)
                return value.quantize(_VALUE_QUANTUM)
        return value

    @field_serializer("value", "value_max", when_used="json")
    def _exact(self, value: Optional[Decimal]) -> Optional[str]:
        # JSON from pydantic can only hold a float (rounded past 15-17 digits) or a string: the
        # string keeps every digit; the output files turn it into a JSON number (aggregate.py)
        return None if value is None else exact_decimal_text(value)


class Document(BaseModel):
    """One input file: its metadata, its metrics, or the error that stopped it being read.

    Every input file gives exactly one Document; `error` is set (and `metrics` empty) when the
    file could not be read or extracted, and `warnings` says what was read with trouble."""

    doc: str = _described("the document's id: its path relative to the folder given, or its file name")
    path: Optional[str] = _described("the file's absolute path (bytes that are not UTF-8 shown as \\xNN)", None)
    sha256: Optional[str] = _described("SHA-256 of the file's bytes", None)
    encoding: Optional[str] = _described("the encoding it was decoded from (utf-8, gb18030, big5 ...)", None)
    script: Optional[Literal["simplified", "traditional", "mixed"]] = _described("the Chinese script", None)
    title: Optional[str] = _described("the document's title", None)
    bureau: Optional[str] = _described("the issuing bureau (隆回县应急管理局)", None)
    region: Optional[str] = _described("its administrative region (湖南省邵阳市隆回县)", None)
    region_code: Optional[str] = _described("the region's 6-digit code (430524)", None)
    year: Optional[int] = _described("the year the report covers", None)
    date: Optional[str] = _described("the date it was issued (YYYY-MM-DD, or shorter)", None)
    genre: Optional[str] = _described("annual_summary, half_year, news, interview, speech ...", None)
    subject: Optional[str] = _described("the kind of bureau whose work the page reports (statistics, transport, "
                                        "water, environment, ...: lexicons/documents.yaml subjects), read from its "
                                        "words; it names the bureau of a page that names none", None)
    scope: Optional[str] = _described("the kind of place the page speaks of as its own: 市, 县, 区 or 省 (全市, 我县, or "
                                      "its body written without its place: 市应急管理局); it settles a host name that "
                                      "spells several places", None)
    url: Optional[str] = _described("the page's address, from a --manifest", None)
    provenance: dict[str, str] = Field(default_factory=dict, description="where each of bureau, region, year, date "
                                                                           "came from: text, title, url or manifest; a year "
                                                                           "read from the publication date: date; a "
                                                                           "bureau named from the page's subject: subject")
    n_chars: int = _described("characters in the decoded original text", 0)
    warnings: list[Warning_] = Field(default_factory=list, description="what was read with trouble")
    error: Optional[str] = _described("why the file gave no metrics (unreadable, empty, binary, too large, "
                                      "over a time or memory limit ...), else null", None)
    format: Optional[str] = _described("how the file was read: text, html, pdf, docx, xlsx, xls, ods, doc, wps, rtf, "
                                       "odt (or what it was found to be when it was not read: png, zip ...)", None)
    skipped: Optional[str] = _described("why a file was not read when that is no fault of the file (an image, a "
                                        "scanned PDF, a reader not installed): the reason and the fix", None)
    metrics: list[Metric] = Field(default_factory=list, description="the figures found, in text order")

    @property
    def ok(self) -> bool:
        """True when the file was read and extracted (it may still have warnings)."""
        return self.error is None

    @computed_field(description="ok, error or skipped: every file found has one row with one of these")
    @property
    def status(self) -> str:
        return "error" if self.error else "skipped" if self.skipped else "ok"

    def summary_row(self) -> dict:
        """The document's fields without its metrics, as written to --documents files."""
        row = self.model_dump(mode="json", exclude={"metrics"})
        row["n_metrics"] = len(self.metrics)
        row["n_warnings"] = len(self.warnings)
        return row

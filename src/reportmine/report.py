"""Audit views: check a number against its source before publishing it.

- `reportmine show FILE` (show_document): the document's normalized text in the terminal with each
  metric highlighted and numbered, then a table of its records and its warnings (rich).
- `reportmine report PATH... -o report.html` (load_audit + write_report): an index page (one row
  per document: bureau, year, genre, format, counts, status, a filter; no document text, so a few
  hundred bytes a document) and one page per document, in report_files/ beside it (or, for
  `-o FOLDER`, FOLDER/index.html and FOLDER/docs/). A document's page shows its text with every
  metric highlighted at its exact offsets, a side table with value, unit, kind, qualifier,
  object, action, change, period and indicator (hovering a highlight or a row lights up the other;
  the highlight's tooltip names the rule that decided each field), and the document's warnings
  (corrupted spans are highlighted too). Every page is self-contained (no external file, script
  or font) and its Content-Security-Policy runs only its own script.

Offsets index the decoded original text (reportmine.readers.read_source(data).text: a text file's
decoded text, a PDF's or spreadsheet's text as its reader wrote it). A text file, PDF or sheet is
shown as that text, so a highlight is original[start:end] character for character. An HTML page
is shown as the text the extractor read from it (markup, scripts and page chrome dropped, entities
decoded: Shown), each highlight where its original span landed; the table keeps the source offsets.
A metric whose stored text is not what its offsets hold (the file changed after the extraction)
is flagged in its row, never silently moved.

use_cjk_font registers a CJK font shipped by a Python package with matplotlib, so notebooks
plot Chinese labels without tofu boxes (pip install -e ".[notebooks]").
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .errors import ReportmineError
from .readers import read_path, read_source
from .records import Document, Metric, Warning_

RESULT_SUFFIXES = (".jsonl", ".csv", ".parquet")
QUALIFIER_SIGNS = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤"}
CHANGE_SIGNS = {"up": "↑", "down": "↓"}
KINDS = ("count", "money", "rate", "measure")


# ---- documents with their original text ---------------------------------------------------
@dataclass
class Shown:
    """The text a document's page shows, and where each original span lands in it.

    For a text file, a PDF or a sheet: the text the offsets index, unchanged. For an HTML page:
    the text the extractor read from it (normalize.html_to_text: markup, scripts, styles and page
    chrome dropped, entities decoded, table cells after tabs), with each run of blank lines and
    indentation folded into one line break; never the markup."""

    text: str
    rendered: bool  # an HTML page's text as read, not its source
    maps: list = field(default_factory=list)  # OffsetMaps, original -> shown

    def span(self, start, end) -> Optional[tuple]:
        """An ORIGINAL span -> the span of the shown text it became (None if nothing of it shows)."""
        if start is None or end is None or not 0 <= start < end:
            return None
        span = (start, end)
        for mapping in self.maps:
            if span[1] > mapping.in_length:
                return None
            span = mapping.input_span_to_output(*span)
            if span is None:
                return None
        return span


# the whitespace runs of an HTML page's text (each matched once, from its first character: linear);
# a run holding a line break (indentation, the breaks of <p> and </p>) is folded into one break
# on the page; tabs are no part of a run (they separate table cells)
WHITESPACE_RUN = re.compile(r"(?<![ \r\n\u3000\xa0])[ \r\n\u3000\xa0]+")


def shown_text(original: str, is_html: bool) -> Shown:
    if not is_html:
        return Shown(original, False)
    from .normalize import html_to_text
    from .offsets import OffsetMap

    page = html_to_text(original)
    flat = page.text
    body_start, body_end = len(flat) - len(flat.lstrip()), len(flat.rstrip())
    edits = []
    if body_start >= body_end:
        edits = [(0, len(flat), "")] if flat else []
    else:
        if body_start:
            edits.append((0, body_start, ""))
        for run in WHITESPACE_RUN.finditer(flat, body_start, body_end):
            if "\n" in run.group() and run.group() != "\n":
                edits.append((run.start(), run.end(), "\n"))
        if body_end < len(flat):
            edits.append((body_end, len(flat), ""))
    text, tidy = OffsetMap.from_edits(flat, edits)
    return Shown(text, True, [page.mapping, tidy])


@dataclass
class AuditDocument:
    """A document, the decoded original text its offsets index (None when it cannot be read),
    whether that text is an HTML page, and what stands in the way of checking it."""

    document: Document
    original: Optional[str] = None
    problems: list = field(default_factory=list)
    is_html: bool = False
    _shown: Optional[Shown] = field(default=None, init=False, repr=False, compare=False)

    def span_ok(self, metric: Metric) -> bool:
        """The offsets hold the metric's text."""
        return (self.original is not None and 0 <= metric.start < metric.end <= len(self.original)
                and self.original[metric.start:metric.end] == metric.text)

    @property
    def mismatched(self) -> list:
        """Metrics whose offsets do not hold their text (only meaningful when original is known)."""
        if self.original is None:
            return []
        return [m for m in self.document.metrics if not self.span_ok(m)]

    def shown(self) -> Optional[Shown]:
        """The text the document's page shows (None when the original is unknown)."""
        if self.original is None:
            return None
        if self._shown is None:
            self._shown = shown_text(self.original, self.is_html)
        return self._shown


def _html_flag(source) -> bool:
    """Read as an HTML page, as the pipeline decides it (a reader's flag, else the text's look)."""
    from .normalize import looks_like_html

    return bool(source.is_html) if source.is_html is not None else looks_like_html(source.text)


def _from_file(path: Path, pipeline, doc: Optional[str] = None) -> AuditDocument:
    document = pipeline.extract_file(path, doc=doc)
    if document.error or document.skipped:
        return AuditDocument(document, None, [document.error or f"not read: {document.skipped}"])
    try:
        # the text the offsets index: a PDF's or a spreadsheet's as its reader wrote it
        source = read_path(path)
    except (OSError, ReportmineError) as exc:
        return AuditDocument(document, None, [f"cannot read the source again: {exc}"])
    return AuditDocument(document, source.text, is_html=_html_flag(source))


def load_audit(paths: Iterable, sources: Sequence = (), pipeline=None) -> list:
    """AuditDocuments for folders or files of documents (extracted here), or for results written
    by `reportmine extract` (.jsonl, .csv, .parquet, or its .journal.jsonl): their source files
    are found by path, else by name under `sources` (searched recursively) or next to the results."""
    from .pipeline import default_pipeline, input_files

    out = []
    for given in paths:
        given = Path(given)
        if given.is_file() and given.suffix.lower() in RESULT_SUFFIXES:
            out.extend(_from_results(given, [Path(s) for s in sources]))
            continue
        pipeline = pipeline or default_pipeline()
        for item in input_files([given]):
            out.append(_from_file(Path(item.path), pipeline, item.doc))
    return out


# ---- results files -------------------------------------------------------------------------
def _missing(value) -> bool:
    """None, NaN, pandas NA or an empty string (a CSV's empty cell)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, (list, dict, tuple)):
        return False
    try:
        return bool(value != value)  # NaN
    except TypeError:
        return True  # pandas.NA


def _as_int(value) -> Optional[int]:
    return None if _missing(value) else int(float(value))


def _as_decimal(value) -> Optional[Decimal]:
    if _missing(value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def metric_from_row(row: dict) -> Metric:
    """A Metric from one row of a results file (JSONL, CSV read as text, or Parquet)."""
    fields = {}
    for name in Metric.model_fields:
        if name not in row or _missing(row[name]):
            continue
        value = row[name]
        if name in ("start", "end", "repeat_of"):
            value = _as_int(value)
        elif name in ("value", "value_max"):
            value = _as_decimal(value)
        elif name == "confidence":
            value = float(value)
        elif name == "evidence":
            value = json.loads(value) if isinstance(value, str) else value  # JSON text in CSV and Parquet cells
        elif not isinstance(value, str):
            value = str(value)
        fields[name] = value
    if "value" not in fields and not _missing(row.get("value")):
        fields["value"] = _as_decimal(row["value"])
    return Metric(**fields)


def _read_result_rows(path: Path) -> list:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = []
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line, parse_float=Decimal))  # every digit, not the nearest float
                except json.JSONDecodeError as exc:
                    if number > 1 and not line.endswith("\n"):
                        break  # a half-written last line (interrupted run): the rest stands
                    raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        return rows
    import pandas as pd

    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        raise ValueError(f"{path}: not a results file ({', '.join(RESULT_SUFFIXES)})")
    return frame.to_dict("records")


def _documents_from_rows(rows: list, path: Path) -> tuple:
    """(documents, whole): whole when the rows are journal lines (documents with paths, hashes
    and warnings), else documents rebuilt from metric rows."""
    if rows and isinstance(rows[0].get("document"), dict) and isinstance(rows[0].get("input"), dict):
        rows = [row["document"] for row in rows if isinstance(row, dict) and isinstance(row.get("document"), dict)]
    if rows and isinstance(rows[0].get("metrics"), list):
        return [Document.model_validate(row) for row in rows], True
    if rows and not {"doc", "start", "end", "text", "value", "unit", "kind"} <= set(rows[0]):
        raise ValueError(f"{path}: not a metrics file written by reportmine extract "
                         f"(columns doc, start, end, text, value, unit, kind are needed)")
    documents: dict = {}
    for row in rows:
        name = str(row["doc"])
        document = documents.get(name)
        if document is None:
            meta = {}
            for field_name in ("path", "bureau", "region", "region_code", "date", "genre", "title"):
                value = row.get(f"doc_{field_name}", row.get(field_name))
                if not _missing(value):
                    meta[field_name] = str(value)
            year = row.get("doc_year", row.get("year"))
            document = documents[name] = Document(doc=name, year=_as_int(year), **meta)
        document.metrics.append(metric_from_row(row))
    return list(documents.values()), False


def _find_source(document: Document, results: Path, sources: list) -> Optional[Path]:
    from .pipeline import os_path

    if document.path:
        given = Path(os_path(document.path))  # a name that is not UTF-8 is written escaped
        for candidate in ([given] if given.is_absolute() else [given, results.parent / given]):
            if candidate.is_file():
                return candidate
    doc = os_path(document.doc)
    for folder in sources + [results.parent]:
        direct = folder / doc
        if direct.is_file():
            return direct
    for folder in sources:
        for candidate in sorted(folder.rglob(Path(doc).name)):
            if candidate.is_file() and candidate.as_posix().endswith(Path(doc).as_posix()):
                return candidate
    return None


def _recomputed_warnings(document: Document, original: str, is_html: Optional[bool], decoded_warnings) -> list:
    """Warnings for a document read from a metrics file (which does not carry them): decoding
    trouble and corrupted spans, found again in the source, and repeats from repeat_of."""
    from .lexicons import load_lexicons
    from .normalize import normalize

    warnings = list(decoded_warnings)
    warnings.extend(normalize(original, load_lexicons(), is_html=is_html).warnings)
    repeats = sum(1 for m in document.metrics if m.repeat_of is not None)
    if repeats:
        warnings.append(Warning_(code="repeated_passages",
                                 message=f"{repeats} metric mention(s) repeat an earlier passage; see repeat_of"))
    return warnings


def _from_results(results: Path, sources: list) -> list:
    from .batch import JOURNAL_SUFFIX, journal_path
    from .pipeline import os_path

    chosen = results
    if not results.name.endswith(JOURNAL_SUFFIX) and journal_path(results).is_file():
        chosen = journal_path(results)  # the journal holds whole documents: paths, hashes, warnings
    documents, whole = _documents_from_rows(_read_result_rows(chosen), chosen)
    out = []
    for document in documents:
        if document.error or document.skipped:
            out.append(AuditDocument(document, None, [document.error or f"not read: {document.skipped}"]))
            continue
        source = _find_source(document, results, sources)
        if source is None:
            out.append(AuditDocument(document, None, [
                f"source text not found: pass --source FOLDER (the folder that holds {document.doc})"]))
            continue
        data = source.read_bytes()
        try:
            decoded = read_source(data, str(source))
        except ReportmineError as exc:
            out.append(AuditDocument(document, None, [f"{source}: {exc}"]))
            continue
        audit = AuditDocument(document, decoded.text, is_html=_html_flag(decoded))
        if document.path is None or os_path(document.path) != str(source):
            document.path = str(source)  # where the text was found (--source), not where it was extracted
        if document.sha256 and document.sha256 != hashlib.sha256(data).hexdigest():
            audit.problems.append(f"{source} changed after the extraction (sha256 differs): "
                                  f"highlights whose text differs are flagged")
        if not whole:
            document.warnings = _recomputed_warnings(document, decoded.text, decoded.is_html, decoded.warnings)
            document.n_chars = len(decoded.text)
            document.encoding = document.encoding or decoded.encoding
        out.append(audit)
    return out


# ---- formatting shared by both views --------------------------------------------------------
def format_number(value) -> str:
    if value is None:
        return ""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def format_value(metric: Metric) -> str:
    text = QUALIFIER_SIGNS.get(metric.qualifier, "") + format_number(metric.value)
    if metric.value_max is not None:
        text += "–" + format_number(metric.value_max)
    return text


def indicator_names(lexicons=None) -> dict:
    """indicator id -> (zh, en)."""
    try:
        if lexicons is None:
            from .lexicons import load_lexicons

            lexicons = load_lexicons()
        return {i.id: (i.zh, i.en) for i in lexicons.indicators}
    except ReportmineError:
        return {}


def evidence_lines(metric: Metric) -> list[str]:
    """"object: rule words-before-figure/verb-then-noun, chars 286-292": which rule decided each
    field and where it read it, so a wrong field points at the rule to fix."""
    return [f"{name}: rule {found.rule}, chars {found.start}-{found.end}" for name, found in metric.evidence.items()]


def metric_tip(metric: Metric, names: dict) -> str:
    lines = [f"{metric.text}  →  {format_value(metric)} {metric.unit}   ({metric.kind}, {metric.qualifier})"]
    if metric.object or metric.action:
        lines.append(f"object: {metric.object or '—'}   action: {metric.action or '—'}")
    if metric.change:
        lines.append(f"change: {metric.change}")
    if metric.indicator:
        zh = names.get(metric.indicator, ("", ""))[0]
        lines.append(f"indicator: {metric.indicator} {zh}".rstrip())
    else:
        lines.append("indicator: none")
    if metric.period:
        lines.append(f"period: {metric.period}")
    lines += evidence_lines(metric)
    lines.append(f"offsets: [{metric.start}, {metric.end})" +
                 (f"   repeats the mention at {metric.repeat_of}" if metric.repeat_of is not None else ""))
    return "\n".join(lines)


# ---- the HTML page ---------------------------------------------------------------------------
def _escape_text(text: str) -> str:
    """Text for the inside of <pre>: escaped so that the parsed DOM holds exactly these
    characters (a CR would be folded into LF by the HTML parser: written as &#13;)."""
    return html.escape(text, quote=False).replace("\r", "&#13;")


def _attr(text) -> str:
    return html.escape(str(text), quote=True).replace("\r", "&#13;").replace("\n", "&#10;")


def highlight_segments(length: int, spans: list) -> list:
    """Cut [0, length) at every span edge: [(start, end, covering span indices)], in order.
    spans: [(start, end)]; spans outside the text or empty are left out."""
    edges = {0, length}
    valid = []
    for index, (start, end) in enumerate(spans):
        if start is None or end is None or not 0 <= start < end <= length:
            continue
        valid.append((start, end, index))
        edges.update((start, end))
    points = sorted(edges)
    opening: dict = {}
    for start, end, index in valid:
        opening.setdefault(start, []).append((end, index))
    active: list = []
    out = []
    for left, right in zip(points, points[1:]):
        active = [(end, index) for end, index in active if end > left] + opening.get(left, [])
        out.append((left, right, sorted(index for _, index in active)))
    return out


def _document_text_html(audit: AuditDocument, names: dict) -> str:
    shown = audit.shown()
    text = shown.text if shown is not None else ""
    metrics = audit.document.metrics
    warnings = [w for w in audit.document.warnings if w.start is not None and w.end is not None]
    spans = [shown.span(m.start, m.end) or (None, None) for m in metrics] + \
            [shown.span(w.start, w.end) or (None, None) for w in warnings]
    parts = []
    for left, right, covering in highlight_segments(len(text), spans):
        piece = _escape_text(text[left:right])
        if not covering:
            parts.append(piece)
            continue
        metric_ids = [i for i in covering if i < len(metrics)]
        warning_ids = [i - len(metrics) for i in covering if i >= len(metrics)]
        classes = []
        attributes = []
        tips = []
        if metric_ids:
            first = metrics[metric_ids[0]]
            classes += ["m", f"k-{first.kind}"]
            if len(metric_ids) > 1:
                classes.append("multi")
            if all(metrics[i].repeat_of is not None for i in metric_ids):
                classes.append("rep")
            if not any(metrics[i].indicator for i in metric_ids):
                classes.append("noind")
            if not all(audit.span_ok(metrics[i]) for i in metric_ids):
                classes.append("bad")
            attributes.append(f'data-m="{" ".join(map(str, metric_ids))}"')
            tips += [f"#{i + 1} " + metric_tip(metrics[i], names) for i in metric_ids]
        if warning_ids:
            classes.append("w")
            attributes.append(f'data-w="{" ".join(map(str, warning_ids))}"')
            tips += [f"warning {warnings[i].code}: {warnings[i].message}" for i in warning_ids]
        parts.append(f'<mark class="{" ".join(classes)}" {" ".join(attributes)} title="{_attr(chr(10).join(tips))}">'
                     f"{piece}</mark>")
    # the parser drops one newline right after <pre>: give it one, so the text stays exact
    kind = "rendered" if shown is not None and shown.rendered else "original"
    return f'<pre class="src {kind}">\n' + "".join(parts) + "</pre>"


def _metrics_table_html(audit: AuditDocument, names: dict) -> str:
    shown = audit.shown()
    rows = []
    for index, metric in enumerate(audit.document.metrics):
        zh, en = names.get(metric.indicator, ("", "")) if metric.indicator else ("", "")
        classes = ["rep"] if metric.repeat_of is not None else []
        flag = ""
        if audit.original is not None and not audit.span_ok(metric):
            classes.append("bad")
            found = audit.original[metric.start:metric.end] if 0 <= metric.start <= metric.end <= len(audit.original) else ""
            flag = f'<div class="flag">⚠ offsets hold {_attr(found)!s}</div>'
        change = f"{CHANGE_SIGNS.get(metric.change, '')} {metric.change}" if metric.change else ""
        indicator = (f'<span title="{_attr(en)}">{html.escape(zh)}</span><br><code>{html.escape(metric.indicator)}</code>'
                     if metric.indicator else '<span class="none">—</span>')
        repeat = f'<br><span class="note">repeat of @{metric.repeat_of}</span>' if metric.repeat_of is not None else ""
        shown_as = metric.text
        if shown is not None and shown.rendered:
            span = shown.span(metric.start, metric.end)
            if span is None:
                flag += '<div class="flag">⚠ not in the text read from the page</div>'
            else:
                shown_as = shown.text[span[0]:span[1]]
                if shown_as != metric.text:
                    flag += f'<div class="note">source: <code>{html.escape(metric.text)}</code></div>'
        rows.append(
            f'<tr data-m="{index}" class="{" ".join(classes)}">'
            f'<td class="n">{index + 1}</td>'
            f'<td><span class="chip k-{metric.kind}">{html.escape(shown_as)}</span>{flag}</td>'
            f'<td class="num">{html.escape(format_value(metric))}</td>'
            f"<td>{html.escape(metric.unit)}</td>"
            f"<td>{metric.kind}</td>"
            f"<td>{metric.qualifier}</td>"
            f'<td class="obj">{html.escape(metric.object)}</td>'
            f"<td>{html.escape(metric.action)}</td>"
            f"<td>{html.escape(change)}</td>"
            f"<td>{html.escape(metric.period or '')}</td>"
            f"<td>{indicator}</td>"
            f'<td class="num">{metric.start}–{metric.end}{repeat}</td>'
            "</tr>")
    if not rows:
        return '<p class="none">no metrics</p>'
    head = "".join(f"<th>{h}</th>" for h in ("#", "text", "value", "unit", "kind", "qualifier", "object", "action",
                                               "change", "period", "indicator", "offsets"))
    return f'<table class="metrics"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _warnings_html(audit: AuditDocument) -> str:
    items = [f'<li class="problem">{html.escape(p)}</li>' for p in audit.problems]
    with_offsets = [w for w in audit.document.warnings if w.start is not None and w.end is not None]
    for warning in audit.document.warnings:
        where = ""
        if warning.start is not None and warning.end is not None:
            index = with_offsets.index(warning)
            where = f' <a href="#" class="goto-w" data-w="{index}">[{warning.start}, {warning.end})</a>'
        items.append(f"<li><code>{html.escape(warning.code)}</code> {html.escape(warning.message)}{where}</li>")
    mismatched = len(audit.mismatched)
    if mismatched:
        items.append(f'<li class="problem">{mismatched} metric(s) whose offsets do not hold their text (flagged ⚠)</li>')
    if not items:
        return ""
    listed = f'<ul class="warnings">{"".join(items)}</ul>'
    if len(items) <= 5:
        return listed
    return (f'<details class="warnings"{" open" if audit.problems else ""}><summary>{len(audit.document.warnings)} warnings'
            f'{", " + str(len(audit.problems)) + " problem(s)" if audit.problems else ""}</summary>{listed}</details>')


def _meta_line(document: Document) -> str:
    parts = [document.bureau, f"{document.region} ({document.region_code})" if document.region else document.region_code,
             str(document.year) if document.year else None, document.genre,
             f"dated {document.date}" if document.date else None,
             document.encoding, document.script, f"{document.n_chars:,} characters" if document.n_chars else None]
    return " · ".join(html.escape(p) for p in parts if p)


CSS = """
:root{--count:#cfe4ff;--money:#ffe08a;--rate:#c9f0c2;--measure:#e6d6ff;--warn:#ffb3b3}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:#1d1d1f;background:#f6f6f4}
header.top{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header.top h1{font-size:17px;margin:0}
.legend span{margin-right:6px}
main{padding:12px 16px}
table{border-collapse:collapse}
table.index td,table.index th,table.metrics td,table.metrics th{border-bottom:1px solid #e3e3e3;padding:2px 6px;text-align:left;vertical-align:top}
table.metrics th{position:sticky;top:0;background:#fafafa}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.metrics td{min-width:3.2em}
table.metrics td.obj{min-width:7em}
table.metrics td.n,table.metrics td.num{min-width:0}
section.doc{background:#fff;border:1px solid #ddd;border-radius:6px;margin:16px 0;padding:8px 12px}
section.doc h2{font-size:16px;margin:4px 0}
.meta{color:#555}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.4fr);gap:12px;align-items:start}
@media (max-width:1100px){.cols{grid-template-columns:1fr}}
pre.src{white-space:pre-wrap;word-break:break-all;font:inherit;line-height:1.8;margin:0;max-height:75vh;overflow:auto;border:1px solid #eee;padding:8px;background:#fcfcfb}
.side{max-height:75vh;overflow:auto;border:1px solid #eee}
mark{border-radius:3px;padding:0 1px;color:inherit;cursor:pointer}
mark.k-count,.chip.k-count{background:var(--count)}
mark.k-money,.chip.k-money{background:var(--money)}
mark.k-rate,.chip.k-rate{background:var(--rate)}
mark.k-measure,.chip.k-measure{background:var(--measure)}
mark.multi{box-shadow:inset 0 -3px 0 #777}
mark.noind{text-decoration:underline dotted #888}
mark.rep,tr.rep{opacity:.6}
mark.w{background:var(--warn);text-decoration:underline wavy #c00}
mark.bad,tr.bad{outline:2px solid #c00}
mark.hot{outline:2px solid #d33}
tr.hot td{background:#fff3c4}
tr.hot td:first-child{box-shadow:inset 3px 0 #d33}
.chip{border-radius:3px;padding:0 3px;white-space:nowrap}
details.warnings summary{cursor:pointer;color:#8a1f11}
.flag{color:#c00;font-size:12px}
.none,.note{color:#888;font-size:12px}
ul.warnings{margin:4px 0 8px 0;padding-left:20px;color:#8a1f11}
li.problem{font-weight:bold}
#tip{position:fixed;z-index:10;display:none;max-width:520px;white-space:pre-wrap;background:#222;color:#fff;padding:6px 8px;border-radius:4px;font-size:13px;pointer-events:none}
.hidden{display:none}
header.top nav a{margin-right:4px}
pre.src.rendered{background:#fbfcff}
"""

DOCUMENT_SCRIPT = """
(function(){
  var tip=document.getElementById('tip');
  document.querySelectorAll('mark[title]').forEach(function(m){m.dataset.tip=m.title;m.removeAttribute('title');});
  function section(el){return el.closest('section.doc');}
  function light(sec,ids,on){
    ids.forEach(function(id){
      sec.querySelectorAll('mark[data-m~="'+id+'"], tr[data-m="'+id+'"]').forEach(function(el){el.classList.toggle('hot',on);});
    });
  }
  document.querySelectorAll('pre.src mark').forEach(function(m){
    var ids=(m.dataset.m||'').split(' ').filter(Boolean);
    m.addEventListener('mouseenter',function(){light(section(m),ids,true);tip.textContent=m.dataset.tip||'';tip.style.display='block';});
    m.addEventListener('mousemove',function(e){
      tip.style.left=Math.max(0,Math.min(e.clientX+14,window.innerWidth-tip.offsetWidth-8))+'px';
      var below=e.clientY+16;
      tip.style.top=(below+tip.offsetHeight>window.innerHeight?Math.max(0,e.clientY-tip.offsetHeight-10):below)+'px';
    });
    m.addEventListener('mouseleave',function(){light(section(m),ids,false);tip.style.display='none';});
    m.addEventListener('click',function(){if(!ids.length)return;var row=section(m).querySelector('tr[data-m="'+ids[0]+'"]');if(row)row.scrollIntoView({block:'center',behavior:'smooth'});});
  });
  document.querySelectorAll('table.metrics tr[data-m]').forEach(function(r){
    var ids=[r.dataset.m];
    r.addEventListener('mouseenter',function(){light(section(r),ids,true);});
    r.addEventListener('mouseleave',function(){light(section(r),ids,false);});
    r.addEventListener('click',function(){var m=section(r).querySelector('pre.src mark[data-m~="'+ids[0]+'"]');if(m)m.scrollIntoView({block:'center',behavior:'smooth'});});
  });
  document.querySelectorAll('a.goto-w').forEach(function(a){
    a.addEventListener('click',function(e){e.preventDefault();var m=section(a).querySelector('pre.src mark[data-w~="'+a.dataset.w+'"]');if(m)m.scrollIntoView({block:'center',behavior:'smooth'});});
  });
})();
"""

INDEX_SCRIPT = """
(function(){
  var filter=document.getElementById('filter');
  filter.addEventListener('input',function(){
    var q=filter.value.trim().toLowerCase();
    document.querySelectorAll('table.index tbody tr').forEach(function(r){r.classList.toggle('hidden',q&&r.dataset.search.toLowerCase().indexOf(q)<0);});
  });
})();
"""


def _page(title: str, body: str, script: str) -> str:
    """A self-contained page (no external file, font or script). Its Content-Security-Policy lets
    only its own script run (by hash) and loads nothing: text that got past the escaping could
    still neither run nor fetch anything."""
    from . import __version__

    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
              "base-uri 'none'; form-action 'none'")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="reportmine {__version__}">
<title>{html.escape(title)}</title><style>{CSS}</style></head>
<body>
{body}
<script>{script}</script>
</body></html>
"""


def _status(audit: AuditDocument) -> str:
    document = audit.document
    if document.error:
        return "error"
    if document.skipped:
        return "skipped"
    if audit.original is None:
        return "text missing"
    return "check" if audit.problems or audit.mismatched else "ok"


def _legend() -> str:
    chips = "".join(f'<span class="chip k-{kind}">{kind}</span>' for kind in KINDS)
    return (f'<span class="legend">{chips}<span class="chip" style="background:var(--warn)">warning</span>'
            '<span class="note">dotted: no indicator · faded: repeated mention · outlined red: offsets do not '
            "hold the text</span></span>")


def document_page_name(number: int) -> str:
    """The file name of the number-th document's page (number 0-based, the name 1-based as the index counts)."""
    return f"{number + 1}.html"


def render_document(audit: AuditDocument, number: int = 0, total: int = 1, index_href: str = "../index.html",
                    title: Optional[str] = None, names: Optional[dict] = None, lexicons=None) -> str:
    """The page of one document (the number-th of total, 0-based): its text with every metric
    highlighted at its offsets (hover for value, unit, object, action, indicator and the rules'
    evidence), the table of its metrics and its warnings. An HTML page is shown as the text read
    from it (see Shown), never as its markup."""
    names = indicator_names(lexicons) if names is None else names
    document = audit.document
    shown = audit.shown()
    if shown is not None:
        body = (f'<div class="cols"><div>{_document_text_html(audit, names)}</div>'
                f'<div class="side">{_metrics_table_html(audit, names)}</div></div>')
    else:
        body = f'<div class="side">{_metrics_table_html(audit, names)}</div>'
    if shown is not None and shown.rendered:
        note = ("An HTML page, shown as the text reportmine read from it: markup, scripts, styles and page chrome "
                "dropped, entities decoded, table cells after tabs, blank lines folded. The offsets in the table "
                "index the page's source, as in the results files.")
    else:
        note = "The document's text as decoded, the text the offsets index: a highlight is original[start:end]."
    links = [f'<a href="{_attr(index_href)}">index</a>']
    if number > 0:
        links.append(f'<a rel="prev" href="{document_page_name(number - 1)}">‹ previous</a>')
    if number + 1 < total:
        links.append(f'<a rel="next" href="{document_page_name(number + 1)}">next ›</a>')
    heading = html.escape(document.title) if document.title else ""
    where = " · " + html.escape(document.path) if document.path else ""
    return _page(f"{number + 1}. {document.doc} · {title or 'reportmine audit'}", f"""<header class="top">
<nav>{" · ".join(links)}</nav><span>{number + 1} / {total}</span>{_legend()}</header>
<main>
<section class="doc" id="doc-{number}" data-doc="{_attr(document.doc)}">
<h2>{number + 1}. {html.escape(document.doc)} <span class="meta">{heading}</span></h2>
<div class="meta">{_meta_line(document)} · {len(document.metrics)} metrics · {_status(audit)}{where}</div>
<p class="note">{note} Hover a highlight or a row to see the other; click to jump.</p>
{_warnings_html(audit)}{body}</section>
</main>
<div id="tip"></div>""", DOCUMENT_SCRIPT)


def render_index(audits: Sequence, pages_href: str = "docs", title: Optional[str] = None) -> str:
    """The index page: one row per document (the link to its page, its title, bureau, year,
    genre, format, counts and status) and a filter. It holds no document text, so it stays small:
    a few hundred bytes a document."""
    title = title or "reportmine audit"
    n_metrics = sum(len(a.document.metrics) for a in audits)
    n_warnings = sum(len(a.document.warnings) for a in audits)
    statuses: dict = {}
    rows = []
    folder = urllib.parse.quote(pages_href.rstrip("/"))
    for number, audit in enumerate(audits):
        document = audit.document
        status = _status(audit)
        statuses[status] = statuses.get(status, 0) + 1
        label = document.title or ""
        label = label if len(label) <= 40 else label[:39] + "…"
        search = " ".join(str(x) for x in (document.doc, document.bureau, document.region, document.year,
                                           document.genre, label, status) if x)
        rows.append(
            f'<tr data-search="{_attr(search)}"><td class="n">{number + 1}</td>'
            f'<td><a href="{folder}/{document_page_name(number)}">{html.escape(document.doc)}</a></td>'
            f"<td>{html.escape(label)}</td>"
            f"<td>{html.escape(document.bureau or '')}</td><td>{document.year or ''}</td>"
            f"<td>{html.escape(document.genre or '')}</td><td>{html.escape(document.format or '')}</td>"
            f"<td>{html.escape(document.encoding or '')}</td>"
            f'<td class="num">{len(document.metrics)}</td><td class="num">{len(document.warnings)}</td>'
            f"<td{'' if status == 'ok' else ' class=flag'}>{status}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("#", "document", "title", "bureau", "year", "genre", "format",
                                               "encoding", "metrics", "warnings", "status"))
    counted = " · ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    return _page(title, f"""<header class="top"><h1>{html.escape(title)}</h1>
<span>{len(audits)} documents · {n_metrics} metrics · {n_warnings} warnings · {counted}</span>
<input id="filter" type="search" placeholder="filter documents (name, bureau, year, status)"></header>
<main>
<p class="note">One page per document: its text with every metric highlighted at its offsets, the table of its
metrics (value, unit, object, action, indicator; hover a highlight for the rule that decided each field) and its
warnings. HTML pages are shown as the text read from them, not as their markup.</p>
<table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>
</main>""", INDEX_SCRIPT)


# the file in a pages folder that says reportmine wrote it: a folder without it is never replaced
PAGES_MARK = ".reportmine-report"


def report_layout(output) -> tuple:
    """(index page, folder of the document pages) for `-o`: report.html -> report.html and
    report_files/; a folder (an existing one, or a path without a suffix) -> folder/index.html
    and folder/docs/. ValueError for another suffix, or when the pages folder exists and was not
    written by reportmine report (it would be replaced)."""
    output = Path(output)
    if output.is_dir() or not output.suffix:
        index, pages = output / "index.html", output / "docs"
    elif output.suffix.lower() in (".html", ".htm"):
        index, pages = output, output.with_name(output.stem + "_files")
    else:
        raise ValueError(f"{output}: name the report's index page .html, or name a folder (no suffix)")
    if pages.exists() and not (pages / PAGES_MARK).is_file() and (not pages.is_dir() or any(pages.iterdir())):
        raise ValueError(f"{pages} exists and was not written by reportmine report: move it, or choose another -o")
    return index, pages


def write_report(audits: Sequence, output, title: Optional[str] = None, lexicons=None) -> Path:
    """Write the index page and one page per document (where: report_layout); returns the index.
    The pages are written to a new folder that replaces the old one only once all are written, and
    the index is then replaced whole: an interrupted run leaves the previous report as it was, and
    no page of an earlier, longer report is left behind. A pages folder that reportmine did not
    write (it lacks PAGES_MARK) is never replaced."""
    index, pages = report_layout(output)
    index.parent.mkdir(parents=True, exist_ok=True)
    names = indicator_names(lexicons)
    partial, old = pages.with_name(pages.name + ".partial"), pages.with_name(pages.name + ".old")
    for leftover in (partial, old):
        if leftover.is_dir() and (leftover / PAGES_MARK).is_file():
            shutil.rmtree(leftover)
    partial.mkdir()
    (partial / PAGES_MARK).write_text("the pages of a report written by reportmine report; the next one replaces "
                                      "this folder whole\n", encoding="utf-8")
    back = os.path.relpath(index, pages).replace(os.sep, "/")
    for number, audit in enumerate(audits):
        page = render_document(audit, number, len(audits), index_href=back, title=title, names=names)
        (partial / document_page_name(number)).write_text(page, encoding="utf-8")
    if pages.exists():
        os.replace(pages, old)
    os.replace(partial, pages)
    front = os.path.relpath(pages, index.parent).replace(os.sep, "/")
    written = index.with_name(index.name + ".partial")
    written.write_text(render_index(audits, pages_href=front, title=title), encoding="utf-8")
    os.replace(written, index)
    if old.exists():
        shutil.rmtree(old)
    return index


# ---- the terminal view -----------------------------------------------------------------------
KIND_STYLES = {"count": "black on #cfe4ff", "money": "black on #ffe08a", "rate": "black on #c9f0c2",
               "measure": "black on #e6d6ff"}
WARNING_STYLE = "bold white on red"


def normalized_span(normalized, start: int, end: int) -> Optional[tuple]:
    """An ORIGINAL span -> the span of the normalized text it became (None if it was dropped)."""
    span = (start, end)
    for mapping in normalized.offsets.maps:
        span = mapping.input_span_to_output(*span)
        if span is None:
            return None
    return span


def _labelled_text(text: str, spans: list, labels: list, warning_spans: list):
    """rich Text of `text` with spans styled and each label put right after its span."""
    from rich.text import Text

    inserts: dict = {}
    for (start, end), (label, _) in zip(spans, labels):
        if end is not None:
            inserts.setdefault(end, []).append(label)
    shifts = sorted(inserts.items())
    pieces, cursor = [], 0
    for position, names in shifts:
        pieces.append((text[cursor:position], None))
        for name in names:
            pieces.append((name, "dim"))
        cursor = position
    pieces.append((text[cursor:], None))

    def moved(index: int) -> int:  # where character `index` of text ends up
        return index + sum(len(n) for position, names in shifts if position <= index for n in names)

    rich_text = Text()
    for piece, style in pieces:
        rich_text.append(piece, style=style)
    for (start, end), (_, style) in zip(spans, labels):
        if start is None:
            continue
        rich_text.stylize(style, moved(start), moved(end - 1) + 1)
    for start, end in warning_spans:
        rich_text.stylize(WARNING_STYLE, moved(start), moved(end - 1) + 1)
    return rich_text


def show_document(path, console=None, original: bool = False, text: bool = True, pipeline=None) -> Document:
    """Print a document with its metrics highlighted and numbered, then their table and the
    warnings. original=True shows the decoded original text (the one offsets index) instead of
    the normalized one."""
    from rich.console import Console
    from rich.table import Table

    from .normalize import normalize
    from .pipeline import default_pipeline

    path = Path(path)
    console = console or Console()
    pipeline = pipeline or default_pipeline()
    document = pipeline.extract_file(path)
    names = indicator_names(pipeline.lexicons)
    meta = " · ".join(str(p) for p in (document.bureau, document.region, document.region_code, document.year,
                                       document.genre, document.date, document.encoding, document.script) if p)
    console.rule(f"[bold]{document.doc}[/bold]")
    if document.title:
        console.print(f"[bold]{document.title}[/bold]", highlight=False)
    if meta:
        console.print(meta, highlight=False)
    if document.error or document.skipped:
        console.print(f"[red]error:[/red] {document.error}" if document.error else f"[yellow]not read:[/yellow] {document.skipped}",
                      highlight=False)
        return document
    read = read_path(path)
    source = read.text
    metrics = document.metrics
    labels = [(f"[{i + 1}]", KIND_STYLES.get(m.kind, "reverse")) for i, m in enumerate(metrics)]
    if text:
        if original:
            shown = source
            spans = [(m.start, m.end) for m in metrics]
            warning_spans = [(w.start, w.end) for w in document.warnings if w.start is not None and w.end is not None]
        else:
            normalized = normalize(read.reading_text or source, pipeline.lexicons, is_html=read.is_html)
            shown = normalized.text
            spans = [normalized_span(normalized, m.start, m.end) or (None, None) for m in metrics]
            warning_spans = list(normalized.corrupt)
        console.print(_labelled_text(shown, spans, labels, warning_spans), highlight=False)
        console.print()
    table = Table(title=f"{len(metrics)} metrics (value: ≈ about, ≥ at least, ≤ at most; offsets index the original text)")
    for column, justify in (("#", "right"), ("text", "left"), ("value", "right"), ("unit", "left"),
                            ("kind", "left"), ("object", "left"), ("action", "left"),
                            ("Δ", "left"), ("period", "left"), ("indicator", "left"), ("offsets", "right"),
                            ("evidence", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for index, metric in enumerate(metrics):
        indicator = metric.indicator or ""
        offsets = f"{metric.start}-{metric.end}" + (f"\nrepeat of {metric.repeat_of}" if metric.repeat_of is not None else "")
        table.add_row(str(index + 1), f"[{KIND_STYLES.get(metric.kind, '')}]{_markup_escape(metric.text)}[/]",
                      format_value(metric), metric.unit, metric.kind, metric.object, metric.action,
                      CHANGE_SIGNS.get(metric.change, "") if metric.change else "", metric.period or "", indicator,
                      offsets, _markup_escape("\n".join(evidence_lines(metric))), style="dim" if metric.repeat_of is not None else None)
    console.print(table)
    if document.warnings:
        warnings = Table(title="warnings")
        for column in ("code", "message", "offsets"):
            warnings.add_column(column, overflow="fold")
        for warning in document.warnings:
            where = f"{warning.start}-{warning.end}" if warning.start is not None else ""
            warnings.add_row(warning.code, _markup_escape(warning.message), where)
        console.print(warnings)
    return document


def _markup_escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# ---- matplotlib and Chinese labels -----------------------------------------------------------
CJK_FONT_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")


def cjk_font_path() -> Path:
    """A CJK font file shipped by a Python package (mplfonts: Noto Sans CJK SC); the notebooks
    extra installs it."""
    try:
        import mplfonts
    except ImportError as exc:
        raise ImportError('no CJK font package: pip install -e ".[notebooks]" (it brings mplfonts, '
                          "which ships Noto Sans CJK SC)") from exc
    folder = Path(mplfonts.__file__).parent / "fonts"
    for name in CJK_FONT_FILES:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"no CJK font in {folder}")


def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default sans-serif; returns its
    family name. Chinese labels then render without tofu boxes."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family] + [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family

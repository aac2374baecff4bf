"""Records -> pandas tables and files (JSONL, CSV, Parquet)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .records import Document

# document fields written on every metric row, so a results file stands on its own
JOINED_DOCUMENT_FIELDS = ["bureau", "region", "region_code", "year", "date", "genre", "title"]
DOCUMENT_COLUMNS = ["doc", "path", "sha256", "encoding", "script", "title", "bureau", "region", "region_code",
                    "year", "date", "genre", "n_chars", "error"]
METRIC_COLUMNS = ["doc", "start", "end", "text", "value", "value_max", "unit", "kind", "qualifier", "object",
                  "action", "change", "period", "indicator", "indicator_source", "status", "extractor", "confidence",
                  "sentence", "repeat_of", "breakdown"]
FORMATS = (".jsonl", ".csv", ".parquet")


def metric_rows(document: Document, joined: bool = True) -> list[dict]:
    """One dict per metric; with joined, the document's bureau, region, year ... added (prefixed doc_)."""
    rows = [metric.model_dump(mode="json") for metric in document.metrics]
    if joined:
        extra = {f"doc_{field}": getattr(document, field) for field in JOINED_DOCUMENT_FIELDS}
        for row in rows:
            row.update(extra)
    return rows


def metric_rows_from_json(document: dict) -> list[dict]:
    """metric_rows for a Document already in JSON form (the batch journal): no model round trip."""
    extra = {f"doc_{field}": document.get(field) for field in JOINED_DOCUMENT_FIELDS}
    return [{**metric, **extra} for metric in document["metrics"]]


def document_row_from_json(document: dict) -> dict:
    row = {key: value for key, value in document.items() if key != "metrics"}
    row["n_metrics"] = len(document["metrics"])
    return row


def to_frame(documents: Iterable[Document]) -> pd.DataFrame:
    """One row per metric, with its document's fields joined."""
    rows = []
    for document in documents:
        meta = {column: getattr(document, column) for column in DOCUMENT_COLUMNS if column != "doc"}
        for row in metric_rows(document, joined=False):
            row.update(meta)
            rows.append(row)
    columns = METRIC_COLUMNS + [c for c in DOCUMENT_COLUMNS if c != "doc"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame


def documents_frame(documents: Iterable[Document]) -> pd.DataFrame:
    rows = [document.summary_row() for document in documents]
    return pd.DataFrame(rows)


def check_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    return suffix


class RowWriter:
    """Streams rows to a JSONL, CSV or Parquet file in chunks, so memory does not grow with the
    number of rows. Columns are fixed by the first chunk (or given)."""

    def __init__(self, path: Path, columns=None, chunk_rows: int = 5000, json_columns=None):
        """json_columns: the columns whose lists or dicts are written as JSON text; None looks at
        every value (a metric row holds none, and looking costs the writing process a third of
        its time)."""
        self.path = Path(path)
        self.suffix = check_format(self.path)
        self.columns = columns
        self.json_columns = json_columns
        self.chunk_rows = chunk_rows
        self.buffer: list[dict] = []
        self.handle = None
        self.parquet = None
        self.csv_header_written = False

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.suffix in (".jsonl", ".csv"):
            self.handle = open(self.path, "w", encoding="utf-8", newline="")
        return self

    def write_many(self, rows) -> None:
        if self.suffix == ".jsonl":
            for row in rows:
                self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        self.buffer.extend(rows)
        if len(self.buffer) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer and (self.suffix != ".parquet" or self.parquet is not None):
            return
        rows, self.buffer = self.buffer, []
        if self.columns is None:
            self.columns = list(dict.fromkeys(key for row in rows[:1] for key in row))
        for row in rows:
            for key in row if self.json_columns is None else self.json_columns:
                value = row.get(key)
                if isinstance(value, (list, dict)):  # a document's warnings: JSON text in a table cell
                    row[key] = json.dumps(value, ensure_ascii=False)
        if self.suffix == ".csv":
            pd.DataFrame(rows, columns=self.columns).to_csv(self.handle, index=False, header=not self.csv_header_written)
            self.csv_header_written = True
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        # straight from the rows to Arrow (through pandas it took 50 us a row, most of the
        # writing process's time)
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.path, self._schema(rows))
        self.parquet.write_table(pa.Table.from_pylist(rows, schema=self.parquet.schema))

    def _schema(self, rows):
        # one schema for every chunk: known numeric columns are fixed (a value may be 3 in one row
        # and 2.5 in the next), a column that is all-null in the first chunk must not be typed null
        import pyarrow as pa

        fields = []
        for column in self.columns:
            known = KNOWN_TYPES.get(column)
            if known is None:
                inferred = pa.array([row.get(column) for row in rows]).type
                known = pa.string() if pa.types.is_null(inferred) else inferred
            fields.append(pa.field(column, known))
        return pa.schema(fields)

    def __exit__(self, *exc):
        self._flush()
        if self.suffix == ".csv" and not self.csv_header_written and self.columns:
            pd.DataFrame(columns=self.columns).to_csv(self.handle, index=False)  # no rows: header only
        if self.handle is not None:
            self.handle.close()
        if self.parquet is not None:
            self.parquet.close()
        return False


def _known_types():
    import pyarrow as pa

    floats = ["value", "value_max", "confidence"]
    ints = ["start", "end", "repeat_of", "year", "doc_year", "n_chars", "n_metrics"]
    return {**{c: pa.float64() for c in floats}, **{c: pa.int64() for c in ints}}


class _LazyTypes(dict):
    def get(self, key, default=None):
        if not self:
            self.update(_known_types())
        return super().get(key, default)


KNOWN_TYPES = _LazyTypes()


def write_rows(rows: list[dict], path: Path, columns=None) -> None:
    """Write rows in the format named by the file's extension."""
    with RowWriter(path, columns) as writer:
        writer.write_many(rows)


# the panel lives in bureau_panel.py; reportmine.panel and aggregate.panel stay its public names
from .bureau_panel import panel  # noqa: E402,F401

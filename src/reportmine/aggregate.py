"""Records -> pandas tables and files (JSONL, CSV, Parquet), written and read back exactly.

Every column has one type (COLUMN_TYPES, from the pydantic records), used the same way by every
format, so that a file read back with read_table() equals what was written:
- int: JSON integers, CSV digits (never 16.0), Parquet int64 read by pandas as Int64;
- decimal (value, value_max): the exact digits as parsed, a JSON number, CSV text, Parquet
  decimal128(38, 17) (pandas: Decimal objects; .astype(float) to plot);
- float (confidence), bool (breakdown), str, and json (a document's warnings: JSON text in a cell).
CSV files start with a BOM (Excel then reads UTF-8) and guard text cells against formulas: a text
cell that begins with = + - @, a tab or a carriage return (or with ') is written with a leading ',
which read_table removes.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import typing
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional

if typing.TYPE_CHECKING:
    import pandas as pd

from .records import VALUE_SCALE, Document, Evidence, Metric, Warning_, exact_decimal_text

# document fields written on every metric row, so a results file stands on its own
JOINED_DOCUMENT_FIELDS = ["path", "bureau", "region", "region_code", "year", "date", "genre", "title"]
METRIC_COLUMNS = list(Metric.model_fields)
METRIC_FILE_COLUMNS = METRIC_COLUMNS + [f"doc_{f}" for f in JOINED_DOCUMENT_FIELDS]
DOCUMENT_COLUMNS = [f for f in Document.model_fields if f != "metrics"] + ["status", "n_metrics", "n_warnings"]
# the document fields to_frame joins to each metric row (without a prefix)
FRAME_DOCUMENT_COLUMNS = ["path", "sha256", "encoding", "script", "title", "bureau", "region", "region_code",
                          "year", "date", "genre", "n_chars", "error"]
FORMATS = (".jsonl", ".csv", ".parquet")
PARTIAL_SUFFIX = ".partial"
# a cell a spreadsheet would run as a formula (OWASP "CSV injection"); ' itself is guarded too, so
# that removing one leading ' on reading is exact
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _field_type(annotation) -> tuple[str, bool]:
    """(column type, nullable) of a pydantic field annotation."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    nullable = typing.get_origin(annotation) is typing.Union and len(args) < len(typing.get_args(annotation))
    if nullable:
        annotation = args[0]
    if annotation is bool:
        return "bool", nullable
    if annotation is int:
        return "int", nullable
    if annotation is float:
        return "float", nullable
    if annotation is Decimal:
        return "decimal", nullable
    if typing.get_origin(annotation) in (list, dict):
        return "json", nullable
    return "str", nullable


def _column_types() -> dict:
    types = {}
    for model, prefix in ((Metric, ""), (Document, ""), (Document, "doc_")):
        for name, field in model.model_fields.items():
            if name != "metrics":
                types[prefix + name] = _field_type(field.annotation)
    types.update({"status": ("str", False), "n_metrics": ("int", False), "n_warnings": ("int", False)})
    # the same field on a metric row is null when the document lacks it
    for name in JOINED_DOCUMENT_FIELDS:
        types[f"doc_{name}"] = (types[f"doc_{name}"][0], True)
    return types


COLUMN_TYPES = _column_types()  # column -> (type, nullable)


def metric_rows(document: Document, joined: bool = True) -> list[dict]:
    """One dict per metric (values as Decimal); with joined, the document's fields (doc_path,
    doc_bureau, doc_year ...) added."""
    rows = [metric.model_dump() for metric in document.metrics]
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
    row["n_warnings"] = len(document.get("warnings") or ())
    return row


def to_frame(documents: Iterable[Document]) -> pd.DataFrame:
    """One row per metric, with its document's fields (path, bureau, year ...) joined; typed as
    read_table types a results file (Int64 integers, Decimal values)."""
    rows = []
    for document in documents:
        meta = {column: getattr(document, column) for column in FRAME_DOCUMENT_COLUMNS}
        for row in metric_rows(document, joined=False):
            row.update(meta)
            rows.append(row)
    return typed_frame(rows, METRIC_COLUMNS + FRAME_DOCUMENT_COLUMNS)


def documents_frame(documents: Iterable[Document]) -> pd.DataFrame:
    """One row per document (no metrics), as the --documents file holds."""
    return typed_frame([document.summary_row() for document in documents], DOCUMENT_COLUMNS)


# ---- the JSON Schema of a row ------------------------------------------------------------
JSON_TYPES = {"int": "integer", "decimal": "number", "float": "number", "bool": "boolean", "str": "string"}
EXTRA_DESCRIPTIONS = {"status": "ok, error or skipped: every file found has one row with one of these",
                      "n_metrics": "how many metrics the document gave",
                      "n_warnings": "how many warnings it has (the warnings column lists them)"}


def _property(name: str, table: str) -> dict:
    kind, nullable = COLUMN_TYPES[name]
    # a document row's status (ok, error, skipped) is not a metric's (outcome, target ...)
    model, field_name = (Document, name[4:]) if name.startswith("doc_") else \
        ((Metric, name) if table == "metrics" and name in Metric.model_fields else (Document, name))
    field = model.model_fields.get(field_name)
    description = field.description if field is not None else EXTRA_DESCRIPTIONS[name]
    if name.startswith("doc_"):
        description = f"the document's field {field_name}: {description}"
    if kind == "json" and name == "evidence":
        schema = {"type": "object", "additionalProperties": Evidence.model_json_schema()}
    elif kind == "json" and name.removeprefix("doc_") == "provenance":
        schema = {"type": "object", "additionalProperties": {"type": "string"}}
    elif kind == "json":
        schema = {"type": "array", "items": Warning_.model_json_schema()}
    else:
        schema = {"type": JSON_TYPES[kind]}
        choices = typing.get_args(field.annotation) if field is not None else ()
        literal = [a for a in choices if typing.get_origin(a) is typing.Literal] or \
            ([field.annotation] if field is not None and typing.get_origin(field.annotation) is typing.Literal else [])
        if literal:
            schema["enum"] = list(typing.get_args(literal[0]))
    if nullable:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = schema["enum"] + [None]
    if kind == "decimal":
        description += " (written with every digit; at most 17 decimal places)"
    return {**schema, "description": description}


def row_schema(table: str = "metrics") -> dict:
    """The JSON Schema (2020-12) of one row of a metrics or documents file, from the records'
    own fields, so that it cannot drift from what is written."""
    columns = METRIC_FILE_COLUMNS if table == "metrics" else DOCUMENT_COLUMNS
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"reportmine {table} row",
            "type": "object",
            "properties": {name: _property(name, table) for name in columns},
            "required": list(columns),
            "additionalProperties": False}


# ---- typed frames ------------------------------------------------------------------------
def _missing(value) -> bool:
    """None, NaN or pandas' NA. pandas is imported by the frame functions only (writing JSONL or
    CSV needs none of it, and it costs a third of a second to start): while it is not imported, no
    value can be its NA."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    if type(value) in _PLAIN:
        return False  # (most cells: no pandas look-up)
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NA


_PLAIN = frozenset((str, int, bool, Decimal, dict, list))


PANDAS_DTYPES = {"int": "Int64", "float": "float64", "bool": "boolean", "decimal": object, "str": "str", "json": "str"}


def _infer_type(values) -> tuple[str, bool]:
    """The type of a column this module does not know (the panel's indicators), from its values."""
    kinds = set()
    for value in values:
        if _missing(value):
            continue
        if isinstance(value, bool):
            kinds.add("bool")
        elif isinstance(value, int):
            kinds.add("int")
        elif isinstance(value, Decimal):
            kinds.add("decimal")
        elif isinstance(value, float):
            kinds.add("float")
        elif isinstance(value, (list, dict)):
            kinds.add("json")
        else:
            kinds.add("str")
    if kinds <= {"int", "decimal"} and "decimal" in kinds:
        return "decimal", True
    if kinds == {"int", "float"}:
        return "float", True
    return (kinds.pop() if len(kinds) == 1 else "str"), True


def column_type(name: str, values=()) -> tuple[str, bool]:
    return COLUMN_TYPES.get(name) or _infer_type(values)


def _to_python(kind: str, value):
    """A cell as the Python value of its column type (Decimal for decimals), None when missing."""
    if _missing(value):
        return None
    if kind == "decimal":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind == "int":
        return int(value)
    if kind == "json" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def typed_frame(rows: list, columns: list) -> pd.DataFrame:
    """A DataFrame of rows with each column's pandas dtype (Int64, boolean, Decimal objects ...)."""
    import pandas as pd

    data = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        kind, _ = column_type(name, values)
        converted = [_to_python(kind, value) for value in values]
        if kind == "decimal":
            data[name] = pd.Series(converted, dtype=object)
        else:
            data[name] = pd.Series(converted, dtype=PANDAS_DTYPES[kind])
    return pd.DataFrame(data, columns=columns)


def read_table(path: os.PathLike) -> pd.DataFrame:
    """A file written by reportmine (metrics, documents or panel; JSONL, CSV or Parquet) as a
    typed DataFrame: integers Int64, values exact Decimals, CSV formula guards removed. Reading the
    same rows from any of the three formats gives equal frames."""
    import pandas as pd

    path = Path(path)
    suffix = check_format(path)
    if suffix == ".jsonl":
        with open(path, encoding="utf-8") as handle:
            # parse_float=Decimal: the digits as written, not the nearest float
            rows = [json.loads(line, parse_float=Decimal) for line in handle if line.strip()]
        columns = list(dict.fromkeys(key for row in rows[:1] for key in row))
        return typed_frame(rows, columns)
    if suffix == ".csv":
        text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        rows = []
        types = {name: column_type(name) if name in COLUMN_TYPES else None for name in text.columns}
        for record in text.to_dict("records"):
            rows.append({name: _from_csv_cell(types[name], cell) for name, cell in record.items()})
        return typed_frame(rows, list(text.columns))
    frame = pd.read_parquet(path)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return typed_frame(rows, list(frame.columns))


def _from_csv_cell(known: Optional[tuple], cell: str):
    if known is None:  # a column of the panel: numbers where they parse, else text
        if cell == "":
            return None
        try:
            return int(cell)
        except ValueError:
            pass
        try:
            return Decimal(cell) if cell.lstrip("-")[:1].isdigit() else _unguarded(cell)
        except ArithmeticError:
            return _unguarded(cell)
    kind, nullable = known
    if cell == "" and (nullable or kind != "str"):
        return None
    if kind == "bool":
        return cell == "True"
    if kind in ("str", "json"):
        return _unguarded(cell)
    return cell


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def check_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    return suffix


# ---- writing -----------------------------------------------------------------------------
def _json_cell(kind: str, value) -> str:
    if _missing(value):
        return "null"
    if kind == "decimal":
        # the journal holds values as exact strings; a Decimal comes from the library
        return exact_decimal_text(value if isinstance(value, Decimal) else Decimal(str(value)))
    if kind == "int":
        return str(int(value))
    if kind == "bool":
        return "true" if value else "false"
    if kind == "json" and isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _csv_cell(kind: str, value) -> str:
    if _missing(value):
        return ""
    if kind == "decimal":
        return exact_decimal_text(value if isinstance(value, Decimal) else Decimal(str(value)))
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return repr(float(value))
    if kind == "bool":
        return "True" if value else "False"
    if kind == "json" and not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _arrow_type(kind: str):
    import pyarrow as pa

    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string(), "json": pa.string(),
            "decimal": pa.decimal128(38, VALUE_SCALE)}[kind]


def _arrow_cell(kind: str, value):
    value = _to_python(kind, value)
    if kind == "str" and value is not None and not isinstance(value, str):
        return str(value)
    return value


class RowWriter:
    """Streams rows to a JSONL, CSV or Parquet file in chunks, so memory does not grow with the
    number of rows. Columns are fixed by the first chunk (or given), and so are their types.

    The rows go to PATH.partial, which replaces PATH only when the writer closes without an
    error (after an fsync): an interrupted run never leaves a half-written file under the
    final name, nor destroys the file an earlier run wrote there."""

    def __init__(self, path: Path, columns=None, chunk_rows: int = 5000):
        self.path = Path(path)
        self.suffix = check_format(self.path)
        self.partial = self.path.with_name(self.path.name + PARTIAL_SUFFIX)
        self.columns = columns
        self.types = None
        self.chunk_rows = chunk_rows
        self.buffer: list[dict] = []
        self.handle = None
        self.csv = None
        self.parquet = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.suffix == ".jsonl":
            self.handle = open(self.partial, "w", encoding="utf-8", newline="")
        elif self.suffix == ".csv":
            # utf-8-sig: the BOM tells Excel the file is UTF-8 (without it, Chinese is mojibake)
            self.handle = open(self.partial, "w", encoding="utf-8-sig", newline="")
            self.csv = csv.writer(self.handle, lineterminator="\n")
        return self

    def write_many(self, rows) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.chunk_rows:
            self._flush()

    def _fix_columns(self, rows) -> None:
        if self.columns is None:
            self.columns = list(dict.fromkeys(key for row in rows[:1] for key in row))
        self.types = [column_type(name, [row.get(name) for row in rows])[0] for name in self.columns]
        if self.suffix == ".jsonl":
            self.keys = [json.dumps(name, ensure_ascii=False) + ":" for name in self.columns]
        elif self.suffix == ".csv":
            self.csv.writerow([_csv_cell("str", name) for name in self.columns])

    def _flush(self) -> None:
        rows, self.buffer = self.buffer, []
        if self.types is None:
            if not rows and self.columns is None:
                return
            self._fix_columns(rows)
        if self.suffix == ".jsonl":
            pairs = list(zip(self.columns, self.keys, self.types))
            self.handle.writelines("{" + ",".join(key + _json_cell(kind, row.get(name)) for name, key, kind in pairs)
                                   + "}\n" for row in rows)
        elif self.suffix == ".csv":
            pairs = list(zip(self.columns, self.types))
            self.csv.writerows([_csv_cell(kind, row.get(name)) for name, kind in pairs] for row in rows)
        else:
            self._write_parquet(rows)

    def _write_parquet(self, rows) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.partial, self._schema())
        # straight from the rows to Arrow, column by column (through pandas it took 50 us a row)
        arrays = [pa.array([_arrow_cell(kind, row.get(name)) for row in rows], type=_arrow_type(kind))
                  for name, kind in zip(self.columns, self.types)]
        self.parquet.write_table(pa.Table.from_arrays(arrays, schema=self.parquet.schema))

    def _schema(self):
        import pandas as pd
        import pyarrow as pa

        # pandas' own metadata, so that pandas.read_parquet gives Int64 (not float64 with NaN for
        # a column that has nulls) and boolean; the Arrow types are this module's
        template = pd.DataFrame({name: pd.Series([], dtype=PANDAS_DTYPES[kind])
                                 for name, kind in zip(self.columns, self.types)})
        metadata = pa.Schema.from_pandas(template, preserve_index=False).metadata
        return pa.schema([pa.field(name, _arrow_type(kind)) for name, kind in zip(self.columns, self.types)],
                         metadata=metadata)

    def __exit__(self, exc_type, *exc):
        try:
            if exc_type is None:
                self._flush()
                if self.types is None and self.columns:  # no rows: a header, an empty table
                    self._fix_columns([])
                    if self.suffix == ".parquet":
                        self._write_parquet([])
        finally:
            if self.handle is not None:
                self.handle.flush()
                if exc_type is None:
                    os.fsync(self.handle.fileno())
                self.handle.close()
            if self.parquet is not None:
                self.parquet.close()
        if exc_type is None:
            if self.suffix == ".parquet" and self.parquet is not None:
                with open(self.partial, "rb") as handle:
                    os.fsync(handle.fileno())
            if self.partial.exists():
                os.replace(self.partial, self.path)
        else:
            self.partial.unlink(missing_ok=True)
        return False


def write_rows(rows: list[dict], path: Path, columns=None) -> None:
    """Write rows in the format named by the file's extension."""
    with RowWriter(path, columns) as writer:
        writer.write_many(rows)


def __getattr__(name):
    # the panel lives in bureau_panel.py; reportmine.panel and aggregate.panel stay its public names
    # (imported on first use: it needs pandas, which writing rows does not)
    if name == "panel":
        from .bureau_panel import panel

        return panel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

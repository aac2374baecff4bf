"""Records -> pandas tables and files (JSONL, CSV, Parquet)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .records import Document

DOCUMENT_COLUMNS = ["doc", "path", "sha256", "encoding", "script", "title", "bureau", "region", "region_code",
                    "year", "date", "genre", "n_chars", "error"]
METRIC_COLUMNS = ["doc", "start", "end", "text", "value", "value_max", "unit", "kind", "qualifier", "object",
                  "action", "change", "period", "indicator", "extractor", "confidence", "sentence", "repeat_of"]
FORMATS = (".jsonl", ".csv", ".parquet")


def metric_rows(document: Document) -> list[dict]:
    return [metric.model_dump(mode="json") for metric in document.metrics]


def to_frame(documents: Iterable[Document]) -> pd.DataFrame:
    """One row per metric, with its document's fields joined (document fields prefixed doc_ when
    they clash: none do today)."""
    rows = []
    for document in documents:
        meta = {column: getattr(document, column) for column in DOCUMENT_COLUMNS if column != "doc"}
        for row in metric_rows(document):
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


def write_rows(rows: list[dict], path: Path, columns=None) -> None:
    """Write rows in the format named by the file's extension."""
    path = Path(path)
    suffix = check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, (list, dict))).any():
            frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8")
    else:
        frame.to_parquet(path, index=False)

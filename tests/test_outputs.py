"""The output files: exact values, integer columns, files Excel opens safely, a schema that
matches the rows, and the same frame read back from every format."""
import csv
import json
from decimal import Decimal

import pandas as pd
import pytest
from typer.testing import CliRunner

import reportmine
from reportmine.aggregate import read_table, row_schema
from reportmine.batch import run_batch
from reportmine.cli import app

FORMATS = (".jsonl", ".csv", ".parquet")
# 2^53 + 1 is no float; 99.9999999999999999 as a float is 100.0
EXACT = "2022年工作总结\n投资9007199254740993元。合格率99.9999999999999999%。检查企业12家，发现隐患16处。"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exact")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(EXACT, encoding="utf-8")
    (docs / "b.txt").write_text("=HYPERLINK(\"http://example.invalid\",\"点击\")\n+检查企业3家。", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    for suffix in FORMATS:
        run_batch([docs], folder / f"m{suffix}", folder / f"d{suffix}", extractor="rules")
    return folder, docs


def test_values_are_exact_in_every_format(written):
    folder, _ = written
    raw = (folder / "m.jsonl").read_text(encoding="utf-8")
    assert '"value":9007199254740993,' in raw and '"value":99.9999999999999999,' in raw
    with open(folder / "m.csv", encoding="utf-8-sig", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert values[:2] == ["9007199254740993", "99.9999999999999999"]
    import pyarrow.parquet as pq

    table = pq.read_table(folder / "m.parquet")
    assert str(table.schema.field("value").type) == "decimal128(38, 17)"
    assert table.column("value").to_pylist()[:2] == [Decimal("9007199254740993"), Decimal("99.9999999999999999")]


def test_pandas_reads_the_jsonl_numbers_as_written(written):
    folder, _ = written
    frame = pd.read_json(folder / "m.jsonl", lines=True, dtype=False, precise_float=True)
    exact = [Decimal(line.split('"value":')[1].split(",")[0])
             for line in (folder / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(frame["value"]) == [float(v) for v in exact]


def test_integers_are_never_written_as_floats(written):
    folder, _ = written
    with open(folder / "m.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["doc_year"] == "2022" and rows[0]["start"].isdigit() and rows[0]["repeat_of"] == ""
    assert not any(cell.endswith(".0") for row in rows for key, cell in row.items() if key != "confidence")
    frame = pd.read_parquet(folder / "m.parquet")  # plain pandas: the file says which columns are Int64
    assert str(frame["repeat_of"].dtype) == "Int64" and str(frame["doc_year"].dtype) == "Int64"
    assert str(pd.read_parquet(folder / "d.parquet")["year"].dtype) == "Int64"


def test_every_format_reads_back_to_the_same_typed_frame(written):
    folder, docs = written
    for table in ("m", "d"):
        frames = [read_table(folder / f"{table}{suffix}") for suffix in FORMATS]
        for other in frames[1:]:
            pd.testing.assert_frame_equal(frames[0], other)
    metrics = read_table(folder / "m.jsonl")
    assert str(metrics["start"].dtype) == "Int64" and str(metrics["breakdown"].dtype) == "boolean"
    documents = list(reportmine.extract(docs))
    expected = [m.value for d in documents for m in d.metrics]
    assert list(metrics["value"]) == expected and all(isinstance(v, Decimal) for v in metrics["value"])
    # to_frame types its columns the same way
    frame = reportmine.to_frame(documents)
    for column in ("start", "value", "repeat_of", "breakdown", "object", "year"):
        assert frame[column].dtype == metrics[column if column != "year" else "doc_year"].dtype, column


def test_csv_starts_with_a_bom_and_guards_formula_cells(written):
    folder, _ = written
    data = (folder / "m.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    with open(folder / "m.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], "a spreadsheet would run these"
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    titles = read_table(folder / "m.csv")["doc_title"]
    assert '=HYPERLINK("http://example.invalid","点击")' in set(titles)  # read_table takes the guard off


def _matches(schema: dict, value) -> bool:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    checks = {"null": value is None, "string": isinstance(value, str), "boolean": isinstance(value, bool),
              "integer": isinstance(value, int) and not isinstance(value, bool),
              "number": isinstance(value, (int, float, Decimal)) and not isinstance(value, bool),
              "array": isinstance(value, list), "object": isinstance(value, dict)}
    return any(checks[t] for t in types) and ("enum" not in schema or value in schema["enum"])


@pytest.mark.parametrize("table", ["metrics", "documents"])
def test_rows_match_the_schema_reportmine_schema_prints(written, table):
    folder, _ = written
    printed = CliRunner().invoke(app, ["schema", table])
    assert printed.exit_code == 0
    schema = json.loads(printed.output)
    assert schema == row_schema(table)
    assert schema["properties"]["value" if table == "metrics" else "n_chars"]["type"] in ("number", "integer")
    path = folder / ("m.jsonl" if table == "metrics" else "d.jsonl")
    rows = [json.loads(line, parse_float=Decimal) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert list(row) == schema["required"]
        for name, value in row.items():
            assert _matches(schema["properties"][name], value), (name, value)

import json
from decimal import Decimal

from reportmine.records import Document, Metric


def make_metric(value, value_max=None):
    return Metric(doc="d.txt", start=0, end=3, text="12家", value=value, value_max=value_max, unit="家", kind="count")


def test_values_are_written_as_json_numbers():
    row = json.loads(make_metric(Decimal("12000.0")).model_dump_json())
    assert row["value"] == 12000 and isinstance(row["value"], int)
    row = json.loads(make_metric(Decimal("670.63"), Decimal("700.5")).model_dump_json())
    assert row["value"] == 670.63 and row["value_max"] == 700.5


def test_kind_and_qualifier_are_validated():
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError):
        Metric(doc="d", start=0, end=1, text="x", value=1, unit="家", kind="amount")
    with pytest.raises(pydantic.ValidationError):
        Metric(doc="d", start=0, end=1, text="x", value=1, unit="家", kind="count", qualifier="about")


def test_document_summary_row_counts_metrics_without_listing_them():
    document = Document(doc="d.txt", metrics=[make_metric(Decimal(1))])
    row = document.summary_row()
    assert row["n_metrics"] == 1 and "metrics" not in row
    assert document.ok

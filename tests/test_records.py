import json
from decimal import Decimal

from reportmine.records import Document, Metric


def make_metric(value, value_max=None):
    return Metric(doc="d.txt", start=0, end=3, text="12家", value=value, value_max=value_max, unit="家", kind="count")


def test_values_keep_every_digit_in_json():
    # pydantic's JSON can only hold a float (99.9999999999999999 -> 100.0) or a string: the string
    # keeps the digits; the output files write them as JSON numbers (test_outputs.py)
    row = json.loads(make_metric(Decimal("12000.0")).model_dump_json())
    assert row["value"] == "12000"
    row = json.loads(make_metric(Decimal("99.9999999999999999"), Decimal("9007199254740993")).model_dump_json())
    assert (row["value"], row["value_max"]) == ("99.9999999999999999", "9007199254740993")
    assert Metric.model_validate_json(make_metric(Decimal("670.63")).model_dump_json()).value == Decimal("670.63")


def test_values_past_17_decimal_places_are_rounded_once_so_every_format_agrees():
    third = Decimal(100) / Decimal(3)  # 三分之一 as a rate: 33.33... cut at 28 digits by the parser
    assert make_metric(third).value == Decimal("33.33333333333333333")
    huge = Decimal("12345678901234567890.333333333333333333333")
    assert make_metric(huge).value == Decimal("12345678901234567890.33333333333333333")


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
    assert row["n_metrics"] == 1 and row["n_warnings"] == 0 and "metrics" not in row
    assert document.ok

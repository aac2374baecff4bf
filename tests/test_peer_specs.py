"""Microsoft Recognizers-Text's Chinese specs, run through reportmine's number and unit parser.

The spec files (MIT, Microsoft; see ../shared/peers/recognizers-text/README.md) are test data
only. Every case becomes one pytest parameter, id <Model>-<index>:

- NumberModel:    numerals found by numbers.find_numbers
- PercentModel:   QuantityScanner rates (% and 个百分点, see _ours_percent)
- CurrencyModel:  QuantityScanner money quantities
- DimensionModel: QuantityScanner measures with a length, area, weight, volume, power or
                  frequency unit

Each Input is normalized the way reportmine reads a document (full-width -> ASCII, traditional
-> simplified); both steps keep the length, so the spec's offsets stay valid. Cases that
reportmine leaves out by design are listed in peer_scope.yaml, one reason per group, and run as
strict xfails: when one starts to agree, the list must shrink.
"""
from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from reportmine.lexicons import load_lexicons
from reportmine.normalize import FULLWIDTH, to_simplified
from reportmine.numbers import QuantityScanner, find_numbers

SHARED = Path(os.environ.get("REPORTMINE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SPEC_ROOT = SHARED / "peers" / "recognizers-text" / "Specs"
SPEC_FILES = {
    "NumberModel": "Number/Chinese/NumberModel.json",
    "PercentModel": "Number/Chinese/PercentModel.json",
    "CurrencyModel": "NumberWithUnit/Chinese/CurrencyModel.json",
    "DimensionModel": "NumberWithUnit/Chinese/DimensionModel.json",
}
SCOPE_FILE = Path(__file__).with_name("peer_scope.yaml")
MIN_AGREEMENT = 0.95

# The spec's unit names -> reportmine's canonical units (lexicons/units.yaml). A spec unit that is
# missing here is one reportmine does not model; its cases are out of scope.
CURRENCY_UNITS = {"Chinese yuan": "元", "United States dollar": "美元", "Euro": "欧元",
                  "Hong Kong dollar": "港元", "Japanese yen": "日元"}
DIMENSION_UNITS = {"Jin": "斤", "Microgram": "微克", "Milligram": "毫克", "Kilometer": "公里", "Meter": "米", "Centimeter": "厘米", "Millimeter": "毫米",
                   "Square kilometer": "平方公里", "Square meter": "平方米", "Cubic meter": "立方米",
                   "Hectare": "公顷", "Mu": "亩", "Ton": "吨", "Kilogram": "公斤", "Gram": "克",
                   "Liter": "升", "Milliliter": "毫升", "Kilowatt": "千瓦", "Megawatt": "兆瓦",
                   "Watt": "瓦", "Megahertz": "兆赫", "Hertz": "赫兹"}
# reportmine's measures that are dimensions in the spec's sense (durations, temperatures and
# concentrations are other spec models and are not compared here)
DIMENSION_CANONICAL = frozenset(DIMENSION_UNITS.values()) | {"千瓦时", "千伏", "伏", "MHz", "公里/小时", "米/秒"}
# Spec values that are not exact (fractions, 1/3) are printed from doubles with 15 significant
# digits, so values agree within a relative 1e-14; exact values agree exactly.
RELATIVE_TOLERANCE = Decimal("1e-14")

_scanner = QuantityScanner(load_lexicons())


def normalized(text: str) -> str:
    """What reportmine's extractors read: full-width -> ASCII, then traditional -> simplified."""
    out = to_simplified(text.translate(FULLWIDTH))
    assert len(out) == len(text), "normalization must keep offsets"
    return out


# ---- what each side says ---------------------------------------------------------------
# A result is (start, end, value, unit). We always compare the start and the value. The end is
# compared for NumberModel only, where the span is the bare numeral on both sides; for quantities
# the spans legitimately differ after the number (reportmine's span takes in qualifiers such as
# 以上 and per-time units such as /年, the spec's takes in a trailing 人民币), so end is None there.
# The start is where the number begins (its sign included): reportmine's Quantity.start also
# takes in a qualifier before the number (近一吨), which the spec leaves outside.
def _expected(model: str, case: dict) -> list[tuple]:
    out = []
    for result in case["Results"]:
        resolution = result["Resolution"]
        raw = resolution.get("value")
        value = None if raw is None else Decimal(raw.rstrip("%"))
        if model == "NumberModel":
            out.append((result["Start"], result["End"] + 1, value, None))
        elif model == "PercentModel":
            out.append((result["Start"], None, value, None))
        elif model == "CurrencyModel":
            unit = resolution.get("unit")
            out.append((result["Start"], None, value, CURRENCY_UNITS.get(unit, unit)))
        else:
            unit = resolution.get("unit")
            out.append((result["Start"], None, value, DIMENSION_UNITS.get(unit, unit)))
    return sorted(out, key=lambda r: r[0])


def _ours(model: str, text: str) -> list[tuple]:
    if model == "NumberModel":
        return [(s.start, s.end, s.value, None) for s in find_numbers(text)]
    quantities = _scanner.scan(text)
    if model == "PercentModel":
        return _ours_percent(quantities)
    if model == "CurrencyModel":
        return sorted((q.number_start, None, q.value, q.unit) for q in quantities if q.kind == "money")
    return sorted((q.number_start, None, q.value, q.unit) for q in quantities
                  if q.kind == "measure" and q.unit in DIMENSION_CANONICAL)


def _ours_percent(quantities) -> list[tuple]:
    # The spec resolves percentage points as percentages (2.4个百分点 -> 2.4%, README); reportmine
    # keeps 个百分点 as its own unit. Both are rates whose number reads as 'value %', so both count.
    return sorted((q.number_start, None, q.value, None) for q in quantities
                  if q.kind == "rate" and q.unit in ("%", "个百分点"))


def _same(expected: tuple, ours: tuple) -> bool:
    start, end, value, unit = expected
    if (start, end, unit) != (ours[0], ours[1], ours[3]) or value is None:
        return False
    return value == ours[2] or abs(value - ours[2]) <= abs(value) * RELATIVE_TOLERANCE


def agrees(model: str, case: dict) -> tuple[bool, list, list]:
    text = normalized(case["Input"])
    expected, ours = _expected(model, case), _ours(model, text)
    same = len(expected) == len(ours) and all(_same(e, o) for e, o in zip(expected, ours))
    return same, expected, ours


# ---- the cases ---------------------------------------------------------------------------
def _load_cases() -> dict:
    cases = {}
    if not SPEC_ROOT.is_dir():
        return cases
    for model, relative in SPEC_FILES.items():
        data = json.loads((SPEC_ROOT / relative).read_text(encoding="utf-8-sig"))
        for index, case in enumerate(data):
            cases[f"{model}-{index:04d}"] = (model, case)
    return cases


def _load_scope() -> dict:
    """case id -> reason, from peer_scope.yaml (a list of {reason, cases})."""
    out = {}
    for group in yaml.safe_load(SCOPE_FILE.read_text(encoding="utf-8"))["out_of_scope"]:
        for case_id in group["cases"]:
            assert case_id not in out, f"{case_id} listed twice in {SCOPE_FILE.name}"
            out[case_id] = group["reason"]
    return out


CASES = _load_cases()
OUT_OF_SCOPE = _load_scope()
pytestmark = pytest.mark.skipif(not CASES, reason=f"Recognizers-Text specs not found at {SPEC_ROOT}")


def _params():
    params = []
    for case_id, (model, case) in CASES.items():
        marks = ()
        if case_id in OUT_OF_SCOPE:
            marks = pytest.mark.xfail(strict=True, reason=f"out of scope: {OUT_OF_SCOPE[case_id]}")
        params.append(pytest.param(model, case, id=case_id, marks=marks))
    return params


def test_scope_lists_only_real_cases():
    unknown = sorted(set(OUT_OF_SCOPE) - set(CASES))
    assert not unknown, f"{SCOPE_FILE.name} names cases the specs do not have: {unknown}"


@pytest.mark.parametrize("model, case", _params())
def test_spec_case(model, case):
    same, expected, ours = agrees(model, case)
    assert same, f"{case['Input']!r}: spec {expected} != reportmine {ours}"


def test_agreement_rate_in_scope():
    totals: dict = {}
    for case_id, (model, case) in CASES.items():
        if case_id in OUT_OF_SCOPE:
            continue
        seen, agreed = totals.get(model, (0, 0))
        totals[model] = (seen + 1, agreed + agrees(model, case)[0])
    rates = {model: agreed / seen for model, (seen, agreed) in totals.items()}
    seen_all = sum(seen for seen, _ in totals.values())
    agreed_all = sum(agreed for _, agreed in totals.values())
    rates["overall"] = agreed_all / seen_all
    low = {model: round(rate, 3) for model, rate in rates.items() if rate < MIN_AGREEMENT}
    assert not low, f"agreement below {MIN_AGREEMENT} on in-scope cases: {low}"

from decimal import Decimal

import pytest

from reportmine.numbers import NumeralError, QuantityScanner, parse_numeral


@pytest.mark.parametrize("text,value", [
    ("128", "128"), ("1,234.5", "1234.5"), ("0.5", "0.5"),
    ("十四", "14"), ("十", "10"), ("三十", "30"), ("一千零五十", "1050"), ("三千零五", "3005"),
    ("二百五", "250"), ("两万", "20000"), ("九十二万四", "924000"), ("二十万亿", "20000000000000"),
    ("四亿五千六百四十二万零一十五", "456420015"), ("拾万零五十六", "100056"), ("壹佰贰拾", "120"),
    ("四万万", "400000000"), ("三点五", "3.5"), ("二〇二三", "2023"),
    ("1.2万", "12000"), ("3万4000", "34000"), ("5万4千6百", "54600"), ("4,890万", "48900000"),
    ("1,100.9亿", "110090000000"), ("0万", "0"), ("0.0万", "0"), ("0亿", "0"), ("10万万", "1000000000"),
])
def test_parse_numeral_is_decimal_exact(text, value):
    assert parse_numeral(text) == Decimal(value)


@pytest.mark.parametrize("text", ["二二百", "百百", "", "九千九百九十九亿亿亿"])
def test_malformed_or_absurd_numerals_are_rejected(text):
    with pytest.raises(NumeralError):
        parse_numeral(text)


@pytest.fixture(scope="module")
def scanner(lexicons):
    return QuantityScanner(lexicons)


@pytest.mark.parametrize("text,span,value,unit,kind,qualifier,value_max", [
    ("检查企业128家次", "128家次", 128, "家次", "count", "exact", None),
    ("处罚金额489余万元", "489余万元", 4890000, "元", "money", "at_least", None),
    ("投资1300多万建成平台", "1300多万", 13000000, "元", "money", "at_least", None),
    ("接入7.5万余路视频", "7.5万余路", 75000, "路", "count", "at_least", None),
    ("受益人群约3000人次", "约3000人次", 3000, "人次", "count", "approx", None),
    ("提速95%以上", "95%以上", 95, "%", "rate", "at_least", None),
    ("整改率达到百分之九十五", "百分之九十五", 95, "%", "rate", "exact", None),
    ("覆盖率百分之百", "百分之百", 100, "%", "rate", "exact", None),
    ("八成以上的村民", "八成以上", 80, "%", "rate", "at_least", None),
    ("下降了三分之一", "三分之一", Decimal(100) / 3, "%", "rate", "exact", None),
    ("提高2.1个百分点", "2.1个百分点", Decimal("2.1"), "个百分点", "rate", "exact", None),
    ("十四个专委会", "十四个", 14, "个", "count", "exact", None),
    ("两万余份", "两万余份", 20000, "份", "count", "at_least", None),
    ("安排至少12个队员", "至少12个", 12, "个", "count", "at_least", None),
    ("不足300件", "不足300件", 300, "件", "count", "at_most", None),
    ("3至5天", "3至5天", 3, "天", "measure", "exact", 5),
    ("10-15人", "10-15人", 10, "人", "count", "exact", 15),
    ("三五个", "三五个", 3, "个", "count", "exact", 5),
    ("清理670.63公里", "670.63公里", Decimal("670.63"), "公里", "measure", "exact", None),
    ("长达12千米", "12千米", 12, "公里", "measure", "exact", None),
    ("污水处理能力4.5万立方米/日", "4.5万立方米/日", 45000, "立方米/日", "measure", "exact", None),
    ("经过5个多小时", "5个多小时", 5, "小时", "measure", "at_least", None),
    ("用时3个半小时", "3个半小时", Decimal("3.5"), "小时", "measure", "exact", None),
    ("建成370HMz无线网", "370HMz", 370, "HMz", "measure", "exact", None),
    ("壹佰贰拾万元", "壹佰贰拾万元", 1200000, "元", "money", "exact", None),
    ("1.2千元", "1.2千元", 1200, "元", "money", "exact", None),
    # a minus sign after a rate's name, as after 为 or 同比; a dash between numbers is a range
    ("人口自然增长率-2.18‰", "-2.18‰", Decimal("-2.18"), "‰", "rate", "exact", None),
    ("工业增加值增速-3.2%", "-3.2%", Decimal("-3.2"), "%", "rate", "exact", None),
    ("同比-1.5%", "-1.5%", Decimal("-1.5"), "%", "rate", "exact", None),
    ("增幅为负3.9%", "负3.9%", Decimal("-3.9"), "%", "rate", "exact", None),
    ("降幅2-3%", "2-3%", 2, "%", "rate", "exact", 3),
])
def test_quantities(scanner, text, span, value, unit, kind, qualifier, value_max):
    found = scanner.scan(text)
    assert len(found) == 1, [text[q.start:q.end] for q in found]
    q = found[0]
    assert text[q.start:q.end] == span
    assert q.value == Decimal(value)
    assert (q.unit, q.kind, q.qualifier) == (unit, kind, qualifier)
    assert q.value_max == (None if value_max is None else Decimal(value_max))


@pytest.mark.parametrize("text", ["2023年6月23日", "建成投产", "千方百计", "万家灯火", "一线岗位", "5G基站", "队伍组建",
                                  "近3年来", "12345热线"])
def test_no_quantity_without_a_unit(scanner, text):
    # the scanner proposes candidates only; ordinals such as 第一名 are rejected later, by the rules (rules/filters.py)
    assert [text[q.start:q.end] for q in scanner.scan(text)] == []

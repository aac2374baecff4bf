import pytest

from reportmine.errors import LexiconError
from reportmine.evaluate import evaluate_folder
from reportmine.indicators import IndicatorMapper, parse_indicators

from conftest import CORPUS


def test_every_shipped_indicator_is_well_formed(lexicons):
    assert 50 <= len(lexicons.indicators) <= 100
    assert len({i.id for i in lexicons.indicators}) == len(lexicons.indicators)


def test_mapping_examples(lexicons):
    mapper = IndicatorMapper(lexicons.indicators)
    assert mapper.assign("count", "家次", "企业", "检查", None) == "enterprises_inspected"
    assert mapper.assign("rate", "%", "整改率", "整改", None) == "rectification_rate"
    assert mapper.assign("money", "元", "处罚金额", "处罚", None) == "fines_amount"
    # a change never maps to a level indicator; an unrelated count maps to nothing
    assert mapper.assign("count", "家次", "企业", "检查", "up") != "enterprises_inspected"
    assert mapper.assign("count", "个", "优胜选手", "表彰", None) is None


def test_ties_map_to_nothing(tmp_path):
    path = tmp_path / "indicators.yaml"
    data = [{"id": "a", "kind": "count", "unit": "家", "units": ["家"], "objects": ["企业"]},
            {"id": "b", "kind": "count", "unit": "家", "units": ["家"], "objects": ["企业"]}]
    mapper = IndicatorMapper(parse_indicators(path, data))
    assert mapper.assign("count", "家", "企业", "检查", None) is None


def test_malformed_taxonomy_fails_with_file_and_line(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text("- id: a\n  kind: count\n  unit: 家\n  units: [家]\n  objects: [企业]\n- id: a\n  kind: count\n", encoding="utf-8")
    import yaml

    with pytest.raises(LexiconError, match=r"indicators.yaml:6: duplicate indicator id"):
        parse_indicators(path, yaml.safe_load(path.read_text(encoding="utf-8")))


def test_mapping_coverage_and_precision_on_the_corpus(pipeline):
    scores = evaluate_folder(CORPUS / "docs", CORPUS / "gold", pipeline)
    assert scores.indicator_coverage >= 0.80
    assert scores.indicator_precision >= 0.90

"""A figure's status (outcome, target, plan, requirement, forecast) from the words around it."""
import pytest

from reportmine.errors import LexiconError
from reportmine.status import StatusReader, parse_status


def status_of(lexicons, text, figure):
    start = text.index(figure)
    return StatusReader(lexicons.status).read(text, start, start + len(figure))[0]


@pytest.mark.parametrize("text, figure, expected", [
    # a quota in one clause does not make the year's total a quota
    ("要求每个乡镇检查企业不少于10家，全年共检查企业13600家。", "10家", "target"),
    ("要求每个乡镇检查企业不少于10家，全年共检查企业13600家。", "13600家", "outcome"),
    # 目前 (what stands now) ends the reach of 计划 as 实际 does
    ("今年计划改造老旧管网120公里，目前完工96公里。", "120公里", "plan"),
    ("今年计划改造老旧管网120公里，目前完工96公里。", "96公里", "outcome"),
    ("计划年内建成应急避难场所40处，目前建成28处。", "28处", "outcome"),
    # 实际 ends the reach of 计划
    ("计划投资5亿元，实际完成投资4亿元。", "5亿元", "plan"),
    ("计划投资5亿元，实际完成投资4亿元。", "4亿元", "outcome"),
    # a cue at the head of a sentence reaches every figure after it
    ("力争全年检查企业1000家，排查隐患2000项。", "2000项", "target"),
    ("确保事故起数控制在10起以内。", "10起", "target"),
    ("优良天数比例达到90%的目标。", "90%", "target"),
    ("预计全年完成旅客运输2160万人次。", "2160万人次", "forecast"),
    ("各乡镇必须每月开展演练2次。", "2次", "requirement"),
    # figures under a plan heading are plans; under a review heading, outcomes
    ("二、2024年工作计划\n新建农村公路50公里。", "50公里", "plan"),
    ("一、2023年工作总结\n新建农村公路50公里。", "50公里", "outcome"),
    # 争取 funds is getting them, not aiming at them
    ("争取上级资金2000万元。", "2000万元", "outcome"),
    ("全年粮食总产量46695吨，同比增长0.98%。", "46695吨", "outcome"),
])
def test_status_from_the_words_around_a_figure(lexicons, text, figure, expected):
    assert status_of(lexicons, text, figure) == expected


def test_status_is_on_every_metric(pipeline):
    document = pipeline.extract_text("今年力争检查企业500家。截至目前，已检查企业320家。")
    assert [(m.text, m.status) for m in document.metrics] == [("500家", "target"), ("320家", "outcome")]


def test_a_malformed_status_lexicon_fails_with_its_file(tmp_path):
    path = tmp_path / "status.yaml"
    path.write_text("statuses: [outcome, target, plan, requirement, forecast]\nclause:\n  goal: [目标]\n", encoding="utf-8")
    import yaml

    with pytest.raises(LexiconError, match=r"status.yaml:3: clause: unknown status 'goal'"):
        parse_status(path, yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text("statuses: [outcome, target]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="statuses must be exactly"):
        parse_status(path, yaml.safe_load(path.read_text(encoding="utf-8")))

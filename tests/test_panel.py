import pandas as pd
from typer.testing import CliRunner

import reportmine
from reportmine.bureau_panel import period_of
from reportmine.cli import app

from conftest import SEEDS, need_seeds

A = {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022}


def frame(rows):
    base = {"doc": "d.txt", "start": 0, "end": 3, "repeat_of": None, "qualifier": "exact", "period": None, "date": None,
            "unit": "家次", "kind": "count", "status": "outcome", "sentence": "句子", "indicator_source": "taxonomy"}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_periods_are_rows_of_their_own_and_the_full_year_row_comes_first():
    rows = [
        {**A, "indicator": "safety.enterprises.inspected", "value": 120, "start": 5},
        {**A, "indicator": "safety.enterprises.inspected", "value": 60, "period": "2022-H1", "start": 9},
        {**A, "indicator": "safety.enterprises.inspected", "value": 120, "start": 40, "repeat_of": 5},
        {**A, "indicator": "safety.enterprises.inspected", "value": 95, "period": "2022-01/2022-10", "start": 60},
        {"bureau": "乙市应急管理局", "region_code": "222222", "year": 2023, "indicator": "enforcement.fines.amount",
         "value": 4890000, "qualifier": "at_least", "unit": "元", "kind": "money"},
        {"bureau": "乙市应急管理局", "region_code": "222222", "year": 2023, "indicator": None, "value": 3},
    ]
    table = reportmine.panel(frame(rows))
    # the whole year first, then the periods from January by how far they run
    assert list(zip(table["bureau"], table["period"])) == [
        ("乙市应急管理局", "year"), ("甲县应急管理局", "year"), ("甲县应急管理局", "YTD-10"), ("甲县应急管理局", "H1")]
    assert list(table["safety.enterprises.inspected"].iloc[1:]) == [120, 95, 60]  # never mixed, never summed
    assert table.attrs["conflicts"] == []
    assert list(reportmine.panel(frame(rows), periods=["H1"])["safety.enterprises.inspected"]) == [60]


def test_this_years_figures_take_the_documents_period():
    # 今年以来 in a news item of 23 June is January to June 23, not the whole year; in an annual
    # summary it is the year; in a news item that states 1-9月 elsewhere, that period
    base = {**A, "indicator": "safety.enterprises.inspected", "period": "2022"}
    rows = [{**base, "value": 50, "doc": "news.txt", "date": "2022-06-23", "genre": "news"},
            {**base, "value": 300, "doc": "summary.txt", "date": "2023-01-09", "genre": "annual_summary"},
            {**base, "value": 90, "doc": "q3.txt", "date": "2022-10-12", "genre": "news"},
            {**base, "indicator": "safety.hazards.found", "unit": "项", "value": 40, "doc": "q3.txt",
             "date": "2022-10-12", "genre": "news", "period": "2022-01/2022-09"}]
    table = reportmine.panel(frame(rows)).set_index("period")
    assert table.loc["year", "safety.enterprises.inspected"] == 300
    assert table.loc["YTD-09", "safety.enterprises.inspected"] == 90 and table.loc["YTD-09", "safety.hazards.found"] == 40
    assert table.loc["YTD-06", "safety.enterprises.inspected"] == 50


def test_a_page_without_a_date_reports_the_part_of_the_year_most_of_its_figures_state():
    # 今年以来 on an undated page whose other figures say 上半年 is the first half; on an undated
    # page that states no part of the year it stays the year
    base = {**A, "indicator": "safety.enterprises.inspected", "genre": "news", "date": None}
    rows = [{**base, "value": 70, "doc": "h1.txt", "period": "2022"},
            {**base, "indicator": "safety.hazards.found", "unit": "项", "value": 40, "doc": "h1.txt",
             "period": "2022-01/2022-06"},
            {**base, "indicator": "safety.hazards.rectified", "unit": "项", "value": 38, "doc": "h1.txt",
             "period": "2022-01/2022-06"},
            {**base, "value": 200, "doc": "year.txt", "bureau": "乙县应急管理局", "period": "2022"}]
    table = reportmine.panel(frame(rows))
    first_half = table[table["bureau"] == A["bureau"]].set_index("period")
    assert list(first_half.index) == ["H1"] and first_half.loc["H1", "safety.enterprises.inspected"] == 70
    whole = table[table["bureau"] == "乙县应急管理局"]
    assert list(whole["period"]) == ["year"]


def test_an_annual_summary_whose_figures_mostly_state_ten_months_reports_those_months():
    # a summary written in November: its headline figures say 1-10月, so its 今年以来 figures run
    # to October too and its row is YTD-10; a summary that states no part of the year stays the year
    base = {**A, "indicator": "safety.enterprises.inspected", "genre": "annual_summary", "date": None}
    rows = [{**base, "value": 70, "doc": "early.txt", "period": "2022"},
            {**base, "indicator": "accidents.all.count", "unit": "起", "value": 12, "doc": "early.txt",
             "period": "2022-01/2022-10"},
            {**base, "indicator": "accidents.all.deaths", "unit": "人", "value": 9, "doc": "early.txt",
             "period": "2022-01/2022-10"},
            {**base, "value": 200, "doc": "late.txt", "bureau": "乙县应急管理局", "period": "2022"},
            {**base, "indicator": "accidents.all.count", "unit": "起", "value": 3, "doc": "late.txt",
             "bureau": "乙县应急管理局", "period": "2022-01/2022-06"}]
    table = reportmine.panel(frame(rows))
    early = table[table["bureau"] == A["bureau"]].set_index("period")
    assert list(early.index) == ["YTD-10"] and early.loc["YTD-10", "safety.enterprises.inspected"] == 70
    assert early.loc["YTD-10", "accidents.all.count"] == 12
    late = table[table["bureau"] == "乙县应急管理局"].set_index("period")
    assert list(late.index) == ["year", "H1"] and late.loc["year", "safety.enterprises.inspected"] == 200


def test_a_half_year_report_fills_its_h1_row():
    rows = [{**A, "indicator": "safety.hazards.found", "value": 50, "unit": "项", "genre": "half_year_report"}]
    table = reportmine.panel(frame(rows))
    assert list(table["period"]) == ["H1"] and table.loc[0, "safety.hazards.found"] == 50


def test_a_total_over_its_parts_and_an_outcome_over_a_target():
    rows = [
        {**A, "indicator": "safety.enterprises.inspected", "value": 30, "start": 5, "breakdown": True},
        {**A, "indicator": "safety.enterprises.inspected", "value": 128, "start": 50},
        {**A, "indicator": "safety.enterprises.inspected", "value": 10, "start": 70, "status": "target"},
        # one campaign's figure in the same report: the year's total is the larger
        {**A, "indicator": "safety.enterprises.inspected", "value": 86, "start": 90},
    ]
    cells = reportmine.panel(frame(rows), form="long")
    cell = cells.iloc[0]
    assert (cell["value"], cell["start"], cell["candidates"], cell["disagree"]) == (128, 50, 3, True)
    assert cell["values"] == [30, 86, 128]  # the target is no candidate of an outcome cell
    with_targets = reportmine.panel(frame(rows), form="long", outcomes_only=False)
    assert sorted(with_targets["status"]) == ["outcome", "target"]


def test_a_part_larger_than_every_whole_of_its_document_divides_another_total():
    # 一般公共预算收入…其中税收收入8200万元 beside 某专项税收1300万元: the 其中 divides the budget
    # revenue, so the tax revenue is the cell, not the smaller whole figure
    base = {**A, "indicator": "finance.tax.revenue", "unit": "元", "kind": "money"}
    rows = [{**base, "value": 82000000, "start": 5, "breakdown": True},
            {**base, "value": 13000000, "start": 40}]
    assert reportmine.panel(frame(rows)).loc[0, "finance.tax.revenue"] == 82000000
    # a part smaller than a whole of its document stays a part; a part alone in its document
    # gives way to another document's whole
    rows = [{**base, "value": 5000000, "start": 5, "breakdown": True}, {**base, "value": 13000000, "start": 40},
            {**base, "bureau": "乙县应急管理局", "value": 900000, "breakdown": True, "doc": "new.txt", "date": "2023-02-01"},
            {**base, "bureau": "乙县应急管理局", "value": 600000, "doc": "old.txt", "date": "2022-12-01"}]
    table = reportmine.panel(frame(rows)).set_index("bureau")
    assert table.loc[A["bureau"], "finance.tax.revenue"] == 13000000
    assert table.loc["乙县应急管理局", "finance.tax.revenue"] == 600000


def test_units_are_converted_to_the_indicators_unit():
    rows = [{**A, "indicator": "agriculture.grain.sown_area", "value": 10000, "unit": "公顷", "kind": "measure"},
            {**A, "indicator": "agriculture.grain.output", "value": 2000000, "unit": "斤", "kind": "measure"}]
    table = reportmine.panel(frame(rows))
    assert table.loc[0, "agriculture.grain.sown_area"] == 150000 and table.loc[0, "agriculture.grain.output"] == 1000
    assert table.attrs["units"]["agriculture.grain.sown_area"] == "亩"


def test_a_unit_an_indicator_accepts_is_converted_where_it_converts():
    # 公顷 is listed among the units of an irrigation area kept in 亩: its figure is converted, not
    # relabelled; 家 in a 家次 column (no conversion between them) counts one for one
    rows = [{**A, "indicator": "water.irrigation.area", "value": 100, "unit": "公顷", "kind": "measure"},
            {**A, "indicator": "safety.enterprises.inspected", "value": 40, "unit": "家", "kind": "count"}]
    table = reportmine.panel(frame(rows))
    assert table.loc[0, "water.irrigation.area"] == 1500 and table.attrs["units"]["water.irrigation.area"] == "亩"
    assert table.loc[0, "safety.enterprises.inspected"] == 40


def test_period_labels():
    assert period_of("2023", 2024) == (2023, "year")
    assert period_of("2023-Q3", 2023) == (2023, "Q3")
    assert period_of("2023-01/2023-06", 2023) == (2023, "H1")
    assert period_of("2021/2023", 2023) == (2023, "SPAN-2021")
    assert period_of(None, 2023, "half_year_report") == (2023, "H1")
    assert period_of(None, None) == (None, None)


def test_the_seeds_panel_has_one_row_per_bureau_with_its_year(tmp_path):
    need_seeds()
    runner = CliRunner()
    results = tmp_path / "seeds.parquet"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(results), "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["panel", str(results), "-o", str(tmp_path / "panel.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "panel.csv", dtype={"region_code": str})
    # each report's own period (a news item of 23 June 2023 covers the year to June), and a row for
    # the previous year its 同比 figures name (2018 for a 2019 report)
    assert {("介休市应急管理局", "140781", 2019, "YTD-11"), ("清新区应急管理局", "441803", 2023, "YTD-06"),
            ("西宁市应急管理局", "630100", 2020, "year"), ("赣州市赣县区应急管理局", "360704", 2023, "year")} \
        <= set(zip(table["bureau"], table["region_code"], table["year"], table["period"]))
    xining = table.set_index("bureau").loc["西宁市应急管理局"]
    assert xining["enforcement.enterprises.interviewed"] == 59 and xining["enforcement.fines.amount"] == 4890000
    long = runner.invoke(app, ["panel", str(results), "-o", str(tmp_path / "cells.jsonl"), "--form", "long"])
    assert long.exit_code == 0, long.output
    cells = pd.read_json(tmp_path / "cells.jsonl", lines=True)
    assert {"doc", "start", "end", "context", "status", "disagree"} <= set(cells.columns)


def test_a_period_read_before_the_documents_year_was_known_takes_that_year():
    # the rules keep 1—9月份 and 去年 as written when the page's year was unknown; the panel's row
    # knows it (from the page, or a manifest): nine months are YTD-09, last year is the year before
    rows = [{**A, "indicator": "safety.enterprises.inspected", "value": 95, "period": "1—9月份", "start": 5},
            {**A, "indicator": "safety.enterprises.inspected", "value": 80, "period": "去年", "start": 20},
            {**A, "indicator": "enforcement.fines.amount", "value": 7000, "unit": "元", "kind": "money",
             "period": "某专项行动期间", "start": 60}]
    cells = reportmine.panel(frame(rows), form="long")
    placed = {(year, period): value for year, period, value in zip(cells["year"], cells["period"], cells["value"])}
    assert placed[(2022, "YTD-09")] == 95 and placed[(2021, "year")] == 80
    # a phrase no pattern reads whole is the document's own period, as before
    assert [p for p, i in zip(cells["period"], cells["indicator"]) if i == "enforcement.fines.amount"] == ["YTD-09"]


def test_a_target_met_or_measured_against_leaves_the_figures_around_it_outcomes(pipeline):
    # what a panel of outcomes keeps: a figure after a target reached (实现…目标, 完成目标任务的…)
    # or a standard met (达到/满足…要求) is what happened
    def statuses(text):
        return {m.text: m.status for m in pipeline.extract_text(text).metrics}

    assert statuses("全年实现了既定增长目标，森林覆盖率达52.6%。")["52.6%"] == "outcome"
    assert statuses("上半年牛存栏8.2万头，完成目标任务的76%；牛出栏3.1万头。")["3.1万头"] == "outcome"
    assert statuses("各断面均满足水环境功能区要求，饮用水水源地水质达标率100%。")["100%"] == "outcome"
    # a target named right before its figure, and a target set, stay targets
    assert statuses("累计完成目标任务12万亩的58%。")["12万亩"] == "target"
    assert statuses("明年的目标是森林覆盖率达到55%。")["55%"] == "target"
    assert statuses("按要求，每个乡镇开展检查3次。")["3次"] == "requirement"


def test_a_comparison_with_last_year_gives_the_figures_after_it_no_period_of_last_year(pipeline):
    # 与上年比较 / 同上年相比 compare: the figures after them (and in the sentences after) are this year's
    def periods(text):
        return {m.text: m.period for m in pipeline.extract_text(text).metrics}

    found = periods("全县卫生机构520个。与 3、上年比较，医院增加12个。医院中，公立医院30个。")
    assert (found["12个"], found["30个"]) == (None, None)
    assert periods("同上年相比，全市新增企业80家。")["80家"] is None
    # last year named as the figure's own period still is
    assert periods("上年全县检查企业300家。")["300家"] == "上年"


def test_a_rate_stated_first_in_its_document_is_the_cell_over_a_surer_later_one():
    # the whole area's change comes first, a city's comes later with a surer reading: the first wins
    rows = [
        {**A, "indicator": "environment.good_air_days.ratio_change_pp", "value": 3.1, "start": 40, "unit": "个百分点",
         "kind": "rate", "confidence": 0.7},
        {**A, "indicator": "environment.good_air_days.ratio_change_pp", "value": 0.6, "start": 400, "unit": "个百分点",
         "kind": "rate", "confidence": 0.9},
    ]
    cell = reportmine.panel(frame(rows), form="long").iloc[0]
    assert (cell["value"], cell["start"]) == (3.1, 40)
    # counts still take the largest of their document, wherever it stands
    rows = [
        {**A, "indicator": "safety.enterprises.inspected", "value": 40, "start": 10, "confidence": 0.9},
        {**A, "indicator": "safety.enterprises.inspected", "value": 900, "start": 300, "confidence": 0.7},
    ]
    assert reportmine.panel(frame(rows), form="long").iloc[0]["value"] == 900

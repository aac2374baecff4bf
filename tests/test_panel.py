import pandas as pd
import pytest
from typer.testing import CliRunner

import reportmine
from reportmine.cli import app

from conftest import SEEDS, need_seeds


def frame(rows):
    base = {"doc": "d.txt", "start": 0, "repeat_of": None, "qualifier": "exact", "period": None, "date": None}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_one_row_per_bureau_year_and_figures_never_summed():
    rows = [
        {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022, "indicator": "enterprises_inspected", "value": 120, "start": 5},
        {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022, "indicator": "enterprises_inspected", "value": 60,
         "period": "2022-H1", "start": 9},
        {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022, "indicator": "enterprises_inspected", "value": 120,
         "start": 40, "repeat_of": 5},
        {"bureau": "乙市应急管理局", "region_code": "222222", "year": 2023, "indicator": "fines_amount", "value": 4890000,
         "qualifier": "at_least"},
        {"bureau": "乙市应急管理局", "region_code": "222222", "year": 2023, "indicator": None, "value": 3},
    ]
    table = reportmine.panel(frame(rows))
    assert list(table["bureau"]) == ["乙市应急管理局", "甲县应急管理局"]
    assert table.set_index("bureau").loc["甲县应急管理局", "enterprises_inspected"] == 120  # full year over H1, not 300
    conflicts = table.attrs["conflicts"]
    assert [c["indicator"] for c in conflicts] == ["enterprises_inspected"] and conflicts[0]["values"] == [60.0, 120.0]


def test_a_total_is_chosen_over_a_part_of_it_written_first():
    rows = [
        {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022, "indicator": "enterprises_inspected",
         "value": 30, "start": 5, "breakdown": True},
        {"bureau": "甲县应急管理局", "region_code": "111111", "year": 2022, "indicator": "enterprises_inspected",
         "value": 128, "start": 50, "breakdown": False},
    ]
    table = reportmine.panel(frame(rows))
    assert table.loc[0, "enterprises_inspected"] == 128
    assert table.attrs["conflicts"][0]["chosen"] == 128.0


def test_the_seeds_panel_has_one_row_per_bureau_with_its_year(tmp_path):
    need_seeds()
    runner = CliRunner()
    results = tmp_path / "seeds.parquet"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(results), "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["panel", str(results), "-o", str(tmp_path / "panel.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "panel.csv", dtype={"region_code": str})
    assert list(zip(table["bureau"], table["region_code"], table["year"])) == [
        ("介休市应急管理局", "140781", 2019),
        ("清新区应急管理局", "441803", 2023),
        ("西宁市应急管理局", "630100", 2020),
        ("赣州市赣县区应急管理局", "360704", 2023),
    ]
    xining = table.set_index("bureau").loc["西宁市应急管理局"]
    assert xining["enterprises_interviewed"] == 59 and xining["fines_amount"] == 4890000

import json

import pytest

from conftest import CORPUS, SEEDS, need_seeds

REPORT = ("某縣應急管理局2022年工作總結\n"
          "今年以來,全縣共檢查企業128家次,發現安全隱患242項,整改率95.6%,處罰金額489餘萬元。\n"
          "組建了307支共計3500餘人的應急救援小分隊,開展演練27場次。\n")


def spans(document):
    return [(m.text, m.value, m.unit, m.object) for m in document.metrics]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_encoded_copies_yield_the_same_metrics_with_offsets_into_their_own_source(tmp_path, pipeline, encoding):
    reference = pipeline.extract_text(REPORT)
    path = tmp_path / f"report_{encoding}.txt"
    path.write_bytes(REPORT.encode(encoding))
    document = pipeline.extract_file(path)
    assert document.error is None
    assert document.encoding == encoding
    assert spans(document) == spans(reference)
    assert [(m.start, m.end) for m in document.metrics] == [(m.start, m.end) for m in reference.metrics]


def test_html_copy_yields_the_same_metrics_with_offsets_into_the_html(tmp_path, pipeline):
    reference = pipeline.extract_text(REPORT)
    body = "".join(f"<p>{line}</p>\n" for line in REPORT.splitlines())
    page = ("<!DOCTYPE html><html><head><title>工作总结</title><script>var n = 12345;</script></head><body>"
            "<div class='nav'><a>首页</a><a>新闻中心</a><a>政务公开</a></div>"
            f"<div class='article'>{body}</div>"
            "<div class='footer'>版权所有 某县应急管理局 ICP备12345678号 电话:0791-88888888</div></body></html>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    document = pipeline.extract_file(path)
    assert spans(document) == spans(reference)
    for metric in document.metrics:
        assert page[metric.start:metric.end] == metric.text


def test_every_metric_slices_the_original_to_its_text(pipeline):
    files = sorted((CORPUS / "docs").iterdir())
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    from reportmine.decode import decode_bytes

    checked = 0
    for path in files:
        document = pipeline.extract_file(path)
        original = decode_bytes(path.read_bytes()).text
        for metric in document.metrics:
            assert original[metric.start:metric.end] == metric.text, (path.name, metric)
            checked += 1
    assert checked > 500


def test_repeated_passages_point_to_their_first_mention(pipeline):
    need_seeds()
    document = pipeline.extract_file(next(SEEDS.glob("004_*.txt")))
    repeats = [m for m in document.metrics if m.repeat_of is not None]
    assert len(repeats) == 9
    by_start = {m.start: m for m in document.metrics}
    for metric in repeats:
        first = by_start[metric.repeat_of]
        assert (first.text, first.value) == (metric.text, metric.value) and first.start < metric.start
    assert any(w.code == "repeated_passages" for w in document.warnings)


def test_bad_inputs_become_error_documents(tmp_path, pipeline):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "ok.txt").write_text("检查企业12家。", encoding="utf-8")
    from reportmine.pipeline import iter_input_files

    documents = [pipeline.extract_file(p) for p in iter_input_files([tmp_path])]
    assert [(d.doc, bool(d.error)) for d in documents] == [("binary.txt", True), ("empty.txt", True), ("ok.txt", False)]
    assert "empty" in documents[1].error and "binary" in documents[0].error


def test_too_large_file_is_refused_clearly(tmp_path):
    from reportmine import Pipeline

    path = tmp_path / "big.txt"
    path.write_text("检查企业12家。" * 100, encoding="utf-8")
    document = Pipeline(max_bytes=100).extract_file(path)
    assert document.error.startswith("file too large")


def test_to_frame_joins_document_fields(pipeline):
    import reportmine

    frame = reportmine.to_frame([pipeline.extract_text(REPORT, doc="r.txt")])
    assert len(frame) == 7
    assert {"value", "unit", "object", "bureau", "year", "sha256"} <= set(frame.columns)
    assert frame["year"].iloc[0] == 2022


def test_extract_takes_one_path_as_str_or_path_and_lists_alike(tmp_path):
    import reportmine

    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("检查企业12家。", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("发现隐患30处。", encoding="utf-8")
    expected = ["a.txt", "sub/b.txt"]
    assert [d.doc for d in reportmine.extract(str(tmp_path))] == expected
    assert [d.doc for d in reportmine.extract(tmp_path)] == expected
    assert [d.doc for d in reportmine.extract_paths(str(tmp_path))] == expected  # not its characters, from /
    assert [d.doc for d in reportmine.extract([str(tmp_path / "a.txt"), tmp_path / "sub"])] == ["a.txt", "b.txt"]


def test_context_is_a_window_of_the_original_text_around_the_figure(pipeline):
    text = "前言。" + "，".join(f"检查企业{i}家" for i in range(1, 400)) + "。"
    document = pipeline.extract_text(text)
    assert len(document.metrics) == 399
    for metric in document.metrics:
        assert text[metric.context_start:metric.context_start + len(metric.context)] == metric.context
        assert metric.context_start <= metric.start and metric.end <= metric.context_start + len(metric.context)
        assert len(metric.context) <= 200 + len(metric.text)
    assert document.metrics[0].context.startswith("前言。检查企业1家")


def test_a_change_against_another_base_than_a_year_before_goes_in_no_year_on_year_column(pipeline):
    text = ("2019年安全生产工作总结\n与2015年相比，2019年全省生产安全事故起数下降23.1%。"
            "2019年全省生产安全事故起数同比下降15.6%。全省生产总值比2018年增长6.1%，较三年均值下降2.5%，"
            "环比增长0.3%。")
    found = {m.text: m for m in pipeline.extract_text(text).metrics}
    assert (found["23.1%"].baseline, found["23.1%"].indicator) == ("与2015年相比", None)
    assert found["23.1%"].evidence["baseline"].rule == "comparison-base"
    assert text[found["23.1%"].evidence["baseline"].start:found["23.1%"].evidence["baseline"].end] == "与2015年相比"
    assert (found["2.5%"].baseline, found["0.3%"].baseline) == ("较三年均值", "环比")
    # year-on-year: said (同比), or the year before the figure's named (比2018年 of a 2019 figure)
    assert found["15.6%"].baseline is None and found["15.6%"].indicator == "accidents.all.count_change_pct"
    assert found["6.1%"].baseline is None


def test_the_end_of_last_year_is_the_base_of_a_year_end_figure_only(pipeline):
    text = ("2023年统计公报\n年末常住人口94.9万人，比上年末增加0.1万人。常住人口城镇化率65.5%，比上年末提高0.9个百分点。"
            "截至6月底，贷款余额比上年末增加30亿元。")
    found = {m.text: m for m in pipeline.extract_text(text).metrics}
    assert found["0.1万人"].baseline is None and found["0.9个百分点"].baseline is None
    assert found["30亿元"].baseline == "比上年末" and found["30亿元"].indicator is None

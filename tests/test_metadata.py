import json

import pytest

from reportmine.metadata import find_date, find_genre, find_title, find_year

from conftest import CORPUS, SHARED, SEEDS, need_seeds


def test_dates_only_from_datelines_labels_and_signatures():
    assert find_date("标题\n2023-06-23 23:13:15\n正文2022年3月5日召开会议。") == "2023-06-23"
    assert find_date("来源:本站 作者:admin 发布时间:2019-11-11 01:55:49\n正文") == "2019-11-11"
    assert find_date("正文。\n某某局\n2023年12月7日") == "2023-12-07"
    assert find_date("墨江县工作总结\n(2021年7月5日)\n正文") == "2021-07-05"
    assert find_date("2019年3月5日,某局正式挂牌。") is None
    assert find_date("佛山市场监管　2024年08月16日 18:05　广东\n正文") == "2024-08-16"  # a WeChat byline
    assert find_date("会议于2024年8月16日 18:05召开，检查企业12家。") is None


def test_a_traditional_dateline_is_read(pipeline):
    document = pipeline.extract_text("某市消防救援支隊工作回顧\n發布時間：2024年1月16日　來源：某市消防救援支隊\n正文。")
    assert document.date == "2024-01-16"


def test_a_signature_date_with_pinyin_noise_is_read(pipeline):
    document = pipeline.extract_text("某县应急管理局工作总结\n正文。\n\n某县应急管(guǎn)理局\n2024年1月(yuè)8日\n")
    assert document.date == "2024-01-08"


def test_an_html_title_loses_its_section_and_site_when_the_page_shows_the_headline():
    assert find_title("首页\n某局2023年工作总结\n正文", "某局2023年工作总结_工作总结_某局") == "某局2023年工作总结"
    assert find_title("正文", "某局2023年工作总结_工作总结_某局") == "某局2023年工作总结_工作总结_某局"


def test_year_from_title_then_date_then_dominant_year():
    assert find_year("某局2023年度工作总结", "2024-01-09", "") == 2023
    assert find_year("某局工作综述", "2019-11-11", "") == 2019
    assert find_year(None, None, "2020年,……2020年,……2020年,……2019年") == 2020
    assert find_year(None, None, "今年以来……") is None
    # a speech at a 2024 meeting that reviews 2023
    assert find_year("在2024年全市应急管理工作会议上的讲话", "2024-03-05", "回顾总结2023年工作,安排部署2024年任务") == 2023


def test_genre():
    assert find_genre("某局2022年工作总结", "") == "annual_summary"
    assert find_genre("某局2024年上半年工作总结", "") == "half_year_report"
    assert find_genre("党建访谈录", "") == "interview"
    assert find_genre("在全市应急管理工作会议上的讲话", "") == "speech"
    assert find_genre("某局2023年度部门整体支出绩效自评报告", "") == "annual_summary"
    assert find_genre("2024年夏季消防检查新闻发布会实录", "主持人：各位记者朋友") == "news"
    assert find_genre("安全生产访谈", "记者：请介绍一下") == "interview"


def metadata_accuracy(gold_lines, documents):
    right = total = 0
    by_doc = {d.doc: d for d in documents}
    for gold in gold_lines:
        predicted = by_doc[gold["doc"]]
        for field in ("bureau", "region"):
            g, p = (gold.get(field) or ""), (getattr(predicted, field) or "")
            right += (not g and not p) or (bool(g) and bool(p) and (g in p or p in g))
        right += gold.get("year") == predicted.year
        right += gold.get("date") == predicted.date
        total += 4
    return right / total


def test_seed_metadata_is_all_right(pipeline):
    need_seeds()
    gold = [json.loads(line) for line in (SHARED / "seeds-meta.jsonl").read_text(encoding="utf-8").splitlines() if line]
    documents = [pipeline.extract_file(SEEDS / g["doc"]) for g in gold]
    assert metadata_accuracy(gold, documents) == 1.0
    assert [d.region_code for d in documents] == ["441803", "360704", "140781", "371000", "630100"]


def test_corpus_metadata(pipeline):
    gold = [json.loads(line) for line in (CORPUS / "meta.jsonl").read_text(encoding="utf-8").splitlines() if line]
    documents = [pipeline.extract_file(CORPUS / "docs" / g["doc"]) for g in gold]
    assert metadata_accuracy(gold, documents) == 1.0
    assert sum(d.genre == g["genre"] for d, g in zip(documents, gold)) == len(gold)


def test_a_letterhead_line_above_the_title_is_not_the_title():
    text = "惠城区消防救援大队\n2023年度辖区火灾统计情况通报\n\n惠消〔2024〕3号\n"
    title = find_title(text, None)
    assert title == "2023年度辖区火灾统计情况通报"
    assert find_year(title, "2024-01-10", text) == 2023
    assert find_genre(title, text) == "annual_summary"


def test_short_forms_and_province_level_bodies(pipeline):
    document = pipeline.extract_text("河北省安全生产工作会议召开\n省应急管理厅通报，全省检查企业1200家。河北省各地持续推进。")
    assert (document.bureau, document.region) == ("河北省应急管理厅", "河北省")
    document = pipeline.extract_text("近日，海沧区应急局组织检查企业12家。")
    assert document.bureau == "海沧区应急管理局" and document.region_code == "350205"
    assert document.provenance["bureau"] == "text"


def test_a_manifest_completes_and_overrides_the_text_with_provenance(tmp_path):
    from typer.testing import CliRunner

    from reportmine.cli import app

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("今年以来，市应急局检查企业120家。", encoding="utf-8")
    (docs / "b.txt").write_text("隆回县应急管理局2023年工作总结\n检查企业30家。", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,bureau,region,url\ndocs/a.txt,宣城市应急管理局,,https://example.org/202301/t20230117_1.html\n"
                        "docs/b.txt,,,\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(docs), "-o", str(tmp_path / "m.jsonl"), "--documents",
                                 str(tmp_path / "d.jsonl"), "--manifest", str(manifest), "--extractor", "rules", "-q"])
    assert result.exit_code == 0, result.output
    rows = {r["doc"]: r for r in map(json.loads, (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines())}
    a = rows["a.txt"]
    assert (a["bureau"], a["region"], a["region_code"], a["date"], a["year"]) == (
        "宣城市应急管理局", "安徽省宣城市", "341800", "2023-01-17", 2023)
    assert a["provenance"] == {"bureau": "manifest", "region": "manifest", "date": "url", "year": "url"}
    assert rows["b.txt"]["provenance"]["bureau"] == "title"
    metrics = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {m["doc_bureau"] for m in metrics if m["doc"] == "a.txt"} == {"宣城市应急管理局"}


def test_a_manifest_title_names_the_body_region_and_year_the_text_does_not():
    from reportmine.metadata import apply_manifest

    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "region_code": None,
                "year": None, "date": None, "title": "今年以来", "provenance": {}}
    row = {"title": "黑龙江省应急管理厅：2013年全省生产安全事故情况通报",
           "url": "https://example.org/2014/0110/1.html"}
    filled = apply_manifest(document, {"/tmp/a.txt": row})
    assert (filled["bureau"], filled["region"], filled["year"], filled["date"]) == (
        "黑龙江省应急管理厅", "黑龙江省", 2013, "2014-01-10")  # the title's year, the address's date
    assert filled["provenance"] == {"bureau": "title", "region": "title", "year": "title", "date": "url"}
    said = dict(document, bureau="哈尔滨市应急管理局", region="黑龙江省哈尔滨市", year=2013)
    assert apply_manifest(said, {"/tmp/a.txt": row})["bureau"] == "哈尔滨市应急管理局"  # the text's own stays


def test_ordinary_words_are_no_divisions(pipeline):
    # 惠民 (惠民县), 安居 (安居区), 新建 (新建区), 公安 (公安县): words of the text, not places
    document = pipeline.extract_text("落实惠民政策，推进保障性安居工程，新建公租房1200套，公安消防部门检查单位30家。")
    assert document.region is None
    assert pipeline.extract_text("惠民县应急管理局检查企业30家。").region == "山东省滨州市惠民县"


@pytest.mark.parametrize("content, message", [
    ("path,bureau\ndocs/missing.txt,某局\n", r"manifest.csv:2: docs/missing.txt names no file among the inputs"),
    ("file,bureau\ndocs/a.txt,某局\n", r"manifest.csv:1: the header must have a path column"),
    ("path,year\ndocs/a.txt,二〇二三\n", r"manifest.csv:2: year '二〇二三' is not a year"),
    ("path,bureau\ndocs/a.txt,某局,多余\n", r"manifest.csv:2: 2 columns expected"),
])
def test_a_bad_manifest_is_refused_with_its_line_before_anything_is_extracted(tmp_path, content, message):
    from typer.testing import CliRunner

    from reportmine.cli import app

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("检查企业120家。", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(docs), "-o", str(tmp_path / "m.jsonl"),
                                      "--manifest", str(tmp_path / "manifest.csv"), "-q"])
    assert result.exit_code == 2
    assert regex_search(message, result.output.replace("\n", ""))
    assert not (tmp_path / "m.jsonl").exists()


def regex_search(pattern, text):
    import re

    return re.search(pattern, text)


def test_the_year_a_page_reviews_when_its_title_names_none():
    # a January news item about last year: the opening paragraph names it
    assert find_year("黑龙江省安全生产情况", "2011-01-30", "2011-01-30 黑龙江日报\n2010年，全省安全生产形势总体稳定。") == 2010
    # a bulletin whose first line lost its year to mojibake: its heading still names it
    assert find_year("(河南?。?023年某县统计公报", "2024-04-01", "首行\n2023年潢川县经济社会发展统计公报\n正文") == 2023
    assert find_year("某局2023年度工作总结", "2024-01-09", "2022年，我局……") == 2023  # the title outranks it


@pytest.mark.parametrize("url, context, expected", [
    ("https://yjj.xuancheng.gov.cn/show/1.html", "", ("宣城市应急管理局", "341800")),  # a body's initials, a city in pinyin
    ("http://zrzy.jiangsu.gov.cn/a.html", "", ("江苏省自然资源厅", "320000")),  # a province's body is its 厅
    ("https://mianchi.gov.cn/p.html", "", (None, "411221")),  # a county's portal names no body
    ("http://www.gzzhijin.gov.cn/", "", (None, "520524")),  # province initials, then the county in pinyin
    ("https://www.qdndz.gov.cn/z.html", "", (None, "522636")),  # prefecture and county initials, nested
    ("https://www.ms.gov.cn/info/1.htm", "眉山市召开会议", (None, "511400")),  # initials the page names
    # initials alone: read when one province or city alone has them (ms: 眉山市; the other places
    # with those initials are counties)
    ("https://www.ms.gov.cn/info/1.htm", "", (None, "511400")),
    ("https://www.hn.gov.cn/info/1.htm", "", (None, None)),  # 湖南, 河南 and 海南 share them
    ("https://yjj.xuancheng.com.cn/1.html", "", (None, None)),  # not a government host
    ("https://www.sx.gov.cn/art/1.html", "", (None, None)),  # 山西, 陕西, 绍兴...: not told apart
    ("https://yjj.beijing.gov.cn/x.html", "", ("北京市应急管理局", "110000")),  # a municipality's body is a 局
])
def test_a_government_host_name_spells_its_place_and_body(url, context, expected):
    from reportmine.metadata import host_reading

    bureau, division = host_reading(url, context)
    assert (bureau, division.code if division else None) == expected


def test_a_manifest_address_fills_place_body_and_unpadded_date_the_text_lacks():
    from reportmine.metadata import apply_manifest

    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "region_code": None,
                "year": 2023, "date": None, "title": "工作总结", "provenance": {"year": "date"}, "metrics": []}
    filled = apply_manifest(document, {"/tmp/a.txt": {"url": "https://yjj.xuancheng.gov.cn/art/2023/1/7/art_1.html"}})
    assert (filled["bureau"], filled["region"], filled["date"]) == ("宣城市应急管理局", "安徽省宣城市", "2023-01-07")
    assert filled["provenance"]["bureau"] == filled["provenance"]["region"] == "url"
    said = dict(document, bureau="广德市应急管理局", region="安徽省宣城市广德市")
    kept = apply_manifest(said, {"/tmp/a.txt": {"url": "https://yjj.xuancheng.gov.cn/1.html"}})
    assert (kept["bureau"], kept["region"]) == ("广德市应急管理局", "安徽省宣城市广德市")  # the text's own stays


def test_a_title_year_outranks_a_year_read_from_the_publication_date():
    from reportmine.metadata import apply_manifest

    row = {"title": "黑龙江2013年发生各类生产安全事故3542起"}
    from_date = {"doc": "a.txt", "path": "/tmp/a.txt", "year": 2014, "date": "2014-01-27", "provenance": {"year": "date"}}
    assert apply_manifest(from_date, {"/tmp/a.txt": row})["year"] == 2013
    stated = dict(from_date, provenance={"year": "text"})  # a year the text states stays
    assert apply_manifest(stated, {"/tmp/a.txt": row})["year"] == 2014


def test_a_year_read_from_the_date_says_so(pipeline):
    document = pipeline.extract_text("某地新闻\n2014-01-27 10:00\n全市检查企业30家。")
    assert document.year == 2014 and document.provenance["year"] == "date"


def test_autonomous_divisions_are_known_by_their_name_without_their_peoples(pipeline):
    from reportmine.regions import regions

    table = regions()
    assert [d.code for d in table.lookup("黔东南")] == ["522600"]
    assert table.lookup("黔东") == []  # not a short name: 南 is no people
    assert [d.code for d in table.lookup("龙胜")] == ["450328"]


def test_a_whole_years_statistics_name_the_year_covered(pipeline):
    assert pipeline.extract_text("某地新闻\n2022年1至12月，全县共发生火灾34起。").year == 2022
    # nine months are no whole year, but the year they are of is the page's (as annotators read it)
    document = pipeline.extract_text("某地新闻\n2022年1至9月，全县共发生火灾34起。")
    assert document.year == 2022


def test_a_page_that_names_no_body_is_its_subjects_bureau_at_its_region(pipeline):
    bulletin = ("丹寨县2015年经济运行情况\n初步核算，全县地区生产总值45.6亿元，按可比价格计算增长11.2%。"
                "规模以上工业增加值6.1亿元；社会消费品零售总额12.3亿元；固定资产投资60.2亿元。")
    document = pipeline.extract_text(bulletin)
    assert document.subject == "statistics"
    assert (document.bureau, document.region_code) == ("丹寨县统计局", "522636")
    assert document.provenance["bureau"] == "subject"
    # a province's body of its kind is a 厅, and a page on a year before the reform of 2018 names
    # the body as it was then called
    forestry = pipeline.extract_text("贵州省2014年造林绿化情况\n2014年，贵州省林业部门完成营造林300万亩，"
                                     "森林覆盖率达49%，中幼林抚育200万亩。")
    assert (forestry.subject, forestry.bureau) == ("forestry", "贵州省林业厅")
    # a municipality's bodies are named as a city's (重庆市水利局), though it is a province
    water = pipeline.extract_text("重庆市2024年水利工作情况\n2024年，重庆市水利部门完成水利投资420亿元，新建水库12座，"
                                  "治理水土流失面积1800平方公里，灌区改造60万亩。")
    assert (water.subject, water.bureau) == ("water", "重庆市水利局")
    # a page that names its own body keeps it
    named = pipeline.extract_text("眉山市统计局发布：初步核算，全市地区生产总值1500亿元，规模以上工业增加值增长8%。")
    assert named.bureau == "眉山市统计局" and named.provenance["bureau"] != "subject"


def test_a_subject_needs_words_enough_and_a_clear_lead():
    from reportmine.metadata import find_subject

    assert find_subject("全市水库除险加固12座，灌区改造3处，防汛物资到位。", None) == "water"
    assert find_subject("全市检查学校12所。", None) is None  # one word is no subject
    # as many transport words as statistics words: no clear lead
    assert find_subject("客运量120万人次，货运量300万吨；地区生产总值80亿元，固定资产投资20亿元。", None) is None


def test_a_national_body_speaking_of_the_whole_country(pipeline):
    document = pipeline.extract_text("记者从市场监管总局新闻发布会获悉，截至2020年底，全国市场监管部门"
                                     "监督检查食品生产经营主体509万户次，发现问题6.8万个。")
    assert (document.bureau, document.region) == ("国家市场监督管理总局", "全国")
    # a local page that mentions a ministry is not the ministry's
    local = pipeline.extract_text("按照应急管理部部署，长沙县全县检查企业120家，发现隐患300处，整改率98%。")
    assert local.bureau != "应急管理部"
    # 财政部门 holds 财政部 but names no ministry
    departments = pipeline.extract_text("我国财政运行总体平稳。各级财政部门加强预算管理，全国一般公共预算收入增长5%。")
    assert departments.bureau is None


def test_a_body_guessed_from_the_subject_gives_way_to_one_the_title_names():
    from reportmine.metadata import apply_manifest

    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": "丹寨县统计局", "region": "贵州省黔东南苗族侗族自治州丹寨县",
                "region_code": "522636", "year": 2022, "subject": "statistics",
                "provenance": {"bureau": "subject", "region": "text"}, "metrics": []}
    named = apply_manifest(document, {"/tmp/a.txt": {"title": "丹寨县应急管理局2022年工作总结"}})
    assert (named["bureau"], named["provenance"]["bureau"]) == ("丹寨县应急管理局", "title")
    # an address that names nothing: the guess stands
    kept = apply_manifest(document, {"/tmp/a.txt": {"url": "https://www.example.com/1.html"}})
    assert (kept["bureau"], kept["provenance"]["bureau"]) == ("丹寨县统计局", "subject")


def test_a_manifest_address_gives_the_region_that_names_a_subjects_bureau():
    from reportmine.metadata import apply_manifest

    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "region_code": None,
                "year": 2022, "subject": "statistics", "provenance": {}, "metrics": []}
    filled = apply_manifest(document, {"/tmp/a.txt": {"url": "https://mianchi.gov.cn/pageView/1.html"}})
    assert (filled["bureau"], filled["provenance"]["bureau"]) == ("渑池县统计局", "subject")
    unknown = dict(document, subject=None)  # no subject: nothing is guessed
    assert apply_manifest(unknown, {"/tmp/a.txt": {"url": "https://mianchi.gov.cn/pageView/1.html"}})["bureau"] is None


def test_documents_yaml_refuses_a_key_nothing_reads(tmp_path, monkeypatch):
    import shutil

    from reportmine import metadata
    from reportmine.errors import LexiconError

    folder = tmp_path / "lexicons"
    shutil.copytree(metadata.shipped_lexicon_dir(), folder)
    with open(folder / "documents.yaml", "a", encoding="utf-8") as handle:
        handle.write("\nsubject_words: [水库]\n")
    monkeypatch.setattr(metadata, "shipped_lexicon_dir", lambda: folder)
    metadata.document_cues.cache_clear()
    try:
        with pytest.raises(LexiconError, match="subject_words"):
            metadata.document_cues()
    finally:
        metadata.document_cues.cache_clear()


def test_a_generic_body_takes_the_province_that_holds_the_places_named(pipeline):
    # 省应急管理厅 names no province; the prefectures the page names are all Yunnan's
    document = pipeline.extract_text("记者从省应急管理厅获悉，去年全省发生生产安全事故120起。迪庆、怒江两州实现零死亡，"
                                     "德宏州事故起数下降30%，怒江州检查企业500家。")
    assert (document.bureau, document.region) == ("云南省应急管理厅", "云南省")
    # places of two provinces, none holding most: no province is guessed
    split = pipeline.extract_text("记者从省应急管理厅获悉，迪庆检查企业50家，大庆检查企业40家。")
    assert split.bureau is None


def test_a_province_written_short_is_named_in_full_in_its_bodys_name(pipeline):
    document = pipeline.extract_text("宁夏生态环境厅发布：上半年全区PM2.5平均浓度为30微克/立方米。")
    assert (document.bureau, document.region) == ("宁夏回族自治区生态环境厅", "宁夏回族自治区")
    # a city or county keeps the form the page gives it
    assert pipeline.extract_text("乐清消防大队全年检查单位300家。").bureau == "乐清消防大队"


def test_a_page_that_states_its_year_nowhere_else_is_of_the_year_it_names_most(pipeline):
    # a dateline inside the first sentence and the months it reports: both name 2025
    assert pipeline.extract_text("某地新闻\n2025年11月19日，总队对外通报，2025年1-10月，全区处置警情2.59万起。").year == 2025
    # a target year and a starting point are not the page's; one year named once is
    assert pipeline.extract_text("某地新闻网站消息\n到2030年建成公园10个，全县植树造林3000亩。").year is None
    assert pipeline.extract_text("某地新闻网站消息\n全市企业由2019年底的27户增长到30户，在2022年度考核中位居前列。").year == 2022
    # two years named as often as each other: none is the page's
    assert pipeline.extract_text("某地新闻网站消息\n2021年检查企业30家，2022年检查企业40家。").year is None


def test_a_page_published_early_in_a_year_about_the_year_before_is_of_that_year(pipeline):
    document = pipeline.extract_text("成文日期：2026-01-05\n2025年以来，全县共发生事故4起。截至目前，2025年全县检查企业300家。")
    assert (document.date, document.year) == ("2026-01-05", 2025)
    # naming that year once is not enough: the publication date stands
    assert pipeline.extract_text("成文日期：2026-01-05\n与2025年相比，全县检查企业增加30家。").year == 2026


def test_xinjiang_is_known_by_its_short_name(pipeline):
    from reportmine.regions import regions

    assert [d.code for d in regions().lookup("新疆")] == ["650000"]
    document = pipeline.extract_text("新疆一季度就业形势总体平稳\n记者从自治区人力资源和社会保障厅获悉，一季度全区城镇新增就业11.4万人。")
    assert (document.bureau, document.region) == ("新疆维吾尔自治区人力资源和社会保障厅", "新疆维吾尔自治区")


# ---- short forms, subjects, places, dates and addresses read on real pages (2026-12, metadata round)

def test_whole_prefecture_is_no_county(pipeline):
    # 全州 says "the whole prefecture" (我州, 全州): not 全州县 of Guangxi, which keeps its full name
    document = pipeline.extract_text("今年我州水利投资完成12亿元，全州新建水库3座，全州灌区改造5处。")
    assert document.region is None or "全州县" not in document.region
    assert pipeline.extract_text("全州县应急管理局检查企业40家。").region == "广西壮族自治区桂林市全州县"
    assert pipeline.extract_text("全州县水利局今年新建水库2座。").bureau == "全州县水利局"


def test_planning_and_natural_resources_bodies_and_police_fire_brigades(pipeline):
    assert pipeline.extract_text("年度报告：江津区规划和自然资源局全年供地120公顷。"
                                 ).bureau == "江津区规划和自然资源局"
    # the short form is one body with the full form, named by it
    assert pipeline.extract_text("江津区规划自然资源局全年办理用地审批36件。").bureau == "江津区规划和自然资源局"
    assert pipeline.extract_text("2016年，绵阳市公安消防支队检查单位1200家。").bureau == "绵阳市公安消防支队"
    assert pipeline.extract_text("全区消防检查单位300家，发现隐患90处。").bureau is None  # no body, no place


def test_a_fire_page_is_its_brigades_by_the_name_of_its_year(pipeline):
    text = ("{y}年，怀化市火灾形势平稳。全年接警出警2100起，扑救火灾800起，营救被困人员90人，"
            "检查单位4000家，整改火灾隐患3000处。怀化市亡人火灾同比下降。")
    now = pipeline.extract_text(text.format(y=2023))
    assert (now.subject, now.bureau) == ("fire", "怀化市消防救援支队")
    before = pipeline.extract_text(text.format(y=2016))
    assert (before.subject, before.bureau) == ("fire", "怀化市公安消防支队")  # before the reform of 2018
    # a page on accidents and hazards is the emergency body's, not the brigade's
    safety = pipeline.extract_text("2023年，怀化市安全生产形势平稳，生产安全事故同比下降，排查隐患900处，开展应急演练40次，"
                                   "危险化学品企业检查120家。怀化市安全生产执法检查300次。")
    assert safety.subject == "emergency"


def test_a_transport_page_before_2008_names_the_transport_department(pipeline):
    text = ("{y}年全省交通工作情况\n{y}年，江西省公路建设完成投资300亿元，高速公路通车里程增加500公里，"
            "农村公路改造8000公里，客运量增长6%，货运量增长9%。江西省港口吞吐量增长，江西省航道整治120公里。")
    assert pipeline.extract_text(text.format(y=2004)).bureau == "江西省交通厅"
    assert pipeline.extract_text(text.format(y=2015)).bureau == "江西省交通运输厅"
    # a body that calls itself 交通局 keeps that name (it is not a short form of 交通运输局)
    assert pipeline.extract_text("2019年，某某县交通局修建公路12公里。巫溪县交通局完成投资3亿元。").bureau == "巫溪县交通局"


def test_a_body_named_without_its_place_says_whose_page_it_is():
    from reportmine.metadata import generic_body_kind

    assert generic_body_kind("记者从市交通运输局获悉，全市排查安全隐患120处，整改安全隐患110处。") == "transport"
    assert generic_body_kind("区市场监管局开展抽检200批次。") == "market"
    assert generic_body_kind("全市排查隐患120处。") is None  # no body named at all
    assert generic_body_kind("区商务局发放补贴300万元。") is None  # a body of no subject


def test_a_place_less_body_takes_its_place_from_the_address(pipeline, tmp_path):
    from reportmine.metadata import apply_manifest

    # the text names 市交通运输局 and safety words; the address names the city
    document = pipeline.extract_text("市交通运输局开展安全生产大检查，排查隐患80处，整改隐患75处，检查危险化学品运输企业20家。")
    assert document.subject == "transport" and document.bureau is None
    row = {"url": "https://www.jyg.gov.cn/a/1.html"}
    filled = apply_manifest(dict(document.model_dump(), path="/tmp/t.txt"), {"/tmp/t.txt": row})
    assert (filled["bureau"], filled["region"]) == ("嘉峪关市交通运输局", "甘肃省嘉峪关市")


def test_a_municipality_is_the_city_of_a_place_less_city_body(pipeline):
    document = pipeline.extract_text("重庆市一季度安全形势平稳。市应急局督查企业45家，重庆市检查企业300家。")
    assert (document.bureau, document.region) == ("重庆市应急管理局", "重庆市")
    other = pipeline.extract_text("杭州市一季度安全形势平稳。市应急局督查企业45家，杭州市检查企业300家。")
    assert other.bureau == "杭州市应急管理局"
    county = pipeline.extract_text("县应急局督查企业45家。重庆市检查企业300家，重庆市整改隐患。")
    assert county.bureau is None  # a 县 body is no municipality's


def test_the_region_a_page_names_most_counts_a_place_and_the_places_it_holds(pipeline):
    from reportmine.metadata import dominant_division

    # 河南 and 河南省 are one place; its cities speak of it too
    assert dominant_division("河南省全年事故下降。河南推进整治。郑州市、洛阳市检查。河南省安委会部署，河南开展。香港同行。", None).name == "河南省"
    # a city's districts and counties back the city when the city is not named
    assert dominant_division("涪城区新建大棚，涪城区推广良种，游仙区试种，三台县示范。", None).name == "绵阳市"
    # a city named twice and its province once: the city
    assert dominant_division("乐山检查单位。乐山多年平稳。四川同行。", None).name == "乐山市"
    assert dominant_division("涪城区新建大棚。", None) is None  # one mention is too few


def test_a_place_is_spelled_by_every_reading_of_its_characters():
    from reportmine.metadata import host_reading

    assert host_reading("https://chaoyang.gov.cn/html/1.html")[1].name == "朝阳市"  # 朝 read chao
    assert host_reading("https://changzhi.gov.cn/x/1.html")[1].name == "长治市"  # 长 read chang
    assert host_reading("https://changsha.gov.cn/x/1.html")[1].name == "长沙市"  # the usual reading still
    assert host_reading("https://www.nx.gov.cn/1.html")[1].name == "宁夏回族自治区"  # initials from the usual reading only


def test_a_province_or_citys_own_domain_in_initials():
    from reportmine.metadata import host_reading

    assert host_reading("http://td.gd.gov.cn/a/1.html")[1].name == "广东省"
    assert host_reading("https://www.jyg.gov.cn/a/1.html")[1].name == "嘉峪关市"
    assert host_reading("https://www.sx.gov.cn/a/1.html") == (None, None)  # 山西, 陕西, 绍兴
    assert host_reading("https://gd.example.cn/a/1.html") == (None, None)  # not a government host


def test_the_date_a_page_was_published_outranks_the_date_it_was_written():
    assert find_date("发文机关：某区林业局\n成文日期：2021年3月2日\n发布日期：2021年03月15日\n正文") == "2021-03-15"
    assert find_date("归档时间：2023/7/1 08:00:00\n来源：某局 发布时间：2021-05-06 10:00:00\n正文") == "2021-05-06"
    assert find_date("成文日期：2021年3月2日\n正文") == "2021-03-02"  # the only date


def test_speech_datelines_paper_datelines_and_dates_in_chinese_numerals():
    assert find_date("某县预算执行情况的报告\n(2024年1月9日在区人民代表大会第三次会议上)\n各位代表：") == "2024-01-09"
    assert find_date("在全市大会上的讲话\n——2020年11月3日在市人民代表大会上\n同志们") == "2020-11-03"
    assert find_date("某某晚报2019年08月12日\n本报讯 近日，全市检查商户60家。") == "2019-08-12"
    assert find_date("正文。\n办公室\n二〇〇八年五月六日") == "2008-05-06"
    assert find_date("正文。\n某处\n二OO七年十月二十日") == "2007-10-20"  # a typed O for 〇
    assert find_date("2024年1月9日在县里召开了会议。\n正文") is None  # a sentence, not a dateline
    assert find_date("二〇〇八年五月六日，全省交通投资增长。") is None


def test_a_date_signed_right_after_a_body_whose_lines_were_run_together():
    assert find_date("某省统计公报某省卫生健康委员会2018年4月2日2017年是关键之年。") == "2018-04-02"
    assert find_date("统计公报。某县统计局 2020年3月1日") == "2020-03-01"
    assert find_date("会议要求各单位2018年4月2日前报送材料。") is None  # no body before it


def test_an_address_gives_the_year_of_its_folder_and_a_day_after_it():
    from reportmine.metadata import apply_manifest

    def read(url, **document):
        base = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "region_code": None,
                "year": None, "date": None, "title": None, "provenance": {}}
        return apply_manifest(dict(base, **document), {"/tmp/a.txt": {"url": url}})

    assert (read("https://news.example.cn/a/201903/88.shtml")["year"], read("https://news.example.cn/a/201903/88.shtml")["date"]) == (2019, None)
    assert read("https://www.example.cn/art/2022/art_x9.html")["year"] == 2022
    assert read("https://m.example.cn/new/12_34/2012_3_8_ab12.shtml")["year"] == 2012
    assert read("https://www.example.cn/html/a/2024/ABCD_0311/5.html")["date"] == "2024-03-11"
    assert read("https://www.example.cn/html/2020/news_1120/1.shtml")["date"] == "2020-11-20"
    assert read("https://news.example.cn/a/201903/88.shtml", year=2017)["year"] == 2017  # the text's year stays
    assert read("https://news.example.cn/a/12345/3756.shtml")["year"] is None


def test_a_summary_of_the_years_work_with_le():
    assert find_year("工作会议", "2017-02-01", "会上总结了2016年工作，部署了2017年任务。") == 2016
    assert find_year("工作会议", "2017-02-01", "会上回顾总结了2016年度工作。") == 2016
    assert find_year("工作会议", "2017-02-01", "会上安排了2017年任务。") == 2017


def test_the_body_a_report_names_as_its_source_is_the_pages(pipeline):
    text = ("记者从吉林省应急管理厅获悉，端午期间全省安全平稳。吉林省安委办组织检查6次。"
            "吉林省安委办印发提示。吉林省安委办开展抽查。")
    assert pipeline.extract_text(text).bureau == "吉林省应急管理厅"
    assert pipeline.extract_text("笔者从眉山市统计局了解到，眉山市水利局完成投资。眉山市水利局新建水库2座。").bureau == "眉山市统计局"
    # without a source, the body named most wins
    assert pipeline.extract_text("吉林省应急管理厅部署。吉林省安委办检查。吉林省安委办通报。").bureau == "吉林省安全生产委员会办公室"


def test_a_line_of_work_names_the_subject():
    from reportmine.metadata import find_subject

    assert find_subject("全省水利工作回顾：水库蓄水充足。", "甘肃水利工作一览") == "water"
    assert find_subject("全县统计工作会议召开，总结统计工作。", None) == "statistics"
    assert find_subject("全县工作会议召开。", None) is None


def test_a_dateline_followed_by_the_reporters_byline():
    assert find_date("某某晚报\n2024年3月5日  记者 张明 通讯员 李强\n正文。") == "2024-03-05"
    assert find_date("标题\n2022年11月8日　本报记者 王华\n正文。") == "2022-11-08"
    # a sentence that begins with the date and names a reporter later is no dateline
    assert find_date("2022年11月8日上午，记者走访了多家企业。") is None


def test_a_clock_time_written_in_characters_and_a_stamp_with_a_space_after_the_year():
    assert find_date("某网站 www.example.cn   2012年10月03日 14时05分   来源:某日报\n正文") == "2012-10-03"
    assert find_date("标题- 某网频道\n某网 > > 正文\n2024 03/18 10:12:40\n来源:某日报") == "2024-03-18"
    assert find_date("会议在2024 03/18召开，共有120人参加。") is None


def test_a_publication_date_in_a_table_cell_and_a_headlines_date_in_brackets():
    assert find_date("[ 成文日期 ] | 2023-03-02 | [ 发布日期 ] | 2023-03-09 |\n正文") == "2023-03-09"
    assert find_date("| 发布日期 | 2021-07-30 | 文号 |\n正文") == "2021-07-30"
    assert find_date("某区3月安全生产检查情况通报 ( 2023-04-11 )\n正文。") == "2023-04-11"
    assert find_date("某区3月安全生产检查情况通报（2023-04-11）\n正文。") == "2023-04-11"
    # a date in brackets closing a sentence is not the page's
    assert find_date("正文。\n检查企业12家，整改隐患30处（截至2023-04-11）") is None


def test_a_headlines_date_set_after_it_on_the_first_line():
    assert find_date("国庆长假全市旅游市场平稳,共接待游客12万人次  2022年10月08日\n正文。") == "2022-10-08"
    assert find_date("某县召开安全生产会议 2023年05月06日\n\n正文。") == "2023-05-06"
    # on a later line, a sentence that ends in a date is not a dateline
    assert find_date("标题\n检查工作持续到 2023年05月06日") is None


def test_a_sentence_after_a_first_line_read_as_the_title_gives_no_title_year():
    text = "3月2日,某市交通工作会议召开。会议强调,2024年要保安全。\n会议指出,2023年,全市交通系统完成投资10亿元。"
    assert find_year(text.splitlines()[0], None, text) == 2023
    text = "1月9日,某县农业工作会议召开。会议强调,2025年要稳粮保供。\n据介绍,2024年,全县粮食产量12万吨。"
    assert find_year(text.splitlines()[0], None, text) == 2024
    # a headline names its year before any full stop
    assert find_year("某市2024年交通工作会议召开。", None, "会议指出,2023年,全市完成投资10亿元。") == 2024


def test_a_page_early_in_a_year_on_last_years_figures_covers_last_year():
    assert find_year("某省粮食产量创新高", "2022-01-20", "召开2021年全省经济运行情况新闻发布会。粮食产量增长3%。") == 2021
    assert find_year("全市火灾形势平稳", "2019-02-11", "去年，全市共检查单位1200家，查处隐患300处。") == 2018
    # a comparison with last year, or a page later in the year, is its own year's
    assert find_year("全市火灾形势平稳", "2019-02-11", "1月以来，全市火灾起数较去年同期下降5%。") == 2019
    assert find_year("全市火灾形势平稳", "2019-05-11", "去年，全市共检查单位1200家。") == 2019


def test_a_look_back_over_a_five_year_plan_covers_its_last_year():
    assert find_year(None, None, "“十三五”期间，全市交通建设取得显著成效，新建公路320公里。") == 2020
    assert find_year(None, "2026-01-08", "在“十四五”高质量发展答卷系列新闻发布会上获悉，全省新建学校40所。") == 2025
    # a page published before the plan's end speaks of the plan ahead; 以来 is the plan so far
    assert find_year(None, "2022-03-01", "“十四五”期间，全省将新建学校40所。") == 2022
    assert find_year(None, None, "“十四五”以来，全市完成投资25亿元。") is None


def test_a_places_line_of_work_names_its_body_before_one_written_without_place():
    from reportmine.metadata import find_bureau

    assert find_bureau("在省生态环境厅的指导下，南通市生态环境系统完成排污口整治30个。", None)[0] == "南通市生态环境局"
    assert find_bureau("按照省农业农村厅部署，绵阳市农业农村部门推广良种12万亩。", None)[0] == "绵阳市农业农村局"
    # a line of work without its place leaves the body written without place to its own rule
    assert find_bureau("在省生态环境厅的指导下，全市生态环境系统完成排污口整治30个。", None)[0] != "南通市生态环境局"


def test_of_two_places_named_as_often_a_place_less_city_body_is_the_one_holding_more():
    from reportmine.metadata import find_bureau

    text = "市市场监管局通报：耒阳市检查商户120家，耒阳市罚款5万元；衡阳县、祁东县各检查80家，衡阳两次获评先进、衡阳名列前茅。"
    assert find_bureau(text, None)[0] == "衡阳市市场监督管理局"
    text = "市应急管理局通报：醴陵市检查企业40家，醴陵市整改隐患12处，攸县、茶陵县各检查20家，株洲两次排名第一、株洲获表扬。"
    assert find_bureau(text, None)[0] == "株洲市应急管理局"
    # a place named more often still wins
    text = "市应急管理局通报：醴陵市检查企业40家，醴陵市整改隐患12处，醴陵市约谈企业5家，株洲获表扬。"
    assert find_bureau(text, None)[0] == "醴陵市应急管理局"


def test_a_bulletins_heading_names_the_deepest_place_on_one_line_of_descent(pipeline):
    document = pipeline.extract_text("2022年获嘉县国民经济和社会发展统计公报 全县深入贯彻视察河南重要讲话精神\n正文。")
    assert document.bureau == "获嘉县统计局"
    document = pipeline.extract_text("2021年新野县国民经济和社会发展统计公报 牢记河南嘱托\n地区生产总值增长5%。")
    assert document.bureau == "新野县统计局"
    # places on two lines of descent: the last, as before
    from reportmine.metadata import _division_named

    assert _division_named("江西省和安徽省", "").name == "安徽省"


def test_short_forms_of_bodies_and_a_place_name_inside_an_ordinary_phrase(pipeline):
    assert pipeline.extract_text("贵州省林草局通报：完成造林12万亩。").bureau == "贵州省林业和草原局"
    assert pipeline.extract_text("2014年，山东省工商局检查经营户3万户次。").bureau == "山东省工商行政管理局"
    # 重大安全风险 holds no 大安
    assert pipeline.extract_text("市应急管理局全力防范化解重大安全风险，检查企业30家。").bureau != "大安市应急管理局"


def test_a_civil_affairs_page_names_its_bureau(pipeline):
    document = pipeline.extract_text("泸州市民生工程进展良好\n泸州将城市低保对象6万人纳入保障，临时救助3000人次，特困供养1200人，泸州新建敬老院3所。")
    assert (document.subject, document.bureau) == ("civil_affairs", "泸州市民政局")
    document = pipeline.extract_text("青海省社会救助工作\n全省发放低保金2亿元，临时救助5万人次，特困人员供养1万人，建成养老机构30家，青海省婚姻登记率提高。")
    assert document.subject == "civil_affairs"
    assert pipeline.extract_text("全市检查企业30家，整改隐患120处，安全生产形势平稳。").subject != "civil_affairs"


def test_a_year_a_period_starts_from_is_not_the_pages():
    text = "2023年以来，全市排查隐患500项。每千次检查发现隐患从2022年的9.4项提升至40.1项。2022年以来，已完成检查300家。"
    assert find_year("全市推进安全生产治本攻坚", "2023-12-15", text) == 2023
    text = "2020年以来累计建成公路80公里，从2019年的60公里增至140公里；2019年以来投入资金2亿元。"
    assert find_year("某县公路建设", "2020-11-02", text) == 2020
    # a year the page reviews, named in full, still outranks the publication date
    assert find_year("某县公路建设", "2021-05-02", "2019年，全县建成公路80公里。2019年，投入资金2亿元。") == 2019


def test_a_place_less_body_of_no_line_of_work_named_once_in_passing_is_not_the_pages():
    from reportmine.metadata import generic_body

    body = "正文第一行。\n第二行。\n第三行。\n全市排查隐患120处，整改110处。市安委办建立周调度机制，检查企业300家。"
    assert generic_body(body) is None
    assert generic_body("第一行。\n第二行。\n第三行。\n依照市商务局的通知，我委开展调查。全市医院30家。") is None
    # named twice, named as the news source, or a body of a line of work: still the page's
    assert generic_body("第一行。\n第二行。\n第三行。\n市安委办通报隐患。市安委办督导企业30家。") == ("市", "安全生产委员会办公室")
    assert generic_body("第一行。\n第二行。\n第三行。\n记者从市商务局获悉，全市新增企业30家。") == ("市", "商务局")
    assert generic_body("第一行。\n第二行。\n第三行。\n市统计局发布数据，全市生产总值增长5%。") == ("市", "统计局")


def test_a_day_first_stamp_with_dots():
    assert find_date("标题\n06.01.2016 09:27\n本文来源: 某网") == "2016-01-06"
    assert find_date("标题\n23.11.2020\n正文") == "2020-11-23"
    # a version number or a day-first date inside a sentence is not the page's
    assert find_date("标题\n系统升级到12.03.2020版后，检查企业30家。") is None


def test_a_places_other_name_in_brackets_belongs_to_its_body():
    from reportmine.metadata import find_bureau

    name = "珠海市斗门区(经济开发区)市场监督管理局"
    assert find_bureau(f"{name}第二季度工作情况\n{name}开展检查120次。", None)[0] == name
    name = "成都市双流区（空港新区）应急管理局"
    assert find_bureau(f"{name}工作总结\n{name}检查企业80家。", None)[0] == name
    # brackets that hold a sentence's aside, not a name, stay out
    assert find_bureau("苏州市吴江区市场监督管理局（以下简称区局，全年检查300家）开展检查。", None)[0] == "苏州市吴江区市场监督管理局"


def test_a_page_naming_only_an_annual_assessments_year_reports_the_year_after():
    assert find_year(None, None, "今年以来，市应急局扎实工作，我市在2021年度安全生产考核中位居全省第二。") == 2022
    assert find_year(None, None, "前三季度，市交通局推进工程建设，2020年度考核排名全省第4名。") == 2021
    # a meeting held for the assessment, or another year named, is no such page
    assert find_year(None, None, "12月19日，记者从2023年度安全生产考核汇报会上获悉，今年以来火灾下降1%。") == 2023
    assert find_year(None, None, "2021年，全市完成投资10亿元，2021年度考核排名全省第4名。") == 2021


def test_a_page_speaking_from_a_later_year_counts_its_own_last_year_from_then():
    """A January news item on last year's work covers last year, and its 去年 is that year, its
    今年 the year it was published in; a page that covers its own year counts from that year."""
    from reportmine import Pipeline

    pipeline = Pipeline(extractor="rules")
    january = pipeline.extract_text("2018年1月17日\n去年，全市共检查单位2352家。今年，计划检查单位3000家。全年共发生火灾11起。")
    assert january.year == 2017
    assert [(m.text, m.period) for m in january.metrics] == [("2352家", "2017"), ("3000家", "2018"), ("11起", "2017")]
    summary = pipeline.extract_text("2023年工作总结\n今年以来，全县共检查企业120家。去年检查企业100家。")
    assert [(m.text, m.period) for m in summary.metrics] == [("120家", "2023"), ("100家", "2022")]


def test_a_page_speaking_of_its_own_city_takes_the_city_it_names():
    from reportmine.metadata import own_place_division

    text = "今年以来，全市上下齐心协力，我市经济平稳。建设美丽辽阳，辽阳市新增企业12家。"
    assert own_place_division(text, None).name == "辽阳市"
    # a county's page names its county
    assert own_place_division("全县共有学校20所，我县投入资金1亿元。渑池县新建校舍3栋，渑池还扩建操场。", None).name == "渑池县"


def test_own_place_words_need_a_firm_mention_of_the_place():
    from reportmine.metadata import own_place_division

    # 顺利通过 holds 利通 (a district's short name) once: not the page's place
    assert own_place_division("全区卫生机构111间，我区医院顺利通过复审。全区床位增加。", None) is None
    # no words for an own place: nothing read
    assert own_place_division("辽阳市辽阳市新增企业12家。", None) is None


def test_an_address_word_spelling_a_place_in_full_pinyin_gives_the_region():
    from reportmine.metadata import address_place

    assert address_place("https://portal.example.cn/yuanling/c108871/202011/abc.shtml").name == "沅陵县"
    assert address_place("http://lincang.yunnan.cn/system/2023/08/15/1.shtml").name == "临沧市"
    # initials and short words are not read, nor section names
    assert address_place("https://example.com/zwgk/tjgb/news/1.html") is None
    assert address_place("https://example.com/xian/1.html") is None


def test_a_county_named_on_a_citys_page_gives_way_to_the_city_above_it():
    from reportmine.metadata import own_place_above
    from reportmine.regions import regions

    county = regions().lookup("邕宁区")[0]
    page = "今年我市农业丰收，全市农民增收。邕宁区新建示范村。"
    assert own_place_above(county, page).name == "南宁市"
    # a county's own page keeps its county
    assert own_place_above(county, "全区农民增收，我区新建示范村。").name == "邕宁区"
    # a page that speaks of no place of its own keeps what it names
    assert own_place_above(county, "邕宁区新建示范村。").name == "邕宁区"


def test_of_a_city_and_a_county_level_city_named_as_often_a_citys_page_takes_the_city():
    from reportmine.metadata import own_place_division

    page = "今年以来，全市新开工项目5个，我市建筑业增长。亳州市召开会议，项城市企业来访。"
    assert own_place_division(page, None).name == "亳州市"


def test_farmers_income_does_not_make_an_agriculture_page_a_statistics_one():
    from reportmine.metadata import find_subject

    page = ("全市粮食丰收，生猪出栏增加，蔬菜产量增长，农机推广加快。农村居民人均可支配收入增长7%，"
            "城镇居民收入也有增长。")
    assert find_subject(page, None) == "agriculture"
    bulletin = "初步核算，全年地区生产总值增长5%。第一产业增加值增长3%，规模以上工业增加值增长6%。粮食产量增加。"
    assert find_subject(bulletin, None) == "statistics"


def test_a_headline_year_for_a_plan_is_not_the_pages_year():
    from reportmine.metadata import headline_years

    assert headline_years("某省：2023年将新开工改造老旧小区1800个") == []
    assert headline_years("某省2022年改造老旧小区1900个，2023年计划再改1800个") == [2022]
    assert find_year("某市2024年工作总结", None, "") == 2024
    page = "某网讯：据某厅消息，2023年，全省将开工改造小区1800个。\n2022年，全省改造老旧小区1900个。"
    assert find_year("某省：2023年将开工改造老旧小区", None, page) == 2022


def test_a_year_opening_a_sentence_after_its_source_is_the_pages():
    assert find_year(None, None, "根据省气象局的报告，2015年，全省平均气温偏高。\n预计2016年降雨偏多。") == 2015
    assert find_year(None, None, "据统计，2021年，全县接待游客12万人次。") == 2021
    # a source clause inside a line opens no paragraph
    from reportmine.metadata import document_cues
    assert not any(p.search("会上强调，据测算，2030年，全县…") for p in document_cues()["opening_year"])


def test_a_stock_to_last_years_end_on_a_page_published_early_next_year_is_last_years():
    assert find_year(None, "2021-04-21", "记者获悉，截至2020年底，全国共检查主体509万户次。") == 2020
    assert find_year(None, "2014-06-30", "编制规划。截至去年底，全省森林面积达1.27亿亩。") == 2013
    # a page that speaks of its own year too covers that year
    assert find_year(None, "2021-04-21", "截至2020年底，共有企业12家；今年以来新增3家。") == 2021
    assert find_year(None, "2021-04-21", "截至2020年底，共有企业12家；2021年新增3家。") == 2021


def test_a_body_not_of_the_kind_the_page_calls_itself_is_not_the_pages(pipeline):
    page = ("某省文件要求以及黄石市商务局分工的通知，我委就医疗卫生服务业进行了全市摸底。\n"
            "截至2013年底，全市共有医院23所，床位7325张，卫生技术人员8776人，门急诊量44万人次，卫生院12所。\n"
            "我委将继续推进。")
    document = pipeline.extract_text(page)
    assert document.bureau != "黄石市商务局"
    assert document.region.endswith("黄石市")
    # a page that calls its body 我局 keeps the 局 it names
    document = pipeline.extract_text("黄石市商务局召开会议。我局全年引进项目12个，我局将继续努力。")
    assert document.bureau == "黄石市商务局"


def test_a_page_on_last_years_end_counts_its_own_last_year_from_its_publication(pipeline):
    document = pipeline.extract_text("发布时间：2014-06-30\n编制规划。截至去年底，全省森林面积达1.27亿亩。")
    assert document.year == 2013
    figure = next(m for m in document.metrics if m.value == 1.27e8 or "1.27" in m.text)
    assert "2013" in str(figure.period)


def test_a_host_label_spelling_several_places_is_settled_by_the_kind_of_place_the_page_speaks_of():
    from reportmine.metadata import host_reading

    assert host_reading("https://www.sx.gov.cn/art/1.html", "", "市")[1].name == "绍兴市"
    assert host_reading("https://www.wuhua.gov.cn/a/1.html", "", "县")[1].name == "五华县"
    # without the page's kind they stay unread
    assert host_reading("https://www.sx.gov.cn/art/1.html") == (None, None)
    assert host_reading("https://www.wuhua.gov.cn/a/1.html") == (None, None)
    # a kind that none of them is: unread
    assert host_reading("https://www.wuhua.gov.cn/a/1.html", "", "省") == (None, None)


def test_a_provincial_bodys_suffix_written_with_no_place_is_the_provinces(pipeline):
    page = ("四川全面启动乡村水务建设行动。\n3月3日，四川省乡村水务推进会在广元市举行，四川各地参加。\n"
            "2021年，水利厅围绕乡村振兴在全省22个县开展试点，四川省开工供水工程214处。")
    document = pipeline.extract_text(page)
    assert document.bureau == "四川省水利厅"
    # a 局 written bare is no province's
    from reportmine.metadata import generic_body
    assert generic_body("，水利局围绕乡村振兴开展试点。水利局完成任务。") is None


def test_a_place_naming_an_event_is_no_mention_of_the_pages_place(pipeline):
    from reportmine.metadata import without_event_places

    assert "杭州" not in without_event_places("针对杭州亚运会等重大活动，开展检查。")
    assert len(without_event_places("针对杭州亚运会等重大活动")) == len("针对杭州亚运会等重大活动")
    assert without_event_places("杭州市召开会议。") == "杭州市召开会议。"  # no event: unchanged
    document = pipeline.extract_text("今年以来，市应急管理局围绕保障杭州亚运会开展工作，检查企业120家。")
    assert document.region is None and document.bureau is None


def test_a_host_label_is_settled_by_the_place_word_of_a_body_named_without_its_place():
    from reportmine.metadata import apply_manifest

    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "provenance": {}, "subject": "emergency",
                "scope": None,
                "metrics": [{"context": "今年以来，市应急管理局检查企业120家，市应急管理局还开展了演练。"}]}
    read = apply_manifest(document, {"/tmp/a.txt": {"url": "https://www.sx.gov.cn/art/1.html", "title": ""}})
    assert read["region"].endswith("绍兴市") and read["bureau"] == "绍兴市应急管理局"


def test_a_county_renamed_since_is_written_as_the_page_names_it():
    from reportmine.metadata import region_as_written
    from reportmine.regions import regions

    county = regions().lookup("澄江")[0]  # a county until 2019, a city since
    assert region_as_written(county, "澄江县2015年地质灾害防治方案，澄江县共有灾害点35处。").endswith("玉溪市澄江县")
    assert region_as_written(county, "澄江市2024年工作总结").endswith("玉溪市澄江市")
    # a province keeps its name whatever the page writes
    province = regions().lookup("山西省")[0]
    assert region_as_written(province, "山西市场监管") == "山西省"


def test_an_address_word_naming_a_section_is_no_place():
    from reportmine.metadata import address_place

    assert address_place("https://example.com/xxgk/dongtai/2023/1.html") is None  # 动态, not 东台市
    assert address_place("https://example.com/ziyuan/1.html") is None  # 资源: an ordinary word's place
    assert address_place("https://example.com/pingan/1.html") is None
    assert address_place("https://example.com/xinhua/1.html") is None  # 新华 is an ordinary word, whatever 新化县 spells
    assert address_place("https://nanhai.example.com/a/1.html") is None  # the South China Sea names portals
    assert address_place("https://example.com/news/dongtai/1.html", "东台市召开会议") is None
    assert address_place("https://example.com/yuanling/dongtai/1.html").name == "沅陵县"


def test_a_pages_scope_is_the_place_it_speaks_of_as_its_own(pipeline):
    assert pipeline.extract_text("今年以来，全市检查企业120家，全市整改隐患30处。").scope == "市"
    assert pipeline.extract_text("今年以来，县应急管理局检查企业120家。").scope == "县"
    assert pipeline.extract_text("检查企业120家。").scope is None
    # the scope read from the text settles the host, with no figures' contexts at hand
    from reportmine.metadata import apply_manifest
    document = {"doc": "a.txt", "path": "/tmp/a.txt", "bureau": None, "region": None, "provenance": {},
                "subject": "statistics", "scope": "县"}
    read = apply_manifest(document, {"/tmp/a.txt": {"url": "https://www.wuhua.gov.cn/a/1.html", "title": ""}})
    assert read["region"].endswith("梅州市五华县") and read["bureau"] == "五华县统计局"


def test_a_page_on_part_of_its_own_year_is_not_last_years_for_a_stock_to_last_years_end():
    assert find_year(None, "2014-11-05", "1-10月，全省完成造林120万亩；截至去年底，全省森林覆盖率48%。") == 2014
    assert find_year(None, "2021-08-02", "上半年新增企业3家，截至2020年底共有企业12家。") == 2021


def test_a_county_the_title_names_stays_on_a_page_speaking_of_the_city():
    from reportmine.metadata import read_metadata
    from reportmine.normalize import normalize
    from reportmine.lexicons import load_lexicons

    lexicons = load_lexicons()
    page = "邕宁区春运工作总结\n全市春运平稳，我市统一部署。邕宁区投放客车243台，全市旅客增加。"
    assert read_metadata(normalize(page, lexicons), lexicons)["region"].endswith("南宁市邕宁区")
    # a title that names the county after words for the city's own place does not keep it
    page = "我市推进示范村建设。图为邕宁区新建的示范村\n今年我市农业丰收，全市农民增收，邕宁区增收最多。"
    assert read_metadata(normalize(page, lexicons), lexicons)["region"].endswith("南宁市")

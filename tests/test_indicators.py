import pytest

from reportmine.errors import LexiconError
from reportmine.evaluate import evaluate_folder
from reportmine.indicators import IndicatorMapper, merge_taxonomies, parse_indicators

from conftest import CORPUS


def indicators_of(pipeline, text: str) -> dict:
    """figure as written -> its indicator, through the rules."""
    return {m.text: m.indicator for m in pipeline.extract_text(text).metrics}


def test_the_shipped_taxonomy_spans_many_kinds_of_bureau(lexicons):
    ids = [i.id for i in lexicons.indicators]
    assert len(ids) == len(set(ids)) >= 250
    domains = {i.split(".")[0] for i in ids}
    for domain in ("safety", "accidents", "fire", "market", "environment", "economy", "population", "employment",
                   "agriculture", "transport", "health", "education", "water", "housing", "finance"):
        assert domain in domains, domain
    assert all(i.zh and i.unit for i in lexicons.indicators)


def mapper(lexicons):
    return IndicatorMapper(lexicons.taxonomy)


def test_mapping_examples(lexicons):
    m = mapper(lexicons)
    assert m.assign("count", "家次", "企业", "检查", None) == ("safety.enterprises.inspected", "taxonomy")
    assert m.assign("rate", "%", "整改率", "整改", None)[0] == "safety.hazards.rectification_rate"
    assert m.assign("money", "元", "处罚金额", "处罚", None)[0] == "enforcement.fines.amount"
    # statistics bulletins, transport, health: names with words between their parts
    assert m.assign("money", "元", "全县地区生产总值", "", None)[0] == "economy.gdp.value"
    assert m.assign("money", "元", "人均地区生产总值", "", None)[0] == "economy.gdp.per_capita"
    assert m.assign("measure", "人公里", "公路营业性旅客周转量", "完成", None)[0] == "transport.road_passengers.turnover"
    assert m.assign("measure", "人公里", "旅客周转量", "完成", None)[0] == "transport.passengers.turnover"
    assert m.assign("count", "人次", "门急诊", "", None)[0] == "health.outpatient.visits"
    # a change goes to its level's column with a suffix; a change never feeds the level
    assert m.assign("rate", "%", "地区生产总值", "增长", "up")[0] == "economy.gdp.value_change_pct"
    assert m.assign("rate", "个百分点", "城镇化率", "提高", "up")[0] == "population.urbanization.rate_change_pp"
    assert m.assign("count", "起", "较大事故", "减少", "down")[0] == "accidents.larger.count_change"


def test_severities_and_sectors_have_columns_of_their_own(lexicons):
    m = mapper(lexicons)
    assert m.assign("count", "起", "生产安全事故", "发生", None)[0] == "accidents.all.count"
    assert m.assign("count", "起", "较大生产安全事故", "发生", None)[0] == "accidents.larger.count"
    assert m.assign("count", "起", "道路交通事故", "发生", None)[0] == "accidents.road.count"
    # a sentence's label makes a bare 事故 specific
    assert m.assign("count", "起", "事故", "", None, topic="道路交通")[0] == "accidents.road.count"


def test_figures_no_id_covers_get_a_signature_shared_across_wordings(lexicons):
    m = mapper(lexicons)
    first = m.assign("count", "个", "全县乡镇应急服务站", "建成", None)
    second = m.assign("count", "个", "乡镇应急服务站", "建成", None)
    assert first == second and first[1] == "signature" and first[0].startswith("~乡镇应急服务站|建成|")
    # 家 and 家次 count the same kind of thing
    assert m.assign("count", "家", "物流园区", "走访", None)[0] == m.assign("count", "家次", "物流园区", "走访", None)[0]
    assert m.assign("count", "个", "", "", None) == (None, None)


def test_changes_pair_with_the_figures_they_follow(rules_pipeline):
    # the mapper's pairing, on the rules' reading (the tagger may name a figure otherwise)
    document = rules_pipeline.extract_text(
        "其中，发生较大事故63起，死亡239人，同比增加13起、36人，分别上升26%和17.7%。")
    assert [(m.text, m.indicator) for m in document.metrics] == [
        ("63起", "accidents.larger.count"), ("239人", "accidents.larger.deaths"),
        ("13起", "accidents.larger.count_change"), ("36人", "accidents.larger.deaths_change"),
        ("26%", "accidents.larger.count_change_pct"), ("17.7%", "accidents.larger.deaths_change_pct")]
    assert {m.indicator_source for m in document.metrics} == {"taxonomy"}


def test_ties_map_to_nothing_taxonomy_wise(tmp_path):
    path = tmp_path / "indicators.yaml"
    data = {"indicators": [{"id": "a.b.c", "zh": "甲", "kind": "count", "unit": "家", "objects": ["企业"]},
                           {"id": "a.b.d", "zh": "乙", "kind": "count", "unit": "家", "objects": ["企业"]}]}
    mapper_ = IndicatorMapper(merge_taxonomies([parse_indicators(path, data)]))
    assert mapper_.assign("count", "家", "企业", "检查", None)[1] == "signature"


def test_unit_conversions_are_exact(lexicons):
    from fractions import Fraction

    assert lexicons.taxonomy.factor("亩", "公顷") == Fraction(1, 15)
    assert lexicons.taxonomy.factor("斤", "吨") == Fraction(1, 2000)
    assert lexicons.taxonomy.factor("人", "公顷") is None


@pytest.mark.parametrize("text, message", [
    ("indicators:\n  - {id: a.b.c, zh: 甲, kind: count, unit: 家, objects: [企业]}\n"
     "  - {id: a.b.c, zh: 乙, kind: count, unit: 家, objects: [企业]}\n", r"indicators.yaml:3: duplicate indicator id"),
    ("indicators:\n  - {id: enterprises_inspected, zh: 甲, kind: count, unit: 家, objects: [企业]}\n",
     r"indicators.yaml:2: enterprises_inspected: an id is domain.subject.measure"),
    ("indicators:\n  - {id: a.b.c, zh: 甲, kind: count, unit: 家}\n", r"indicators.yaml:2: a.b.c: needs aliases"),
    ("- {id: a.b.c}\n", r"indicators.yaml:1: expected a mapping"),
])
def test_malformed_taxonomy_fails_with_file_and_line(tmp_path, text, message):
    import yaml

    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        parse_indicators(path, yaml.safe_load(text))


def test_mapping_coverage_and_precision_on_the_corpus(rules_pipeline):
    scores = evaluate_folder(CORPUS / "docs", CORPUS / "gold", rules_pipeline)
    assert scores.indicator_coverage >= 0.85
    assert scores.indicator_precision >= 0.80


def test_suggest_lists_recurring_signatures_with_examples_and_a_stub(tmp_path):
    from typer.testing import CliRunner

    from reportmine.cli import app

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("甲县应急管理局今年新建乡镇应急服务站12个。", encoding="utf-8")
    (docs / "b.txt").write_text("乙县应急管理局全年新建乡镇应急服务站8个。", encoding="utf-8")
    (docs / "c.txt").write_text("丙县应急管理局检查企业30家。", encoding="utf-8")
    result = CliRunner().invoke(app, ["indicators", "suggest", str(docs)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("~乡镇应急服务站|新建|") and "2 documents, 2 figures" in first
    assert "a.txt: 12个" in result.output and "aliases: [\"新建 乡镇应急服务站\"]" in result.output
    assert "企业" not in result.output  # covered by the taxonomy: nothing to suggest


def test_figures_listed_before_respectively_take_their_names_in_order(rules_pipeline):
    document = rules_pipeline.extract_text(
        "全年地区生产总值1042331万元，其中第一、二、三产业增加值分别为196262万元、316312万元和529757万元，"
        "分别比上年增长2.9%、6.9%和4.1%。")
    assert [m.indicator for m in document.metrics][1:] == [
        "economy.primary_industry.value_added", "economy.secondary_industry.value_added",
        "economy.tertiary_industry.value_added", "economy.primary_industry.value_added_change_pct",
        "economy.secondary_industry.value_added_change_pct", "economy.tertiary_industry.value_added_change_pct"]
    document = rules_pipeline.extract_text("全年农业、林业、畜牧业和渔业产值分别为45亿元、5亿元、26亿元和2亿元。")
    assert [m.indicator for m in document.metrics] == [
        "economy.farming.output", "economy.forestry.output", "economy.animal_husbandry.output", "economy.fishery.output"]


def test_names_of_unequal_length_before_respectively_share_the_last_ones_head(rules_pipeline):
    # the pollutants differ in length and only the last carries the head noun (年均浓度): each
    # figure still takes its own pollutant, not the last one named
    document = rules_pipeline.extract_text(
        "去年城区二氧化硫、二氧化氮、可吸入颗粒物(PM10)、细颗粒物(PM2.5)年均浓度分别为6微克/立方米、"
        "21微克/立方米、47微克/立方米、29微克/立方米。")
    assert [m.indicator for m in document.metrics] == [
        "environment.so2.concentration", "environment.no2.concentration", "environment.pm10.concentration",
        "environment.pm25.concentration"]
    document = rules_pipeline.extract_text(
        "去年城区二氧化氮、可吸入颗粒物(PM10)、臭氧、细颗粒物(PM2.5)年均浓度分别为21微克/立方米、"
        "47微克/立方米、140微克/立方米、29微克/立方米。")
    assert [m.indicator for m in document.metrics] == [
        "environment.no2.concentration", "environment.pm10.concentration", "environment.o3.concentration",
        "environment.pm25.concentration"]
    # names of the same length completed from the first (第一、二、三产业) keep their reading
    document = rules_pipeline.extract_text("第一、二、三产业增加值分别为12亿元、30亿元和41亿元。")
    assert [m.indicator for m in document.metrics] == [
        "economy.primary_industry.value_added", "economy.secondary_industry.value_added",
        "economy.tertiary_industry.value_added"]


def test_a_signature_drops_the_measure_word_its_unit_already_says(lexicons):
    m = mapper(lexicons)
    # 产量 of a figure in 吨, 面积 of one in 亩: the crop alone names the column
    assert m.assign("measure", "吨", "全县高粱产量", "", None)[0] == m.assign("measure", "吨", "高粱", "", None)[0] \
        == "~高粱||mass"
    assert m.assign("measure", "亩", "花生种植面积", "", None)[0] == m.assign("measure", "亩", "花生播种面积", "", None)[0]
    # money keeps its measure (产值 and 增加值 are different figures); a bare measure word stays
    assert m.assign("money", "元", "花卉产值", "", None)[0] != m.assign("money", "元", "花卉增加值", "", None)[0]
    assert m.assign("measure", "吨", "产量", "", None)[0] == "~产量||mass"


def test_wordings_of_statistics_and_enforcement_figures_find_their_columns(rules_pipeline):
    found = {}
    for text in ["全区建筑业企业总产值61.5亿元，增长7%。", "全县建筑业产值实现12.8亿元。", "当年共扑救森林火灾6起。",
                 "全年出生人口减少，全年出生1880人。", "前三季度水运客流量增长2.5%。", "全县粮食生产面积26.4万亩。",
                 "专项行动中立案查处38次，实施行政处罚52次。"]:
        found.update(indicators_of(rules_pipeline, text))
    assert found["61.5亿元"] == found["12.8亿元"] == "economy.construction.output"
    assert found["6起"] == "forest.fires.count" and found["1880人"] == "population.births.count"
    assert found["2.5%"] == "transport.waterway_passengers.volume_change_pct"
    assert found["26.4万亩"] == "agriculture.grain.sown_area"
    assert found["38次"] == found["52次"] == "enforcement.cases.penalized"
    # 建筑业增加值 stays its own column; meetings counted in 次 are no cases; the birth rate is no count
    other = indicators_of(rules_pipeline, "建筑业增加值9.3亿元，召开专题会议4次，人口出生率7.2‰。")
    assert other["9.3亿元"] == "economy.construction.value_added" and other["4次"] != "enforcement.cases.penalized"
    assert other["7.2‰"] == "population.births.rate"


def test_function_zones_inspection_rounds_and_losses_named_without_direct(rules_pipeline):
    found = {}
    for text in ["全市重要江河湖泊水功能区水质达标率为91.5%，乡镇集中式饮用水水源地水质达标率为99%。",
                 "节日期间累计巡查检查1.2万次。", "一季度全区发生各类事故5起、死亡2人、经济损失43万元。",
                 "台风造成经济损失2.6亿元。"]:
        found.update(indicators_of(rules_pipeline, text))
    assert found["91.5%"] == "water.function_zones.compliance_rate"
    assert found["99%"] == "environment.drinking_water_sources.compliance_rate"
    assert found["1.2万次"] == "safety.inspections.count"
    assert found["43万元"] == "accidents.all.losses" and found["2.6亿元"] == "disaster.natural.losses"
    # property a fire destroyed is no disaster's loss
    assert indicators_of(rules_pipeline, "火灾造成财产经济损失30万元。")["30万元"] != "disaster.natural.losses"


def test_a_field_named_at_the_head_of_a_clause_is_the_topic_of_its_figures(rules_pipeline):
    # a review of several fields in one sentence: each clause's figures belong to its field, and a
    # field's reach ends at the next 分号
    found = indicators_of(rules_pipeline,
                          "前三季度全省安全形势平稳。据通报，在危化领域，共排查企业800家；道路交通领域，事故起数和"
                          "死亡人数同比分别下降12.5%、9.3%；建筑施工领域，发生事故2起；全省共发生事故30起。")
    assert found["12.5%"] == "accidents.road.count_change_pct" and found["9.3%"] == "accidents.road.deaths_change_pct"
    assert found["2起"] == "accidents.construction.count"
    assert found["30起"] == "accidents.all.count"
    # no field named: the figures stay in the all-accidents columns
    plain = indicators_of(rules_pipeline, "全年事故起数和死亡人数同比分别下降4.1%、6.0%。")
    assert plain["4.1%"] == "accidents.all.count_change_pct" and plain["6.0%"] == "accidents.all.deaths_change_pct"


def test_a_note_in_brackets_neither_parts_a_name_nor_moves_it_to_another_column(rules_pipeline):
    found = indicators_of(rules_pipeline, "一季度全区发生工矿商贸企业(含建筑施工、特种设备、消防)事故7起。")
    assert found["7起"] == "accidents.industrial_trade.count"
    found = indicators_of(rules_pipeline, "全县共有医疗卫生机构(含村卫生室)410个。")
    assert found["410个"] == "health.institutions.count"
    # a name in brackets that is the only name still counts (细颗粒物 or PM2.5 alike)
    found = indicators_of(rules_pipeline, "全年细颗粒物(PM2.5)平均浓度为31微克/立方米。")
    assert found["31微克/立方米"] == "environment.pm25.concentration"


def figure(value_text, unit, kind, obj="", action="", change=None, indicator=None, source=None):
    from types import SimpleNamespace
    return SimpleNamespace(text=value_text, unit=unit, kind=kind, object=obj, action=action, change=change,
                           indicator=indicator, indicator_source=source, breakdown=False, status="outcome")


def test_a_change_that_names_nothing_after_a_change_with_a_column_restates_it(lexicons):
    # …死亡人数在上年减少40人的基础上，同比又减少12人，下降6.5%: when the last two figures come out
    # without words of their own, they are the deaths' change again, not the previous sentence's figure
    m = mapper(lexicons)
    before = figure("30个", "个", "count", "重点企业", "检查", indicator="safety.enterprises.inspected", source="taxonomy")
    first = figure("40人", "人", "count", "死亡人数", "减少", "down", "accidents.all.deaths_change", "taxonomy")
    again = figure("12人", "人", "count", "", "减少", "down", "~|减少|count|change", "signature")
    percent = figure("6.5%", "%", "rate", "", "下降", "down", "~|下降|rate|change_pct", "signature")
    m.assign_document([before, first, again, percent], [0, 1, 1, 1])
    assert again.indicator == "accidents.all.deaths_change" and percent.indicator == "accidents.all.deaths_change_pct"
    # two changes in % in a row are two figures; a change of another unit kind is another measure
    first = figure("5%", "%", "rate", "事故起数", "下降", "down", "accidents.all.count_change_pct", "taxonomy")
    second = figure("3%", "%", "rate", "", "下降", "down", "~|下降|rate|change_pct", "signature")
    m.assign_document([first, second], [0, 0])
    assert second.indicator != "accidents.all.count_change_pct"
    first = figure("4起", "起", "count", "事故", "减少", "down", "accidents.all.count_change", "taxonomy")
    other = figure("2人", "人", "count", "", "减少", "down", "~|减少|count|change", "signature")
    m.assign_document([first, other], [0, 0])
    assert other.indicator != "accidents.all.count_change"


def test_a_change_passes_over_a_figure_that_names_nothing_to_the_named_one_before(lexicons):
    # 生产总值达到93.2亿元，这是继2020年突破80亿元之后…，比上年增长5.1%: when the 80亿元 comes out with
    # no name and no column, the 5.1% is the change of the 93.2亿元
    m = mapper(lexicons)
    level = figure("93.2亿元", "元", "money", "地区生产总值", "", indicator="economy.gdp.value", source="taxonomy")
    nameless = figure("80亿元", "元", "money")
    change = figure("5.1%", "%", "rate", "", "增长", "up", "~|增长|rate|change_pct", "signature")
    m.assign_document([level, nameless, change], [0, 0, 0])
    assert change.indicator == "economy.gdp.value_change_pct"
    # a named figure just before the change keeps it
    level = figure("93.2亿元", "元", "money", "地区生产总值", "", indicator="economy.gdp.value", source="taxonomy")
    revenue = figure("8亿元", "元", "money", "一般公共预算收入", "", indicator="finance.budget.revenue", source="taxonomy")
    change = figure("5.1%", "%", "rate", "", "增长", "up", "~|增长|rate|change_pct", "signature")
    m.assign_document([level, revenue, change], [0, 0, 0])
    assert change.indicator == "finance.budget.revenue_change_pct"


def test_a_measure_word_alone_takes_the_name_its_clause_gives(rules_pipeline):
    # each crop's area keeps a column of its own when the figure's object comes out as 种植面积 alone
    found = indicators_of(rules_pipeline, "全年粮食种植面积40.2万亩，比上年增加0.6万亩；甘蔗种植面积1.8万亩，"
                                          "增加0.2万亩；茶叶种植面积6.1万亩，减少0.1万亩。")
    assert found["1.8万亩"] != found["6.1万亩"] and found["1.8万亩"].startswith("~甘蔗")
    assert found["0.2万亩"].startswith("~甘蔗") and found["0.1万亩"].startswith("~茶叶")
    # tobacco has a column of its own, under either name
    found = indicators_of(rules_pipeline, "烤烟种植面积2.1万亩。烟叶产量0.8万吨。烤烟总产量0.3万吨。")
    assert found["2.1万亩"] == "agriculture.tobacco.sown_area"
    assert found["0.8万吨"] == found["0.3万吨"] == "agriculture.tobacco.output"


def test_names_carried_from_the_figure_or_total_before(rules_pipeline):
    document = rules_pipeline.extract_text("全县粮食播种面积81.46万亩，产量36.17万吨，同比增长1.6%。")
    assert [m.indicator for m in document.metrics] == [
        "agriculture.grain.sown_area", "agriculture.grain.output", "agriculture.grain.output_change_pct"]
    document = rules_pipeline.extract_text("共有专任教师9689人（其中，幼儿园4529人、小学5613人）。")
    assert [m.indicator for m in document.metrics] == [
        "education.teachers.count", "education.kindergarten.teachers", "education.primary.teachers"]
    document = rules_pipeline.extract_text("农林牧渔及其服务业产值分别为18.24亿元、1.50亿元、4.79亿元、2.37亿元、1.63亿元；"
                                           "增幅分别为2.3%、5.4%、3.7%、4.5%、12.0%。")
    assert [m.indicator for m in document.metrics][5:7] == [
        "economy.farming.output_change_pct", "economy.forestry.output_change_pct"]


def test_a_rate_named_by_its_suffix_alone_is_a_rate_of_the_counts_before_it(rules_pipeline):
    def indicators(text):
        return [m.indicator for m in rules_pipeline.extract_text(text).metrics if m.unit == "%"]

    assert indicators("全县共排查重大安全隐患336个，已完成整改312个，整改率93%。") == ["safety.major_hazards.rectification_rate"]
    assert indicators("發現重大隱患6項、已整改完成4項、整改率66.7%。") == ["safety.major_hazards.rectification_rate"]
    # of plain hazards it stays the plain rate; a rate with a name of its own keeps it
    assert indicators("发现隐患242项，整改230项，整改率95%。") == ["safety.hazards.rectification_rate"]
    assert indicators("排查重大隐患15项，群众满意率98%。") != ["safety.major_hazards.rectification_rate"]


def test_a_label_after_a_discourse_ordinal_is_the_topic_of_the_figures_after_it_on_its_line(rules_pipeline):
    text = ("一是公路运输稳中向好：完成运输旅客1852万人次；旅客周转量275030万人公里；完成货物运输2867万吨。"
            "二是水路运输加速崛起：旅客周转量25580万人公里。\n全年旅客周转量30000万人公里。")
    found = {m.text: m.indicator for m in rules_pipeline.extract_text(text).metrics}
    assert found["275030万人公里"] == "transport.road_passengers.turnover"
    assert found["2867万吨"] == "transport.road_freight.volume"
    assert found["25580万人公里"] == "transport.waterway_passengers.turnover"  # the nearest label, not the line's first
    assert found["30000万人公里"] == "transport.passengers.turnover"  # a new line: no label


def test_direct_losses_are_the_accidents_in_a_sentence_about_accidents(rules_pipeline):
    def losses(text):
        return [m.indicator for m in rules_pipeline.extract_text(text).metrics if m.unit in ("%", "元") and "损失" in m.object]

    assert losses("事故起数同比下降42%，受伤人数同比下降50%，直接经济损失同比下降25%。") == ["accidents.all.losses_change_pct"]
    assert losses("全县共发生生产安全事故9起、死亡4人，直接经济损失120万元。") == ["accidents.all.losses"]
    # a disaster's losses stay the disaster's
    assert losses("全市199.2万人受灾，农作物受灾3.1万公顷，直接经济损失33.59亿元。") == ["disaster.natural.losses"]


def test_a_change_naming_all_events_measure_takes_the_sectors_level_it_follows(rules_pipeline):
    text = "全市共发生道路运输事故6起、死亡4人，同比事故起数增加1起、上升20%，死亡人数减少2人、下降33.3%。"
    found = {m.text: m.indicator for m in rules_pipeline.extract_text(text).metrics}
    assert (found["1起"], found["20%"]) == ("accidents.road.count_change", "accidents.road.count_change_pct")
    assert (found["2人"], found["33.3%"]) == ("accidents.road.deaths_change", "accidents.road.deaths_change_pct")
    # with all accidents' own levels the changes stay theirs
    text = "全市共发生生产安全事故6起、死亡4人，同比事故起数增加1起，死亡人数减少2人。"
    found = {m.text: m.indicator for m in rules_pipeline.extract_text(text).metrics}
    assert (found["1起"], found["2人"]) == ("accidents.all.count_change", "accidents.all.deaths_change")


def test_a_heading_that_joins_two_subjects_does_not_move_a_figure_to_one_of_them(rules_pipeline):
    # the figure's own words name accidents; a heading naming accidents and disasters says not which
    joined = indicators_of(rules_pipeline, "三、生产安全事故和自然灾害情况\n今年1至6月，全县发生生产安全事故12起，死亡7人。")
    assert (joined["12起"], joined["7人"]) == ("accidents.all.count", "accidents.all.deaths")
    joined = indicators_of(rules_pipeline, "一、安全生产事故及自然灾害基本情况\n\n上半年，全市发生生产安全事故9起、死亡6人。")
    assert (joined["9起"], joined["6人"]) == ("accidents.all.count", "accidents.all.deaths")
    # a heading of one subject still makes the figures under it that subject's
    single = indicators_of(rules_pipeline, "（二）道路交通\n全年发生事故15起，死亡9人。")
    assert (single["15起"], single["9人"]) == ("accidents.road.count", "accidents.road.deaths")


def test_changes_listed_after_several_levels_pair_with_them_in_order(rules_pipeline):
    # two changes in people after deaths and injuries: the first is the deaths', the second the injuries';
    # changes in % whose names were read from the levels before them pair by position
    paired = indicators_of(rules_pipeline, "全县发生事故20起，死亡8人，受伤15人，同比减少4起和2人、增加3人，分别下降16.7%和20%、上升25%。")
    assert [paired[t] for t in ("4起", "2人", "3人")] == [
        "accidents.all.count_change", "accidents.all.deaths_change", "accidents.all.injuries_change"]
    assert [paired[t] for t in ("16.7%", "20%", "25%")] == [
        "accidents.all.count_change_pct", "accidents.all.deaths_change_pct", "accidents.all.injuries_change_pct"]
    paired = indicators_of(rules_pipeline, "前三季度，全省发生各类事故40起，死亡10人，受伤6人，同比减少5起和2人、增加1人。")
    assert (paired["2人"], paired["1人"]) == ("accidents.all.deaths_change", "accidents.all.injuries_change")
    # a change that names its level after the levels keeps that level, not the last one of its unit
    named = indicators_of(rules_pipeline, "全县发生事故20起，死亡8人，受伤15人，同比死亡人数减少3人、下降27.3%。")
    assert (named["3人"], named["27.3%"]) == ("accidents.all.deaths_change", "accidents.all.deaths_change_pct")


def test_casualties_of_a_sector_and_deaths_in_a_sentence_about_a_disaster(rules_pipeline):
    # a sector's injuries and losses have columns of their own, as its accidents and deaths do
    road = indicators_of(rules_pipeline, "（一）道路交通：事故6起、死亡3人、受伤5人、直接经济损失3.4万元，受伤人数同比下降20%。")
    assert [road[t] for t in ("3人", "5人", "3.4万元", "20%")] == [
        "accidents.road.deaths", "accidents.road.injuries", "accidents.road.losses", "accidents.road.injuries_change_pct"]
    # deaths named alone after a disaster's figures are the disaster's
    disaster = indicators_of(rules_pipeline, "全县受灾人口3.4万人，死亡2人，紧急转移安置1200人。")
    assert disaster["2人"] == "disaster.natural.deaths"
    disaster = indicators_of(rules_pipeline, "全市受灾人口8.6万人，死亡3人，直接经济损失1.2亿元。")
    assert (disaster["3人"], disaster["1.2亿元"]) == ("disaster.natural.deaths", "disaster.natural.losses")
    # after accident figures, or with 事故 in their name, they stay the accidents'
    assert indicators_of(rules_pipeline, "洪涝灾害造成农作物受灾1.2万公顷，全年发生事故3起，死亡2人。")["2人"] == "accidents.all.deaths"


def test_crop_area_lost_or_damaged_named_by_its_act_after_the_area_affected(rules_pipeline):
    found = {m.text: m.indicator for m in rules_pipeline.extract_text(
        "农作物受灾2.5万亩，其中绝收0.3万亩、成灾1.1万亩。").metrics}
    assert (found["0.3万亩"], found["1.1万亩"]) == ("disaster.crops.failed_area", "disaster.crops.damaged_area")
    assert found["2.5万亩"] == "disaster.crops.affected_area"


def test_hazards_found_and_rectified_in_one_breath_are_the_hazards_found(rules_pipeline):
    assert indicators_of(rules_pipeline, "全年排查并整改安全隐患640处。")["640处"] == "safety.hazards.found"
    assert indicators_of(rules_pipeline, "今年以来，查处和整改隐患1.2万项。")["1.2万项"] == "safety.hazards.found"
    # hazards rectified named apart from those found stay rectified
    apart = indicators_of(rules_pipeline, "排查隐患500项，整改480项。")
    assert (apart["500项"], apart["480项"]) == ("safety.hazards.found", "safety.hazards.rectified")


def test_a_change_in_the_number_of_fires_is_the_fires_column(rules_pipeline):
    assert indicators_of(rules_pipeline, "全县火灾起数同比下降12.5%，死亡人数同比持平。")["12.5%"] == "fire.fires.count_change_pct"
    assert indicators_of(rules_pipeline, "去年全区火灾起数较上年减少8%。")["8%"] == "fire.fires.count_change_pct"
    # a fire's deaths are not the fires' count
    assert indicators_of(rules_pipeline, "全县火灾死亡人数同比下降20%。")["20%"] != "fire.fires.count_change_pct"


def test_a_rate_named_as_a_growth_rate_is_the_change_of_the_figure_before(rules_pipeline):
    # 增速 / 增幅 give the rate the act 增长 without a change word: still the change of the level before it
    found = indicators_of(rules_pipeline, "二产增加值：全区二产增加值完成48.3亿元，增速6.1%，排全市第3。")
    assert found["6.1%"] == "economy.secondary_industry.value_added_change_pct"
    found = indicators_of(rules_pipeline, "全县农村居民人均收入完成16520元，增幅8.2%。")
    assert found["16520元"] == "economy.income.rural_disposable"
    assert found["8.2%"] == "economy.income.rural_disposable_change_pct"
    # a share said after an amount is a level of its own, not its growth
    found = indicators_of(rules_pipeline, "全区第三产业增加值60.4亿元，占地区生产总值的比重为52.1%。")
    assert found["52.1%"] and not found["52.1%"].endswith("_change_pct")


def test_resident_incomes_by_residence_keep_their_columns_under_per_capita_names(rules_pipeline):
    found = indicators_of(rules_pipeline, "城镇常住居民人均可支配收入35120元，增长4.1%；农村常住居民人均可支配收入15830元，"
                                          "增长6.3%。全体居民人均可支配收入24010元。")
    assert found["35120元"] == "economy.income.urban_disposable"
    assert found["15830元"] == "economy.income.rural_disposable"
    assert found["6.3%"] == "economy.income.rural_disposable_change_pct"
    assert found["24010元"] == "economy.income.per_capita_disposable"


def test_a_measure_word_alone_takes_the_subject_of_the_column_before(rules_pipeline):
    # the area's own name came out as 面积 alone: its column (summer grain) gives the subject of 产量
    found = indicators_of(rules_pipeline, "今年全县完成夏粮收获面积12.6万亩，同比增1.2%；实现产量3.05万吨，同比增0.9%。")
    assert found["12.6万亩"] == "agriculture.summer_grain.sown_area"
    assert found["3.05万吨"] == "agriculture.summer_grain.output"
    # without a measured subject before it, 产量 stays a signature
    found = indicators_of(rules_pipeline, "今年实现产量3.05万吨。")
    assert found["3.05万吨"].startswith("~")


def test_a_growth_in_percent_passes_over_a_share_said_beside_its_amount(rules_pipeline):
    found = indicators_of(rules_pipeline, "全县一般公共预算收入18.6亿元，完成年度预算的101.2%，同比增长5.7%。")
    assert found["5.7%"] == "finance.budget.revenue_change_pct"
    # a share alone keeps its change (a rate's growth in % with no amount before it)
    found = indicators_of(rules_pipeline, "全市空气质量优良天数比例为91.3%，同比上升2.4%。")
    assert found["2.4%"] == "environment.good_air_days.ratio_change_pct"
    # a change in points is still of the rate, not of the amount
    found = indicators_of(rules_pipeline, "全县一般公共预算收入18.6亿元，税收占比72.5%，提高1.3个百分点。")
    assert found["1.3个百分点"] != "finance.budget.revenue_change_pp"


def test_a_member_of_the_group_its_heading_names_keeps_its_own_column(rules_pipeline):
    text = "二、农林牧渔业\n全年农林牧渔业总产值52.3亿元。林业产值3.1亿元，同比增长4.2%；渔业产值1.7亿元。"
    found = indicators_of(rules_pipeline, text)
    assert found["3.1亿元"] == "economy.forestry.output"
    assert found["4.2%"] == "economy.forestry.output_change_pct"
    assert found["1.7亿元"] == "economy.fishery.output"
    # the group's own total under that heading stays the total
    assert found["52.3亿元"] == "economy.agriculture.output"


def test_digits_inside_a_name_do_not_cut_the_clause_a_figure_is_judged_on(rules_pipeline):
    # an ordinal and a span of hours are part of the statistic's name, not figures before it
    found = indicators_of(rules_pipeline, "全市一氧化碳日均值第95百分位数为1.1毫克/立方米。")
    assert found["1.1毫克/立方米"] == "environment.co.concentration"
    found = indicators_of(rules_pipeline, "全市臭氧日最大8小时平均值的第90百分位数为141微克/立方米。")
    assert found["141微克/立方米"] == "environment.o3.concentration"
    # a real figure before still cuts it: 停产整顿 alone judges the second count
    found = indicators_of(rules_pipeline, "依法关闭取缔7家，停产整顿企业45家，罚款120万元。")
    assert found["45家"] == "enforcement.enterprises.suspended"


def test_names_listed_before_respectively_do_not_override_a_figures_own_column(rules_pipeline):
    found = indicators_of(rules_pipeline, "今年城区二氧化硫、可吸入颗粒物(PM10)、细颗粒物(PM2.5)年均浓度分别为5微克/立方米、"
                                          "44微克/立方米、27微克/立方米。")
    assert [found[t] for t in ("5微克/立方米", "44微克/立方米", "27微克/立方米")] == [
        "environment.so2.concentration", "environment.pm10.concentration", "environment.pm25.concentration"]
    # a figure whose own name says nothing alone still reads the listing's shared head (事故)
    found = indicators_of(rules_pipeline, "全省工矿商贸、道路运输事故总量同比分别下降18.4%、12%。")
    assert found["18.4%"] == "accidents.industrial_trade.count_change_pct"


def test_a_part_opening_its_sentence_takes_the_measure_of_the_total_before(rules_pipeline):
    found = indicators_of(rules_pipeline, "全县经济作物播种面积15.3千公顷。其中，蔬菜及食用菌9.8千公顷，增加0.4千公顷。")
    assert found["9.8千公顷"] == "agriculture.vegetables.sown_area"
    assert found["0.4千公顷"] == "agriculture.vegetables.sown_area_change"
    # a figure of the next sentence that is no part of anything keeps what its own words say
    found = indicators_of(rules_pipeline, "全县经济作物播种面积15.3千公顷。蔬菜产量21.4万吨。")
    assert found["21.4万吨"] == "agriculture.vegetables.output"


def test_a_year_in_the_clause_is_no_figure_before_the_one_judged(lexicons, rules_pipeline):
    # a figure with no name of its own is judged on its clause, which a year does not cut
    m = mapper(lexicons)
    assert m.assign("count", "张", "", "增加", None, "住院床位由2018年的") == ("health.beds.count", "taxonomy")
    assert m.assign("count", "张", "", "增加", None, "住院床位由 20xx 年的") == ("health.beds.count", "taxonomy")
    # a real count before still cuts the clause: the second figure is judged on its own words
    found = indicators_of(rules_pipeline, "全县医疗机构床位760张，卫生技术人员1320人。")
    assert found["1320人"] != "health.beds.count"


def test_calls_answered_by_dispatch_count_crews_and_engines(rules_pipeline):
    found = indicators_of(rules_pipeline, "今年全市消防救援队伍共接警出动1.6万人次、3120车次。")
    assert found["1.6万人次"] == "emergency.rescuers.dispatched"
    assert found["3120车次"] == "fire.vehicles.dispatched"
    # dispatching law-enforcement vehicles is not the fire engines' column
    found = indicators_of(rules_pipeline, "出动执法车辆560台次。")
    assert found["560台次"] != "fire.vehicles.dispatched"


def test_the_upper_secondary_stage_is_not_the_senior_high_schools(rules_pipeline):
    # a stage that includes 普通高中 and vocational schools, named in a note: neither's column
    found = indicators_of(rules_pipeline, "全区高中段教育(包括普通高中和中职)共有学校9所。普通高中学校7所。")
    assert found["9所"] not in ("education.high_school.schools", "education.vocational.schools")
    assert found["7所"] == "education.high_school.schools"
    found = indicators_of(rules_pipeline, "全区高中阶段在校生12400人。全区普通高中在校生8100人。")
    assert found["12400人"] != "education.high_school.students"
    assert found["8100人"] == "education.high_school.students"


def test_a_share_said_right_after_a_figure_is_that_figures_share(rules_pipeline):
    found = indicators_of(rules_pipeline, "今年城区空气质量优良天数共312天，占全年有效监测天数的86.7%，比上年上升2.1个百分点。")
    assert found["86.7%"] == "environment.good_air_days.ratio"
    assert found["2.1个百分点"] == "environment.good_air_days.ratio_change_pp"
    # a share with no column of its figure's name keeps its own signature
    found = indicators_of(rules_pipeline, "全县新建农村公路48公里，占年度任务的120%。")
    assert found["120%"].startswith("~")

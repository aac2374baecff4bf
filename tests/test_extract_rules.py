import pytest

from reportmine import Pipeline


@pytest.fixture(scope="module")
def extract(pipeline):
    def run(text):
        return pipeline.extract_text(text).metrics
    return run


@pytest.mark.parametrize("text", [
    "增强“四个意识”,坚定“四个自信”,做到“两个维护”。",
    "严格落实三会一课制度和一岗双责要求,推行四不两直检查。",
    "2023年6月23日上午9时30分召开会议。",
    "在全市大比武中获得团体第一名,第二批主题教育。",
    "一是加强领导;二是压实责任;(一)完善制度。",
    "国家工信部备案:晋ICP备19011366号",
    "拨打12345热线或0791-88888888反映问题。",
    "印发《2023年安全生产十五条措施实施方案》。",
    "依据赣应急字〔2023〕5号文件。",
    "每月组织开展一次隐患排查,每季度研究一次安全生产工作。",
    "启动四级应急响应,建立区、乡两级指挥平台。",
    "被列为年度20个成功救援战例之一。",
    "下沉应急物资一批,开展一系列宣传活动。",
    "一年来,连续两年获评优秀,近年来形势稳定。",
    "全天候落实24小时领导带班值班制度。",
    "从两个方面强化应急管理工作。",
    "庆祝中国共产党成立100周年。",
    "这是一次总动员。",
    "处置光汇616泄漏险情和4·29事故。",
    "建立联调联战机制,确保险情发生后30分钟内完成集结。",
    "力争企业开办3个工作日内办结。",
    "我们要一天一天、一件事一件事地抓实。",
    "臭氧日最大8小时平均第90百分位数浓度达标。",
    "有的镇应急办只有一两个人。",
    "要拿出100%的努力,去防范哪怕1%的风险。",
    "落实三类包保责任人,排查五类危桥。",
    "防止发生二次事故。",
    "紧扣“营商环境”和“民生安全”两条主线。",
    "百分之一的疏忽,就可能带来百分之百的损失。",
    "全文包括总体情况等六个部分。",
    "佛山是电动自行车及零部件的重要产区。",
    "单次充电时长一般不宜超过8小时。",
    "行政处罚决定原则上在7个工作日内予以公开。",
    # figures a target names, class thresholds, figure references, ranks, chrome
    "超额完成PM2.5平均浓度同比下降4%、重污染天数同比减少6%的改善目标。",
    "对液氨储量10吨以上涉氨制冷企业和单价50万元以上通用设备开展排查。",
    "新建10万吨级泊位。",
    "淘汰35蒸吨以下燃煤锅炉，新建存栏1万头以上规模化养殖场。",
    "适龄儿童麻腮风疫苗两剂次接种率和3剂次全程接种率均较上年提高。",
    "如图1所示,每到一处都认真检查。",
    "排名前五位的是食品类投诉。",
    "统筹发展和安全两件大事。",
    "第1、2名。",
    # clock times, full marks, the three industries, the base of a rate, bundled essays
    "14时27分到达现场，10点30分结束。",
    "这项工作十分重要，满分100分。",
    "三次产业结构持续优化。",
    "县应急管理局年度工作总结(精选5篇)",
    # page bylines and document-sharing widgets, top-few choices, vehicles, standards, watchwords
    "发布时间:2023-05-06 来源:县政府网 阅读:1285次 本网讯",
    "下载后只包含 1 个 PDF 格式的文档。安全生产工作汇报(模板12篇)",
    "细颗粒物浓度最高的5个县区依次是北关、文峰和殷都。",
    "三轮车侧翻,近岸海域优良(一、二类)水质比例上升。",
    "病虫害防治率高于85%控制标准。",
    "落实两个“确保”,紧扣“预防、处置、保障”三大环节和“安全、稳定”两项任务。",
    "这是近十年来强度最大的一次台风过程,牢牢抓住预防这一根本环节。",
    # the peers of a rank, a top-two place, a run of months in a condition
    "在全省21个市（州）中排名第3。",
    "两地位居全市前两位。",
    "对连续两个月浓度上升的县进行约谈。",
])
def test_not_metrics(extract, text):
    assert [m.text for m in extract(text)] == []


def test_scores_in_fen_are_measures_where_the_word_ends(extract):
    metrics = extract("年度考核得分92.5分，对施工单位记分12分，分别约谈。")
    assert [(m.value, m.unit, m.kind) for m in metrics] == [(92.5, "分", "measure"), (12, "分", "measure")]


def test_a_rate_per_base_reads_the_figure_not_the_base(extract):
    assert [m.text for m in extract("火灾发生率为每10万人口2.6起。")] == ["2.6起"]


def test_a_count_per_head_of_population_keeps_the_base_in_its_unit(extract):
    [metric] = extract("全市食品抽检量达到4.8批次/千人。")
    assert (str(metric.value), metric.unit, metric.object) == ("4.8", "批次/千人", "抽检量")


def test_seven_or_eight_digits_before_a_unit_are_a_count_not_a_phone_number(extract):
    metrics = extract("全年抽检6997389批次。值班电话88888888，咨询电话0791-88888888。")
    assert [(m.value, m.unit) for m in metrics] == [(6997389, "批次")]


def test_bare_numbers_listed_before_a_figure_share_its_unit(extract):
    assert [(m.text, m.unit) for m in extract("浓度最低的城市分别为47、55和55微克/立方米。")] == [
        ("47", "微克/立方米"), ("55", "微克/立方米"), ("55微克/立方米", "微克/立方米")]


def test_a_bracket_before_ci_keeps_the_unit_a_count_of_times(extract):
    assert [(m.text, m.unit) for m in extract("出动2400余台(艘)次,组织10人(次)。")] == [
        ("2400余台(艘)次", "台次"), ("10人(次)", "人次")]


def test_a_magnitude_read_with_its_number_is_money_in_a_money_context(extract):
    assert [(m.text, m.value, m.unit) for m in extract("项目发债额度为4.5亿,罚款金额62.914万。")] == [
        ("4.5亿", 450000000, "元"), ("62.914万", 629140, "元")]


def test_a_prefix_that_ends_another_word_is_no_qualifier(extract):
    assert [(m.text, m.qualifier) for m in extract("较预算节约7.23万元,涉及附近3个村,约3000人。")] == [
        ("7.23万元", "exact"), ("3个", "exact"), ("约3000人", "approx")]


def test_zero_before_a_magnitude_is_zero(extract):
    assert [m.value for m in extract("三公经费支出0万元，结余0.0万元。")] == [0, 0]


def test_ju_and_lei_count_things(extract):
    assert [(m.value, m.unit) for m in extract("配置灭火器3,200余具,物资品种达到32类。")] == [(3200, "具"), (32, "类")]


def test_a_framing_verb_is_not_the_action(extract):
    assert [m.action for m in extract("累计查扣、下架不合格电动自行车1,362辆。")] == ["查扣"]


def test_above_or_below_normal_is_a_change(extract):
    metrics = extract("全市平均降雨量1,328.5毫米,较常年偏多14.6%;气温偏低0.5℃。")
    assert [(m.text, m.change, m.action) for m in metrics if m.kind == "rate"] == [("14.6%", "up", "偏多")]


def test_a_lone_magnitude_with_yu_or_duo_is_a_number(extract):
    assert [(m.text, m.value, m.qualifier) for m in extract("参演师生群众万余人次,培训千余名干部。")] == [
        ("万余人次", 10000, "at_least"), ("千余名", 1000, "at_least")]


def test_a_count_ending_in_er_ci_is_not_secondary(extract):
    assert [(m.text, m.value) for m in extract("县政府常务会议先后十二次专题研究安全生产工作。")] == [("十二次", 12)]


@pytest.mark.parametrize("text, expected", [
    ("全县发生生产安全事故12起、死亡7人、受伤5人。",
     [("生产安全事故", "发生"), ("事故死亡人数", "死亡"), ("事故受伤人数", "受伤")]),
    ("全市共发生火灾132起,死亡3人。", [("火灾", "发生"), ("火灾死亡人数", "死亡")]),
    ("启动防汛应急响应4次。", [("防汛应急响应", "启动")]),
    ("组建森林扑火队伍20支。", [("森林扑火队伍", "组建")]),
    ("全年培训500余名干部。", [("干部", "培训")]),
    ("举办培训班18期,培训企业负责人和安全管理人员2,700余人次。",
     [("培训班", "举办"), ("企业负责人和安全管理人员", "培训")]),
    ("社会餐饮单位明厨亮灶覆盖率超过85%。", [("社会餐饮单位明厨亮灶覆盖率", "覆盖")]),
    # a verb that describes the noun after it is part of the object; the verb before it acts
    ("检查特种设备生产使用单位360家次,抽查在建房屋建筑工程120个。",
     [("特种设备生产使用单位", "检查"), ("在建房屋建筑工程", "抽查")]),
    ("疏散遇险人员1.6万人,救助受灾群众6715人次。", [("遇险人员", "疏散"), ("受灾群众", "救助")]),
    # a negation is part of the name
    ("检出不合格样品36批次,不合格率3%。", [("不合格样品", "检出"), ("不合格率", "检出")]),
    # the act named in an amount, and framing words that are not the act
    ("累计处罚金额35万元,共计出警1200起。", [("处罚金额", "处罚"), ("警情", "出警")]),
    # a verbal noun after the verb is what is counted
    ("受理投诉80件,发生重污染12天次。", [("投诉", "受理"), ("重污染", "发生")]),
    # a figure of another kind does not borrow the object before it
    ("罚款60万元,拘留26人。", [("罚款", "罚款"), ("人员", "拘留")]),
    ("下发责令改正通知书1715份。", [("责令改正通知书", "下发")]),
    ("PM2.5平均浓度为32微克/立方米,优良天数比例为86.5%。", [("PM2.5平均浓度", ""), ("优良天数比例", "")]),
    # inside a phrase opened by 对, the verb after the noun phrase acts (after an empty verb such as
    # 进行, the verbal noun; 开展 stays, as the seeds' gold has it)
    ("组织专家对全省409家危险化学品生产企业开展驻企执法检查。", [("危险化学品生产企业", "开展")]),
    ("对全县12家危化企业进行了安全检查。", [("危化企业", "安全检查")]),
    # an adverb between the noun and its verb
    ("其中,事故隐患已整改2312条。", [("事故隐患", "整改")]),
    # the verb after the figure, and what an event count held
    ("全县17222人受灾。", [("受灾人口", "受灾")]),
    ("市委先后4次召开常委会。", [("常委会", "召开")]),
    ("累计开展12次督查考评。", [("督查考评", "开展")]),
    # a count with no noun counts its act
    ("临时查封30家,共立案50起。", [("查封企业", "查封"), ("案件", "立案")]),
    # 由A增加到B: both are values of the subject before 由
    # the level a change starts at is no product of an act (rule level-after-change, branch /from)
    ("三防工作队伍人数由原来的380人增加到1160人。", [("三防工作队伍人数", ""), ("三防工作队伍人数", "增加到")]),
    # a stock listed after 共有 or 位于 has no act, in every clause of the list
    ("我镇共有镇级应急队伍22人,村级应急队伍183人。", [("镇级应急队伍", ""), ("村级应急队伍", "")]),
    ("某镇位于县东南部,总面积251.48平方公里。", [("总面积", "")]),
    # a verb inside a listed noun phrase describes it; the verb that opens the list acts
    ("检查学校食堂、农产品集中交易市场1304个、液化气使用单位335家。",
     [("农产品集中交易市场", "检查"), ("液化气使用单位", "检查")]),
    # but not a list of places or partners before the act
    ("在进山路口、林区主要道口设立防火检查站46个。", [("防火检查站", "设立")]),
    ("联合住建、市场监管等部门排查餐饮场所1,073家。", [("餐饮场所", "排查")]),
    # the noun before a progress verb names the money; a value 从A下降到B
    ("第一产业增加值完成261497万元。", [("第一产业增加值", "完成")]),
    ("未通公路自然村从140个下降到128个。", [("公路自然村", ""), ("公路自然村", "下降到")]),
    # the act that closes a name, and a class word inside one
    ("其中,火灾扑救83.7万起。", [("火灾扑救", "扑救")]),
    ("医疗保健类价格上涨1.8%。", [("医疗保健类价格", "上涨")]),
    # framing words are never the act
    ("截至目前,全区受灾路段50处。", [("受灾路段", "受灾")]),
])
def test_object_and_action(rules_pipeline, text, expected):
    assert [(m.object, m.action) for m in rules_pipeline.extract_text(text).metrics] == expected


def test_a_time_limit_without_a_requirement_verb_is_a_metric(extract):
    assert [(m.value, m.unit) for m in extract("各乡镇抢险队伍接到指令后40分钟内到达现场。")] == [(40, "分钟")]


def test_counts_with_object_and_action(extract):
    metrics = extract("今年以来,该局检查企业128家次,已发现安全隐患242项。")
    assert [(m.text, m.value, m.unit, m.object, m.action) for m in metrics] == [
        ("128家次", 128, "家次", "企业", "检查"),
        ("242项", 242, "项", "安全隐患", "发现"),
    ]


def test_measure_word_before_noun_counts_the_noun(extract):
    metrics = extract("我局派出督查组,对19个乡镇开展防汛督查检查,表彰了六个优胜单位和三十个优胜选手。")
    objects = {m.text: m.object for m in metrics}
    assert objects["19个"] == "乡镇"
    assert objects["六个"] == "优胜单位"
    assert objects["三十个"] == "优胜选手"


def test_rate_object_and_action(extract):
    [metric] = extract("排查隐患203条,整改率95.6%。")[1:]
    assert (metric.object, metric.action, metric.kind) == ("整改率", "整改", "rate")


def test_change_direction(extract):
    metrics = extract("全市生产安全事故起数同比下降19.01%,专业队伍增加50个编制扩编到110个。")
    changes = {m.text: m.change for m in metrics}
    assert changes == {"19.01%": "down", "50个": "up", "110个": None}


def test_qualifiers(extract):
    metrics = extract("处罚金额489余万元,受益人群约3000人次,提速95%以上,不到8分钟,至少12个队员。")
    assert [m.qualifier for m in metrics] == ["at_least", "approx", "at_least", "at_most", "at_least"]


def test_period_resolved_against_the_document_year(extract):
    [metric] = extract("2021年工作总结\n今年以来,全县检查企业12家。")
    assert metric.period == "2021"


def test_up_to_a_months_end_is_the_year_to_that_month(extract):
    # 截止10月底 in an annual summary: what accumulated since January, a period of its own (YTD-10)
    [metric] = extract("2015年工作总结\n截止10月底，完成运输旅客1852万人次。")
    assert metric.period == "2015-01/2015-10"
    [metric] = extract("工作总结\n截至2023年6月底，已开工小区129个。")
    assert metric.period == "2023-01/2023-06"


def test_from_january_to_a_month_is_the_year_to_that_month(extract):
    [metric] = extract("2023年工作总结\n1月1日至7月31日，全省检查企业300家。")
    assert metric.period == "2023-01/2023-07"
    [metric] = extract("2022年工作总结\n今年1-8月，全县检查企业120家。")
    assert metric.period == "2022-01/2022-08"
    [metric] = extract("2021年工作总结\n第1-3名奖励1万元。")  # a ranking, no months
    assert metric.period != "2021-01/2021-03"


def test_a_baseline_or_earlier_milestone_is_not_the_figures_period(extract):
    metrics = extract("2023年工作总结\n全省PM2.5平均浓度为34.4微克/立方米，较2019—2021年同期平均值上升1.8%。")
    assert [m.period for m in metrics] == [None, None]  # the document's own period, not 2021
    metrics = extract("2022年工作总结\n生产总值达到115.77亿元，这是继2021年突破100亿元之后，又跃上新的台阶，按可比价计算比上年增长4.8%。")
    assert metrics[-1].text == "4.8%" and metrics[-1].period is None
    [metric] = extract("2023年工作总结\n2021年全县检查企业300家。")  # a year written for the figure stays
    assert metric.period == "2021"
    # prices of a base year (按2020年不变价格计算) are no period of the change after them
    metrics = extract("2022年统计公报\n全区完成地区生产总值2435313万元，按2020年不变价格计算，同比增长3%。")
    assert metrics[-1].text == "3%" and metrics[-1].period is None


def test_no_metric_from_corrupted_text(extract):
    metrics = extract("开展燃?xì)獍踩?专项整治,检查?12家,损失5\ufffd起,另检查企业46家次。")
    assert [m.text for m in metrics] == ["46家次"]


@pytest.mark.parametrize("text, action", [
    ("全县现有专职救援队员210人。", "现有"),
    ("全市实有经营主体4.12万户。", "实有"),
    ("全市在用电梯8726台。", "在用"),
    ("全县共有569名队员。", ""),  # after 共有 the seeds' gold leaves the action empty
])
def test_a_stock_takes_its_stock_word_as_action(rules_pipeline, text, action):
    metric = rules_pipeline.extract_text(text).metrics[0]
    assert metric.action == action


@pytest.mark.parametrize("text, obj, action", [
    ("完成入河排污口排查1,038个。", "入河排污口", "排查"),
    ("完成83个行政村生活污水治理。", "行政村", "治理"),
])
def test_progress_verb_hands_the_action_to_the_act_it_reports(rules_pipeline, text, obj, action):
    metric = rules_pipeline.extract_text(text).metrics[0]
    assert obj in metric.object and metric.action.endswith(action)


@pytest.mark.parametrize("text, obj, action", [
    ("上半年完成农产品快检抽样2315批次。", "农产品快检抽样", "完成"),
    ("全年完成水利建设投资8.6亿元。", "水利建设投资", "完成"),
])
def test_completion_verb_is_the_action_when_the_work_itself_is_counted(rules_pipeline, text, obj, action):
    metric = rules_pipeline.extract_text(text).metrics[0]
    assert (metric.object, metric.action) == (obj, action)


def test_a_rate_after_completed_sampling_measures_the_sampling(rules_pipeline):
    count, rate = rules_pipeline.extract_text("全年完成食品安全监督抽检3100批次，合格率98.2%。").metrics
    assert count.action == "完成" and rate.action == "抽检"


@pytest.mark.parametrize("text, expected", [
    # after a comma, a plain noun phrase goes on with the list the verb before it opened
    ("巡查加油站46座，危险化学品储存仓库12个。", [("加油站", "巡查"), ("危险化学品储存仓库", "巡查")]),
    # an item may open with a verb that describes its noun
    ("调派消防员86人次、救援车辆19台次。", [("消防员", "调派"), ("救援车辆", "调派")]),
    # verbs inside a name ending in a head noun only describe it
    ("共检查特种设备生产和充装单位32家，冬季取暖用品生产销售企业222家次，药店、诊所等重点场所687家次。",
     [("特种设备生产和充装单位", "检查"), ("冬季取暖用品生产销售企业", "检查"), ("药店、诊所等重点场所", "检查")]),
    # a clause with its own verb does not
    ("检查门店30家，现场纠正问题14个。", [("门店", "检查"), ("问题", "纠正")]),
    ("检查企业50家，企业落实整改措施30家。", [("企业", "检查"), ("整改措施", "落实")]),
    # nor a clause that a verbal noun opens, when visits are counted
    ("巡查网吧等场所45家次，监测广告1089个次。", [("场所", "巡查"), ("广告", "监测")]),
    # nor do the people who took part in the events counted before them
    ("开展防汛演练30场次，参演救援人员900余人次。", [("防汛演练", "开展"), ("救援人员", "参演")]),
])
def test_a_list_goes_on_after_a_comma(rules_pipeline, text, expected):
    metrics = rules_pipeline.extract_text(text).metrics
    assert [(m.object, m.action) for m in metrics] == expected


@pytest.mark.parametrize("text, obj, action", [
    ("有效处置突发事件12起。", "突发事件", "处置"),  # 有效 is no existence word (有)
    ("及时处置火情23起。", "火情", "处置"),
    ("全乡辖9个行政村。", "行政村", "辖"),
    ("辖区内企业120家。", "企业", ""),  # 辖区 is the scope, not the verb 辖
    ("全县共有3.2万人受灾。", "受灾人口", "受灾"),  # the people counted by their state
])
def test_existence_words_are_whole_words(rules_pipeline, text, obj, action):
    metric = rules_pipeline.extract_text(text).metrics[0]
    assert (metric.object, metric.action) == (obj, action)


def test_parts_after_qizhong_are_marked_as_breakdowns(rules_pipeline):
    document = rules_pipeline.extract_text("排查隐患242项，其中重大隐患12项、一般隐患230项。全年检查企业128家次。")
    assert [(m.text, m.breakdown) for m in document.metrics] == [
        ("242项", False), ("12项", True), ("230项", True), ("128家次", False)]


@pytest.mark.parametrize("text, objects", [
    ("全年生产安全事故起数和死亡人数同比分别下降21.7%和18.2%。", ["生产安全事故起数", "死亡人数"]),
    ("全县发生生产安全事故6起、死亡5人，同比分别下降25%和16.7%。", ["生产安全事故起数", "死亡人数"]),
    # without 分别, only when the figures before the list are exactly as many as its rates
    ("全市发生火灾175起、死亡6人、直接财产损失1.27亿元，同比下降42.1%、43.9%、46%。", ["火灾起数", "死亡人数", "财产损失"]),
])
def test_rates_after_fenbie_belong_to_the_listed_figures_in_order(rules_pipeline, text, objects):
    rates = [m for m in rules_pipeline.extract_text(text).metrics if m.kind == "rate"]
    assert len(rates) == len(objects)
    for rate, expected in zip(rates, objects):
        assert expected in rate.object
        assert rate.change == "down" and rate.action == "下降"  # one change word for the whole list


@pytest.mark.parametrize("text, objects", [
    # a baseline of several years is a comparison, not part of the subject
    ("自然灾害死亡失踪人数比前5年下降54.3%。", ["自然灾害死亡失踪人数"]),
    ("全年发生火灾226起、受害森林面积4971公顷，较前五年均值分别下降64.4%、87.4%。", ["火灾起数", "受害森林面积"]),
    # the subjects sit before a clause that only names the baseline
    ("受灾人口、倒塌房屋数量和直接经济损失，与前5年平均值相比，同比分别下降59.9%、99.9%和88.6%。",
     ["受灾人口", "倒塌房屋数量", "直接经济损失"]),
    # a share of a whole is the share of the figure before it, or of the subject before 占
    ("住宅火灾84起，占火灾总数的38.5%；投诉占举报量的14%。", ["住宅火灾占比", "投诉占比"]),
    # with no noun before 占, the share is of what the figure before it counts, even an act
    ("受理投诉6120件，占71%；举报2510件，占29%。", ["投诉占比", "举报占比"]),
    # a bracket after the name only explains it
    ("其中综合救援(抢险、救助)占出动总数的85.6%。", ["综合救援占比"]),
    ("综合应急救援（抢险救援、社会救助）占比62.3%。", ["综合应急救援占比"]),
])
def test_rate_subjects(rules_pipeline, text, objects):
    rates = [m for m in rules_pipeline.extract_text(text).metrics if m.kind == "rate"]
    assert [m.object for m in rates] == objects


def test_a_list_of_rates_after_other_figures_is_not_read_in_order_when_counts_differ(rules_pipeline):
    text = "检查企业128家，发现隐患242项，整改隐患230项，同比增长12%、15%。"
    rates = [m for m in rules_pipeline.extract_text(text).metrics if m.kind == "rate"]
    assert [(m.change, m.object) for m in rates][1:] == [("up", rates[0].object)]


TABLE_PAGE = """<html><body><article><p>全县共检查企业286家。</p>
<table><tr><th>乡镇</th><th>检查企业数</th><th>发现隐患数（处）</th><th>已整改隐患数</th></tr>
<tr><td>古陶镇</td><td>58家</td><td>142处</td><td>121处</td></tr>
<tr><td>合计</td><td>286家</td><td>753处</td><td>617处</td></tr></table></article></body></html>"""


def test_table_cells_are_read_under_their_column_headers(rules_pipeline):
    document = rules_pipeline.extract_text(TABLE_PAGE, is_html=True)
    cells = [(m.text, m.object, m.action, m.breakdown) for m in document.metrics[1:]]
    assert cells == [
        ("58家", "企业", "检查", True), ("142处", "隐患", "发现", True), ("121处", "隐患", "整改", True),
        ("286家", "企业", "检查", False), ("753处", "隐患", "发现", False), ("617处", "隐患", "整改", False)]
    for metric in document.metrics:
        assert TABLE_PAGE[metric.start:metric.end] == metric.text


INDICATOR_TABLE_PAGE = """<html><body><article><p>主要指标完成情况见下表。</p>
<table><tr><th>指标名称</th><th>2023年</th><th>同比变化</th></tr>
<tr><td>PM2.5平均浓度</td><td>24微克/立方米</td><td>下降7.7%</td></tr>
<tr><td>行政处罚案件（大气类）</td><td>46件</td><td>—</td></tr>
<tr><td>合计</td><td>122件</td><td>下降9.6%</td></tr></table></article></body></html>"""


def test_table_rows_without_column_headers_are_named_by_their_label(rules_pipeline):
    document = rules_pipeline.extract_text(INDICATOR_TABLE_PAGE, is_html=True)
    assert [(m.text, m.object) for m in document.metrics] == [
        ("24微克/立方米", "PM2.5平均浓度"), ("7.7%", "PM2.5平均浓度"), ("46件", "大气类行政处罚案件"),
        ("122件", ""), ("9.6%", "")]


XXGK_PAGE = """<html><body><article><p>二、主动公开政府信息情况</p>
<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>5</td></tr></table>
<table><tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td>1.5</td></tr></table>
<table><tr><td>年份</td><td>2022</td><td>2023</td></tr>
<tr><td>序号</td><td>1</td><td>2</td></tr></table></article></body></html>"""


def test_bare_numbers_in_table_cells_take_the_unit_their_header_names(rules_pipeline):
    document = rules_pipeline.extract_text(XXGK_PAGE, is_html=True)
    assert [(m.text, m.value, m.unit, m.object, m.action) for m in document.metrics] == [
        ("0", 0, "件", "规章", "制发"), ("0", 0, "件", "规章", "废止"), ("0", 0, "件", "规章", ""),
        ("2", 2, "件", "行政规范性文件", "制发"), ("1", 1, "件", "行政规范性文件", "废止"),
        ("5", 5, "件", "行政规范性文件", ""), ("1.5", 15000, "元", "行政事业性收费", "")]
    for metric in document.metrics:
        assert XXGK_PAGE[metric.start:metric.end] == metric.text


@pytest.mark.parametrize("text, expected", [
    # acts the domain dictionary tags as verbs (jieba reads them as nouns or names)
    ("全年接处火警412起,拓宽乡村道路86公里。", [("火警", "接处"), ("乡村道路", "拓宽")]),
    # a state opening the name is the act, also where no verb came before (受灾人口 is one word to jieba)
    ("受淹农田2100多亩、房屋35间,受灾人口8600多人。", [("农田", "受淹"), ("房屋", "受淹"), ("受灾人口", "受灾")]),
])
def test_acts_the_domain_dictionary_corrects(rules_pipeline, text, expected):
    assert [(m.object, m.action) for m in rules_pipeline.extract_text(text).metrics] == expected


def test_a_verb_after_de_describes_the_noun_a_measure_counts(rules_pipeline):
    [metric] = rules_pipeline.extract_text("项目含东门至西岭段2.4公里的拓宽工程。").metrics
    assert metric.object == "拓宽工程"


def test_problems_found_take_the_finding_verb_and_are_named_with_their_state(rules_pipeline):
    metrics = rules_pipeline.extract_text("督查中,发现脚手架搭设不规范共计6项、消防器材缺失共计2项。").metrics
    assert [(m.object, m.action) for m in metrics] == [("脚手架搭设不规范", "发现"), ("消防器材缺失", "发现")]


def test_one_character_casualty_acts_read_as_their_full_form(rules_pipeline):
    metrics = rules_pipeline.extract_text("全年接报火灾2,318起，亡9人，伤14人。").metrics
    assert [(m.object, m.action) for m in metrics][1:] == [("火灾死亡人数", "死亡"), ("火灾受伤人数", "受伤")]


@pytest.mark.parametrize("text, expected", [
    # the issuing verb is the act; an act inside the document's name is part of the name
    ("共开具整改通知单64份,暂停施工指令书5份。", [("整改通知单", "开具"), ("暂停施工指令书", "开具")]),
    ("对存在重大隐患的工地下发停工整改通知书18份。", [("停工整改通知书", "下发")]),
    # a document named by its title, and a list of titles after one verb
    ("已下发《限期整改通知书》3份、《停工通知书》2份。", [("限期整改通知书", "下发"), ("停工通知书", "下发")]),
])
def test_documents_issued(rules_pipeline, text, expected):
    assert [(m.object, m.action) for m in rules_pipeline.extract_text(text).metrics] == expected


def test_a_describing_verb_may_open_a_name_that_goes_on_with_a_list(rules_pipeline):
    metrics = rules_pipeline.extract_text("共检查在建工程26项,施工企业21家,监理企业9家。").metrics
    assert [m.action for m in metrics] == ["检查", "检查", "检查"]


def test_households_and_people_are_counted_by_the_state_after_them(rules_pipeline):
    metrics = rules_pipeline.extract_text("冲毁农田65亩,全乡1,230户4,518人受灾,紧急转移安置320人。").metrics
    assert [(m.object, m.action) for m in metrics][1:] == [
        ("受灾户", "受灾"), ("受灾人口", "受灾"), ("转移安置", "转移安置")]


def test_the_dead_do_not_pass_their_act_to_the_accidents_after_them(rules_pipeline):
    metrics = rules_pipeline.extract_text("道路运输事故21起、死亡9人(其中货车事故6起、死亡4人)。").metrics
    # the accidents happened (act-implied-by-event): they do not take the dead's 死亡
    assert [m.action for m in metrics] == ["发生", "死亡", "发生", "死亡"]


def test_categories_of_work_keep_their_own_names_and_the_act_that_counted_them(rules_pipeline):
    metrics = rules_pipeline.extract_text(
        "全年共接处警3,812起，同比上升4.2%，其中火灾扑救906起、抢险救援1,733起、社会救助1,173起。").metrics
    assert [(m.object, m.action) for m in metrics if m.kind == "count"][1:] == [
        ("火灾扑救", "接处警"), ("抢险救援", "抢险救援"), ("社会救助", "接处警")]


def test_things_done_to_what_was_counted_before_share_its_name(rules_pipeline):
    metrics = rules_pipeline.extract_text("受理消费者投诉举报2,460件，办结2,411件；排查地质灾害隐患点96处、危旧房210户。").metrics
    assert [(m.object, m.action) for m in metrics] == [
        ("消费者投诉举报", "受理"), ("消费者投诉举报", "办结"), ("地质灾害隐患点", "排查"), ("危旧房", "排查")]


@pytest.mark.parametrize("text, expected", [
    # meetings that study a matter: 专题研究 is the act
    ("县委常委会、县政府常务会议先后9次专题研究安全生产工作。", [("安全生产工作", "专题研究")]),
    # the count of times is of the meetings a light verb holds
    ("局党委召开党委会专题研究党建工作11次。", [("党委会", "召开")]),
    # the act right after a count of times comes before any act of the clauses before it
    ("市政府4次专题研究防汛工作,市防指先后7次召开调度会议。", [("防汛工作", "专题研究"), ("调度会议", "召开")]),
])
def test_meetings_counted(rules_pipeline, text, expected):
    assert [(m.object, m.action) for m in rules_pipeline.extract_text(text).metrics] == expected


def test_a_sentence_opening_with_qizhong_gives_parts_of_the_figure_before_it(rules_pipeline):
    metrics = rules_pipeline.extract_text(
        "全县实有各类经营主体6.2万户，同比增长5.1%。其中，企业1.1万户，个体工商户5.1万户。全年发现隐患36处。").metrics
    assert [(m.text, m.action, m.breakdown) for m in metrics] == [
        ("6.2万户", "实有", False), ("5.1%", "增长", False), ("1.1万户", "实有", True), ("5.1万户", "实有", True),
        ("36处", "发现", False)]

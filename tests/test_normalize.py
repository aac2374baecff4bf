import pytest
from hypothesis import given, settings, strategies as st

from reportmine.normalize import FULLWIDTH, chrome_lines, corrupt_spans, html_to_text, normalize, to_simplified

from conftest import SEEDS, need_seeds


def norm(text, lexicons, **kwargs):
    return normalize(text, lexicons, **kwargs)


def test_pinyin_noise_removed_but_real_parentheses_kept(lexicons):
    text = "贛縣區(qū)應(yīng)急管理局印發(fā)《辦法(試行)》,307個(gè)村(社區(qū))成立了應(yīng)急管理室(資料圖),(一)"
    result = norm(text, lexicons)
    assert result.text == "赣县区应急管理局印发《办法(试行)》,307个村(社区)成立了应急管理室(资料图),(一)"


def test_pinyin_noise_repeated_after_one_character_is_removed_whole(lexicons):
    # a page run twice through the same annotating tool: 常(chang)(chang)住(zhu)人口(kou)(kou)(kou)
    text = "廣東省常(chang)(chang)住(zhu)人口(kou)(kou)(kou)12656.8萬(wan)(wan)人(一)"
    result = norm(text, lexicons)
    assert result.text == "广东省常住人口12656.8万人(一)"
    start, end = result.to_original(result.text.index("12656.8万人"), result.text.index("12656.8万人") + 9)
    assert text[start:end] == "12656.8萬(wan)(wan)人"


def test_fullwidth_digits_and_percent_become_ascii(lexicons):
    result = norm("检查１２８家次，整改率９５．６％", lexicons)
    assert result.text == "检查128家次，整改率95.6%"
    assert len(result.text) == len("检查１２８家次，整改率９５．６％")


def test_spaces_between_a_figure_and_its_words_go_but_not_between_digits(lexicons):
    original = "修订预案 10 余件，参演近 200 人，总人口 3.65 万余人，整改率 95.6 %，“1 2 15 4”体系"
    result = norm(original, lexicons)
    assert result.text == "修订预案10余件，参演近200人，总人口3.65万余人，整改率95.6%，“1 2 15 4”体系"
    start = result.text.index("近200人")
    assert result.to_original(start, start + len("近200人")) == (original.index("近 200 人"), original.index("近 200 人") + 7)


def test_chrome_lines_dropped(lexicons):
    page = ("首页 应急要闻 应急风采 地方应急 实践交流 安全科技 关于我们\n"
            "来源:本站 作者:admin 人气:596 发布时间:2019-11-11 01:55:49\n"
            "全县检查企业12家。\n"
            "责任编辑:admin\n"
            "Copyright © 2023 某某网\n"
            "国家工信部备案:晋ICP备19011366号\n"
            "晋公网安备:14010602060649号\n")
    result = norm(page, lexicons)
    assert result.text.strip() == "全县检查企业12家。"


def test_reading_time_badges_and_login_forms_are_chrome(lexicons):
    text = "共计5989个字,预计阅读时长20分钟\n两次输入的密码不一致\n全县检查企业12家。\n"
    assert norm(text, lexicons).text.strip() == "全县检查企业12家。"


def test_a_view_counter_line_is_chrome(lexicons):
    text = "某县应急管理局上半年工作总结\n5821次浏览\n全县检查企业12家。\n"
    assert norm(text, lexicons).text.strip().splitlines()[-1] == "全县检查企业12家。"
    assert "浏览" not in norm(text, lexicons).text


def test_wechat_chrome_and_link_lists_dropped(lexicons):
    page = ("点击上方蓝字关注我们\n\n全市检查经营主体6,842家次。\n\n阅读原文\n\n往期推荐\n\n"
            "▶ 佛山发布第5期抽检信息，12批次不合格\n▶ 这8类燃气具不合格！\n\n"
            "长按识别二维码关注\n微信号：fs_scjg\n阅读 2.3万\n分享　收藏　点赞　在看\n")
    assert norm(page, lexicons).text.strip() == "全市检查经营主体6,842家次。"


PDF_TEXT = ("某市应急管理局2023年工作总结\n"
            + "　　全年共检查企业1,236家次，排查各类安全隐患2,417项，其中重大\n"
            + "事故隐患13项，已全部整改；对存在严重违法行为的17家企业依法责令停产\n"
            + "停业整顿，取缔非法生产窝点22处，收缴非法烟花爆竹1.8万余箱，移送公安机\n"
            + "关案件14起，行政拘留19人，进一步推动企业落实安全生产主体责任，检查3,862\n"
            + "\n— 2 —\n\n某市应急管理局2023年工作总结\n"
            + "家次，督促企业完成隐患整改，持续巩固提升专项整治成效，各项工作有序推进。\n"
            + "一、全年安全生产形势\n"
            + "　　全年全市共发生各类生产安全事故11起，死亡9人，受伤4人，直接经济损失312.6\n"
            + "万元，事故起数和死亡人数分别下降26.7%和18.2%，全市安全生产形势总体平稳向好。\n"
            + "　　全年组织开展应急演练216场次，参演人员1.5万人次，培训企业负责人4,730人次。\n")


def test_text_wrapped_like_a_pdf_is_joined_inside_sentences(lexicons):
    result = norm(PDF_TEXT, lexicons)
    assert "其中重大事故隐患13项" in result.text
    assert "检查3,862家次" in result.text  # across a page footer and the repeated running header
    assert "— 2 —" not in result.text and result.text.count("某市应急管理局2023年工作总结") == 1
    assert "直接经济损失312.6万元" in result.text
    assert "\n一、全年安全生产形势\n" in result.text  # a heading stays its own line
    span = result.text.index("3,862家次")
    start, end = result.to_original(span, span + len("3,862家次"))
    assert PDF_TEXT[start:end].startswith("3,862\n") and PDF_TEXT[start:end].endswith("家次")


def test_a_page_set_in_from_the_edge_is_unwrapped_at_its_margin(lexicons):
    # a book page copied out of a PDF viewer: every line indented by the page margin (12 spaces), a
    # paragraph's first line further (17); a line at the margin goes on the sentence before it
    title, *lines = PDF_TEXT.replace("　　", " " * 5).splitlines()
    body = [line for line in lines if line and line != title and "— 2 —" not in line]
    page = "某县消防志\n\n" + "\n".join(" " * 12 + line for line in body) + "\n"
    result = norm(page, lexicons)
    assert "其中重大事故隐患13项" in result.text and "检查3,862家次" in result.text
    assert "\n一、全年安全生产形势\n" in result.text  # a heading stays its own line
    assert "\n" in result.text.split("全年共检查企业")[0]  # the paragraph's own start stays a break


def test_text_with_one_paragraph_a_line_is_not_unwrapped(lexicons):
    text = "一、主要工作\n全年检查企业128家次。\n排查隐患242项。\n" * 5
    assert norm(text, lexicons).text == text


def test_html_article_kept_and_chrome_dropped(lexicons):
    page = ("<html><head><title>新闻</title><style>p{color:red}</style><script>var a=1;</script></head><body>"
            "<nav><a href='/'>首页</a><a>新闻中心</a></nav><div class='breadcrumb'>当前位置:首页 &gt; 工作动态</div>"
            "<div class='article'><p>检查企业<strong>128</strong>家次&nbsp;发现隐患242项</p>"
            "<p>&ldquo;四个意识&rdquo;</p></div><div class='footer'>晋ICP备19011366号 电话12345</div></body></html>")
    result = norm(page, lexicons)
    assert "检查企业128家次 发现隐患242项" in result.text
    assert "“四个意识”" in result.text
    for gone in ("首页", "ICP", "color", "var a", "当前位置"):
        assert gone not in result.text
    start = result.text.index("128")
    o_start, o_end = result.to_original(start, start + 5)
    assert page[o_start:o_end] == "128</strong>家次"


def test_traditional_converted_and_script_detected(lexicons):
    result = norm("應急管理局組織開展專項檢查,發現隱患兩百餘處。", lexicons)
    assert result.text == "应急管理局组织开展专项检查,发现隐患两百余处。"
    assert result.script == "traditional"
    assert norm("应急管理局组织开展专项检查。", lexicons).script == "simplified"


def test_corruption_detected_and_reported_with_original_offsets(lexicons):
    text = "开展燃?xì)獍踩?专项整治,检查锟斤拷企业,鐢熶骇安全,损失\ufffd元。"
    result = norm(text, lexicons)
    found = [text[w.start:w.end] for w in result.warnings if w.code == "corrupt_text"]
    assert any("?xì)" in f for f in found)
    assert "锟斤拷" in found
    assert "\ufffd" in found
    assert any("鐢熶骇" in f for f in found)


def test_real_question_marks_and_clean_text_are_not_corruption():
    assert corrupt_spans("威海市应急管理局是如何强化应急管理能力的?\n梁皓:重点从两个方面强化。") == []
    assert corrupt_spans("生产安全事故起数同比下降19.01%,安全生产形势持续稳定向好。") == []


def test_to_simplified_keeps_length():
    text = "髮型與頭髮、乾燥與幹部、後來的皇后"
    assert len(to_simplified(text)) == len(text)


SEED_001_SENTENCES = [
    "赣县区应急管理局2023年度工作总结及2024年工作计划",
    "区安委会按重点行业组建了14个由区级领导、牵头单位、专家等组成的安全防范“铁三角”",
    "邀请专家316人次,研判信息422条,转化为工作指令、指导措施、意见建议675条。",
    "排查重大事故隐患203条,挂牌督办85条,其中已经整改194条,未整改9条,整改率95.6%。",
    "约谈企业10家,典型案例19起(一案双罚4起),责令停产整顿企业7家,行政处罚34次,实施经济处罚89.38万元。",
    "今年以来,我局派出督查组,对19个乡镇开展防汛、森林防灭火督查检查",
    "推动19个乡镇共计670.63公里电力廊道清理工作并完成验收",
    "表彰了六个优胜单位和三十个优胜选手",
    "已投入200余万元资金为每个乡镇标配2台高扬程水泵、2公里水带等一系列新式灭火装备",
    "307个村(社区)成立了应急管理室,配备了一名应急管理员",
    "组建了307支共计3500余人的应急救援小分队",
    "完成了370HMz无线窄带通讯网建设",
    "目前曝光典型案例七批次19起,重大事故隐患两批次12条。",
    "赣州市赣县区应急管理局\n2023年12月7日",
]


def test_seed_001_reads_as_clean_simplified_text(lexicons):
    need_seeds()
    source = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    result = norm(source, lexicons)
    for sentence in SEED_001_SENTENCES:
        assert sentence in result.text, sentence
    import regex
    assert not regex.search(r"\p{Han}\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", result.text)
    assert result.script == "traditional"


# ---- property: every normalized span maps back to original text that normalizes to it ----
PIECES = st.sampled_from([
    "區(qū)", "應(yīng)急", "檢查", "企業", "１２８", "家次", "，", "。", "\n", "  ", "萬元", "(试行)", "(社區(qū))",
    "<p>", "</p>", "&nbsp;", "&amp;", "<br/>", "<strong>", "</strong>", "發現", "隱患", "２４２", "項", "检查",
    "95.6%", "％", "兩批次", "\t", "首页 新闻 通知 公告 政策 服务 互动",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=30), st.booleans())
def test_every_normalized_span_maps_to_original_that_normalizes_to_it(lexicons, pieces, as_html):
    original = "".join(pieces)
    if as_html:
        original = "<html><body><div>" + original + "</div></body></html>"
    result = norm(original, lexicons, is_html=as_html)
    text = result.text
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 6) + 1):
            o_start, o_end = result.to_original(start, end)
            assert 0 <= o_start < o_end <= len(original)
            again = norm(original[o_start:o_end], lexicons, is_html=as_html).text
            # the original slice normalizes to the span (modulo whitespace at its edges)
            assert text[start:end].strip() in again or again.strip() in text[start:end], (text[start:end], original[o_start:o_end], again)


def test_html_table_rows_stay_one_line_with_cells_after_tabs(lexicons):
    from reportmine.normalize import normalize

    page = "<table><tr><th>乡镇</th><th>检查企业数</th></tr><tr><td>古陶镇</td><td>58家</td></tr></table>"
    lines = [line for line in normalize(page, lexicons, is_html=True).text.splitlines() if line.strip()]
    assert lines == ["\t乡镇\t检查企业数", "\t古陶镇\t58家"]  # the header row is not taken for a menu

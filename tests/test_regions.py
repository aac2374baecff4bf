from reportmine.regions import regions


def test_full_path_and_code():
    table = regions()
    division = table.resolve(["赣州市", "赣县区"])
    assert (division.code, table.full_name(division)) == ("360704", "江西省赣州市赣县区")


def test_short_names_and_ethnic_autonomy():
    assert regions().suffixes.sub("", "墨江哈尼族自治县") == "墨江"
    assert regions().suffixes.sub("", "广西壮族自治区") == "广西"
    assert regions().suffixes.sub("", "黔东南苗族侗族自治州") == "黔东南"
    assert regions().resolve(["墨江"]).code == "530822"


def test_ambiguous_names_are_resolved_by_context_or_left_open():
    table = regions()
    assert table.resolve(["朝阳区"]) is None  # Beijing's or Changchun's: no guess
    assert table.resolve(["朝阳区"], "北京市朝阳区应急管理局召开会议").code == "110105"
    assert table.resolve(["北京市", "朝阳区"]).code == "110105"

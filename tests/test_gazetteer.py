"""The region resolver on the seed pages and on the traps of Chinese place names."""
import pytest

from indexer.clean import gazetteer as gazetteer_module
from indexer.clean.cache import cleaner_modules
from indexer.clean.gazetteer import GazetteerUnavailable, region_path, resolve_region
from model.report import REGION_LEVELS

from conftest import SEED_FILES

# Per seed: the lines naming the issuer (title, 来源, 发布机构, signature) as the page shows them,
# and the region the report is about.
SEEDS = {
    "000": (["湘桥街道2020年度法治政府建设情况报告"],
            ("广东省", "潮州市", "湘桥区", "湘桥街道")),
    "001": (["芙蓉区凯发一触即发关于2020年度法治政府建设情况的报告",
             "来源:长沙市芙蓉区凯发一触即发", "长沙市芙蓉区凯发一触即发"],
            ("湖南省", "长沙市", "芙蓉区", "")),
    # No title and no signature: only the body names 罗店镇, 宝山区 and 上海市.
    "002": ([], ("上海市", "上海市", "宝山区", "罗店镇")),
    "003": (["草滩街道2024年法治政府建设工作报告"],
            ("陕西省", "西安市", "未央区", "草滩街道")),
    "004": (["关于2023年法治政府建设有关情况的报告", "高台县城关镇", "城关镇人民政府"],
            ("甘肃省", "张掖市", "高台县", "城关镇")),
}
EMPTY = dict.fromkeys(REGION_LEVELS, "")


def region(*levels):
    """Return a region dict from its levels, province first."""
    return dict(zip(REGION_LEVELS, levels + ("",) * (len(REGION_LEVELS) - len(levels))))


def seed_text(prefix):
    """Return the raw text of the seed page whose file name starts with prefix."""
    [path] = [path for path in SEED_FILES if path.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_pages_resolve_to_their_region(prefix):
    text = seed_text(prefix)
    strong, expected = SEEDS[prefix]
    assert all(line in text for line in strong), "issuer lines must come from the page"
    assert resolve_region(text, strong=strong) == region(*expected)


def test_municipality_keeps_city_level_but_path_names_it_once():
    found = resolve_region(seed_text("002"))
    assert found["city"] == "上海市"
    assert region_path(found) == "上海市/宝山区/罗店镇"


def test_township_found_through_the_county_named_beside_it():
    # 城关镇 exists in about a hundred counties; 高台县 says which one.
    assert resolve_region("高台县城关镇人民政府") == region("甘肃省", "张掖市", "高台县", "城关镇")
    assert resolve_region("城关镇人民政府", strong="高台县城关镇")["county"] == "高台县"


def test_ambiguous_township_alone_is_left_empty():
    assert resolve_region("城关镇深入推进依法行政。城关镇人民政府") == EMPTY


def test_ambiguous_township_keeps_the_levels_that_are_certain():
    # Gansu has several 城关镇: the province is certain, the township is not.
    assert resolve_region("甘肃省城关镇人民政府") == region("甘肃省")


def test_city_and_district_resolve_the_district_shared_by_two_cities():
    assert resolve_region("杭州市西湖区") == region("浙江省", "杭州市", "西湖区")
    assert resolve_region(["西湖区法治政府建设", "杭州市"]) == region("浙江省", "杭州市", "西湖区")
    assert resolve_region("南昌市西湖区") == region("江西省", "南昌市", "西湖区")
    assert resolve_region("西湖区") == EMPTY


def test_province_alone_gives_only_the_province():
    assert resolve_region("贯彻落实《浙江省法治政府建设实施纲要》") == region("浙江省")
    assert resolve_region("浙江全面推进依法行政") == region("浙江省")


def test_empty_text_gives_all_levels_empty():
    assert resolve_region("") == EMPTY
    assert resolve_region([], strong=[]) == EMPTY
    assert resolve_region("全面推进依法治国，建设中国特色社会主义法治体系") == EMPTY


def test_township_name_inside_a_longer_township_name():
    assert resolve_region("草滩街道") == region("陕西省", "西安市", "未央区", "草滩街道")
    assert resolve_region("南草滩街道") == region("新疆维吾尔自治区", "乌鲁木齐市", "天山区",
                                                  "南草滩街道")


def test_issuer_texts_win_over_places_the_body_discusses():
    body = ["学习借鉴杭州市西湖区经验"] * 3
    assert resolve_region(body, strong="长沙市芙蓉区人民政府") == region("湖南省", "长沙市", "芙蓉区")


def test_county_report_listing_its_townships_stays_at_the_county():
    body = "芙蓉区深入推进依法行政。芙蓉区在定王台街道、马王堆街道开展试点。"
    assert resolve_region(body) == region("湖南省", "长沙市", "芙蓉区")
    # One township named twice is still one of a list of four, not the subject.
    body = ("芙蓉区推进依法行政，芙蓉区司法局指导定王台街道建立法律顾问制度；"
            "定王台街道、马王堆街道、湘湖街道、火星街道开展普法。")
    assert resolve_region(body) == region("湖南省", "长沙市", "芙蓉区")


def test_county_names_that_are_also_words_need_a_word_start():
    assert resolve_region("健全省、市和县两级联动机制，规范县级行政执法，推进信息县级平台") == EMPTY
    assert resolve_region("马鞍山市和县人民政府") == region("安徽省", "马鞍山市", "和县")
    assert resolve_region("中共沛县县委") == region("江苏省", "徐州市", "沛县")


# Phrases of report prose that contain a place name's characters but name no place:
# 宜居乡 and 振兴乡 are townships, 长治, 安康 and 文山 cities, 长沙路 a street.
EVERYDAY_PHRASES = ["坚持长治久安", "开展安康杯竞赛", "整治文山会海", "建设宜居乡村", "振兴乡村经济",
                    "改造长沙路"]


@pytest.mark.parametrize("phrase", EVERYDAY_PHRASES)
def test_everyday_words_name_no_place(phrase):
    assert resolve_region(phrase) == EMPTY


def test_county_directly_under_a_province_has_no_city():
    found = resolve_region("湖北省仙桃市")
    assert found == region("湖北省", "", "仙桃市")
    assert region_path(found) == "湖北省/仙桃市"


def test_region_path_joins_levels_and_collapses_a_repeat():
    assert region_path(region("上海市", "上海市", "宝山区", "罗店镇")) == "上海市/宝山区/罗店镇"
    assert region_path(region("湖南省", "长沙市", "芙蓉区")) == "湖南省/长沙市/芙蓉区"
    assert region_path(EMPTY) == ""


def test_bad_arguments_are_refused_with_the_parameter_named():
    with pytest.raises(TypeError, match="texts"):
        resolve_region(42)
    with pytest.raises(TypeError, match="strong"):
        resolve_region("高台县", strong=[None])
    with pytest.raises(TypeError, match="region"):
        region_path(None)


def test_missing_gazetteer_package_is_reported(monkeypatch):
    monkeypatch.setattr(gazetteer_module, "GAZETTEER_PACKAGE", "no_such_gazetteer_package")
    with pytest.raises(GazetteerUnavailable, match="no_such_gazetteer_package is not installed"):
        gazetteer_module.gazetteer_zip_path()


def test_a_long_text_is_resolved_as_its_issuer_says():
    # How long loading and resolving take is measured by bench.gazetteer.
    text = (seed_text("001") * 4)[:10_000]
    assert resolve_region(text, strong="长沙市芙蓉区")["county"] == "芙蓉区"


@pytest.mark.integration  # builds the gazetteer from its package twice
def test_the_built_gazetteer_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    """The first load writes the cache folder's copy; a damaged copy is built again, never trusted."""
    module = gazetteer_module
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached = module.cache_path(module.gazetteer_zip_path())
    assert cached.is_relative_to(tmp_path) and not cached.exists()
    built = module.gazetteer.__wrapped__()
    assert cached.is_file()
    assert module.gazetteer.__wrapped__().names == built.names
    cached.write_bytes(b"not a pickle")
    assert module.gazetteer.__wrapped__().names == built.names
    assert cached.read_bytes() != b"not a pickle"


# gazetteer_more.txt: divisions renamed or merged since their report, and 国家级新区 that are no division.

@pytest.mark.parametrize("text, expected", [
    ("上饶县2018年法治政府建设工作报告", region("江西省", "上饶市", "上饶县")),
    ("莱芜市人民政府关于2017年度法治政府建设情况的报告", region("山东省", "莱芜市")),
    ("崇明县2015年依法行政工作报告", region("上海市", "上海市", "崇明县")),
    ("雄安新区2023年法治政府建设情况报告", region("河北省")),
    ("江北新区2023年法治政府建设情况报告", region("江苏省", "南京市")),
])
def test_the_supplement_names_former_divisions_and_new_areas(text, expected):
    assert resolve_region([text], [text]) == expected


def test_the_former_and_the_present_name_are_apart():
    assert resolve_region(["广信区2023年法治政府建设年度报告"]) == region("江西省", "上饶市", "广信区")


@pytest.mark.parametrize("row, reason", [(("former", "江西省/上饶", "某某县"), "no division 江西省/上饶"),
                                         (("former", "江西省/上饶市", "广信区"), "广信区 is in"),
                                         (("area", "河北省", "保定市"), "保定市 is in")])
def test_a_wrong_supplement_row_is_named(row, reason):
    lines = ["江西省", "\t上饶市", "\t\t广信区", "河北省", "\t保定市"]
    with pytest.raises(GazetteerUnavailable, match=reason):
        gazetteer_module.build_gazetteer(lines, [row])


def test_a_malformed_supplement_line_is_named(tmp_path):
    bad = tmp_path / "more.txt"
    bad.write_text("# note\nformer\t江西省/上饶市\n", encoding="utf-8")
    with pytest.raises(GazetteerUnavailable, match="line 2"):
        gazetteer_module.read_supplement(bad)


def test_a_change_to_the_supplement_recleans_the_corpus():
    # Clean reports are reused while the cleaner's fingerprint stands; the supplement is part of it.
    assert gazetteer_module.SUPPLEMENT.resolve() in [path.resolve() for path in cleaner_modules()]

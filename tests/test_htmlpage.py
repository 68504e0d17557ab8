"""Government page templates: report text and metadata in, site chrome out."""
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.clean.rawfile import BadPage, clean_file
from indexer.clean.encoding import decode_page
from indexer.clean.htmlpage import CONTENT_SELECTORS, extract

from conftest import json_lines, run_module

FIXTURES = Path(__file__).parent / "fixtures" / "html"

# Chrome every fixture carries in some form: none of it may reach a body line.
COMMON_CHROME = ["当前位置", "您的位置", "字体", "打印", "关闭", "分享到", "扫一扫在手机打开当前页",
                 "相关链接", "相关文章", "版权所有", "网站标识码", "ICP备", "主办单位", "索引号",
                 "索 引 号", "发布机构", "生成日期", "网站首页", "javascript", "doZoom", "margin-top"]

# Per fixture: body lines that must come out whole, and chrome particular to its template.
TEMPLATES = {
    # TRS WCM with the guideline <meta> tags, UTF-8.
    "trs_guideline.html": {
        "body": [
            "2024年以来,草滩街道办事处坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻落实区委、区政府相关工作要求,紧紧围绕全区法治政府建设的总体部署和街道中心工作,全力推进法治政府建设工作,依法行政水平不断提高,较好地完成了2024年法治政府建设各项目标任务,现将工作情况报告如下:",
            "一、法治政府建设工作情况",
            "二、推进法治建设工作中存在的问题",
            "(二)法治建设协同联动不足。在具体工作中,部门之间、街道与社区之间信息共享不及时,协同联动不紧密,无法形成法治建设强大合力,整体效能有待提升。",
        ],
        "starts": ["(一)强化组织领导,大力推进法治政府建设工作。一是坚持党工委全面领导",
                   "(二)狠抓普法宣传,营造法治政府建设浓厚氛围。一是抓学习。"],
        "chrome": ["欢迎访问", "政务服务", "走进未央", "11610112MB2977531D", "微博",
                   "草滩街道2023年法治政府建设工作报告", "草滩街道2022年法治政府建设工作报告"],
        "title": "草滩街道2024年法治政府建设工作报告",
    },
    # No <meta> tags, class names of no known CMS: found by text density.
    "unknown_template.html": {
        "body": [
            "2020年以来,湘桥街道根据《中共潮州市委 潮州市人民政府关于印发贯彻落实<广东省法治政府建设实施纲要(2016-2020年)工作方案>的通知》(潮发〔2019〕12号)文件的要求,大力推进依法执政能力建设,加强依法行政和法制宣传教育,为打造法治政府形象、推进依法治区进程做出了积极的贡献。",
            "一、2020年法治政府建设主要工作内容",
            "(一)深化行政审批改革,依法全面履行政府职能",
            "四是落实行政审批公示。严格行政审批流程,落实张榜公示制度,对涉及民生的重点行政审批事项进行公示。",
        ],
        # The source breaks this paragraph across two lines: no space may be left in it.
        "starts": ["一是做到职权职责清单化。按照“谁行使、谁负责”及权责法定的原则,依据相关法律法规和政策规定,采取按操作程序"],
        "chrome": ["湘桥要闻", "设为首页", "今天是", "上一篇", "下一篇", "微信", "QQ空间",
                   "湘桥街道开展“民法典”宣传进社区活动", "湘桥街道2019年度法治政府建设情况报告"],
        "title": "湘桥街道2020年度法治政府建设情况报告",
    },
    # Hanweb-style layout tables, GBK bytes declared gb2312, <br>-separated paragraphs.
    "hanweb_gb2312.html": {
        "body": [
            "一、工作成效",
            "(四)推进依法治理,维护社会和谐稳定。坚持和发展新时代“枫桥经验”,全面落实“四级七天”矛盾纠纷排查化解机制,确保“小事不出村、大事不出镇、矛盾不上交”。全年共化解各类矛盾纠纷630余件,调解率达98%以上。",
        ],
        # 喆 is a GBK character outside GB 2312: proof the gb2312 declaration was widened.
        "starts": ["2023年,在县委、县政府和镇党委的坚强领导下", "(一)加强组织领导,夯实法治政府建设根基。坚持将党的领导"],
        "contains": ["镇党委书记王喆主持召开法治政府建设专题会议"],
        "chrome": ["620724077/2024-00019", "政府报〔2024〕9号", "公开形式", "主动公开", "是否有效",
                   "政民互动", "甘公网安备"],
        "title": "关于2023年法治政府建设有关情况的报告",
    },
    # The body pasted twice into the editor: extraction keeps both (dedupe is a later repair).
    "double_body.html": {
        "body": ["一、推进法治政府建设的主要举措和成效", "(一)建立健全制度机制,组织领导更加坚强有力"],
        "starts": ["2020年,罗店镇在区委、区政府和镇党委的坚强领导下,全面落实《法治政府建设实施纲要(2015-2020年)》",
                   "一是坚持党的集中统一领导,凝聚法治建设强大合力。"],
        "chrome": ["上海宝山", "办事服务", "微信", "微博", "罗店镇2019年度法治政府建设情况报告", "沪ICP备",
                   "发布日期：2021-02-26"],
        "title": "罗店镇2020年度法治政府建设情况报告",
    },
}


def fixture_page(name):
    """Decode and extract a fixture page as the cleaner does."""
    text, _ = decode_page((FIXTURES / name).read_bytes())
    return extract(text)


@pytest.mark.parametrize("name", TEMPLATES)
def test_body_lines_are_extracted_whole_and_in_order(name):
    expected, lines = TEMPLATES[name], fixture_page(name).lines
    for line in expected["body"]:
        assert line in lines, (name, line)
    for start in expected["starts"]:
        assert any(line.startswith(start) for line in lines), (name, start)
    for fragment in expected.get("contains", []):
        assert any(fragment in line for line in lines), (name, fragment)
    positions = [lines.index(line) for line in expected["body"]]
    assert positions == sorted(positions), name


@pytest.mark.parametrize("name", TEMPLATES)
def test_chrome_never_reaches_a_body_line(name):
    lines = fixture_page(name).lines
    for chrome in COMMON_CHROME + TEMPLATES[name]["chrome"]:
        for line in lines:
            assert chrome not in line, (name, chrome, line)


@pytest.mark.parametrize("name", TEMPLATES)
def test_lines_have_no_indentation_or_runs_of_spaces(name):
    for line in fixture_page(name).lines:
        assert line == line.strip() and "  " not in line and "\u3000" not in line
        assert "\xa0" not in line, (name, line)


@pytest.mark.parametrize("name", TEMPLATES)
def test_title_found_and_not_repeated_as_first_body_line(name):
    page = fixture_page(name)
    assert page.title == TEMPLATES[name]["title"]
    assert page.lines[0] != page.title


def test_unknown_template_matches_no_known_container():
    # So that its test exercises the text-density fallback.
    soup = BeautifulSoup((FIXTURES / "unknown_template.html").read_text(encoding="utf-8"), "lxml")
    assert not any(soup.select(selector) for selector in CONTENT_SELECTORS)


def test_guideline_meta_tags_become_hints():
    page = fixture_page("trs_guideline.html")
    assert page.hints == {"title": "草滩街道2024年法治政府建设工作报告", "pub_date": "2025-01-20",
                          "issuer": "草滩街道办事处", "site_name": "西安市未央区人民政府",
                          "column_name": "法治政府建设"}


def test_guideline_meta_in_gbk_page_with_chinese_date():
    hints = fixture_page("hanweb_gb2312.html").hints
    assert hints["pub_date"] == "2024-03-18" and hints["issuer"] == "高台县城关镇"


def test_double_body_is_extracted_twice_without_error():
    lines = fixture_page("double_body.html").lines
    assert lines.count("一、推进法治政府建设的主要举措和成效") == 2


@pytest.mark.parametrize("title_tag, expected", [
    ("关于2023年法治政府建设有关情况的报告_高台县人民政府", "关于2023年法治政府建设有关情况的报告"),
    ("湘桥区法治政府建设实施纲要(2016-2020年)落实情况 - 潮州市湘桥区人民政府", "湘桥区法治政府建设实施纲要(2016-2020年)落实情况"),
    ("某县2022年法治政府建设年度报告 | 某县人民政府", "某县2022年法治政府建设年度报告"),
    ("某镇2021年法治政府建设情况报告--某县人民政府", "某镇2021年法治政府建设情况报告"),
])
def test_title_tag_loses_the_site_name(title_tag, expected):
    assert extract(f"<html><head><title>{title_tag}</title></head><body></body></html>").title == expected


def test_title_meta_preferred_to_title_tag():
    html = ('<html><head><meta property="og:title" content="某区2023年法治政府建设情况报告">'
            "<title>首页_某区人民政府</title></head><body></body></html>")
    assert extract(html).title == "某区2023年法治政府建设情况报告"


def test_br_inline_and_table_cells_become_separate_lines():
    html = ("<html><body><div id='zoom'>第一段<b>加粗</b>接着说明有关情况。<br>第二段开头<span>行内</span>结束。"
            "<table><tr><td>全年办理行政复议案件</td><td>12件</td></tr></table></div></body></html>")
    assert extract(html).lines == ["第一段加粗接着说明有关情况。", "第二段开头行内结束。", "全年办理行政复议案件", "12件"]


def test_hidden_elements_and_scripts_are_not_text():
    html = ("<html><body><div class='TRS_Editor'><p>依法行政工作取得新进展，行政执法更加规范。</p>"
            "<div style='display: none'>打印版隐藏副本</div><script>var a = '脚本文字';</script>"
            "<p>普法宣传深入开展，群众法治意识不断增强。</p></div></body></html>")
    assert extract(html).lines == ["依法行政工作取得新进展，行政执法更加规范。", "普法宣传深入开展，群众法治意识不断增强。"]


def test_deeply_nested_markup_does_not_overflow():
    html = "<html><body><div>" + "<font>" * 1200 + "<p>深层嵌套的段落仍然是正文内容，应当被提取出来。</p>" + "</font>" * 1200 + "</div></body></html>"
    assert extract(html).lines == ["深层嵌套的段落仍然是正文内容，应当被提取出来。"]


def test_page_without_text_gives_no_lines():
    assert extract("<html><head><title></title></head><body><nav><a href='/'>首页</a></nav></body></html>").lines == []


# The whole pipeline on HTML files: decode, extract, clean, provenance.

@pytest.mark.parametrize("name", TEMPLATES)
def test_clean_file_on_html_fixture(name):
    report = clean_file(FIXTURES / name)
    assert report.title == TEMPLATES[name]["title"]
    assert report.report_id == Path(name).stem
    texts = [p.text for p in report.paragraphs]
    # An inline heading is split from its body, so a line may span two paragraphs.
    body = "".join(texts)
    for line in TEMPLATES[name]["body"]:
        assert line in body, (name, line)
    for text in texts:
        for chrome in COMMON_CHROME + ["稿件作者", "浏览量", "城关镇人民政府", "2024年3月15日"]:
            assert chrome not in text, (name, chrome)


def test_clean_file_fills_date_and_issuer_from_meta():
    # The signature 城关镇人民政府 names the author; ContentSource 高台县城关镇 places it.
    report = clean_file(FIXTURES / "hanweb_gb2312.html")
    assert (report.pub_date, report.issuer) == ("2024-03-18", "高台县城关镇人民政府")


def test_clean_file_reads_the_scraper_sidecar(tmp_path):
    raw = tmp_path / "www.gaotai.gov.cn_0123456789abcdef.html"
    # Without its <meta> charset, only the HTTP header recorded in the sidecar names the encoding.
    source = (FIXTURES / "hanweb_gb2312.html").read_bytes().replace(b"charset=gb2312", b"")
    raw.write_bytes(source)
    url = "http://www.gaotai.gov.cn/zwgk/gzgk/cgz/zdgkwj/202403/t20240318_1063551.html"
    sidecar = {"url": url, "final_url": url, "fetched_at": "2026-01-01T00:00:00+00:00", "status": 200,
               "content_type": "text/html; charset=GBK", "declared_encoding": "GBK",
               "detected_encoding": "gb18030"}
    (tmp_path / "www.gaotai.gov.cn_0123456789abcdef.meta.json").write_text(json.dumps(sidecar))
    report = clean_file(raw)
    assert report.source == {"path": str(raw), "url": url, "fetched_at": "2026-01-01T00:00:00+00:00"}
    assert report.report_id == "www.gaotai.gov.cn_0123456789abcdef"
    assert any("王喆" in p.text for p in report.paragraphs)


def test_unreadable_sidecar_is_a_warning_not_a_failure(tmp_path):
    raw = tmp_path / "page.html"
    shutil.copy(FIXTURES / "trs_guideline.html", raw)
    (tmp_path / "page.meta.json").write_text("{not json")
    report = clean_file(raw)
    assert report.paragraphs and any("page.meta.json" in w for w in report.warnings)
    assert report.source == {"path": str(raw), "url": "", "fetched_at": ""}


def test_replaced_bytes_are_reported_as_a_warning(tmp_path):
    raw = tmp_path / "stray.html"
    raw.write_bytes((FIXTURES / "trs_guideline.html").read_bytes().replace("版权所有：".encode(), b"\xa9 "))
    report = clean_file(raw)
    assert any("无法解码" in w for w in report.warnings)


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"<html><body><nav><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></nav></body></html>", "not a report"),
    ("<html><body><p>前半段是GBK编码的文字内容，".encode("gbk") + "后半段却是UTF-8编码的文字内容</p></body></html>".encode(),
     "mixed encodings"),
])
def test_bad_html_files_are_refused_with_reason(tmp_path, content, reason):
    raw = tmp_path / "bad.html"
    raw.write_bytes(content)
    with pytest.raises(BadPage, match=reason):
        clean_file(raw)


def test_styling_classes_are_not_mistaken_for_chrome():
    html = ("<html><body><div class='TRS_Editor'>"
            "<p class='font-weight-bold'>一、法治政府建设工作情况</p>"
            "<p>全年共办理行政复议案件12件，依法纠错2件，行政复议纠错率有所提高。</p>"
            "<p class='MsoFootnoteText'>注：数据截至2024年12月31日，来源于区司法局统计。</p>"
            "<div class='bdsharebuttonbox'>分享到：<a>微信</a><a>微博</a></div>"
            "<div class='position-relative'><p>二、存在的问题和不足</p></div></div></body></html>")
    assert extract(html).lines == ["一、法治政府建设工作情况", "全年共办理行政复议案件12件，依法纠错2件，行政复议纠错率有所提高。",
                                   "注：数据截至2024年12月31日，来源于区司法局统计。", "二、存在的问题和不足"]


@pytest.mark.integration
def test_cli_clean_reads_html_and_prints_a_summary(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    pages = [str(FIXTURES / "hanweb_gb2312.html"), str(FIXTURES / "unknown_template.html")]
    done = run_module("indexer", "clean", *pages, str(empty), "--json")
    assert done.returncode == 0, done.stderr
    reports = json_lines(done.stdout)
    assert [r["title"] for r in reports] == ["关于2023年法治政府建设有关情况的报告", "湘桥街道2020年度法治政府建设情况报告"]
    assert f"skipped {empty}: empty file" in done.stderr
    assert "cleaned 2 of 3 files" in done.stderr.splitlines()[-1]

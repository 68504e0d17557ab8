"""The cleaner on the seed pages and on small pages: chrome out, body whole, metadata read."""
import pytest

from indexer.clean.gazetteer import region_path

from model.text import normalize
from indexer.clean.chrome import drop_chrome_lines
from indexer.clean.rawfile import BadPage, clean_file
from indexer.clean.metadata import region_evidence
from indexer.clean.textpage import clean_text, is_signature_line, read_page

from conftest import SEED_FILES

# Lines of page furniture present in the raw seeds that must never reach a paragraph.
CHROME = ["扫一扫", "索引号", "620724077/2024-00019", "浏览字体", "稿件作者", "字体大小", "发布时间",
          "您的位置", "首页>>", "打印", "附件", "发布机构", "生成日期", "是否有效", "公开形式",
          "2024-03-18 17:35:20", "2021310", "凯发", "一触即发"]

# Where each seed's body runs in the raw page (first and last body line), and the repairs
# the cleaner makes to it on purpose.
BODY_SPANS = {
    "000": ("2020年以来,湘桥街道根据", "(三)加强行政执法监督,提升社会管理法治化水平。"),
    "001": ("按照《法治政府建设与责任落实督察工作规定》", "2021年是实施国民经济"),
    "002": ("2020年,罗店镇在区委", "四是切实推动行政执法"),
    "003": ("2024年以来,草滩街道办事处", "(三)强化法治建设宣传。"),
    "004": ("2023年,在县委、县政府和镇党委", "五是努力加强公共服务能力建设"),
}
BODY_REPAIRS = {"001": [("20209月", "2020年9月")]}

# Every top-level heading of the seeds and the class of its section.
TOP_LEVEL_CLASSES = {
    "000": {"一、2020年法治政府建设主要工作内容": "成效举措", "二、下一步工作思路": "下一步计划"},
    "001": {"一、主要工作成效": "成效举措", "二、存在的问题": "存在问题", "三、下一步工作思路": "下一步计划"},
    "002": {
        "一、推进法治政府建设的主要举措和成效": "成效举措",
        "二、推进法治政府建设存在的不足和原因": "存在问题",
        "三、党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况": "负责人履职",
        "四、2021年推进法治政府建设的主要安排": "下一步计划",
        "五、2020年度法治督查整改情况": "整改落实",
    },
    "003": {"一、法治政府建设工作情况": "成效举措", "二、推进法治建设工作中存在的问题": "存在问题",
            "三、下一步工作": "下一步计划"},
    "004": {"一、工作成效": "成效举措", "二、推进法治政府建设存在的不足及原因": "存在问题",
            "三、2024年度推进法治建设主要目标任务": "下一步计划"},
}


@pytest.fixture(scope="module")
def reports(seed_reports):
    """The clean reports of all seeds, by file-name prefix (conftest.py cleans them once for the run)."""
    return seed_reports


def raw_body_lines(prefix):
    """Return the stripped body lines of a seed's raw page, with the intended repairs applied."""
    path = next(p for p in SEED_FILES if p.name.startswith(prefix))
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    first, last = BODY_SPANS[prefix]
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.startswith(last))
    body = lines[start:end + 1]
    for old, new in BODY_REPAIRS.get(prefix, []):
        body = [line.replace(old, new) for line in body]
    return body


def by_text(report, start):
    """Return the paragraph whose text starts with start."""
    return next(p for p in report.paragraphs if p.text.startswith(start))


def test_no_chrome_survives(reports):
    for report in reports.values():
        for paragraph in report.paragraphs:
            for chrome in CHROME:
                assert chrome not in paragraph.text, (report.report_id, paragraph.n, chrome)


@pytest.mark.parametrize("prefix", sorted(BODY_SPANS))
def test_body_is_kept_whole_and_nothing_else(reports, prefix):
    body = raw_body_lines(prefix)
    paragraphs = [normalize(p.text) for p in reports[prefix].paragraphs]
    # Every sentence of every body line sits inside one paragraph…
    for line in body:
        for sentence in filter(None, (s.strip() for s in line.replace("。", "。\n").splitlines())):
            assert any(normalize(sentence) in p for p in paragraphs), (prefix, sentence)
    # …and the paragraphs hold exactly the body, in reading order: no chrome, no signature.
    assert "".join(paragraphs) == normalize("".join(body))


def test_titles(reports):
    assert reports["000"].title == "湘桥街道2020年度法治政府建设情况报告"
    assert reports["001"].title == "芙蓉区人民政府关于2020年度法治政府建设情况的报告"
    assert reports["003"].title == "草滩街道2024年法治政府建设工作报告"
    assert reports["004"].title == "关于2023年法治政府建设有关情况的报告"
    assert not any(r.title_composed for key, r in reports.items() if key != "002")


def test_missing_title_is_composed_from_issuer_and_year(reports):
    assert reports["002"].title == "罗店镇2020年法治政府建设情况报告"
    assert reports["002"].title_composed is True
    assert reports["002"].issuer == "罗店镇人民政府"


@pytest.mark.parametrize("prefix, year", [("000", 2020), ("001", 2020), ("002", 2020), ("003", 2024),
                                          ("004", 2023)])
def test_report_year(reports, prefix, year):
    assert reports[prefix].report_year == year


def test_publication_dates_and_doc_number(reports):
    assert reports["000"].pub_date == "2020-12-08"
    assert reports["001"].pub_date == "2021-03-11"
    assert reports["004"].pub_date == "2024-03-18"
    assert reports["004"].doc_number == "政府报〔2024〕9号"
    assert reports["000"].doc_number == reports["001"].doc_number == ""


def test_issuers(reports):
    assert reports["000"].issuer == "湘桥街道办事处"
    assert reports["001"].issuer == "长沙市芙蓉区人民政府"
    assert reports["003"].issuer == "草滩街道办事处"
    # The signature 城关镇人民政府, placed by the 发布机构 field 高台县城关镇.
    assert reports["004"].issuer == "高台县城关镇人民政府"


def test_tampered_page_is_repaired_and_flagged(reports):
    report = reports["001"]
    shown = [report.title, report.issuer, report.doc_number]
    shown += [p.text for p in report.paragraphs] + [h for p in report.paragraphs for h in p.section_path]
    assert not any("凯发" in text or "一触即发" in text for text in shown)
    tamper = [w for w in report.warnings if w.startswith("页面疑遭篡改")]
    assert len(tamper) == 1 and "共4处" in tamper[0] and "“区人民政府”" in tamper[0]
    # The warning is shown on the page: it must not advertise the brand either.
    assert "凯发" not in tamper[0]
    assert "2020年9月全区“七五”普法任务指标完成考核验收" in by_text(report, "全面压实责任").text
    assert any("20209月" in w and "2020年9月" in w for w in report.warnings)


def test_clean_seeds_carry_no_warnings(reports):
    for prefix in ("000", "002", "003", "004"):
        assert reports[prefix].warnings == []


def test_broken_paragraph_is_joined(reports):
    paragraphs = reports["002"].paragraphs
    joined = by_text(reports["002"], "加强对政府法律顾问的日常管理,完善工作台账制度")
    assert paragraphs[joined.n - 2].text == "(三)完善政府法律顾问使用管理机制。"
    assert paragraphs[joined.n - 2].heading and not joined.heading


@pytest.mark.parametrize("prefix", sorted(TOP_LEVEL_CLASSES))
def test_every_top_level_heading_gets_its_class(reports, prefix):
    report = reports[prefix]
    top = {p.text: p.section_class for p in report.paragraphs if p.heading and not p.section_path}
    assert top == TOP_LEVEL_CLASSES[prefix]
    for paragraph in report.paragraphs:
        expected = TOP_LEVEL_CLASSES[prefix][paragraph.section_path[0]] if paragraph.section_path else None
        if expected:
            assert paragraph.section_class == expected, paragraph


def test_paragraphs_before_the_first_heading_are_the_lead(reports):
    for report in reports.values():
        first_heading = next(p.n for p in report.paragraphs if p.heading)
        assert first_heading > 1
        assert {p.section_class for p in report.paragraphs[:first_heading - 1]} == {"导语"}


def test_other_matters_is_second_level_inside_section_one(reports):
    other = by_text(reports["000"], "(九)需要报告的其他情况")
    assert other.heading and other.section_path == ["一、2020年法治政府建设主要工作内容"]
    assert other.section_class == "成效举措"


def test_inline_headings_are_split_from_their_body(reports):
    heading = by_text(reports["004"], "(一)加强组织领导")
    body = reports["004"].paragraphs[heading.n]
    assert heading.text == "(一)加强组织领导,夯实法治政府建设根基。" and heading.heading
    assert body.text.startswith("坚持将党的领导贯穿") and not body.heading
    assert body.section_path == ["一、工作成效", "(一)加强组织领导,夯实法治政府建设根基。"]
    item = by_text(reports["000"], "1、依靠群众借民力。")
    assert item.heading and item.text == "1、依靠群众借民力。"


def test_items_run_into_one_paragraph_become_subsections(reports):
    report = reports["004"]
    items = [p for p in report.paragraphs if p.heading and p.text[0].isdigit()]
    assert [p.text[:2] for p in items] == [f"{k}." for k in range(1, 8)]
    assert items[1].text == "2.持续提升行政执法工作水平。"
    assert all(p.section_path == ["一、工作成效", "(二)细化目标任务,依法全面履行政府职能。"] for p in items)


def test_enumerations_are_body_and_close_numbered_items(reports):
    for report in reports.values():
        assert not any(p.heading for p in report.paragraphs if p.text[1:2] == "是")
    third = by_text(reports["000"], "三是加强纠纷矛盾排查调处工作")
    assert third.section_path == ["一、2020年法治政府建设主要工作内容", "(五)完善矛盾纠纷排查化解体系,深入推进基层平安联创"]


def test_signature_block_is_not_body(reports):
    for prefix, signature in (("004", ["城关镇人民政府", "2024年3月15日"]), ("001", ["长沙市芙蓉区人民政府"])):
        texts = [p.text for p in reports[prefix].paragraphs]
        assert not set(signature) & set(texts)


def test_paragraphs_numbered_from_one(reports):
    for report in reports.values():
        assert [p.n for p in report.paragraphs] == list(range(1, len(report.paragraphs) + 1))


def test_report_id_is_the_file_name(reports):
    assert reports["000"].report_id == "000_ef5e6d0c53c68148"


@pytest.mark.parametrize("prefix, path", [
    ("000", "广东省/潮州市/湘桥区/湘桥街道"),
    ("001", "湖南省/长沙市/芙蓉区"),
    ("002", "上海市/宝山区/罗店镇"),
    ("003", "陕西省/西安市/未央区/草滩街道"),
    ("004", "甘肃省/张掖市/高台县/城关镇"),
])
def test_region_of_each_seed(reports, prefix, path):
    assert region_path(reports[prefix].region) == path


def test_region_evidence_names_what_the_resolver_reads():
    path = next(p for p in SEED_FILES if p.name.startswith("004"))
    report, facts = read_page(path.read_text(encoding="utf-8"), path.stem)
    texts, strong = region_evidence(report, facts)
    assert strong[:3] == ["高台县城关镇人民政府", "城关镇人民政府", "高台县城关镇"]
    assert set(strong) <= set(texts)
    assert any("各镇政府信息公开>>城关镇" in text for text in texts)
    assert report.title in texts and report.paragraphs[-1].text in texts
    assert report.region == {"province": "", "city": "", "county": "", "township": ""}


def test_empty_file_is_refused_with_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(BadPage, match="empty"):
        clean_file(empty)


# A short report body (over 200 Chinese characters) for pages built in the tests below.
BODY = ("2023年，某某县坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，"
        "深入推进法治政府建设，各项工作取得新的成效。现将有关情况报告如下：\n"
        "一、主要工作成效\n"
        "（一）加强组织领导。县政府常务会议定期研究法治政府建设工作，及时协调解决工作中存在的问题和困难，"
        "将党政主要负责人履行推进法治建设第一责任人职责情况列入年终述职内容，倒逼责任落实。\n"
        "二、存在的问题\n"
        "一是行政执法能力还有欠缺，执法装备配备不到位。二是普法宣传形式相对单一，深入群众程度有限。\n"
        "三、下一步工作安排\n"
        "我们将进一步加强组织领导、综合协调和监督指导，切实推进法治建设，确保法治政府建设工作再上新台阶。\n")


@pytest.mark.parametrize("page, reason", [
    ("网站首页 | 政务公开 | 互动交流\n您的位置：首页>>新闻\n版权所有：某某县人民政府\n", "no text left"),
    ("关于2023年法治政府建设情况的报告\n现将有关情况报告如下。\n", "only 10 Chinese characters"),
    ("\n".join(f"某某县第{n}批行政许可事项目录清单及办理指南" for n in range(1, 13)), "no sentence"),
])
def test_pages_without_a_report_are_refused_with_the_reason(page, reason):
    with pytest.raises(BadPage, match=f"not a report: .*{reason}"):
        clean_text(page, "bad")


def test_hints_from_markup_are_preferred():
    page = "关于2023年法治政府建设情况的报告\n" + BODY
    hints = {"title": "关于2023年法治政府建设情况的报告_某某县人民政府", "pub_date": "2024-03-20 09:00",
             "issuer": "某某县人民政府", "url": "http://example.gov.cn/a.html", "site_name": "某某县人民政府"}
    report = clean_text(page, "hinted", hints)
    # The text's own title line is the hinted title without the site's name.
    assert report.title == "关于2023年法治政府建设情况的报告"
    assert report.pub_date == "2024-03-20" and report.issuer == "某某县人民政府"
    assert report.source == {"url": "http://example.gov.cn/a.html"}
    assert report.paragraphs[0].text.startswith("2023年，某某县坚持")
    other = clean_text(BODY, "hinted", {"title": "某某县2023年度法治政府建设报告"})
    assert other.title == "某某县2023年度法治政府建设报告" and not other.title_composed


def test_metadata_table_and_related_links_are_chrome_with_fields_kept():
    page = ("索 引 号：11330000/2024-00123  发布机构：某某县司法局  生成日期：2024-02-01\n"
            "文号\n某司〔2024〕3号\n是否有效\n"
            "关于2023年法治政府建设情况的报告\n" + BODY +
            "某某县司法局\n2024年1月30日\n"
            "相关链接\n某某县召开法治政府建设推进会\n某某县开展宪法宣传周活动\n"
            "【打印】【关闭】\n网站标识码：3300000001  浙ICP备12345678号\n")
    report, facts = read_page(page, "table")
    assert ("发布机构", "某某县司法局") in facts.fields and ("文号", "某司〔2024〕3号") in facts.fields
    assert report.doc_number == "某司〔2024〕3号" and report.pub_date == "2024-02-01"
    assert report.issuer == "某某县司法局" and facts.signature == ["某某县司法局"]
    assert report.paragraphs[-1].text.startswith("我们将进一步加强组织领导")
    texts = " ".join(p.text for p in report.paragraphs)
    for chrome in ("11330000", "某司〔2024〕3号", "推进会", "宪法宣传周", "打印", "ICP", "2024年1月30日"):
        assert chrome not in texts


def test_attachment_list_does_not_swallow_the_signature():
    page = drop_chrome_lines(["附件：", "1.2023年行政执法统计表", "某某县人民政府", "2024年3月1日"],
                        keep=is_signature_line)
    assert page.lines == ["某某县人民政府", "2024年3月1日"]


@pytest.mark.parametrize("line", [
    "通过扫描二维码即可在线申请法律援助，全年共受理申请320件。群众满意度达到98%。",
    "2020年，全县法治政府建设取得新进展。版权保护工作持续加强。",
    "首页工作是做好群众来访接待。",
])
def test_body_lines_that_mention_chrome_words_stay(line):
    assert drop_chrome_lines([line]).lines == [line]


def report_texts(report):
    """Return every text of a clean report a page or an export shows."""
    return [report.title, report.issuer, report.doc_number, report.pub_date,
            *(value for value in report.region.values()), *(p.text for p in report.paragraphs),
            *(heading for p in report.paragraphs for heading in p.section_path), *report.warnings]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_control_characters_are_removed_where_text_enters_the_cleaner(tmp_path, suffix):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    seed = SEED_FILES[0].read_text(encoding="utf-8").split("\n")
    # A backspace in a paragraph, \x01\x02 in the title, form feeds between lines (a PDF's page breaks).
    title = "\x01\x02某某街道2020年法治政府建设工作情况报告"
    body = [line.replace("法治", "法\x08治", 1) for line in seed[1:]]
    if suffix == ".txt":
        page = title + "\n" + "\x0c".join(body)
    else:
        page = (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                + "".join(f"<p>{line}\x07</p>" for line in body) + "</body></html>")
    path = tmp_path / f"controls{suffix}"
    path.write_text(page, encoding="utf-8")
    report = clean_file(path)
    assert report.title == "某某街道2020年法治政府建设工作情况报告"
    assert not [text for text in report_texts(report) if ILLEGAL_CHARACTERS_RE.search(text)]
    # The page's lines stay lines, and the words the backspace stood in are whole again.
    assert len(report.paragraphs) == len(clean_file(SEED_FILES[0]).paragraphs)
    assert any("法治" in p.text for p in report.paragraphs)
    sheet = Workbook().active
    for text in report_texts(report):
        sheet.append([text])  # openpyxl refuses what XML cannot hold: nothing is left of it

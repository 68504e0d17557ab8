"""The first-cut cleaner on the seed pages: chrome out, body in, titles found."""
import pytest

from indexer.clean import BadPage, clean_file

from conftest import SEED_FILES

# Lines of page furniture present in the raw seeds that must never reach a paragraph.
CHROME = ["扫一扫", "索引号", "620724077/2024-00019", "浏览字体", "稿件作者", "字体大小", "发布时间",
          "您的位置", "首页>>", "打印", "附件", "发布机构", "生成日期", "是否有效", "公开形式",
          "2024-03-18 17:35:20", "2021310"]


@pytest.fixture(scope="module")
def reports():
    """The clean reports of all seeds, by file-name prefix."""
    return {path.name[:3]: clean_file(path) for path in SEED_FILES}


def test_no_chrome_survives(reports):
    for report in reports.values():
        for paragraph in report.paragraphs:
            for chrome in CHROME:
                assert chrome not in paragraph.text, (report.report_id, paragraph.n, chrome)


def test_titles(reports):
    assert reports["000"].title == "湘桥街道2020年度法治政府建设情况报告"
    assert reports["003"].title == "草滩街道2024年法治政府建设工作报告"
    assert reports["004"].title == "关于2023年法治政府建设有关情况的报告"
    assert "2020年度法治政府建设情况的报告" in reports["001"].title


def test_body_kept_from_first_to_last_paragraph(reports):
    assert reports["000"].paragraphs[0].text.startswith("2020年以来,湘桥街道根据")
    assert reports["000"].paragraphs[-2].text == "(三)加强行政执法监督,提升社会管理法治化水平。"
    assert reports["000"].paragraphs[-1].text.startswith("推进依法科学民主决策")
    assert reports["004"].paragraphs[0].text.startswith("2023年,在县委、县政府和镇党委")
    assert reports["004"].paragraphs[-1].text.startswith("五是努力加强公共服务能力建设")
    assert reports["002"].paragraphs[0].text.startswith("2020年,罗店镇")


def test_signature_block_is_not_body(reports):
    texts = [p.text for p in reports["004"].paragraphs]
    assert "城关镇人民政府" not in texts and "2024年3月15日" not in texts


def test_paragraphs_numbered_from_one(reports):
    for report in reports.values():
        assert [p.n for p in report.paragraphs] == list(range(1, len(report.paragraphs) + 1))


def test_report_id_is_the_file_name(reports):
    assert reports["000"].report_id == "000_ef5e6d0c53c68148"


def test_empty_file_is_refused_with_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(BadPage, match="empty"):
        clean_file(empty)

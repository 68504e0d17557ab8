"""Layout classes found by the ninth blind set of pages (issue 24, tests/fixtures/unseen9): pages of 2017–2019
sites decoded with the wrong charset, two-digit-year dates, vertically managed bodies named after the state
office above them, pages flattened onto one line with full-width spaces, titles quoting a plan's year range,
news leads ending in 全文如下 and publishing notes before the report. Each class is reproduced here in a page
written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import assert_body_clean, page, region_of


# A page served without a charset is ISO-8859-1 by HTTP's default: a GBK or UTF-8 page stored that way is
# Latin mojibake from its first line to its last, with every byte of the page still there to decode again.

@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_page_decoded_as_latin1_is_read_in_its_own_encoding(encoding):
    text = page("某县人民政府", "首页 > 政务公开 > 法治政府建设", "渝水区2018年法治政府建设工作报告",
                "发布时间：2019-02-21　　来源：区司法局", subject="渝水区", year=2018)
    report = clean_text(text.encode(encoding).decode("latin-1"), "latin1")
    assert report.title == "渝水区2018年法治政府建设工作报告" and report.pub_date == "2019-02-21"
    assert region_of(report) == "江西省/新余市/渝水区" and report.level == "county"
    assert_body_clean(report, "首页")
    assert any("重新解码" in warning for warning in report.warnings)


def test_western_text_is_not_decoded_again():
    lines = ["Café résumé naïve façade – «déjà vu» " * 4, *page("某县2023年法治政府建设情况报告", "发布时间：2024-03-01",
                                                                  subject="某县", year=2023).splitlines()]
    report = clean_text("\n".join(lines), "western")
    assert report.title == "某县2023年法治政府建设情况报告" and not any("重新解码" in w for w in report.warnings)

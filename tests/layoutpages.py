"""Report pages written for the layout tests: a made-up body in the common shape, and the checks
that a cleaned report opens with its first sentence and holds none of the page's chrome."""

# A body in the common shape: an opening sentence naming the subject and the year, headings,
# items. {subject} and {year} are filled in by body().
BODY_LINES = (
    "{year}年，{subject}坚持依法行政，把法治建设摆在全局工作的重要位置，重大决策全部经过合法性审查，"
    "行政执法公示、全过程记录和法制审核三项制度全面落实，群众对执法工作的满意度稳步提高。现将有关情况报告如下：",
    "一、主要举措和成效",
    "（一）健全工作机制。年初制定法治建设工作要点，明确责任分工和完成时限，每季度召开一次专题会议听取进展汇报，"
    "对落后事项逐项督办。",
    "（二）规范执法行为。组织执法人员参加业务培训和案卷评查，发现的问题当场反馈并限期整改，全年未发生行政复议被纠错案件。",
    "二、存在的问题",
    "基层法治力量仍然薄弱，部分工作人员运用法治思维解决问题的能力有待提高，下一步将加强培训加以解决。",
)
FIRST_WORDS = "坚持依法行政，把法治建设摆在全局工作的重要位置"


def body(subject="我县", year=2024):
    """Return the body lines of a made-up report about subject and year."""
    return [line.format(subject=subject, year=year) for line in BODY_LINES]


def page(*top, subject="我县", year=2024):
    """Return a page: the given top-of-page lines, then the body."""
    return "\n".join([*top, *body(subject, year)])


def body_text(report):
    """Return every paragraph of a report, joined."""
    return "\n".join(p.text for p in report.paragraphs)


def region_of(report):
    """Return the non-empty levels of a report's region, joined by "/"."""
    return "/".join(name for name in report.region.values() if name)


def assert_no_words(report, *words):
    """Assert none of the words is in any paragraph."""
    text = body_text(report)
    for chrome in words:
        assert chrome not in text, chrome


def assert_body_clean(report, *chrome):
    """Assert the body opens with the report's first sentence (after any addressee line) and
    holds none of the chrome."""
    first = next(p.text for p in report.paragraphs
                 if not p.heading and not (len(p.text) <= 30 and p.text.endswith(("：", ":"))))
    assert FIRST_WORDS in first, first
    assert_no_words(report, *chrome)

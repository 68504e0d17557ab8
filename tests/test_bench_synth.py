"""The benchmark's synthetic corpus: deterministic, as big as asked, real places, no chrome indexed."""
import pytest

from bench.baseline import read_page
from bench.synth import SYNTHETIC_LABEL, generate
from indexer.clean.rawfile import clean_file
from indexer.clean.gazetteer import gazetteer

# The benchmark's generator writes three corpora and the cleaner reads one: out of the inner loop
# (make test runs it), as the other tests that clean a corpus are.
pytestmark = pytest.mark.integration

PARAGRAPHS = 400
# Words of the chrome lines the generator writes; none may reach an indexed paragraph.
CHROME_WORDS = ("synthetic", "合成测试数据", "您的位置", "发布时间", "来源：", "稿件作者", "浏览量",
                "字体", "索引号", "发布机构", "扫一扫", "我要纠错", "打印本页")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A small synthetic corpus and its manifest, generated once."""
    folder = tmp_path_factory.mktemp("synthetic")
    return folder, generate(folder, PARAGRAPHS, seed=7)


@pytest.fixture(scope="module")
def cleaned(corpus):
    """Each page of the corpus cleaned by the real cleaner, beside its manifest entry."""
    folder, manifest = corpus
    return [(entry, clean_file(folder / entry["file"])) for entry in manifest]


def test_same_seed_gives_byte_identical_pages(corpus, tmp_path):
    folder, manifest = corpus
    again = generate(tmp_path / "again", PARAGRAPHS, seed=7)
    assert again == manifest
    for entry in manifest:
        assert (tmp_path / "again" / entry["file"]).read_bytes() == (folder / entry["file"]).read_bytes()
    other = generate(tmp_path / "other", PARAGRAPHS, seed=8)
    assert [e["title"] for e in other] != [e["title"] for e in manifest]


def test_cleaned_corpus_holds_the_paragraph_count_asked_for(cleaned):
    total = sum(len(report.paragraphs) for _, report in cleaned)
    assert abs(total - PARAGRAPHS) <= PARAGRAPHS // 10
    assert all(20 <= len(report.paragraphs) <= 40 for _, report in cleaned[:-1])


def test_texts_are_recombined_not_copied(cleaned):
    paragraphs = [p.text for _, report in cleaned for p in report.paragraphs if len(p.text) > 60]
    assert len(set(paragraphs)) > 0.95 * len(paragraphs)


def test_every_page_names_a_real_division_and_a_year_in_range(corpus, cleaned):
    folder, _ = corpus
    gaz = gazetteer()
    places = {label: [] for label in gaz.labels}
    for place, label in enumerate(gaz.labels):
        places[label].append(place)
    for entry, report in cleaned:
        assert any(gaz.region(place) == entry["region"] for place in places.get(entry["unit"], ()))
        assert 2016 <= entry["year"] <= 2025 and str(entry["year"]) in report.title
        page = (folder / entry["file"]).read_text(encoding="utf-8")
        assert entry["region"]["province"] in page and entry["unit"] in page


def test_synthetic_label_and_chrome_never_reach_the_index(corpus, cleaned):
    folder, _ = corpus
    for entry, report in cleaned:
        assert entry["file"].startswith("synthetic_")
        assert SYNTHETIC_LABEL in (folder / entry["file"]).read_text(encoding="utf-8").splitlines()[0]
        assert report.title == entry["title"]
        for paragraph in report.paragraphs:
            assert not any(word in paragraph.text for word in CHROME_WORDS), paragraph.text
        # The signature (issuer, date) is dropped too: the last paragraph is prose.
        assert report.paragraphs[-1].text.endswith(("。", "！", "？"))


def test_usual_setup_reads_province_and_year_of_each_page(corpus):
    folder, manifest = corpus
    for entry in manifest:
        title, province, year, lines = read_page(folder / entry["file"])
        expected = (entry["title"], entry["region"]["province"], str(entry["year"]))
        assert (title, province, year) == expected
        assert len(lines) >= entry["paragraphs"]


def test_bad_paragraph_count_is_refused_with_its_name(tmp_path):
    with pytest.raises(ValueError, match="n_paragraphs"):
        generate(tmp_path, 0)

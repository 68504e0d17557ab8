"""The web routes through the Flask test client."""
import re

from app import create_app


def test_home_has_search_box_in_chinese(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert 'name="q"' in page and 'action="/search"' in page


def test_search_lists_three_hits_with_paragraph_links(client):
    page = client.get("/search?q=枫桥经验").get_data(as_text=True)
    links = re.findall(r'href="(/report/[^"#]+#p-\d+)"', page)
    assert len(set(links)) == 3
    assert page.count("<mark>枫桥经验</mark>") == 3
    assert "湘桥街道2020年度法治政府建设情况报告" in page
    assert 'value="枫桥经验"' in page


def test_report_page_has_paragraph_anchors_and_target_style(client):
    found = client.get("/api/search?q=枫桥经验&limit=1").get_json()["hits"][0]
    page = client.get(found["url"].split("#")[0]).get_data(as_text=True)
    assert f'id="p-{found["n"]}"' in page
    assert found["title"] in page
    css = client.get("/static/style.css").get_data(as_text=True)
    assert ".para:target" in css  # the paragraph reached by #p-<n> is highlighted


def test_query_is_escaped_in_the_page(client):
    page = client.get('/search?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_api_search_matches_cli_shape(client):
    data = client.get("/api/search?q=枫桥经验&limit=2").get_json()
    assert data["total"] == 3 and len(data["hits"]) == 2
    assert set(data["hits"][0]) >= {"report_id", "n", "text", "title", "url"}


def test_unknown_report_is_a_chinese_404(client):
    response = client.get("/report/does-not-exist")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_missing_index_page_names_rebuild_command(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/search?q=法治")
    assert response.status_code == 503
    assert "python -m indexer rebuild" in response.get_data(as_text=True)
    assert client.get("/api/search?q=法治").status_code == 503

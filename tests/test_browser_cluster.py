"""The web UI served from the Sphinx cluster walks as it does from the embedded index, in a real browser."""
import pytest

import test_browser
import test_browser_groups
from conftest import SEED_CORPUS, cluster_config, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cluster_server(seed_cluster):
    """A live server whose searches, reports and facets all come from the seed cluster."""
    with serving(SEED_CORPUS / "no-index-here", **cluster_config(seed_cluster)) as url:
        yield url


def test_search_to_the_highlighted_paragraph(desktop, cluster_server):
    # The same walk as the embedded engine's: 枫桥经验 -> 3 hits -> the paragraph, marked and in view.
    test_browser.test_search_to_the_highlighted_paragraph(desktop, cluster_server)


def test_facet_narrows_the_hits_and_its_chip_restores_them(desktop, cluster_server):
    test_browser.test_facet_narrows_the_hits_and_its_chip_restores_them(desktop, cluster_server)


def test_the_switch_lists_reports_and_a_match_opens_its_paragraph(desktop, cluster_server):
    test_browser_groups.test_the_switch_lists_reports_and_a_match_opens_its_paragraph(desktop, cluster_server)

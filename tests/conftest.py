import pytest

from support.site_build import SITE_ROOT, build_site


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory):
    """The site built from the content/ folder we ship, once per test run."""
    site = build_site(tmp_path_factory.mktemp("shipped"), content_dir=SITE_ROOT / "content")
    assert site.ok, site.log
    return site

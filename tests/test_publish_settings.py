"""Production settings (publishconf.py) and the environment variables a host sets."""

import json
import os
import subprocess
import sys

import pytest

from support.site_build import SITE_ROOT, article_source, build_site

HOST_VARIABLES = ("SITE_URL", "COUNTER_URL", "COUNTER_ALLOWED_ORIGINS")


def production_settings(tmp_path, **environment):
    probe = ("import json, runpy; s = runpy.run_path(%r); "
             "print(json.dumps({k: s[k] for k in ('SITEURL', 'FEED_DOMAIN', 'VISIT_COUNTER_URL', "
             "'COUNTER_ALLOWED_ORIGINS', 'RELATIVE_URLS')}))") % str(SITE_ROOT / "publishconf.py")
    env = {k: v for k, v in os.environ.items() if k not in HOST_VARIABLES}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=tmp_path, env={**env, **environment})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_environment_the_site_is_the_example_domain_and_the_counter_is_off(tmp_path):
    settings = production_settings(tmp_path)
    assert settings == {"SITEURL": "https://example.org", "FEED_DOMAIN": "https://example.org",
                        "VISIT_COUNTER_URL": "", "COUNTER_ALLOWED_ORIGINS": ["https://example.org"],
                        "RELATIVE_URLS": False}


def test_the_host_sets_the_address_and_the_counter_origin_follows_it(tmp_path):
    settings = production_settings(tmp_path, SITE_URL="https://tin.example.net/mat-tran/",
                                   COUNTER_URL="https://dem.example.net/api")
    assert settings["SITEURL"] == "https://tin.example.net/mat-tran"
    assert settings["FEED_DOMAIN"] == "https://tin.example.net/mat-tran"
    assert settings["VISIT_COUNTER_URL"] == "https://dem.example.net/api"
    assert settings["COUNTER_ALLOWED_ORIGINS"] == ["https://tin.example.net"]


def test_allowed_counter_origins_can_be_listed_and_empty_variables_mean_default(tmp_path):
    settings = production_settings(tmp_path, SITE_URL="",
                                   COUNTER_ALLOWED_ORIGINS="https://a.example.net, https://b.example.net/")
    assert settings["SITEURL"] == "https://example.org"
    assert settings["COUNTER_ALLOWED_ORIGINS"] == ["https://a.example.net", "https://b.example.net"]


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("production"),
                      {"articles/mot.md": article_source("Tin một", "2024-02-01")},
                      settings="publishconf", env={"SITE_URL": "https://tin.example.net"})
    assert site.ok, site.log
    return site


def test_feeds_link_to_the_public_address(production_site):
    feed = production_site.xml("feeds/tat-ca.atom.xml")
    links = [link["href"] for link in feed.find_all("link")]
    assert links and all(href.startswith("https://tin.example.net/") for href in links)
    assert "https://tin.example.net/tin-tuc/mot.html" in links


def test_pages_and_sitemap_use_absolute_addresses(production_site):
    page = production_site.page("tin-tuc/mot.html")
    assert page.find("link", type="application/atom+xml")["href"] == "https://tin.example.net/feeds/tat-ca.atom.xml"
    sitemap = production_site.xml("sitemap.xml")
    assert all(loc.get_text().startswith("https://tin.example.net/") for loc in sitemap.find_all("loc"))


def test_the_shipped_content_builds_for_production_with_warnings_fatal(tmp_path):
    site = build_site(tmp_path, content_dir=SITE_ROOT / "content", settings="publishconf")
    assert site.ok, site.log
    assert (site.output / "index.html.gz").exists()


def test_the_readme_documents_every_variable_the_build_and_publish_read():
    import re
    readme = (SITE_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Triển khai / Deployment", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, re.MULTILINE))
    code = "".join((SITE_ROOT / name).read_text(encoding="utf-8")
                   for name in ("publishconf.py", "tasks.py", "deploy/releases.py"))
    read = set(re.findall(r"""(?:from_environment|environ\.get)\(\s*["']([A-Z_]+)["']""", code))
    development_only = {"PORT", "COUNTER_PORT", "CMS_PROXY_PORT"}  # make serve's ports (README, top)
    assert read and documented == read - development_only
    assert "ci/build-and-deploy publish" in section

"""'Tìm kiếm' over an index in shards (one per year, one for the pages without
a date), in Chromium: the same articles, in the same order, as one index of
the whole site (SEARCH_SHARD_YEARS = 0) gives, whichever shards hold them."""

from datetime import date, timedelta

import pytest

from support.site_build import article_source, build_site
from support.static_server import serve_folder

# How often each year's articles say "đại hội": often in 2022, rarely in 2023,
# in a title in 2024. Per shard, Pagefind weighs the word by how many of the
# shard's pages hold it; one index weighs it by the whole site's.
MENTIONS = {2022: [1, 2, 3, 1, 2, 0], 2023: [0, 0, 2, 0, 0, 0], 2024: [0, 1, 0, 0, 0, 3]}
SENTENCE = "Các đơn vị trên địa bàn tích cực triển khai nhiệm vụ được giao trong năm."
WORD = "Xã tổ chức Đại hội đại biểu Mặt trận nhiệm kỳ mới."
# As many syllables as WORD, so every year's pages are as long as the others':
# Pagefind also weighs a page's length against its shard's average.
NO_WORD = "Xã tổ chức Hội thao cán bộ Mặt trận nhiệm kỳ mới."
# Only 2023 has "tôm hùm"; 2022 has "tôm" without "hùm"; 2024 neither.
SEVEN = {(2023, 0): "Mô hình nuôi tôm hùm trên vịnh.", (2022, 5): "Giá tôm tăng cao ở chợ vịnh."}


def articles():
    files = {}
    for year, mentions in MENTIONS.items():
        for number, times in enumerate(mentions):
            titled = year == 2024 and number == 0
            body = "\n\n".join([
                " ".join([SENTENCE] * (number + 1)),
                " ".join([WORD] * times + [NO_WORD] * (3 - times)),
                SEVEN.get((year, number), "Mô hình nuôi cá lồng trên vịnh.") + " Hội nghị đánh giá kết quả."])
            files[f"articles/tin-{year}-{number}.md"] = article_source(
                f"{'Đại hội' if titled else 'Tin tức'} cơ sở {year} số {number}",
                f"{date(year, 3, 1) + timedelta(days=number * 9):%Y-%m-%d} 08:00",
                category=["Hoạt động của Ngành", "Văn bản"][number % 2], body=body)
    return files


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """{"shards": url, "one index": url}: the same articles, built both ways."""
    built = {}
    for name, years in (("shards", 1), ("one index", 0)):
        site = build_site(tmp_path_factory.mktemp(name.replace(" ", "-")), articles(),
                          overrides=f"SEARCH_SHARD_YEARS = {years}\n")
        assert site.ok, site.log
        built[name] = site
    assert [path.name for path in (built["shards"].output / "pagefind").iterdir() if path.is_dir()] != []
    with serve_folder(built["shards"].output) as shards, serve_folder(built["one index"].output) as whole:
        yield {"shards": shards, "one index": whole, "sites": built}


FOUND = """async ([query, options]) => {
  const engine = await import('/theme/js/search-engine.js');
  const index = await engine.openIndex('/pagefind/shards.json');
  const found = await engine.find(index, query, options);
  return Promise.all(found.results.map((result) => result.data().then((page) => page.url)));
}"""


def found(browser, url, query, **options):
    page = browser.new_page()
    page.goto(url + "/404.html")
    urls = page.evaluate(FOUND, [query, options])
    page.close()
    return urls


def test_the_index_is_one_shard_per_year(sites):
    import json
    listed = json.loads((sites["sites"]["shards"].output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert listed == [{"name": str(year), "pages": 6, "dated": True} for year in MENTIONS]
    whole = json.loads((sites["sites"]["one index"].output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert whole == [{"name": "tat-ca", "pages": 18, "dated": True}]


# Queries whose pages all score differently: pages of equal score may come in either order.
@pytest.mark.parametrize("query", ["dai hoi", "đại hội", "dai bieu mat tran", "to chuc dai hoi", '"dai hoi"'])
def test_results_across_shards_are_ordered_as_one_index_orders_them(browser, sites, query):
    sharded = found(browser, sites["shards"], query)
    assert len({url.split("-")[2] for url in sharded}) > 1  # the results come from several shards
    assert sharded == found(browser, sites["one index"], query)


def test_a_word_only_one_shard_holds_finds_only_its_article(browser, sites):
    # Pagefind leaves out of a search the words its index lacks: 2022's shard alone would answer with "tôm".
    assert found(browser, sites["shards"], "tom hum") == ["/tin-tuc/tin-2023-0.html"]
    assert found(browser, sites["one index"], "tom hum") == ["/tin-tuc/tin-2023-0.html"]
    # Loose syllables count too ("đánh giá" and "tôm"), after the article with the words side by side.
    gia_tom = found(browser, sites["shards"], "gia tom")
    assert gia_tom == found(browser, sites["one index"], "gia tom")
    assert gia_tom[:1] == ["/tin-tuc/tin-2022-5.html"] and "/tin-tuc/tin-2023-0.html" in gia_tom


def test_newest_first_runs_across_shards_by_date(browser, sites):
    sharded = found(browser, sites["shards"], "hoi nghi", sort="newest")
    assert len(sharded) == sum(len(mentions) for mentions in MENTIONS.values())
    assert sharded == found(browser, sites["one index"], "hoi nghi", sort="newest")
    assert sharded[0] == "/tin-tuc/tin-2024-5.html" and sharded[-1] == "/tin-tuc/tin-2022-0.html"
    narrowed = found(browser, sites["shards"], "dai hoi", sort="newest", category="van-ban")
    assert narrowed == found(browser, sites["one index"], "dai hoi", sort="newest", category="van-ban")
    assert narrowed and all(int(url.rsplit("-", 1)[1].removesuffix(".html")) % 2 == 1 for url in narrowed)

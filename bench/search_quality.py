"""Where "Tìm kiếm" ranks the articles a reader is looking for.

Builds a site from the synthetic corpus (bench/corpus.py) plus planted articles
that contain chosen multi-syllable words and phrases, then asks the built
search, in Chromium, the queries below. The articles each query should find are
not taken from the plan: they are every article whose title or body, as built,
contains the query's syllables side by side with no punctuation between them,
folded as readers type them. So a word the random corpus happens to form ("đại" then "hội") counts
too, and a planted article the build changed would show as missing.

For each query: how many articles contain it, how many the search returns at
all, how many of them are in the first k results (k = how many contain it, at
most 10), and the rank of the best and the worst of them.

    python bench/search_quality.py [--count 1200] [--source REPO] [--mode current|before]

`--source` builds with another checkout's settings, theme and plugins (the
same content): the "before" figures come from the commit before this work with
`--mode before`, which queries Pagefind the way that commit's search page did
(the folded query as typed).
"""

from pathlib import Path
import argparse
import re
import subprocess
import sys
import tempfile
import unicodedata

BENCH = Path(__file__).resolve().parent
SITE_ROOT = BENCH.parent
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins"), str(SITE_ROOT / "tests")]

from bench.corpus import DEFAULT_SEED, write_corpus  # noqa: E402

# (slug, category, title, [paragraph, …]): planted articles, written for this benchmark.
PLANTED_WORDS = {
    "đại hội": 10,
    "bảo hiểm y tế": 6,
    "lũ quét": 5,
    "hợp tác xã": 5,
    "nhà tình nghĩa": 40,
    "dân vận": 8,
}
# One article each: a phrase from the middle of its body, as a reader remembers it.
REMEMBERED = [
    "tuyến đường bê tông liên thôn dài ba cây số",
    "mô hình nuôi tôm hùm trên vịnh Xuân Đài",
    "bếp ăn bán trú cho học sinh vùng cao",
    "hỗ trợ xây dựng nhà ở cho hộ nghèo ở thôn",
    "đánh giá kết quả thi đua của khu dân cư",
]
# Words whose syllables are common on their own ("hội", "dân", "xã") are the hard cases.
QUERIES = [
    "dai hoi", "đại hội", "dan van", "xa hoi", "hoi dong", "nguoi ngheo", "nha tinh nghia",
    "bao hiem y te", "lu quet", "hop tac xa",
    "duong be tong lien thon", "bep an ban tru", "xay dung nha o cho ho ngheo",
    "danh gia ket qua thi dua cua khu dan cu",
    '"nhà tình nghĩa"', '"dân vận"', '"hop tac xa"', '"xã hội"',
]
FILLER = ("Các cơ quan, đơn vị trên địa bàn tỉnh tích cực triển khai nhiệm vụ, "
          "góp phần nâng cao hiệu quả công tác vận động Nhân dân.")


def fold(text):
    return unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")).encode(
        "ascii", "ignore").decode().lower()


def syllables(text):
    return re.findall(r"[a-z0-9]+", fold(text))


def planted_articles(categories):
    """{relative path: Markdown} of the planted articles; `categories` are (name, slug) pairs."""
    files, number = {}, 0
    for word, count in PLANTED_WORDS.items():
        for copy in range(count):
            number += 1
            category, folder = categories[number % len(categories)]
            body = (f"{FILLER}\n\nTrong năm, địa phương tập trung cho {word} theo kế hoạch đề ra. "
                    f"{FILLER}\n\n{FILLER}")
            files[f"articles/{folder}/bai-cai-dat-{number}.md"] = (
                f"Title: Tin địa phương số {number} trong tháng\nDate: 2019-{copy % 12 + 1:02d}-{copy % 27 + 1:02d} 07:{number % 60:02d}\n"
                f"Category: {category}\n\n{body}\n")
    for phrase in REMEMBERED:
        number += 1
        category, folder = categories[number % len(categories)]
        body = f"{FILLER}\n\n{FILLER} Năm nay, {phrase} đã hoàn thành. {FILLER}\n\n{FILLER}"
        files[f"articles/{folder}/bai-cai-dat-{number}.md"] = (
            f"Title: Tin địa phương số {number} trong tháng\nDate: 2020-05-{number % 27 + 1:02d} 09:00\n"
            f"Category: {category}\n\n{body}\n")
    return files


def build(source, workdir, count):
    from pelican.settings import read_settings
    from site_core.categories import load_registry
    content = write_corpus(workdir, count, DEFAULT_SEED)
    registry = load_registry(content / "categories.toml",
                             read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)}))
    for path, text in planted_articles([(entry.name, entry.slug) for entry in registry]).items():
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(text, encoding="utf-8")
    output = workdir / "output"
    settings = workdir / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(source)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\nSEARCH_INDEX_CACHE = False\n"
                        "PARALLEL_READING_CACHE = False\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)],
                   check=True, cwd=workdir, capture_output=True)
    return output


def article_phrases(output):
    """{url: [folded syllables of each stretch of the title and body between punctuation]}."""
    from lxml import html as lxml_html
    from site_search.search_document import PHRASE_BREAK
    pages = {}
    for path in sorted((output / "tin-tuc").glob("*.html")):
        document = lxml_html.document_fromstring(path.read_text(encoding="utf-8"))
        # Title and body are separate stretches: no word spans the end of one and the start of the other.
        text = " . ".join(element.text_content() for element in document.xpath(
            "//h1[@class='article-title'] | //div[@class='article-body']"))
        pages["/" + path.relative_to(output).as_posix()] = [syllables(part) for part in PHRASE_BREAK.split(text)]
    return pages


def containing(pages, query):
    wanted = syllables(query)
    span = len(wanted)
    return {url for url, phrases in pages.items()
            if any(words[i:i + span] == wanted for words in phrases for i in range(len(words) - span + 1))}


RANKED_BEFORE = """async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const fold = (t) => t.replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '');
  const search = await pagefind.search(fold(query));
  return Promise.all(search.results.map((r) => r.data().then((d) => d.url)));
}"""
RANKED_CURRENT = """async (query) => {
  const engine = await import('/theme/js/search-engine.js');
  const index = await engine.openIndex('/pagefind/shards.json');
  const found = await engine.find(index, query, {});
  return Promise.all(found.results.map((r) => r.data().then((d) => d.url)));
}"""


def measure(output, mode):
    from playwright.sync_api import sync_playwright
    from support.chromium import launch_chromium
    from support.static_server import serve_folder
    pages = article_phrases(output)
    rows = []
    with serve_folder(output) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(url + "/404.html")
        for query in QUERIES:
            expected = containing(pages, query.strip('"'))
            ranked = page.evaluate(RANKED_BEFORE if mode == "before" else RANKED_CURRENT, query)
            ranks = sorted(ranked.index(u) + 1 for u in expected if u in ranked)
            k = min(len(expected), 10)
            rows.append((query, len(expected), len(ranked), len(ranks),
                         sum(1 for r in ranks if r <= k), k,
                         ranks[0] if ranks else None, ranks[-1] if ranks else None))
        browser.close()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--source", type=Path, default=SITE_ROOT)
    parser.add_argument("--mode", choices=["current", "before"], default="current")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        output = build(args.source.resolve(), Path(workdir), args.count)
        rows = measure(output, args.mode)
    print(f"{args.count} corpus articles + planted, mode {args.mode}\n")
    print("| query | articles containing it | results | of them found | of them in first k | k | best rank | worst rank |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for query, expected, results, found, top, k, best, worst in rows:
        print(f"| `{query}` | {expected} | {results} | {found} | {top} | {k} | {best or '–'} | {worst or '–'} |")


if __name__ == "__main__":
    sys.exit(main())

"""Many articles on the same day give the same site on every build: listings follow one
total order (newest first, then slug a to z), whatever order the files were
created in, whatever the hash seed, on one process or several. Pagefind's bundle
is compared too."""

from datetime import date, timedelta
import os
import random

from bs4 import BeautifulSoup
import pytest

from support.site_build import article_source, build_site, write_tree

CATEGORIES = ("Hoạt động của Ngành", "Văn bản")
FOLDERS = {"Hoạt động của Ngành": "hoat-dong-cua-nganh", "Văn bản": "van-ban"}
DAYS = [(date(2024, 3, 1) + timedelta(days=offset)).isoformat() for offset in range(3)]


def same_day_articles():
    """45 articles on 3 days without a time, 15 a day, slugs that sort differently from titles."""
    files = {}
    for number in range(45):
        category = CATEGORIES[number % 2]
        slug = f"tin-{(number * 7) % 45:02d}-{'abcde'[number % 5]}"
        files[f"articles/{FOLDERS[category]}/{slug}.md"] = article_source(
            f"Tin số {number}", DAYS[number % 3], category=category,
            body=f"Tin số {number} về hội nghị của Mặt trận ngày {DAYS[number % 3]}.")
    return files


def content_in_order(folder, files, order_seed):
    """Write the files one by one in a shuffled order, with modification times in that order."""
    content = folder / "content"
    names = sorted(files)
    random.Random(order_seed).shuffle(names)
    for index, name in enumerate(names):
        write_tree(content, {name: files[name]})
        os.utime(content / name, (1_700_000_000 + index, 1_700_000_000 + index))
    return content


SEQUENTIAL = "PARALLEL_READING = False\nPARALLEL_WRITING = False\n"
PARALLEL = ("PARALLEL_READING_MIN_FILES = 1\nPARALLEL_READING_PROCESSES = 2\nPARALLEL_READING_CACHE = False\n"
            "PARALLEL_WRITING_MIN_ARTICLES = 1\nPARALLEL_WRITING_HELPERS = 2\nPARALLEL_WRITING_MEMORY_MIB = 0\n")


def tree_bytes(root):
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    files = same_day_articles()
    outputs = []
    for order_seed, hash_seed, overrides in ((1, "1", SEQUENTIAL), (2, "2", PARALLEL), (3, "987", PARALLEL)):
        folder = tmp_path_factory.mktemp(f"order{order_seed}")
        content = content_in_order(folder / "source", files, order_seed)
        site = build_site(folder / "site", content_dir=content, env={"PYTHONHASHSEED": hash_seed},
                          overrides=overrides + f"CACHE_PATH = {str(folder / 'cache')!r}\n")
        assert site.ok, site.log
        outputs.append(site.output)
    return outputs


def test_builds_of_same_day_articles_are_byte_identical_pagefind_included(builds):
    trees = [tree_bytes(output) for output in builds]
    assert any(path.startswith("pagefind/") for path in trees[0])
    assert "chuyen-muc/van-ban/trang-2/index.html" in trees[0]
    for other in trees[1:]:
        assert sorted(other) == sorted(trees[0])
        assert [path for path in trees[0] if trees[0][path] != other[path]] == []


def test_same_day_articles_are_listed_by_slug_after_date(builds):
    page = BeautifulSoup((builds[0] / "chuyen-muc" / "van-ban" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    listed = [link["href"].rsplit("/", 1)[1].removesuffix(".html")
              for link in page.select(".news-item-title a")]
    files = same_day_articles()
    dated = sorted(((article_date(files[name]), name.rsplit("/", 1)[1].removesuffix(".md"))
                    for name in files if name.startswith("articles/van-ban/")),
                   key=lambda pair: (-date.fromisoformat(pair[0]).toordinal(), pair[1]))
    assert listed == [slug for _, slug in dated][:len(listed)] and len(listed) == 10


def article_date(text):
    return next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Date: "))

"""The benchmark's synthetic articles are articles an editor could have written."""

from pelican.settings import read_settings

from bench.corpus import write_corpus
from content_check import check_site
from support.site_build import SITE_ROOT


def test_synthetic_corpus_passes_the_editors_check_and_is_the_same_every_time(tmp_path):
    write_corpus(tmp_path / "a", 40)
    write_corpus(tmp_path / "b", 40)
    content = tmp_path / "a" / "content"
    result = check_site(read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)}))
    assert [str(problem) for problem in result.problems] == []
    articles = sorted(content.glob("articles/**/*.md"))
    assert len(articles) == 40
    for article in articles:
        twin = tmp_path / "b" / article.relative_to(tmp_path / "a")
        assert twin.read_bytes() == article.read_bytes()
    assert any("Agencies:" in article.read_text(encoding="utf-8") for article in articles)


def test_same_day_variant_puts_many_articles_on_one_day_and_passes_the_editors_check(tmp_path):
    content = write_corpus(tmp_path, 300, variant="same-day")
    result = check_site(read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)}))
    assert [str(problem) for problem in result.problems] == []
    dates = [line for article in sorted(content.glob("articles/**/*.md"))
             for line in article.read_text(encoding="utf-8").splitlines() if line.startswith("Date: ")]
    assert len(dates) == 300
    assert len(set(dates)) == 3
    assert all(len(line) == len("Date: 2015-01-01") for line in dates)


def test_photos_variant_gives_some_articles_a_photo_of_their_own_and_passes_the_editors_check(tmp_path):
    content = write_corpus(tmp_path, 41, variant="photos")
    result = check_site(read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)}))
    assert [str(problem) for problem in result.problems] == []
    photos = sorted(path.name for path in (content / "images" / "bai").iterdir())
    assert photos == ["anh-0.jpg", "anh-20.jpg", "anh-40.jpg"]
    assert all(path.read_bytes()[:3] == b"\xff\xd8\xff" for path in (content / "images" / "bai").iterdir())
    with_photo = [article for article in content.glob("articles/**/*.md")
                  if "{static}/images/bai/" in article.read_text(encoding="utf-8")]
    assert len(with_photo) == 3

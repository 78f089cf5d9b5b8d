"""Deterministic synthetic Vietnamese news articles for benchmarks.

The same seed and count always give the same files, byte for byte. Articles
follow the editors' conventions (README): `Key: value` front matter with ASCII
keys, a registry category, ISO dates in the past, file name = slug, images under
content/images/ with a `/// caption` block, and `Agencies:` naming profiles that
exist in the corpus (left out when there are none).

    python bench/corpus.py --count 1000 [--out bench/corpus/1000] [--fixture-agencies 4]
"""

from datetime import datetime, timedelta
from pathlib import Path
import argparse
import random
import shutil
import sys

SITE_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from pelican.settings import read_settings  # noqa: E402

from site_core.agency_profiles import load_agency_slugs  # noqa: E402
from site_core.categories import load_registry  # noqa: E402
from site_core.schema import article_text, slug_of  # noqa: E402

SITE_CONTENT = SITE_ROOT / "content"
DEFAULT_SEED = 2023
PLACEHOLDER_IMAGE = "images/2023/04/ky-ket-phoi-hop-truyen-thong.jpg"
FIRST_DAY = datetime(2015, 1, 1)
LAST_DAY = datetime(2025, 12, 31)

# Everyday words of provincial Front news; composed for the benchmark, not taken from any text.
WORDS = """
Mặt trận Tổ quốc Ủy ban nhân dân tỉnh huyện xã phường thị trấn thôn buôn khu phố
đoàn kết toàn dân tộc vận động phong trào thi đua giám sát phản biện xã hội góp ý
cán bộ đoàn viên hội viên Nhân dân đồng bào người nghèo gia đình chính sách an sinh
hỗ trợ nhà ở đại đoàn kết xây dựng nông thôn mới đô thị văn minh khu dân cư
hội nghị tổng kết sơ kết triển khai nhiệm vụ năm kế hoạch chương trình phối hợp
tuyên truyền thông tin báo chí chuyển đổi số ứng dụng công nghệ trang điện tử
lãnh đạo chủ trì tham dự phát biểu chỉ đạo đánh giá kết quả đạt được hạn chế
khắc phục đề xuất kiến nghị giải pháp nâng cao hiệu quả chất lượng hoạt động
tặng quà học bổng học sinh sinh viên khó khăn vượt khó người cao tuổi phụ nữ
thanh niên cựu chiến binh nông dân công đoàn doanh nghiệp tôn giáo dân tộc
thiểu số miền núi ven biển mùa mưa bão lũ cứu trợ khẩn cấp thiên tai dịch bệnh
quỹ vì người nghèo ngày hội đại đoàn kết tháng cao điểm tri ân biểu dương
khen thưởng tập thể cá nhân điển hình tiên tiến gương người tốt việc tốt
bầu cử đại biểu Quốc hội Hội đồng nhân dân tiếp xúc cử tri ý kiến nguyện vọng
hòa giải cơ sở an ninh trật tự môi trường xanh sạch đẹp rác thải nhựa
trồng cây đường giao thông nước sạch điện chiếu sáng nhà văn hóa
sáng chiều ngày tháng đồng chí Phó Chủ tịch Thường trực Ban Thường trực
các cơ quan đơn vị địa phương trên địa bàn toàn tỉnh thời gian qua tới đây
đồng thời bên cạnh đó theo đó qua đó nhằm góp phần tạo sự đồng thuận
tích cực chủ động kịp thời thiết thực ý nghĩa sâu sắc rộng khắp hiệu quả
""".split()
HEADINGS = ["Kết quả nổi bật", "Nhiệm vụ thời gian tới", "Ý kiến tại hội nghị",
            "Đánh giá chung", "Những việc đã làm", "Đề xuất, kiến nghị"]
AUTHORS = ["Minh An", "Thu Hà", "Quốc Bảo", "Ngọc Lan", "Văn Tâm", "Hồng Nhung"]


def sentence(rng, low=9, high=22):
    words = rng.choices(WORDS, k=rng.randint(low, high))
    text = " ".join(words)
    if rng.random() < 0.15:
        quoted = " ".join(rng.choices(WORDS, k=4))
        text += f', "{quoted}"'
    if rng.random() < 0.08:
        text += " -- " + " ".join(rng.choices(WORDS, k=3))
    return text[0].upper() + text[1:] + ("..." if rng.random() < 0.03 else ".")


def paragraph(rng, words_wanted):
    sentences, count = [], 0
    while count < words_wanted:
        sentences.append(sentence(rng))
        count += len(sentences[-1].split())
    return " ".join(sentences), count


def body(rng, words_total=700):
    blocks, written, image_at = [], 0, rng.randint(1, 3) if rng.random() < 0.3 else None
    while written < words_total:
        if blocks and rng.random() < 0.12:
            blocks.append("## " + rng.choice(HEADINGS))
        if blocks and rng.random() < 0.06:
            blocks.append("\n".join("- " + sentence(rng, 5, 10) for _ in range(3)))
        text, count = paragraph(rng, rng.randint(60, 140))
        blocks.append(text)
        written += count
        if len(blocks) == image_at:
            alt = sentence(rng, 4, 8).rstrip(".")
            blocks.append(f"![{alt}]({{static}}/{PLACEHOLDER_IMAGE})")
            blocks.append(f"/// caption\n{alt}\n///")
    return "\n\n".join(blocks)


# Corpus variants (bench/run.py --variants): "" is the default corpus; "same-day"
# puts about ARTICLES_PER_SHARED_DAY articles on each day, dated without a time,
# as a newsroom posting a day's news at once does (listings then need a total
# order that does not depend on file order); "photos" gives one article in
# ARTICLES_PER_OWN_PHOTO a photo of its own, a 3-megapixel phone-like JPEG
# (bench/photo_corpus.py, seeded by the article), which plugins/photos turns
# into its published sizes at build time.
VARIANTS = ("", "same-day", "photos")
ARTICLES_PER_OWN_PHOTO = 20
OWN_PHOTO_SIZE = (2000, 1500)
ARTICLES_PER_SHARED_DAY = 100


def article_date(rng, index, count, variant):
    if variant == "same-day":
        days = max(1, count // ARTICLES_PER_SHARED_DAY)
        return f"{FIRST_DAY + timedelta(days=rng.randrange(days) * 7):%Y-%m-%d}"
    day = FIRST_DAY + timedelta(seconds=rng.randrange(int((LAST_DAY - FIRST_DAY).total_seconds())))
    return f"{day:%Y-%m-%d %H:%M}"


def article(index, seed, categories, agencies, count=0, variant=""):
    rng = random.Random(f"{seed}-{index}")
    title = sentence(rng, 8, 14).rstrip(".").replace('"', "")
    date = article_date(rng, index, count, variant)
    category = rng.choice(categories)
    fields = {"Title": title, "Date": date, "Category": category}
    if rng.random() < 0.8:
        fields["Author"] = rng.choice(AUTHORS)
    if rng.random() < 0.1:
        fields["Summary"] = sentence(rng, 20, 35)
    if agencies and rng.random() < 0.3:
        fields["Agencies"] = ", ".join(sorted(rng.sample(agencies, rng.randint(1, min(2, len(agencies))))))
    slug = f"{slug_of(title)[:60].strip('-')}-{index}"
    return category, slug, article_text(fields, body(rng))


def write_fixture_agencies(content, count):
    folder = content / "agencies"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"co-quan-mau-{number}.md").write_text(
            f"Title: Cơ quan mẫu số {number}\nKind: khac\n\nHồ sơ cơ quan dùng cho đo tốc độ.\n", encoding="utf-8")


def write_corpus(out, count, seed=DEFAULT_SEED, fixture_agencies=0, source=SITE_CONTENT, variant=""):
    """Write a complete content folder at out/content: categories, pages, images, agencies, articles."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown corpus variant {variant!r}; known: {', '.join(map(repr, VARIANTS))}")
    content = Path(out) / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    shutil.copy(source / "categories.toml", content / "categories.toml")
    shutil.copytree(source / "pages", content / "pages")
    (content / PLACEHOLDER_IMAGE).parent.mkdir(parents=True)
    shutil.copy(source / PLACEHOLDER_IMAGE, content / PLACEHOLDER_IMAGE)
    if (source / "agencies").is_dir():
        shutil.copytree(source / "agencies", content / "agencies")
    if fixture_agencies:
        write_fixture_agencies(content, fixture_agencies)
    registry = load_registry(content / "categories.toml",
                             read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)}))
    categories = [entry.name for entry in registry]
    slugs = {entry.name: entry.slug for entry in registry}
    agencies = load_agency_slugs(content)
    for index in range(count):
        category, slug, text = article(index, seed, categories, agencies, count, variant)
        path = content / "articles" / slugs[category] / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if variant == "photos" and index % ARTICLES_PER_OWN_PHOTO == 0:
            text = with_own_photo(content, index, text)
        path.write_text(text, encoding="utf-8")
    return content


def with_own_photo(content, index, text):
    """The article's text with a photo of its own at the end, written under images/bai/."""
    from bench.photo_corpus import phone_jpeg

    relative = f"images/bai/anh-{index}.jpg"
    (content / relative).parent.mkdir(parents=True, exist_ok=True)
    (content / relative).write_bytes(phone_jpeg(*OWN_PHOTO_SIZE, seed=index))
    alt = f"Quang cảnh buổi làm việc số {index}"
    return f"{text.rstrip()}\n\n![{alt}]({{static}}/{relative})\n\n/// caption\n{alt}\n///\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--fixture-agencies", type=int, default=0,
                        help="also write this many fixture agency profiles")
    parser.add_argument("--variant", default="", choices=VARIANTS)
    args = parser.parse_args(argv)
    out = args.out or SITE_ROOT / "bench" / "corpus" / (f"{args.count}-{args.variant}" if args.variant
                                                        else str(args.count))
    content = write_corpus(out, args.count, args.seed, args.fixture_agencies, variant=args.variant)
    print(content)


if __name__ == "__main__":
    sys.exit(main())

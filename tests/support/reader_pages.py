"""Which pages the quality gates open, in one place so new page kinds are one line away."""

from pelican.settings import read_settings

from site_core.categories import load_registry
from support.site_build import REGISTRY, SITE_ROOT, article_source

REFERENCE_ARTICLE = "/tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
REFERENCE_PHOTO = SITE_ROOT / "content" / "images" / "2023" / "04" / "ky-ket-phoi-hop-truyen-thong.jpg"

# Checked with axe (and for reflow) on the site built from the shipped content.
SHIPPED_PAGES = [
    "/",
    "/chuyen-muc/hoat-dong-cua-nganh/",
    "/chuyen-muc/van-ban/",
    REFERENCE_ARTICLE,
    "/tim-kiem.html",
    "/tim-kiem.html?q=doan+ket",
    "/404.html",
    "/gioi-thieu.html",
    "/co-quan/",
    "/co-quan/so-tttt-phu-yen.html",
    "/so-do-trang.html",
    "/luu-tru/",
    "/luu-tru/2023/04/",
]
# Lighthouse costs about 12 s a page: the home page, a category, search results and the reference article.
LIGHTHOUSE_PAGES = ["/", "/chuyen-muc/hoat-dong-cua-nganh/", "/tim-kiem.html?q=doan+ket", REFERENCE_ARTICLE]
# The link checker recurses from these; pages nothing links to must be listed (it does not
# follow the archive index's month links from the footer, so the archive is a start too).
LINK_START_PATHS = ["/", "/404.html", "/tim-kiem.html", "/luu-tru/"]

# The many-articles fixture: every registry category, pagination, the Markdown editors use.
FIXTURE_ARTICLES_PER_CATEGORY = 12
FIXTURE_PAGES = [
    "/",
    "/chuyen-muc/tin-tuc-su-kien/",
    "/chuyen-muc/tin-tuc-su-kien/trang-2/",
    "/luu-tru/2024/03/trang-2/",
    "/tim-kiem.html?q=dai+doan+ket",
    "/tin-tuc/tin-tuc-su-kien-1.html",
    "/tin-tuc/van-ban-2.html",
]

RICH_BODY = """\
Sáng ngày {day}/3, Ủy ban MTTQ Việt Nam tỉnh tổ chức hội nghị về xây dựng khối đại đoàn kết toàn dân tộc.

![Quang cảnh hội nghị số {number}]({{static}}/images/2024/03/hoi-nghi.jpg)

/// caption
Quang cảnh hội nghị số {number}
///

## Kết quả đạt được

Hội nghị thống nhất các nội dung sau:

- Tăng cường công tác *vận động* Nhân dân;
- Phối hợp **giám sát** và phản biện xã hội;
- Xem thêm [bài trước]({{filename}}/articles/{category}/{category}-{previous}.md).

> “Đoàn kết, đoàn kết, đại đoàn kết.”

| Đơn vị | Số hộ được hỗ trợ |
|---|---|
| Huyện Tây Hòa | 120 |
| Thị xã Sông Cầu | 95 |
"""


def registry_categories():
    settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(REGISTRY.parent)})
    return [(entry.name, entry.slug) for entry in load_registry(REGISTRY, settings)]


def many_articles_site(per_category=FIXTURE_ARTICLES_PER_CATEGORY):
    """{path: text} for a site with `per_category` illustrated articles in every category."""
    files = {"images/2024/03/hoi-nghi.jpg": REFERENCE_PHOTO.read_bytes(),
             "pages/lien-he.md": "Title: Liên hệ\n\nĐịa chỉ sẽ được cập nhật.\n"}
    for name, slug in registry_categories():
        for number in range(1, per_category + 1):
            body = RICH_BODY.format(day=number % 28 + 1, number=number, category=slug,
                                    previous=max(number - 1, 1))
            files[f"articles/{slug}/{slug}-{number}.md"] = article_source(
                f"{name}: tin số {number} về công tác Mặt trận", f"2024-03-{number % 28 + 1:02d} {8 + number // 60:02d}:{number % 60:02d}",
                category=name, body=body, author="Nguyên Lưu")
    return files

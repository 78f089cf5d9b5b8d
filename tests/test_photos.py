"""Phone photos are published light, upright, in a few widths, and without the place they were taken."""

import re
import struct

from bs4 import BeautifulSoup
from PIL import Image
import pytest

from photos.images import Header, widths_for
from support.photos import (CAMERA_MAKE, ICC_DEVICE, LATITUDE, MAKER_NOTE, NOT_AN_IMAGE, SERIAL, XMP_NAMESPACE, cmyk_photo,
                            decompression_bomb_png, iphone_heic, marked_photo, palette_png_with_transparency,
                            phone_photo, sixteen_bit_grey_png, truncated_jpeg)
from support.site_build import article_source, build_again, build_site

# The GPS latitude as the photos' EXIF stores it (three rationals, little-endian).
GPS_LATITUDE_BYTES = b"".join(struct.pack("<II", *value) for value in LATITUDE)
MEETING = "articles/hoat-dong-cua-nganh/hoi-nghi.md"
DOCUMENT = "articles/van-ban/van-ban-moi.md"
MEETING_BODY = """\
Sáng nay, Ủy ban MTTQ Việt Nam tỉnh tổ chức hội nghị.

![Đại biểu dự hội nghị]({static}/images/2024/03/dai-bieu.jpg)

/// caption
Đại biểu dự hội nghị
///

Ảnh chụp nghiêng sang trái:

![Ảnh xoay trái]({static}/images/2024/03/xoay-trai.jpg)

Lại ảnh đại biểu:

![Đại biểu, ảnh nhắc lại]({static}/images/2024/03/dai-bieu.jpg)

[Tải ảnh cỡ lớn]({static}/images/2024/03/lien-ket.jpg)
"""
DOCUMENT_BODY = """\
Văn bản có nhiều loại ảnh.

![Ảnh xoay phải]({static}/images/2024/03/xoay-phai.jpg)

![Ảnh CMYK]({static}/images/2024/03/in-an.jpg)

![Ảnh xám 16 bit]({static}/images/2024/03/xam-16-bit.png)

![Biểu trưng nền trong suốt]({static}/images/2024/03/bieu-trung.png)

![Đại biểu]({static}/images/2024/03/dai-bieu.jpg)
"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("photos"), {
        MEETING: article_source("Hội nghị có ảnh", "2024-03-02", body=MEETING_BODY),
        DOCUMENT: article_source("Văn bản có ảnh", "2024-03-03", category="Văn bản", body=DOCUMENT_BODY),
        "articles/van-ban/nhap.md": article_source("Bản nháp có ảnh", "2024-03-04", category="Văn bản",
                                                   status="draft", body="![Ảnh nháp]({static}/images/2024/03/nhap.jpg)"),
        "images/2024/03/dai-bieu.jpg": phone_photo(1600, 1200, orientation=6, seed=1),
        "images/2024/03/xoay-trai.jpg": marked_photo(orientation=8),
        "images/2024/03/xoay-phai.jpg": marked_photo(orientation=6),
        "images/2024/03/lien-ket.jpg": phone_photo(900, 600, seed=2),
        "images/2024/03/in-an.jpg": cmyk_photo(),
        "images/2024/03/xam-16-bit.png": sixteen_bit_grey_png(),
        "images/2024/03/bieu-trung.png": palette_png_with_transparency(),
        "images/2024/03/khong-dung.jpg": phone_photo(800, 600, seed=4),
        "images/2024/03/nhap.jpg": phone_photo(800, 600, seed=5),
    })
    assert site.ok, site.log
    return site


def images_of(site, page):
    return site.page(page).select(".article-body img")


def output_image(site, url):
    return Image.open(site.output / url.lstrip("/"))


def srcset_entries(image):
    return [(url, int(width.rstrip("w"))) for url, width in (entry.split() for entry in image["srcset"].split(", "))]


def test_a_turned_phone_photo_is_published_upright_in_webp_widths_with_srcset_and_its_size(photo_site):
    first = images_of(photo_site, "tin-tuc/hoi-nghi.html")[0]
    assert first["alt"] == "Đại biểu dự hội nghị"
    # Stored 1600×1200 with orientation 6: upright it stands 1200 wide and 1600 high.
    assert (first["width"], first["height"]) == ("1200", "1600")
    entries = srcset_entries(first)
    assert [width for _, width in entries] == [480, 720, 1080, 1200]
    for url, width in entries:
        published = output_image(photo_site, url)
        assert published.format == "WEBP"
        assert published.size == (width, round(width * 1600 / 1200))
    assert first["src"] == entries[-1][0]
    assert first["sizes"]
    figure = first.find_parent("figure")
    assert figure.figcaption.get_text(strip=True) == "Đại biểu dự hội nghị"


def test_only_the_first_photo_of_a_page_loads_eagerly_with_high_priority(photo_site):
    for page in ("tin-tuc/hoi-nghi.html", "tin-tuc/van-ban-moi.html"):
        first, *others = images_of(photo_site, page)
        assert first["fetchpriority"] == "high"
        assert not first.has_attr("loading") and not first.has_attr("decoding")
        assert others
        for image in others:
            assert (image["loading"], image["decoding"]) == ("lazy", "async")
            assert not image.has_attr("fetchpriority")
            assert image["width"].isdigit() and image["height"].isdigit()


@pytest.mark.parametrize("page, index, red_side", [
    ("tin-tuc/hoi-nghi.html", 1, "left"),      # orientation 8: the stored top turns to the left
    ("tin-tuc/van-ban-moi.html", 0, "right"),  # orientation 6: the stored top turns to the right
])
def test_the_exif_orientation_is_applied_to_the_pixels(photo_site, page, index, red_side):
    image = images_of(photo_site, page)[index]
    assert (image["width"], image["height"]) == ("1200", "1600")
    published = output_image(photo_site, srcset_entries(image)[0][0]).convert("RGB")
    width, height = published.size
    left, right = published.getpixel((3, height // 2)), published.getpixel((width - 4, height // 2))
    red, grey = (left, right) if red_side == "left" else (right, left)
    assert red[0] > 180 and red[1] < 60, (left, right)
    assert abs(grey[0] - 128) < 20 and abs(grey[1] - 128) < 20, (left, right)
    top = published.getpixel((width // 2, 3))
    assert abs(top[0] - 128) < 20 and abs(top[1] - 128) < 20, top


def test_nothing_published_carries_position_device_serial_xmp_icc_or_thumbnail(photo_site):
    images = [path for path in photo_site.output.rglob("*") if path.suffix in (".webp", ".jpg", ".png")
              and "theme" not in path.parts]
    assert len(images) > 20
    for path in photo_site.output.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for secret in (b"Exif\0\0", XMP_NAMESPACE, SERIAL.encode(), MAKER_NOTE, CAMERA_MAKE.encode(), ICC_DEVICE,
                       GPS_LATITUDE_BYTES):
            assert secret not in data, (path, secret)
    for path in images:
        data = path.read_bytes()
        published = Image.open(path)
        assert dict(published.getexif()) == {}, path
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(published.info), (path, published.info.keys())
        # A JPEG thumbnail inside would be a second JPEG start marker.
        assert data.count(b"\xff\xd8\xff") == (1 if path.suffix == ".jpg" else 0), path


def test_the_original_is_not_published_and_an_unused_photo_gets_a_warning(photo_site):
    published = {path.relative_to(photo_site.output).as_posix() for path in photo_site.output.rglob("*")}
    for original in ("dai-bieu.jpg", "xoay-trai.jpg", "in-an.jpg", "xam-16-bit.png", "khong-dung.jpg", "nhap.jpg"):
        assert f"images/2024/03/{original}" not in published
    assert not any("khong-dung" in path or "nhap" in path for path in published)
    assert re.search(r"Cảnh báo: content/images/2024/03/khong-dung\.jpg: ảnh này không bài nào dùng", photo_site.log)
    assert "nhap.jpg" not in photo_site.log  # a draft's photo is in use, just not yet published
    assert "WARNING" not in photo_site.log


def test_a_linked_photo_is_published_at_its_address_as_a_clean_copy(photo_site):
    link = photo_site.page("tin-tuc/hoi-nghi.html").select_one('.article-body a[href$="lien-ket.jpg"]')
    assert link["href"] == "/images/2024/03/lien-ket.jpg"
    copy = output_image(photo_site, link["href"])
    assert (copy.format, copy.size) == ("JPEG", (900, 600))
    assert dict(copy.getexif()) == {}


def test_a_photo_used_twice_is_encoded_once_and_gives_the_share_picture(photo_site):
    meeting, document = images_of(photo_site, "tin-tuc/hoi-nghi.html"), images_of(photo_site, "tin-tuc/van-ban-moi.html")
    assert meeting[0]["srcset"] == meeting[2]["srcset"] == document[-1]["srcset"]
    assert meeting[2]["alt"] == "Đại biểu, ảnh nhắc lại"
    versions = sorted(path.name for path in (photo_site.output / "images/2024/03").glob("dai-bieu-*"))
    assert len(versions) == 5  # four widths and one share picture
    share = photo_site.page("tin-tuc/hoi-nghi.html").find("meta", property="og:image")["content"]
    picture = output_image(photo_site, share.split("://", 1)[1].split("/", 1)[1])
    assert (picture.format, picture.size) == ("JPEG", (1200, 630))
    assert (photo_site.output / share.split("localhost:8000/", 1)[1]).stat().st_size < 300_000


def test_cmyk_16_bit_grey_and_transparent_palette_pictures_come_out_right(photo_site):
    cmyk, grey, palette = images_of(photo_site, "tin-tuc/van-ban-moi.html")[1:4]
    cmyk_image = output_image(photo_site, srcset_entries(cmyk)[0][0]).convert("RGB")
    red = cmyk_image.getpixel((10, cmyk_image.height // 2))
    assert red[0] > 180 and red[1] < 90 and red[2] < 90, red
    white = cmyk_image.getpixel((cmyk_image.width - 10, cmyk_image.height // 2))
    assert min(white) > 230, white
    grey_image = output_image(photo_site, srcset_entries(grey)[0][0]).convert("RGB")
    middle = grey_image.getpixel((grey_image.width // 2, grey_image.height // 2))
    assert all(115 < value < 140 for value in middle), middle  # 32768 of 65535, not clipped to white
    palette_image = output_image(photo_site, srcset_entries(palette)[0][0])
    assert palette_image.mode == "RGBA"
    assert palette_image.getpixel((2, 2))[3] == 0
    assert palette_image.getpixel((palette_image.width // 2, palette_image.height // 2))[3] == 255


def test_published_names_are_ascii_slugs_carrying_the_photos_digest():
    from photos.images import Rendition
    from photos.photos import Photo

    photo = Photo("images/2024/03/Ảnh Hội nghị Đảng ủy 01.JPG", "", digest="abcdef0123456789")
    assert photo.output_name(Rendition("720", "width", 720, 540)) == (
        "images/2024/03/anh-hoi-nghi-dang-uy-01-720.abcdef0123.webp")


def test_a_small_photo_is_never_enlarged():
    assert [(r.width, r.height) for r in widths_for(Header(300, 200, 1), (480, 720))] == [(300, 200)]
    assert [r.width for r in widths_for(Header(720, 540, 1), (480, 720, 1080))] == [480, 720]


def test_a_warm_build_takes_every_photo_from_the_cache_and_writes_the_same_bytes(tmp_path):
    site = build_site(tmp_path, {MEETING: article_source("Hội nghị", "2024-03-02", body=MEETING_BODY),
                                 "images/2024/03/dai-bieu.jpg": phone_photo(1600, 1200, orientation=6),
                                 "images/2024/03/xoay-trai.jpg": marked_photo(orientation=8),
                                 "images/2024/03/lien-ket.jpg": phone_photo(900, 600, seed=2)})
    assert site.ok, site.log
    cold = {path.relative_to(site.output): path.read_bytes() for path in site.output.rglob("*.webp")}
    cached = {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "photos").rglob("*.*")}
    assert len(cached) == len(cold) + 2  # and the share picture and the linked copy
    cold_page = (site.output / "tin-tuc/hoi-nghi.html").read_bytes()
    build_again(site)
    assert {path.relative_to(site.output): path.read_bytes() for path in site.output.rglob("*.webp")} == cold
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "photos").rglob("*.*")} == cached
    assert (site.output / "tin-tuc/hoi-nghi.html").read_bytes() == cold_page  # its Markdown came from the cache

    # A new photo copied over the old one, the article untouched (its conversion still cached).
    (site.content / "images/2024/03/dai-bieu.jpg").write_bytes(phone_photo(1000, 1000, seed=7))
    build_again(site)
    first = images_of(site, "tin-tuc/hoi-nghi.html")[0]
    assert (first["width"], first["height"]) == ("1000", "1000")
    assert all(url.lstrip("/") not in {str(path) for path in cold} for url, _ in srcset_entries(first))
    assert output_image(site, first["src"]).size == (1000, 1000)
    build_again(site, "PHOTOS_WEBP_QUALITY = 60\n")
    changed = {path.relative_to(site.output): path.read_bytes() for path in site.output.rglob("*.webp")}
    assert set(changed).isdisjoint(cold)  # new settings, new digests: nothing stale is served
    assert len(changed) == len(cold) - 1  # the new 1000-pixel photo has three widths, the old one four


def test_every_kind_of_bad_photo_gets_a_file_line_error_in_one_build(tmp_path):
    body = "\n\n".join([
        "Mở đầu.",
        "![Không phải ảnh]({static}/images/2024/03/tai-lieu.jpg)",
        "![Ảnh cắt cụt]({static}/images/2024/03/cat-cut.jpg)",
        "![Ảnh iPhone]({static}/images/2024/03/iphone.heic)",
        "![Ảnh quá lớn]({static}/images/2024/03/qua-lon.png)",
        "![Ảnh tốt]({static}/images/2024/03/tot.jpg)",
    ])
    site = build_site(tmp_path, {
        MEETING: article_source("Hội nghị", "2024-03-02", body=body),
        DOCUMENT: article_source("Văn bản", "2024-03-03", category="Văn bản",
                                 body="![Không phải ảnh]({static}/images/2024/03/tai-lieu.jpg)"),
        "images/2024/03/tai-lieu.jpg": NOT_AN_IMAGE,
        "images/2024/03/cat-cut.jpg": truncated_jpeg(),
        "images/2024/03/iphone.heic": iphone_heic(),
        "images/2024/03/qua-lon.png": decompression_bomb_png(),
        "images/2024/03/tot.jpg": phone_photo(800, 600),
    })
    assert not site.ok
    # The report only (site_core.problems shows it without a traceback); no exception of Pillow's or ours.
    assert not re.search(r"OSError|UnidentifiedImageError|DecompressionBomb|SyntaxError|ValueError|Traceback", site.log)
    assert "Nội dung có 4 lỗi" in site.log
    shown = "content/" + MEETING
    expected = {
        7: ("Ảnh {static}/images/2024/03/tai-lieu.jpg: Tệp này không phải là ảnh", "còn được dùng ở 1 chỗ khác"),
        9: ("Ảnh {static}/images/2024/03/cat-cut.jpg: Ảnh bị hỏng hoặc chưa chép hết", "chép lại ảnh gốc"),
        11: ("Ảnh {static}/images/2024/03/iphone.heic: Ảnh dạng HEIC/HEIF", "xuất ảnh ra JPEG"),
        13: ("Ảnh {static}/images/2024/03/qua-lon.png: Ảnh quá lớn (11000×9200 điểm ảnh", "thu nhỏ ảnh"),
    }
    log = " ".join(site.log.split())
    for line, (message, fix) in expected.items():
        found = re.search(re.escape(f"{shown}:{line}: {message}") + r".*?Cách sửa: (.*?)(?:content/|$)", log)
        assert found, (line, site.log)
        assert fix in found.group(0), (line, found.group(0))
    assert "tot.jpg" not in log
    assert "van-ban-moi.md" not in log  # the same bad photo is reported once, where it is first used


def test_a_phone_photo_copied_where_the_legacy_importer_says_is_published_upright_without_its_position(tmp_path):
    from support.editor_tasks import content_folder, run_task
    from support.site_build import SITE_ROOT

    content = content_folder(tmp_path / "work")
    imported = run_task("import-legacy", str(SITE_ROOT / "tests/fixtures/legacy/reference-article-page.html"),
                        "--content", str(content))
    assert imported.returncode == 0, imported.log
    placeholder = re.search(r"ảnh cần chép vào (content/images/\d{4}/\d{2}/[a-z0-9-]+\.jpg)", imported.stdout).group(1)
    (tmp_path / "work" / placeholder).write_bytes(phone_photo(1600, 1200, orientation=6, seed=9))
    site = build_site(tmp_path / "site", content_dir=content)
    assert site.ok, site.log
    article = next(site.output.glob("tin-tuc/*.html"))
    image = site.page(article.relative_to(site.output)).select_one(".article-body figure img")
    assert (image["width"], image["height"]) == ("1200", "1600")
    assert [width for _, width in srcset_entries(image)] == [480, 720, 1080, 1200]
    for path in site.output.rglob("*"):
        if path.is_file():
            assert b"Exif\0\0" not in path.read_bytes() and SERIAL.encode() not in path.read_bytes(), path


def test_templates_can_place_a_pages_lead_photo_elsewhere_with_their_own_sizes():
    from photos.images import Rendition
    from photos.photos import Photo, PhotoUse, responsive_photo

    photo = Photo("images/2024/03/a.jpg", "", digest="0123456789abcdef",
                  widths=[Rendition("480", "width", 480, 360), Rendition("720", "width", 720, 540)])
    use = PhotoUse(photo, 'Đại biểu "dự" hội nghị', "https://example.org", "{static}/images/2024/03/a.jpg")
    tag = BeautifulSoup(str(responsive_photo(use, "(min-width: 60rem) 20rem, 100vw", css_class="lead-photo")),
                        "html.parser").img
    assert tag["src"] == "https://example.org/images/2024/03/a-720.0123456789.webp"
    assert tag["srcset"] == ("https://example.org/images/2024/03/a-480.0123456789.webp 480w, "
                             "https://example.org/images/2024/03/a-720.0123456789.webp 720w")
    assert (tag["sizes"], tag["class"], tag["alt"]) == ("(min-width: 60rem) 20rem, 100vw", ["lead-photo"],
                                                        'Đại biểu "dự" hội nghị')
    assert (tag["width"], tag["height"], tag["loading"], tag["decoding"]) == ("720", "540", "lazy", "async")
    assert BeautifulSoup(str(responsive_photo(use, "100vw", first=True)), "html.parser").img["fetchpriority"] == "high"
    assert str(responsive_photo(None)) == ""

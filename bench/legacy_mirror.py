"""A deterministic copy of an imaginary old site, for the whole-site import's test and benchmark.

The pages take the shapes the real old site and its visitors' browsers left behind:
the CMS's table layout in UTF-8, whole pages in TCVN3 bytes (with a ".VnTimeH"
heading) and in VNI bytes, a TCVN3 body inside a UTF-8 page, Windows-1258 pages,
pages saved by Chrome, Firefox and old Internet Explorer with their photos in
"…_files" folders, `wget --mirror` pages whose photos keep the site's paths,
lists, bold headings, italic captions, and the menus and category lists that are
not articles. `expected` records what each article page should import as.

    python bench/legacy_mirror.py --count 2000 --out mirror
"""

from dataclasses import dataclass, field
from pathlib import Path
import argparse
import html
import random
import shutil
import sys
import unicodedata

SITE_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from bench.corpus import AUTHORS, HEADINGS, sentence  # noqa: E402
from site_core.legacy_fonts import to_tcvn3, to_vni  # noqa: E402

PHOTO = SITE_ROOT / "editor_tools" / "legacy_import" / "anh-dang-cap-nhat.jpg"
HOST = "mattran.phuyen.gov.vn"
CATEGORIES = ["Tin tức - Sự kiện", "Hoạt động của Ngành", "Hoạt động Mặt trận địa phương",
              "Giám sát và phản biện xã hội"]
SHAPES = ("cms", "tcvn3_bytes", "tcvn3_body", "vni_bytes", "windows_1258", "chrome", "firefox", "old_ie",
          "wget", "list_page", "menu_page")
DEFAULT_SEED = 2023


@dataclass
class ExpectedArticle:
    title: str
    date: str
    category: str
    author: str
    paragraphs: list
    headings: list = field(default_factory=list)
    items: list = field(default_factory=list)       # (ordered, text)
    captions: list = field(default_factory=list)
    photo_files: list = field(default_factory=list)  # files saved beside the page, in order


@dataclass
class Mirror:
    root: Path
    articles: dict = field(default_factory=dict)    # page path relative to root → ExpectedArticle
    not_articles: list = field(default_factory=list)


def windows_1258(text):
    """Vietnamese as old Windows editors saved it: precomposed vowel, tone as a combining mark."""
    encoded = bytearray()
    for character in unicodedata.normalize("NFC", text):
        try:
            encoded += character.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", character)
        for tone in decomposed[1:]:
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            try:
                encoded += base.encode("cp1258") + tone.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(f"{character!r} has no Windows-1258 spelling")
    return bytes(encoded)


def article_parts(rng, index):
    title = sentence(rng, 8, 14).rstrip(".").replace('"', "")
    date = f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    expected = ExpectedArticle(title, date, rng.choice(CATEGORIES), rng.choice(AUTHORS), [])
    blocks = []   # (kind, text)
    for position in range(rng.randint(3, 6)):
        if position and rng.random() < 0.3:
            heading = rng.choice(HEADINGS)
            blocks.append(("heading", heading))
            expected.headings.append(heading)
        text = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        blocks.append(("text", text))
        expected.paragraphs.append(text)
        if position == 1 and rng.random() < 0.5:
            ordered = rng.random() < 0.5
            items = [sentence(rng, 4, 9).rstrip(".") for _ in range(rng.randint(2, 4))]
            blocks.append(("ol" if ordered else "ul", items))
            expected.items += [(ordered, item) for item in items]
    return expected, blocks


def body_html(blocks, photo_source, caption, caption_markup):
    out = []
    for number, (kind, content) in enumerate(blocks):
        if kind == "text":
            out.append(f'<p style="text-align: justify;">{html.escape(content)}</p>')
        elif kind == "heading":
            out.append(f"<p><strong>{html.escape(content)}</strong></p>")
        else:
            out.append(f"<{kind}>" + "".join(f"<li>{html.escape(item)}</li>" for item in content) + f"</{kind}>")
        if number == 0 and photo_source:
            if caption_markup == "table":
                out.append(f'<table class="image"><tr><td><img src="{photo_source}" alt="" width="500" /></td></tr>'
                           f'<tr><td class="image_desc">{html.escape(caption)}</td></tr></table>')
            else:
                out.append(f'<p style="text-align:center"><img src="{photo_source}" width="480" /></p>'
                           f"<p><em>{html.escape(caption)}</em></p>")
    return "\n".join(out)


def page_html(expected, body, charset="utf-8", font=""):
    day = f"{expected.date[8:10]}/{expected.date[5:7]}/{expected.date[:4]}"
    face_open, face_close = (f'<font face="{font}">', "</font>") if font else ("", "")
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{html.escape(expected.title)}</title><script>var _gaq = [];</script></head>
<body><form id="Form" method="post"><table id="wrapper">
<tr><td colspan="3"><ul id="topmenu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu.aspx">Giới thiệu</a></li></ul></td></tr>
<tr><td class="col-left"><div>CHUYÊN MỤC</div></td>
<td class="box-noidung">
<div class="back"><a href="javascript:history.back()">&lt;&lt; Quay Lại</a></div>
<div class="TieuDe">{face_open}{html.escape(expected.title)}{face_close}</div>
<div class="NgayDang">{html.escape(expected.category)} | Đăng ngày: {day}</div>
<div class="NoiDung">{face_open}
{body}
<p style="text-align: right;"><strong>{html.escape(expected.author.upper())}</strong></p>{face_close}
</div>
<div class="tinkhac"><h3>CÁC TIN CÙNG CHUYÊN MỤC:</h3><ul><li><a href="/tin/1.aspx">Tin cũ</a></li></ul></div>
</td><td class="col-right"><div class="counter">Đang online: 15<br />Tổng truy cập: 1.234.567</div></td></tr>
</table></form></body></html>
"""


def list_page(rng, titles):
    """A category's list of news: some print "(dd/mm/yyyy)" after each title, some "Đăng ngày: dd/mm/yyyy"."""
    dated = "Đăng ngày: {}" if rng.random() < 0.5 else "({})"
    links = "\n".join(f'<li><a href="/tin-tuc/chi-tiet.aspx?id={rng.randint(1, 9999)}">{html.escape(t)}</a><br>'
                      + dated.format(f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2020") + "</li>"
                      for t in titles)
    return (f'<html><head><meta charset="utf-8"><title>Tin tức</title></head><body><h1>MTTQ tỉnh Phú Yên</h1>'
            f'<div class="TieuDe">TIN TỨC - SỰ KIỆN</div><ul class="dstin">{links}</ul>'
            f'<div class="phantrang"><a href="?page=2">2</a> <a href="?page=3">3</a></div></body></html>')


def write_page(mirror, shape, index, rng, photo_bytes):
    expected, blocks = article_parts(rng, index)
    caption = sentence(rng, 4, 8).rstrip(".")
    with_photo = shape in ("chrome", "firefox", "old_ie", "wget") or rng.random() < 0.3
    caption_markup = rng.choice(["table", "em"])
    stem = f"bai-{index:05d}"
    folder = mirror.root / "trang-luu" / f"nhom-{index % 7}"
    relative_photo, photo_target = "", None
    if shape in ("chrome", "firefox", "old_ie"):
        saved_as = {"chrome": (f"{stem}_files", "anh-hoi-nghi.jpg"), "firefox": (f"{stem}_files", "kyket.JPG"),
                    "old_ie": (f"{stem}_files", "image001.jpg")}[shape]
        relative_photo = {"chrome": f"./{saved_as[0]}/{saved_as[1]}", "firefox": f"{saved_as[0]}/{saved_as[1]}",
                          "old_ie": f"{saved_as[0]}\\{saved_as[1]}"}[shape]
        photo_target = folder / saved_as[0] / saved_as[1]
    elif shape == "wget":
        folder = mirror.root / HOST / "tin-tuc"
        stem = f"chi-tiet.aspx@id={index}"
        relative_photo = f"/Uploads/Images/{expected.date[:4]}/Thang{int(expected.date[5:7])}/anh-{index}.jpg"
        photo_target = mirror.root / HOST / relative_photo.lstrip("/")
    elif with_photo:
        relative_photo = f"/Uploads/Images/{expected.date[:4]}/khong-luu-{index}.jpg"   # never saved: placeholder
    if relative_photo:
        expected.captions.append(caption)
    if photo_target is not None:
        photo_target.parent.mkdir(parents=True, exist_ok=True)
        photo_target.write_bytes(photo_bytes)
        expected.photo_files.append(photo_target)
    body = body_html(blocks, relative_photo, caption, caption_markup)
    suffix = "" if shape == "wget" else ".html"
    path = folder / f"{stem}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape == "tcvn3_bytes":
        page = page_html(expected, body, "windows-1252", ".VnTime")
        heading = html.escape(expected.title)
        page = page.replace(f'<div class="TieuDe"><font face=".VnTime">{heading}</font>',
                            f'<div class="TieuDe"><font face=".VnTimeH">{heading}</font>')
        expected.title = expected.title.upper()
        path.write_bytes(to_tcvn3(page))
    elif shape == "vni_bytes":
        path.write_bytes(to_vni(page_html(expected, body, "windows-1252", "VNI-Times")))
    elif shape == "tcvn3_body":
        # The old database held TCVN3; the new template around it is UTF-8.
        body = to_tcvn3(body).decode("cp1252")
        path.write_text(page_html(expected, body), encoding="utf-8")
    elif shape == "windows_1258":
        path.write_bytes(windows_1258(page_html(expected, body, "windows-1258")))
    else:
        path.write_text(page_html(expected, body), encoding="utf-8")
    mirror.articles[path.relative_to(mirror.root).as_posix()] = expected


def write_mirror(root, count, seed=DEFAULT_SEED):
    """`count` pages under root: about one in six a menu or a list, the rest articles of every shape."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    mirror = Mirror(root)
    photo_bytes = PHOTO.read_bytes()
    for index in range(count):
        rng = random.Random(f"{seed}-{index}")
        shape = SHAPES[index % len(SHAPES)]
        if shape == "list_page":
            path = root / HOST / "tin-tuc" / f"danh-sach.aspx@page={index}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(list_page(rng, [sentence(rng, 6, 10) for _ in range(12)]), encoding="utf-8")
            mirror.not_articles.append(path.relative_to(root).as_posix())
        elif shape == "menu_page":
            path = root / HOST / f"gioi-thieu-{index}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text('<html><body><ul id="menu"><li><a href="/">Trang chủ</a></li></ul>'
                            f"<h1>Giới thiệu</h1><p>{html.escape(sentence(rng))}</p></body></html>", encoding="utf-8")
            mirror.not_articles.append(path.relative_to(root).as_posix())
        else:
            write_page(mirror, shape, index, rng, photo_bytes)
    return mirror


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    mirror = write_mirror(args.out, args.count, args.seed)
    print(f"{args.out}: {len(mirror.articles)} article pages, {len(mirror.not_articles)} other pages")


if __name__ == "__main__":
    sys.exit(main())

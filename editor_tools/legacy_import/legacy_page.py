"""Read a page saved from the Front's old site (as text or HTML) into the parts of an article.

The old CMS prints: back link, title, "Category | Đăng ngày: dd/mm/yyyy",
body paragraphs with photo captions between them, the author's name in
capitals, then the sidebar ("CÁC TIN CÙNG CHUYÊN MỤC", the visit counter).
Both forms become one list of blocks, read by the same rules. Text typed in an
old font (TCVN3, VNI) is converted block by block before anything is read, so a
whole TCVN3 page finds its date and title like any other.
"""

from dataclasses import dataclass, field
import re

from bs4 import BeautifulSoup, Comment, NavigableString

from site_core import legacy_fonts
from site_core.dates import iso

META = re.compile(r"^(?:(?P<category>[^|]+?)\s*\|\s*)?Đăng ngày\s*:?\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
END_OF_ARTICLE = re.compile(r"^(CÁC TIN (CÙNG CHUYÊN MỤC|KHÁC|LIÊN QUAN)|TIN LIÊN QUAN|TIN KHÁC)\b", re.IGNORECASE)
FURNITURE = re.compile(r"^(<<|«)?\s*Quay lại\s*$|^LƯỢT TRUY CẬP|^Đang online|^Tổng truy cập|^Lượt xem|^Số lượt xem"
                       r"|^In bài( viết)?$|^Gửi (email|bài)$|^Chia sẻ$|^Về đầu trang$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?;:…][\"'”’»)]*$")
PHOTO_MARKER = re.compile(r"\(\s*Ảnh\s*[:\s]|^Ảnh\s*:|^Ảnh minh họa", re.IGNORECASE)
SIGNATURE_PREFIX = re.compile(r"^(?:Tin|Bài|Ảnh|Tin và ảnh|Tin, ảnh|Bài, ảnh|Bài và ảnh)\s*:\s*", re.IGNORECASE)
NUMBERED = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
BULLETED = re.compile(r"^[-•+*–·▪●○◦]\s*(?P<text>\S.*)$")
CAPTION_MAX_WORDS = 25
HEADING_MAX_WORDS = 20
LINKS_OF_A_LIST_PAGE = 8
LIST_PAGE_DATES = 3

# Parts of an old page that are never the article (menus, sidebar, counter). Not <form>:
# ASP.NET pages wrap the whole page in one.
DROPPED_TAGS = ("script", "style", "nav", "aside", "footer", "noscript", "iframe", "select", "button")
FURNITURE_NAMES = {"menu", "mainmenu", "topmenu", "nav", "navbar", "navigation", "sidebar", "footer", "banner",
                   "counter", "thongke", "visitor", "quangcao", "ads", "breadcrumb", "related", "othernews",
                   "tinkhac", "lienquan", "col-left", "col-right"}
CAPTION_NAMES = re.compile(r"caption|image_desc|img-desc|chu-?thich|photo-?desc|desc-img", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tbody", "thead", "tr",
              "td", "th", "section", "article", "main", "figure", "blockquote", "header", "body", "html",
              "center", "dl", "dt", "dd", "pre", "hr"}
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}
BOLD_TAGS = {"strong", "b"}
ITALIC_TAGS = {"em", "i"}
BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)
# The ".VnTimeH"-style fonts draw TCVN3's lowercase codes as capitals.
CAPITALS_FONT = re.compile(r"\.?Vn\w*H\b", re.IGNORECASE)
# Images that are site furniture inside the article column, not photos.
DECORATION = re.compile(r"(^|/)(spacer|blank|icon\w*|print\w*|e?mail\w*|back\w*|arrow\w*|bullet\w*|line|dot|pixel)"
                        r"\.(gif|png|jpe?g)$", re.IGNORECASE)
DECORATION_MAX_SIZE = 40


@dataclass
class Block:
    kind: str   # "text", "title", "heading", "bold", "italic", "item", "caption", "image" or "figure"
    text: str
    line: int = 0
    source: str = ""        # images and figures: the address in the old page
    ordered: bool = False   # items: numbered (True) or bulleted
    number: int = 0         # items: the number shown
    capitals: bool = False  # set in a TCVN3 capitals font


@dataclass
class LegacyArticle:
    title: str = ""
    category: str = ""
    date: str = ""          # ISO
    author: str = ""        # as printed (capitals)
    body: list = field(default_factory=list)    # Block("text"|"heading"|"bold"|"italic"|"item"|"figure")
    problems: list = field(default_factory=list)  # nothing can be written while any is here
    notes: list = field(default_factory=list)     # what an editor should look at
    legacy_family: str = ""                       # TCVN3 or VNI when text was converted
    converted_blocks: int = 0
    not_an_article: str = ""                      # why the page is a menu or a list, not an article


def clean(text):
    return " ".join(text.split())


def item_or_text(text, line):
    """A line numbered ("1. ", "2) ") or bulleted ("- ", "• ") by hand is a list item."""
    numbered = NUMBERED.match(text)
    if numbered:
        return Block("item", numbered["text"], line, ordered=True, number=int(numbered["number"]))
    bulleted = BULLETED.match(text)
    if bulleted:
        return Block("item", bulleted["text"], line)
    return Block("text", text, line)


def text_blocks(text):
    return [item_or_text(clean(line), number) for number, line in enumerate(text.splitlines(), start=1)
            if clean(line)]


def furniture_element(tag):
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])]).lower()
    tokens = set(re.split(r"[\s_]+", names)) | set(re.split(r"[\s_-]+", names))
    return bool(tokens & FURNITURE_NAMES)


def decoration(image):
    sizes = [image.get(name, "") for name in ("width", "height")]
    small = any(size.isdigit() and int(size) <= DECORATION_MAX_SIZE for size in sizes)
    return small or bool(DECORATION.search((image.get("src") or "").split("?")[0]))


def formatting(tag, bold, italic, capitals):
    style = tag.get("style") or ""
    font = " ".join([tag.get("face") or "", style])
    return (bold or tag.name in BOLD_TAGS or bool(BOLD_STYLE.search(style)),
            italic or tag.name in ITALIC_TAGS or bool(ITALIC_STYLE.search(style)),
            capitals or bool(CAPITALS_FONT.search(font)))


def html_blocks(html):
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    # extract(), not decompose(): a menu inside a removed sidebar is then removed again harmlessly.
    for tag in [tag for tag in soup.find_all(True) if tag.name not in ("html", "body") and furniture_element(tag)]:
        tag.extract()
    blocks, pending = [], []   # pending: (text, bold, italic, capitals)

    def flush(line, kind="text", **item):
        words = [(text, b, i, c) for text, b, i, c in pending if text.strip()]
        text = clean("".join(text for text, *_ in pending))
        pending.clear()
        if not text:
            return
        capitals = any(c for *_, c in words)
        if kind == "text" and words and all(b for _, b, _, _ in words):
            kind = "bold"
        elif kind == "text" and words and all(i for _, _, i, _ in words):
            kind = "italic"
        block = item_or_text(text, line) if kind == "text" else Block(kind, text, line, **item)
        block.capitals = capitals
        blocks.append(block)

    def walk(node, bold=False, italic=False, capitals=False):
        for child in node.children:
            if isinstance(child, NavigableString):
                pending.append((str(child), bold, italic, capitals))
                continue
            line = child.sourceline or 0
            inner = formatting(child, bold, italic, capitals)
            if child.name == "br":
                flush(line)
            elif child.name == "img":
                flush(line)
                if not decoration(child):
                    blocks.append(Block("image", clean(child.get("alt") or ""), line, child.get("src") or ""))
            elif child.name in ("figcaption", "caption") or CAPTION_NAMES.search(" ".join(child.get("class") or [])):
                flush(line)
                walk(child, *inner)
                flush(line, "caption")
            elif child.name == "h1":
                flush(line)
                walk(child, *inner)
                flush(line, "title")
            elif child.name in HEADING_TAGS:
                flush(line)
                walk(child, *inner)
                flush(line, "heading")
            elif child.name in ("ul", "ol"):
                flush(line)
                number = int(child.get("start")) if (child.get("start") or "").isdigit() else 1
                for entry in child.find_all("li", recursive=False):
                    walk(entry, *formatting(entry, *inner))
                    flush(entry.sourceline or line, "item", ordered=child.name == "ol", number=number)
                    number += 1
            elif child.name in BLOCK_TAGS:
                flush(line)
                walk(child, *inner)
                flush(line)
            else:
                walk(child, *inner)

    walk(soup)
    flush(0)
    return blocks, len(soup.find_all("a"))


def looks_like_html(text):
    return bool(re.search(r"<(html|body|div|p|table)\b", text[:5000], re.IGNORECASE))


def is_paragraph(block):
    return block.kind == "text" and bool(SENTENCE_END.search(block.text))


def is_signature(block):
    name = SIGNATURE_PREFIX.sub("", block.text)
    letters = [c for c in name if c.isalpha()]
    return (block.kind in ("text", "bold") and letters and name == name.upper()
            and len(name.split()) <= 6 and not SENTENCE_END.search(name))


def caption_candidate(block):
    return (block.kind == "text" and len(block.text.split()) <= CAPTION_MAX_WORDS
            and not SENTENCE_END.search(block.text) and block.text != block.text.upper())


def figures_from_text(body, notes):
    """Text form: a short unpunctuated line between two paragraphs is a photo caption."""
    result = []
    for index, block in enumerate(body):
        between_paragraphs = (0 < index < len(body) - 1 and is_paragraph(body[index - 1])
                              and body[index + 1].kind == "text")
        if caption_candidate(block) and (between_paragraphs or PHOTO_MARKER.search(block.text)):
            if index != 1 and not PHOTO_MARKER.search(block.text):
                notes.append(f'dòng {block.line}: "{block.text}" được coi là chú thích ảnh; '
                             "nếu là tiêu đề mục, sửa thành `## ...`.")
            result.append(Block("figure", block.text, block.line))
        else:
            result.append(block)
    return result


def is_caption_after_photo(block):
    """What follows a photo and names it: a caption element, an italic line, or a short "(Ảnh: …)" line."""
    return (block.kind in ("caption", "italic")
            or (block.kind == "text" and PHOTO_MARKER.search(block.text)
                and len(block.text.split()) <= CAPTION_MAX_WORDS))


def figures_from_html(body, notes):
    """HTML form: an image, with the caption that follows it if any, else its alt text."""
    result, index = [], 0
    while index < len(body):
        block = body[index]
        if block.kind == "image":
            caption = ""
            if index + 1 < len(body) and is_caption_after_photo(body[index + 1]):
                caption = body[index + 1].text
                index += 1
            caption = caption or block.text
            if not caption:
                notes.append(f"dòng {block.line}: ảnh {block.source} không có chú thích; cần viết mô tả ảnh.")
            result.append(Block("figure", caption, block.line, block.source))
        elif block.kind == "caption":
            result.append(Block("figure", block.text, block.line))
        else:
            result.append(block)
        index += 1
    return result


def headings_and_bold(body):
    """A bold-only line: a short one without a full stop is a section heading, a longer one a bold paragraph."""
    for block in body:
        if block.kind == "bold":
            short = len(block.text.split()) <= HEADING_MAX_WORDS and not re.search(r"[.!?;…]$", block.text)
            block.kind = "heading" if short else "bold"
    return body


def convert_legacy(blocks, family="", whole=False):
    """Convert blocks typed in an old font. `whole`: the page's bytes were all legacy, so every
    block is in `family`; otherwise the family is found from the page's words and only the
    blocks that show it are converted (a TCVN3 body inside a Unicode page)."""
    if not whole:
        found = legacy_fonts.detect("\n".join(block.text for block in blocks))
        family = found.family if found else ""
    converted = 0
    if not family:
        return family, converted
    for block in blocks:
        if not whole:
            words_for, against = legacy_fonts.line_evidence(block.text, family)
            if not words_for or against > words_for:
                continue
        text = legacy_fonts.convert(block.text, family, capitals=block.capitals)
        if text != block.text:
            block.text = text
            converted += 1
    return family, converted


def read_legacy_page(text, legacy_family="", whole_legacy=False):
    if looks_like_html(text):
        blocks, links = html_blocks(text)
        html = True
    else:
        blocks, links, html = text_blocks(text), 0, False
    article = LegacyArticle()
    article.legacy_family, article.converted_blocks = convert_legacy(blocks, legacy_family, whole_legacy)

    end = next((i for i, b in enumerate(blocks) if END_OF_ARTICLE.match(b.text)), len(blocks))
    blocks = [b for b in blocks[:end] if not FURNITURE.match(b.text)]

    dated = [i for i, b in enumerate(blocks) if b.kind != "image" and META.search(b.text)]
    if len(dated) >= LIST_PAGE_DATES:
        article.problems.append(f'trang có {len(dated)} dòng "Đăng ngày": đây là trang danh sách tin, không phải bài viết.')
        article.not_an_article = f'trang danh sách tin ({len(dated)} dòng "Đăng ngày")'
        return article
    meta_index = dated[0] if dated else None
    if meta_index is None:
        article.problems.append('không thấy ngày đăng (dòng "Đăng ngày: dd/mm/yyyy"). Cách sửa: nếu đây là trang '
                                'bài viết, lưu lại trang đầy đủ từ trang cũ (hoặc thêm dòng đó dưới tiêu đề) rồi chạy lại.')
        titles = [b for b in blocks if b.kind == "title"]
        article.title = titles[0].text if titles else ""
        if not article.title:
            article.problems.append("không thấy tiêu đề bài. Cách sửa: lưu lại trang đầy đủ từ trang cũ rồi chạy lại.")
        article.not_an_article = (f"trang danh sách hoặc menu ({links} liên kết, không có dòng \"Đăng ngày\")"
                                  if links >= LINKS_OF_A_LIST_PAGE else 'không có dòng "Đăng ngày"')
        return article

    meta = META.search(blocks[meta_index].text)
    day, month, year = meta["date"].split("/")
    article.date = iso(year, month, day) or ""
    if not article.date:
        article.problems.append(f'ngày đăng "{meta["date"]}" không có thật. Cách sửa: sửa ngày (ngày/tháng/năm) '
                                "trong tệp đã lưu rồi chạy lại.")
    article.category = clean(meta["category"] or "")

    # The nearest line above the date, not the first <h1>: old pages often put the site's name in <h1>.
    before = [b for b in blocks[:meta_index] if b.kind in ("title", "text", "heading", "bold", "italic")]
    title = before[-1] if before else None
    if title is None:
        article.problems.append("không thấy tiêu đề bài (dòng ngay trên dòng ngày đăng). Cách sửa: thêm tiêu đề "
                                "ngay trên dòng \"Đăng ngày\" trong tệp đã lưu rồi chạy lại.")
    else:
        article.title = title.text

    body = blocks[meta_index + 1:]
    signature = max((i for i, b in enumerate(body) if is_signature(b)), default=None)
    if signature is None:
        article.notes.append("không thấy tên tác giả (dòng chữ in hoa cuối bài): bài không có dòng Author.")
    else:
        article.author = SIGNATURE_PREFIX.sub("", body[signature].text)
        for leftover in body[signature + 1:]:
            article.notes.append(f'dòng {leftover.line}: bỏ qua "{leftover.text}" (sau tên tác giả).')
        body = body[:signature]
    body = headings_and_bold(body)
    article.body = figures_from_html(body, article.notes) if html else figures_from_text(body, article.notes)
    if not any(b.kind in ("text", "bold", "item") for b in article.body):
        article.problems.append("không thấy đoạn văn nào của thân bài. Cách sửa: lưu lại trang đầy đủ "
                                '(trình duyệt: "Lưu trang thành…", dạng "Trang web, hoàn chỉnh") rồi chạy lại.')
    return article

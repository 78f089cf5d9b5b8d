"""Read a page saved from the Front's old site (as text or HTML) into the parts of an article.

The old CMS prints: back link, title, "Category | Đăng ngày: dd/mm/yyyy",
body paragraphs with photo captions between them, the author's name in
capitals, then the sidebar ("CÁC TIN CÙNG CHUYÊN MỤC", the visit counter).
Both forms become one list of blocks, read by the same rules.
"""

from dataclasses import dataclass, field
import re

from bs4 import BeautifulSoup, Comment, NavigableString

from site_core.dates import iso

META = re.compile(r"^(?:(?P<category>[^|]+?)\s*\|\s*)?Đăng ngày\s*:?\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
END_OF_ARTICLE = re.compile(r"^(CÁC TIN (CÙNG CHUYÊN MỤC|KHÁC|LIÊN QUAN)|TIN LIÊN QUAN|TIN KHÁC)\b", re.IGNORECASE)
FURNITURE = re.compile(r"^(<<|«)?\s*Quay lại\s*$|^LƯỢT TRUY CẬP|^Đang online|^Tổng truy cập|^Lượt xem|^Số lượt xem"
                       r"|^In bài( viết)?$|^Gửi (email|bài)$|^Chia sẻ$|^Về đầu trang$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?;:…][\"'”’»)]*$")
PHOTO_MARKER = re.compile(r"\(\s*Ảnh\s*[:\s]|^Ảnh\s*:|^Ảnh minh họa", re.IGNORECASE)
SIGNATURE_PREFIX = re.compile(r"^(?:Tin|Bài|Ảnh|Tin và ảnh|Tin, ảnh|Bài, ảnh|Bài và ảnh)\s*:\s*", re.IGNORECASE)
CAPTION_MAX_WORDS = 25

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


@dataclass
class Block:
    kind: str   # "text", "title", "caption" or "image"
    text: str
    line: int = 0
    source: str = ""  # images: the old address


@dataclass
class LegacyArticle:
    title: str = ""
    category: str = ""
    date: str = ""          # ISO
    author: str = ""        # as printed (capitals)
    body: list = field(default_factory=list)    # Block("text"|"figure")
    problems: list = field(default_factory=list)  # nothing can be written while any is here
    notes: list = field(default_factory=list)     # what an editor should look at


def clean(text):
    return " ".join(text.split())


def text_blocks(text):
    return [Block("text", clean(line), number) for number, line in enumerate(text.splitlines(), start=1)
            if clean(line)]


def furniture_element(tag):
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])]).lower()
    tokens = set(re.split(r"[\s_]+", names)) | set(re.split(r"[\s_-]+", names))
    return bool(tokens & FURNITURE_NAMES)


def html_blocks(html):
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not tag.decomposed and tag.name not in ("html", "body") and furniture_element(tag):
            tag.decompose()
    blocks, pending = [], []

    def flush(line):
        text = clean("".join(pending))
        pending.clear()
        if text:
            blocks.append(Block("text", text, line))

    def walk(node):
        for child in node.children:
            if isinstance(child, NavigableString):
                pending.append(str(child))
                continue
            line = child.sourceline or 0
            if child.name == "br":
                flush(line)
            elif child.name == "img":
                flush(line)
                blocks.append(Block("image", clean(child.get("alt") or ""), line, child.get("src") or ""))
            elif child.name in ("figcaption", "caption") or CAPTION_NAMES.search(" ".join(child.get("class") or [])):
                flush(line)
                blocks.append(Block("caption", clean(child.get_text(" ")), line))
            elif child.name == "h1":
                flush(line)
                blocks.append(Block("title", clean(child.get_text(" ")), line))
            elif child.name in BLOCK_TAGS:
                flush(line)
                walk(child)
                flush(line)
            else:
                walk(child)

    walk(soup)
    flush(0)
    return blocks


def looks_like_html(text):
    return bool(re.search(r"<(html|body|div|p|table)\b", text[:5000], re.IGNORECASE))


def is_paragraph(block):
    return block.kind == "text" and bool(SENTENCE_END.search(block.text))


def is_signature(block):
    name = SIGNATURE_PREFIX.sub("", block.text)
    letters = [c for c in name if c.isalpha()]
    return (block.kind == "text" and letters and name == name.upper()
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


def figures_from_html(body, notes):
    """HTML form: an image, with its caption element if any, else its alt text."""
    result, index = [], 0
    while index < len(body):
        block = body[index]
        if block.kind == "image":
            caption = ""
            if index + 1 < len(body) and body[index + 1].kind == "caption":
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


def read_legacy_page(text):
    blocks = html_blocks(text) if looks_like_html(text) else text_blocks(text)
    article = LegacyArticle()

    end = next((i for i, b in enumerate(blocks) if END_OF_ARTICLE.match(b.text)), len(blocks))
    blocks = [b for b in blocks[:end] if not FURNITURE.match(b.text)]

    meta_index = next((i for i, b in enumerate(blocks) if b.kind == "text" and META.search(b.text)), None)
    if meta_index is None:
        article.problems.append('không thấy ngày đăng (dòng "Đăng ngày: dd/mm/yyyy").')
        titles = [b for b in blocks if b.kind == "title"]
        article.title = titles[0].text if titles else ""
        if not article.title:
            article.problems.append("không thấy tiêu đề bài.")
        return article

    meta = META.search(blocks[meta_index].text)
    day, month, year = meta["date"].split("/")
    article.date = iso(year, month, day) or ""
    if not article.date:
        article.problems.append(f'ngày đăng "{meta["date"]}" không có thật.')
    article.category = clean(meta["category"] or "")

    # The nearest line above the date, not the first <h1>: old pages often put the site's name in <h1>.
    before = [b for b in blocks[:meta_index] if b.kind in ("title", "text")]
    title = before[-1] if before else None
    if title is None:
        article.problems.append("không thấy tiêu đề bài (dòng ngay trên dòng ngày đăng).")
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
    has_images = any(b.kind in ("image", "caption") for b in body)
    article.body = figures_from_html(body, article.notes) if has_images else figures_from_text(body, article.notes)
    if not any(b.kind == "text" for b in article.body):
        article.problems.append("không thấy đoạn văn nào của thân bài.")
    return article

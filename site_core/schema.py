"""The keys editors write at the top of each kind of file: the one list of them.

Each kind of content (article, page, agency profile) has its keys here, with
whether they are required and what they mean, in the editors' words. The check,
the reader, `invoke new`, the legacy importer and the CMS all read these lists.
"""

from dataclasses import dataclass
import difflib

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify


@dataclass(frozen=True)
class Key:
    name: str
    required: bool
    description: str


ARTICLE_KEYS = (
    Key("Title", True, "Tiêu đề bài, viết có dấu."),
    Key("Date", True, "Ngày đăng, năm-tháng-ngày: 2023-04-06, hoặc có giờ: 2023-04-06 08:30 (giờ Việt Nam)."),
    Key("Category", True, "Đúng một tên trong content/categories.toml, viết y hệt (kể cả chữ hoa)."),
    Key("Author", False, "Tên tác giả viết thường có dấu."),
    Key("Summary", False, "Tóm tắt hiện ở danh sách tin; bỏ trống thì lấy khoảng 45 chữ đầu."),
    Key("Status", False, "published (mặc định), draft (bản nháp) hoặc hidden (không hiện trong danh sách)."),
    Key("Slug", False, "Đường dẫn khác tên tệp, chữ thường không dấu."),
    Key("Modified", False, "Ngày sửa bài, năm-tháng-ngày."),
    Key("Agencies", False, "Tên tệp hồ sơ các cơ quan được nêu trong bài, cách nhau bằng dấu phẩy."),
    Key("Redirect_from", False, "Đường dẫn cũ của bài, cách nhau bằng dấu phẩy."),
    Key("Featured", False, "yes: bài đứng đầu trang chủ, với ảnh đầu tiên của bài."),
)
PAGE_KEYS = (
    Key("Title", True, "Tiêu đề trang."),
    Key("Slug", False, "Đường dẫn khác tên tệp, chữ thường không dấu."),
    Key("Status", False, "published (mặc định), draft hoặc hidden."),
    Key("Summary", False, "Tóm tắt của trang."),
    Key("Template", False, "Mẫu trang khác mẫu mặc định."),
    Key("Save_as", False, "Tên tệp trang được ghi ra."),
    Key("Date", False, "Ngày, năm-tháng-ngày."),
    Key("Modified", False, "Ngày sửa, năm-tháng-ngày."),
    Key("Redirect_from", False, "Đường dẫn cũ của trang, cách nhau bằng dấu phẩy."),
)
AGENCY_KEYS = (
    Key("Title", True, "Tên đầy đủ của cơ quan."),
    Key("Short_name", False, "Tên viết tắt."),
    Key("Kind", True, "Loại cơ quan, một trong AGENCY_KINDS."),
    Key("Status", False, "active (đang hoạt động), merged (đã hợp nhất) hoặc dissolved (đã giải thể)."),
    Key("Valid_from", False, "Ngày bắt đầu hoạt động, năm-tháng-ngày."),
    Key("Valid_until", False, "Ngày hợp nhất hoặc giải thể, năm-tháng-ngày."),
    Key("Successor", False, "Tên tệp hồ sơ cơ quan kế thừa."),
    Key("Former_names", False, "Các tên cũ, cách nhau bằng dấu chấm phẩy."),
    Key("Website", False, "Địa chỉ website đầy đủ."),
    Key("Logo", False, "Đường dẫn ảnh logo tính từ thư mục content."),
    Key("Address", False, "Địa chỉ."),
    Key("Phone", False, "Số điện thoại."),
    Key("Email", False, "Địa chỉ thư điện tử."),
)
KEYS_BY_KIND = {"article": ARTICLE_KEYS, "page": PAGE_KEYS, "agency": AGENCY_KEYS}
KIND_NAMES = {"article": "bài viết", "page": "trang", "agency": "hồ sơ cơ quan"}
STATUSES = ("published", "draft", "hidden")
FEATURED = ("yes", "no")
# The line `invoke new` puts in the body; the check refuses it in a published article.
BODY_PLACEHOLDER = "Viết nội dung bài ở đây."


def names(keys):
    return tuple(key.name for key in keys)


def required_names(keys):
    return tuple(key.name for key in keys if key.required)


EVERY_KEY_NAME = tuple(dict.fromkeys(name for keys in KEYS_BY_KIND.values() for name in names(keys)))

# What editors type in Vietnamese instead of the key (compared by slug, so any
# accents or capitals match).
VIETNAMESE_KEY_NAMES = {
    "tieu-de": "Title", "ten-bai": "Title",
    "ngay": "Date", "ngay-dang": "Date", "thoi-gian": "Date",
    "chuyen-muc": "Category", "danh-muc": "Category",
    "tac-gia": "Author", "nguoi-viet": "Author", "but-danh": "Author",
    "tom-tat": "Summary", "sapo": "Summary", "trich-dan": "Summary",
    "trang-thai": "Status", "tinh-trang": "Status",
    "duong-dan": "Slug", "ten-tep": "Slug",
    "ngay-sua": "Modified", "cap-nhat": "Modified", "ngay-cap-nhat": "Modified",
    "co-quan": "Agencies", "don-vi": "Agencies",
    "noi-bat": "Featured", "tin-noi-bat": "Featured",
}


def slug_of(text):
    """ASCII slug the way Pelican makes it: đ becomes d, "Hoạt động" becomes hoat-dong."""
    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def known_key(key, known_names):
    return next((name for name in known_names if name.lower() == key.lower()), None)


def suggested_key(key, known_names):
    """The known key an editor most likely meant, or None."""
    spaced = key.replace("_", " ")
    meant = VIETNAMESE_KEY_NAMES.get(slug_of(spaced))
    if meant in known_names:
        return meant
    folded = slug_of(spaced).replace("-", "_")
    lowered = {name.lower(): name for name in known_names}
    close = difflib.get_close_matches(folded, lowered, n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def article_text(fields, body):
    """An article file: `Key: value` lines in the order of ARTICLE_KEYS, a blank line, the body."""
    order = names(ARTICLE_KEYS)
    unknown = set(fields) - set(order)
    if unknown:
        raise ValueError(f"unknown front-matter keys: {sorted(unknown)}")
    header = [f"{key}: {fields[key]}" for key in order if fields.get(key)]
    return "\n".join(header) + "\n\n" + body.strip("\n") + "\n"

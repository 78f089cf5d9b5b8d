"""Pillow work on one photo: read its header, then make its published versions.

Everything here is a pure function of the photo's bytes and the settings, so a
result can be cached on their digest. What is published never carries the
source's metadata: images are rebuilt from pixels with an empty `info`, and no
EXIF, XMP, ICC profile, comment or thumbnail is passed to the encoder.
"""

from dataclasses import dataclass
import io
import math
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ORIENTATION_TAG = 0x0112
# EXIF orientations that turn the picture a quarter: its width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
# ISO base media files (HEIC, HEIF) name their brand after "ftyp" at byte 4.
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
SRGB = ImageCms.createProfile("sRGB")


class PhotoRefused(Exception):
    """A photo that cannot be published; `message` and `fix` are for the editor."""

    def __init__(self, message, fix):
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Header:
    """What the header says, read without decoding the pixels."""
    width: int                # upright, after the EXIF orientation
    height: int
    orientation: int


def is_heif(data):
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


def read_header(data, max_pixels):
    """The upright size of the photo in `data`, or PhotoRefused."""
    if is_heif(data):
        raise PhotoRefused(
            "Ảnh dạng HEIC/HEIF (ảnh iPhone): trình duyệt của bạn đọc không hiển thị được, máy không chuyển được.",
            "xuất ảnh ra JPEG rồi chép tệp .jpg vào thư mục ảnh và sửa tên trong bài cho khớp. Trên iPhone: "
            "Cài đặt → Camera → Định dạng → Tương thích nhất; trên máy tính: mở ảnh, chọn Lưu thành (Save as) JPEG.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_large(width, height, max_pixels)
                orientation = exif_orientation(image)
    except Image.DecompressionBombError:
        raise too_large(0, 0, max_pixels) from None
    except UnidentifiedImageError:
        raise not_an_image() from None
    except (OSError, SyntaxError, ValueError):
        raise damaged() from None
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return Header(width, height, orientation)


def exif_orientation(image):
    try:
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block only loses the rotation hint; the pixels are still good
        return 1
    return orientation if orientation in range(1, 9) else 1


def too_large(width, height, max_pixels):
    size = f"{width}×{height} điểm ảnh, {width * height / 1e6:.0f} triệu điểm" if width else "quá lớn"
    return PhotoRefused(
        f"Ảnh quá lớn ({size}); giới hạn là {max_pixels / 1e6:.0f} triệu điểm ảnh, để máy dựng trang không cạn bộ nhớ.",
        "thu nhỏ ảnh (chiều rộng khoảng 4000 điểm ảnh là đủ) rồi chép lại; với điện thoại, chụp ở chế độ "
        "thường thay vì chế độ 100 hay 200 MP.")


def not_an_image():
    return PhotoRefused(
        "Tệp này không phải là ảnh, hoặc là loại ảnh máy không đọc được.",
        "mở tệp bằng chương trình xem ảnh và lưu lại dạng JPEG (.jpg), rồi chép đè lên tệp này.")


def damaged():
    return PhotoRefused(
        "Ảnh bị hỏng hoặc chưa chép hết (tệp bị cắt cụt), máy không đọc được hết các điểm ảnh.",
        "chép lại ảnh gốc từ điện thoại hoặc máy ảnh, mở thử xem ảnh hiện đủ, rồi chép đè lên tệp này.")


@dataclass(frozen=True)
class Rendition:
    """One published version: a width of the photo, the share picture or a cleaned copy."""
    name: str                 # part of the cache and output file names, e.g. "720" or "1200x630"
    kind: str                 # "width", "share" or "copy"
    width: int = 0
    height: int = 0
    extension: str = "webp"


def widths_for(header, widths):
    """The published widths: each configured width the photo is wider than, and the
    photo's own width when it is narrower than the largest. Never enlarged."""
    chosen = [width for width in sorted(widths) if width < header.width]
    chosen.append(min(header.width, max(widths)))
    return [Rendition(str(width), "width", width, max(1, round(width * header.height / header.width)))
            for width in sorted(set(chosen))]


def decode(data, header, largest_width):
    """The upright pixels, decoded at no more than needed for `largest_width`, in sRGB."""
    # Runs in threads: no warnings filter here (it is process-wide). The header was checked
    # against PHOTOS_MAX_PIXELS, below Pillow's own warning threshold.
    try:
        image = Image.open(io.BytesIO(data))
        if image.format == "JPEG":
            # JPEG decodes at 1/2, 1/4 or 1/8 scale for free: a 12 MP photo never fills memory.
            scale = largest_width / header.width
            image.draft(image.mode, (math.ceil(image.size[0] * scale), math.ceil(image.size[1] * scale)))
        image.load()
    except Image.DecompressionBombError:  # only with PHOTOS_MAX_PIXELS above Pillow's own limit
        raise too_large(header.width, header.height, 2 * Image.MAX_IMAGE_PIXELS) from None
    except (OSError, SyntaxError, ValueError):
        raise damaged() from None
    icc = image.info.get("icc_profile")
    if header.orientation != 1:
        image = ImageOps.exif_transpose(image)
    return in_srgb(image, icc)


def in_srgb(image, icc):
    """8-bit RGB or RGBA pixels in sRGB, with nothing of the source's `info` kept."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit grey: keep the top 8 bits (a plain convert would clip everything above 255 to white).
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "P" and "transparency" in image.info or image.mode in ("PA", "LA", "La", "RGBa"):
        image = image.convert("RGBA")
    has_alpha = image.mode == "RGBA"
    target = "RGBA" if has_alpha else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the plain conversion below treats the pixels as sRGB
    if image.mode != target:
        image = image.convert(target)
    if has_alpha and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # fully opaque: the alpha channel would only cost bytes
    image.info = {}
    return image


def resized(image, width, height):
    if image.size == (width, height):
        return image.copy()
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def webp(image, quality, method):
    output = io.BytesIO()
    image.info = {}
    image.save(output, "WEBP", quality=quality, method=method)
    return output.getvalue()


def share_picture(image, width, height, max_bytes):
    """The photo cropped to the centre at width×height, as a JPEG under `max_bytes`."""
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    cropped = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    cropped.info = {}
    for quality in (82, 74, 66, 58, 50, 40, 30):
        output = io.BytesIO()
        cropped.save(output, "JPEG", quality=quality, optimize=True, progressive=True)
        if len(output.getvalue()) < max_bytes:
            break
    return output.getvalue()


def cleaned_copy(image, extension):
    """The same picture in the same format, without its metadata (logos and other images)."""
    output = io.BytesIO()
    image.info = {}
    if extension in ("jpg", "jpeg"):
        if image.mode == "RGBA":
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=90, optimize=True, progressive=True)
    elif extension == "webp":
        image.save(output, "WEBP", quality=90, method=4)
    else:
        image.save(output, "PNG", optimize=True)
    return output.getvalue()


def render(data, header, renditions, settings):
    """{rendition name: bytes} for the photo in `data`; PhotoRefused when it cannot be decoded."""
    largest = max((rendition.width for rendition in renditions if rendition.kind == "width"), default=0)
    share = [rendition for rendition in renditions if rendition.kind == "share"]
    if share:
        # The share picture is cropped to the centre: it may need more width than the widest version.
        scale = max(rendition.width / header.width for rendition in share) * max(
            1.0, (header.width / header.height) / (share[0].width / share[0].height))
        largest = max(largest, math.ceil(header.width * min(scale, 1.0)))
    if any(rendition.kind == "copy" for rendition in renditions):
        largest = header.width
    image = decode(data, header, largest or header.width)
    produced = {}
    # Widest first, each width resized from the one above it: a third less work than from the full picture.
    source = image
    for rendition in sorted((r for r in renditions if r.kind == "width"), key=lambda r: -r.width):
        source = resized(source, rendition.width, rendition.height)
        produced[rendition.name] = webp(source.copy(), settings["PHOTOS_WEBP_QUALITY"], settings["PHOTOS_WEBP_METHOD"])
    for rendition in renditions:
        if rendition.kind == "width":
            continue
        if rendition.kind == "share":
            produced[rendition.name] = share_picture(image, rendition.width, rendition.height,
                                                     settings["PHOTOS_SHARE_MAX_BYTES"])
        else:
            produced[rendition.name] = cleaned_copy(image.copy(), rendition.extension)
    return produced

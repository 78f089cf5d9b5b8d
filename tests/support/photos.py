"""Photos made for tests: phone-like pictures carrying the metadata a phone writes.

Every picture comes from a seeded generator, so a test sees the same bytes on
every run. `phone_photo` writes the EXIF a phone writes by hand (IFD0 with the
make, model and orientation, an Exif IFD with the serial number and a maker note,
a GPS IFD with the position, and IFD1 with an embedded JPEG thumbnail): Pillow
can read such a block but does not write an IFD1.
"""

import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw

from bench.photo_corpus import textured

SERIAL = "SN-PHUYEN-0001"
CAMERA_MAKE = "PhoneMaker"
MAKER_NOTE = b"MAKERNOTE-SECRET-" + bytes(range(16))
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:xmp="' + XMP_NAMESPACE + b'" xmp:CreatorTool="' + SERIAL.encode()
       + b'"/></rdf:RDF></x:xmpmeta>')
# Tuy Hòa, Phú Yên: 13°05'N 109°18'E, as an EXIF GPS block writes it.
LATITUDE = ((13, 1), (5, 1), (2400, 100))
LONGITUDE = ((109, 1), (18, 1), (3600, 100))
ICC_DEVICE = b"DEVC"

ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 2, 3, 4, 5, 7


def _entry(tag, kind, count, payload):
    return tag, kind, count, payload


def _ascii(tag, text):
    data = text.encode() + b"\0"
    return _entry(tag, ASCII, len(data), data)


def _rationals(tag, values):
    return _entry(tag, RATIONAL, len(values), b"".join(struct.pack("<II", *value) for value in values))


def _long(tag, value):
    return _entry(tag, LONG, 1, struct.pack("<I", value))


def _ifd_size(entries):
    return 2 + 12 * len(entries) + 4 + sum(len(p) + len(p) % 2 for *_, p in entries if len(p) > 4)


def _ifd(entries, start, next_offset):
    data_offset, head, data = start + 2 + 12 * len(entries) + 4, struct.pack("<H", len(entries)), b""
    for tag, kind, count, payload in sorted(entries):
        if len(payload) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + payload.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_offset + len(data))
            data += payload + b"\0" * (len(payload) % 2)
    return head + struct.pack("<I", next_offset) + data


def phone_exif(orientation=1, thumbnail=b""):
    """An EXIF block as a phone writes it: position, device, serial number, maker note, thumbnail."""
    exif_ifd = [_ascii(0xA431, SERIAL), _entry(0x927C, UNDEFINED, len(MAKER_NOTE), MAKER_NOTE),
                _ascii(0x9003, "2023:04:06 08:30:00")]
    gps_ifd = [_ascii(1, "N"), _rationals(2, LATITUDE), _ascii(3, "E"), _rationals(4, LONGITUDE)]
    ifd0 = [_ascii(0x010F, CAMERA_MAKE), _ascii(0x0110, "Model X"),
            _entry(0x0112, SHORT, 1, struct.pack("<H", orientation)), _long(0x8769, 0), _long(0x8825, 0)]
    ifd1 = [_long(0x0201, 0), _long(0x0202, len(thumbnail))]
    ifd0_at = 8
    exif_at = ifd0_at + _ifd_size(ifd0)
    gps_at = exif_at + _ifd_size(exif_ifd)
    ifd1_at = gps_at + _ifd_size(gps_ifd)
    thumbnail_at = ifd1_at + _ifd_size(ifd1)
    ifd0 = [e for e in ifd0 if e[0] not in (0x8769, 0x8825)] + [_long(0x8769, exif_at), _long(0x8825, gps_at)]
    ifd1 = [_long(0x0201, thumbnail_at), _long(0x0202, len(thumbnail))]
    tiff = (b"II*\0" + struct.pack("<I", ifd0_at) + _ifd(ifd0, ifd0_at, ifd1_at if thumbnail else 0)
            + _ifd(exif_ifd, exif_at, 0) + _ifd(gps_ifd, gps_at, 0))
    if thumbnail:
        tiff += _ifd(ifd1, ifd1_at, 0) + thumbnail
    return b"Exif\0\0" + tiff


def device_icc():
    """An sRGB ICC profile whose header names a device maker and model, as phone profiles do."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[48:52], data[52:56] = ICC_DEVICE, b"MDL1"
    return bytes(data)


def phone_photo(width=1600, height=1200, orientation=1, seed=1, quality=90, image=None):
    """A JPEG with GPS, device, serial number, maker note, XMP, a device ICC profile and a thumbnail."""
    image = image or textured(width, height, seed)
    thumbnail = io.BytesIO()
    image.resize((160, 120)).save(thumbnail, "JPEG", quality=70)
    output = io.BytesIO()
    image.save(output, "JPEG", quality=quality, exif=phone_exif(orientation, thumbnail.getvalue()),
               xmp=XMP, icc_profile=device_icc(), comment=SERIAL.encode())
    return output.getvalue()


def marked_photo(orientation, width=1600, height=1200):
    """A phone photo whose stored top rows are red and the rest grey, so a test can tell which way is up."""
    image = Image.new("RGB", (width, height), (128, 128, 128))
    ImageDraw.Draw(image).rectangle((0, 0, width, height // 10), fill=(220, 0, 0))
    return phone_photo(image=image, orientation=orientation)


def cmyk_photo(width=900, height=600):
    """A CMYK JPEG (as print shops and some scanners export): pure red on the left half."""
    image = Image.new("CMYK", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, width // 2, height), fill=(0, 255, 255, 0))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90)
    return output.getvalue()


def sixteen_bit_grey_png(width=800, height=600):
    """A 16-bit grey PNG with the middle value (32768) everywhere but a black band at the top."""
    rows = [b"\0\0" * width if y < height // 10 else struct.pack(">H", 32768) * width for y in range(height)]
    return png_bytes(width, height, bit_depth=16, colour_type=0, rows=rows)


def palette_png_with_transparency(width=700, height=500):
    image = Image.new("P", (width, height), 0)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    ImageDraw.Draw(image).ellipse((100, 100, 600, 400), fill=1)
    output = io.BytesIO()
    image.save(output, "PNG", transparency=0)
    return output.getvalue()


def png_bytes(width, height, bit_depth, colour_type, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(b"\0" + row) for row in rows) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def decompression_bomb_png(width=11_000, height=9_200):
    """About 100 megapixels of black that compress to a small file: a decompression bomb."""
    row = b"\0" * width
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(b"\0" + row) for _ in range(height)) + compressor.flush()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def truncated_jpeg():
    whole = phone_photo(1200, 900, seed=3)
    return whole[: len(whole) * 3 // 5]


def iphone_heic():
    """The start of an iPhone HEIC file: an ISO media "ftyp" box of brand heic, then HEVC data."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0" + b"mif1heic" + bytes(range(256)) * 8


NOT_AN_IMAGE = b"%PDF-1.4\n% a document saved with a .jpg name\n1 0 obj << >> endobj\n%%EOF\n"

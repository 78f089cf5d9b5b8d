"""Dates as editors must write them (ISO), and what they probably meant otherwise.

Pelican hands any date to dateutil, which reads 06/04/2023 month first
(4 June). We never guess silently: anything but ISO is an error whose fix names
the ISO date, day first as Vietnamese write it.
"""

from dataclasses import dataclass
from datetime import datetime
import re

ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M")
ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
TIME = r"(?:[ ,T]+(?P<hour>\d{1,2})[:hg](?P<minute>\d{2})?)?"
DAY_FIRST = re.compile(rf"^(?:ngày\s*)?(?P<a>\d{{1,2}})[/.\- ](?:tháng\s*)?(?P<b>\d{{1,2}})[/.\- ](?:năm\s*)?(?P<year>\d{{4}}){TIME}$",
                       re.IGNORECASE)
YEAR_FIRST = re.compile(rf"^(?P<year>\d{{4}})[/.\- ](?P<a>\d{{1,2}})[/.\- ](?P<b>\d{{1,2}}){TIME}$")


@dataclass
class DateReading:
    value: datetime = None   # set when the text is valid ISO
    message: str = ""        # what is wrong, when it is not
    fix: str = ""


def iso(year, month, day, hour=None, minute=None):
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%d %H:%M" if hour is not None else "%Y-%m-%d")


def read_date(text, key="Date"):
    text = " ".join(text.split())
    if ISO_SHAPE.match(text):
        for form in ISO_FORMATS:
            try:
                return DateReading(datetime.strptime(text, form))
            except ValueError:
                continue
        return DateReading(message=f'{key} "{text}" là ngày {"giờ " if " " in text else ""}không có thật.',
                           fix="kiểm tra lại tháng (01–12), ngày trong tháng và giờ (00:00–23:59).")

    rule = f"ghi theo dạng năm-tháng-ngày, ví dụ {key}: 2023-04-06 hoặc {key}: 2023-04-06 08:30."
    year_first = YEAR_FIRST.match(text)
    if year_first:
        written = iso(year_first["year"], year_first["a"], year_first["b"], year_first["hour"], year_first["minute"])
        if written:
            return DateReading(message=f'{key} "{text}" chưa đúng dạng năm-tháng-ngày.',
                               fix=f"ghi {key}: {written}.")
        return DateReading(message=f'{key} "{text}" là ngày không có thật.', fix=rule)

    day_first = DAY_FIRST.match(text)
    if not day_first:
        return DateReading(message=f'Không đọc được ngày ở {key}: "{text}".', fix=rule)
    a, b, year = int(day_first["a"]), int(day_first["b"]), day_first["year"]
    hour, minute = day_first["hour"], day_first["minute"]
    as_day_month = iso(year, b, a, hour, minute)
    as_month_day = iso(year, a, b, hour, minute)
    message = f'{key} "{text}" không viết theo dạng năm-tháng-ngày; máy không đoán ngày và tháng.'
    spelt_out = "tháng" in text.lower()
    if as_day_month and as_month_day and as_day_month != as_month_day and not spelt_out:
        return DateReading(message=message, fix=(
            f"nếu là ngày {a} tháng {b} (cách viết ngày trước của Việt Nam), ghi {key}: {as_day_month}; "
            f"nếu là ngày {b} tháng {a}, ghi {key}: {as_month_day}."))
    if as_day_month:
        return DateReading(message=message, fix=f"ghi {key}: {as_day_month} (ngày {a} tháng {b} năm {year}).")
    if as_month_day:
        return DateReading(message=message, fix=(
            f"có vẻ tháng được viết trước ngày (không có tháng {b}); ghi {key}: {as_month_day} "
            f"(ngày {b} tháng {a} năm {year})."))
    return DateReading(message=f'{key} "{text}" là ngày không có thật.', fix=rule)

"""What photos cost a build, cold and warm, and what each published width weighs.

Builds the same small site three ways, side by side and alternately: without
photos (the baseline), with N phone-like 12-megapixel photos and an empty
cache (cold), and again with the cache filled (warm). The cost per photo is the
difference from the baseline divided by N. The pipeline alone (decode, turn,
resize, encode; then a cache hit) is also timed in this process.

    .venv/bin/python bench/photos.py [--photos 4] [--repeat 2]
"""

from pathlib import Path
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SITE_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from pelican.settings import read_settings  # noqa: E402
from PIL import Image  # noqa: E402

from bench.photo_corpus import phone_jpeg  # noqa: E402
from photos.images import read_header, render, widths_for  # noqa: E402
from photos.photo_cache import PhotoCache, photo_digest, pipeline_fingerprint  # noqa: E402
from photos.photos import DEFAULTS, Rendition  # noqa: E402

ARTICLE = """Title: Bài có ảnh số {number}
Date: 2024-03-{day:02d}
Category: Hoạt động của Ngành

Hội nghị số {number} của Ủy ban MTTQ Việt Nam tỉnh.
{photo}
"""
PHOTO = "\n![Quang cảnh hội nghị số {number}]({{static}}/images/2024/03/hoi-nghi-{number}.jpg)\n\n/// caption\nQuang cảnh\n///\n"


def write_site(folder, photos, count):
    content = folder / "content"
    articles = content / "articles" / "hoat-dong-cua-nganh"
    articles.mkdir(parents=True)
    shutil.copy(SITE_ROOT / "content" / "categories.toml", content)
    for number, data in enumerate(photos, start=1):
        photo = PHOTO.format(number=number) if count else ""
        (articles / f"bai-{number}.md").write_text(ARTICLE.format(number=number, day=number, photo=photo),
                                                   encoding="utf-8")
        if count:
            (content / "images" / "2024" / "03").mkdir(parents=True, exist_ok=True)
            (content / "images" / "2024" / "03" / f"hoi-nghi-{number}.jpg").write_bytes(data)
    (folder / "settings.py").write_text(
        f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(folder / 'output')!r}\n"
        f"CACHE_PATH = {str(folder / 'cache')!r}\nSEARCH_INDEX = False\n", encoding="utf-8")
    return folder


def timed_build(folder):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pelican", str(folder / "content"), "-s", str(folder / "settings.py"),
                    "-q", "--fatal", "warnings"], check=True, cwd=folder, capture_output=True)
    return time.perf_counter() - started


def build_costs(photos, repeat):
    baseline, cold, warm = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as base_dir, tempfile.TemporaryDirectory() as photo_dir:
            plain = write_site(Path(base_dir), photos, count=False)
            with_photos = write_site(Path(photo_dir), photos, count=True)
            baseline.append(timed_build(plain))
            cold.append(timed_build(with_photos))
            warm.append(timed_build(with_photos))
    return statistics.median(baseline), statistics.median(cold), statistics.median(warm)


def pipeline_costs(data):
    settings = {**DEFAULTS}
    header = read_header(data, settings["PHOTOS_MAX_PIXELS"])
    renditions = [*widths_for(header, settings["PHOTOS_WIDTHS"]),
                  Rendition("1200x630", "share", 1200, 630, extension="jpg")]
    started = time.perf_counter()
    produced = render(data, header, renditions, settings)
    cold = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        cache = PhotoCache(folder)
        fingerprint = pipeline_fingerprint(settings)
        digest = photo_digest(data, fingerprint)
        cache.store(digest, renditions, produced)
        started = time.perf_counter()
        read_header(data, settings["PHOTOS_MAX_PIXELS"])
        assert cache.load(photo_digest(data, fingerprint), renditions) is not None
        warm = time.perf_counter() - started
    return header, renditions, produced, cold, warm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    read_settings(str(SITE_ROOT / "pelicanconf.py"))  # the site's plugins import as in a build
    photos = [phone_jpeg(seed=seed) for seed in range(1, options.photos + 1)]
    print(f"{options.photos} photos of 4000×3000 (12 MP), {statistics.mean(map(len, photos)) / 1e6:.1f} MB each on average")

    header, renditions, produced, cold, warm = pipeline_costs(photos[0])
    print("\nPublished versions of the first photo:")
    for rendition in renditions:
        with Image.open(__import__("io").BytesIO(produced[rendition.name])) as image:
            print(f"  {rendition.name:>9}  {image.format:4}  {image.size[0]}×{image.size[1]}  "
                  f"{len(produced[rendition.name]) / 1000:7.1f} kB")
    print(f"\nPipeline alone, in this process: cold {cold:.2f} s per photo, warm (cache hit) {warm * 1000:.1f} ms")

    baseline, cold_build, warm_build = build_costs(photos, options.repeat)
    print(f"\nWhole builds (pelican command, median of {options.repeat}):")
    print(f"  without photos {baseline:.2f} s; with {options.photos} photos cold {cold_build:.2f} s, warm {warm_build:.2f} s")
    print(f"  cold cost per photo {(cold_build - baseline) / options.photos:.2f} s; "
          f"warm cost per photo {(warm_build - baseline) / options.photos:.3f} s "
          f"(warm/cold {(warm_build - baseline) / max(cold_build - baseline, 1e-9):.2f})")


if __name__ == "__main__":
    main()

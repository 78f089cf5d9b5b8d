"""Phone-like photos for benchmarks and gates: the same seed always gives the same pixels.

A flat or smooth picture compresses far better than a photo and would flatter
every figure; these are fractal noise over shapes with a fine grain, which at
4000×3000 save as a 3–4 MB JPEG, like a phone photo.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def textured(width, height, seed=1):
    """Fractal noise over shapes, slightly blurred, with a fine grain."""
    rng = random.Random(seed)
    image = None
    total = 0.0
    for scale, weight in ((64, 0.45), (16, 0.3), (4, 0.15), (1, 0.10)):
        w, h = max(1, width // scale), max(1, height // scale)
        layer = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3)).resize((width, height), Image.Resampling.BICUBIC)
        total += weight
        image = layer if image is None else Image.blend(image, layer, weight / total)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(max(1, width // 40), max(2, width // 6))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image.filter(ImageFilter.GaussianBlur(3)), grain, 0.08)


def phone_jpeg(width=4000, height=3000, seed=1, quality=90):
    """A 12-megapixel (by default) phone-like JPEG."""
    output = io.BytesIO()
    textured(width, height, seed).save(output, "JPEG", quality=quality)
    return output.getvalue()

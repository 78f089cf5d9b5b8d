"""The Front's real article page (shared/seed), read as the parts a reader sees."""

from pathlib import Path

# A copy of the Front's page (shared/seed), kept with the tests so any checkout finds it.
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "legacy" / "reference-article-page.txt"

TYPOGRAPHY_TO_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def plain_text(text):
    """Text with typography undone and spaces folded, for word-for-word comparison."""
    return " ".join(text.translate(TYPOGRAPHY_TO_PLAIN).replace("…", "...").split())


def reference_lines():
    text = SEED.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def reference_body_paragraphs():
    lines = reference_lines()
    body = lines[3:lines.index("NGUYÊN LƯU")]
    return [plain_text(line) for line in body if line != "Quang cảnh buổi họp ký kết"]

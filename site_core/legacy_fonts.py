"""Vietnamese typed in the old TCVN3 (ABC, ".Vn…" fonts) and VNI encodings: find it, convert it to Unicode NFC.

Old text reaches us in three shapes:

- pasted into a UTF-8 file: Word shows a ".VnTime" run as the Windows-1252 reading
  of its bytes, so "kết" arrives as "kÕt" (TCVN3) or "keát" (VNI);
- a whole file of legacy bytes (Notepad's "ANSI", an old saved page);
- an old HTML page, sometimes a TCVN3 body inside an otherwise Unicode page.

All three become one Unicode string read through Windows-1252 (`surface_text`), and
the evidence is counted word by word, never from one odd character: a word counts
for a family when it is not a Vietnamese syllable as written but becomes one once
converted ("kÕt" → "kết"), and against it when the conversion is no syllable either
("café" → "cafộ"). Correct Vietnamese, English, French words and numbers give no
evidence for, so they raise no alarm; `detect` needs several words for and few
against.

Conversion tables (facts, not code, taken from public charts):

- TCVN3 = TCVN 5712:1993 table VN3 (also called VSCII-3), the code chart in
  Wikipedia's "VSCII" article; every VN3 position agrees with the TCVN 5712 table
  of XFree86's X-TrueType server (TCVNtoUCS2.c). VN3 holds the 67 lowercase letters
  and Ă Â Ê Ô Ơ Ư Đ; a capital with a tone was typed as the lowercase code in the
  capitals font (".VnTimeH"), so a converted word whose other letters are all
  capitals is written in capitals ("CéNG" → "CỘNG"), and `from_tcvn3(…, capitals=True)`
  reads text known to be in an "H" font.
- VNI = VNI Software's "VNI Windows" encoding (VNI-Times and the other VNI fonts),
  the chart in Wikipedia's "VNI" article, the same as xvnkb's vni.h: a base letter
  followed by a mark character (a + ù → á, a + â → â, a + ê → ă, o + â → ô), and
  single characters for ơ ư đ and the i/ỵ letters (ô ö ñ æ ó ò î).

Why not a library: the PyPI packages that read legacy Vietnamese (viparse's
tables, for one) leave letters out (VNI ẳ) and detect by character frequency over
a whole document, which its own notes say mistakes Spanish or German for TCVN3;
nothing on PyPI detects at word level inside a Unicode line.
"""

from dataclasses import dataclass, field
from functools import lru_cache
import codecs
import re
import unicodedata

from site_core.problems import ContentProblem

TCVN3 = "TCVN3"
VNI = "VNI"
FAMILY_NAMES = {TCVN3: "phông TCVN3 (.VnTime)", VNI: "phông VNI (VNI-Times)"}

# The marks of the five tones, as Unicode combining characters.
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = ("", GRAVE, ACUTE, HOOK, TILDE, DOT)
VOWELS = "aăâeêioôơuưy"

# TCVN3 (VN3): for each lowercase vowel, its byte with no tone, then huyền, sắc, hỏi, ngã, nặng.
# None: the vowel without a tone is the ASCII letter itself.
_TCVN3_VOWEL_BYTES = {
    "a": (None, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB),
    "e": (None, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6),
    "i": (None, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE),
    "o": (None, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE),
    "u": (None, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9),
    "y": (None, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE),
}
_TCVN3_OTHER_BYTES = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}

# VNI: the base letter, then the mark characters for no tone, huyền, sắc, hỏi, ngã, nặng (lowercase;
# capitals use the capital of each character). Letters written as one character stand alone.
_VNI_MARKS = {"": ("", "ø", "ù", "û", "õ", "ï"), "^": ("â", "à", "á", "å", "ã", "ä"), "(": ("ê", "è", "é", "ú", "ü", "ë")}
_VNI_VOWELS = {
    "a": ("a", ""), "ă": ("a", "("), "â": ("a", "^"), "e": ("e", ""), "ê": ("e", "^"),
    "o": ("o", ""), "ô": ("o", "^"), "ơ": ("ô", ""), "u": ("u", ""), "ư": ("ö", ""),
}
_VNI_SINGLE = {"i": ("i", "ì", "í", "æ", "ó", "ò"), "y": ("y", "yø", "yù", "yû", "yõ", "î")}
_VNI_OTHER = {"đ": "ñ"}

WINDOWS_1252 = "cp1252"


def letter(vowel, tone):
    return unicodedata.normalize("NFC", vowel + tone)


def vietnamese_letters():
    """Every letter of the alphabet that carries a mark or a tone, lower and upper case, plus đ/Đ."""
    lower = [letter(vowel, tone) for vowel in VOWELS for tone in TONES] + ["đ"]
    return [*lower, *(character.upper() for character in lower)]


def _build_tcvn3():
    to_unicode, from_unicode = {}, {}
    for vowel, codes in _TCVN3_VOWEL_BYTES.items():
        for tone, code in zip(TONES, codes):
            if code is None:
                continue
            character = bytes([code]).decode(WINDOWS_1252)
            to_unicode[character] = letter(vowel, tone)
    for unicode_letter, code in _TCVN3_OTHER_BYTES.items():
        to_unicode[bytes([code]).decode(WINDOWS_1252)] = unicode_letter
    for character, unicode_letter in to_unicode.items():
        from_unicode[unicode_letter] = character
    return to_unicode, from_unicode


def _build_vni():
    to_unicode = {}
    for vowel, (base, mark_row) in _VNI_VOWELS.items():
        for tone, mark in zip(TONES, _VNI_MARKS[mark_row]):
            to_unicode[base + mark] = letter(vowel, tone)
    for vowel, spellings in _VNI_SINGLE.items():
        for tone, spelling in zip(TONES, spellings):
            to_unicode[spelling] = letter(vowel, tone)
    for unicode_letter, spelling in _VNI_OTHER.items():
        to_unicode[spelling] = unicode_letter
    to_unicode = {spelling: unicode_letter for spelling, unicode_letter in to_unicode.items()
                  if spelling != unicode_letter}
    capitals = {spelling.upper(): unicode_letter.upper() for spelling, unicode_letter in to_unicode.items()}
    from_unicode = {unicode_letter: spelling for spelling, unicode_letter in {**to_unicode, **capitals}.items()}
    # Typists mixed the case of base and mark ("Aù"): read the letter's case from its base.
    for spelling, unicode_letter in list(to_unicode.items()):
        if len(spelling) == 2:
            to_unicode[spelling[0].upper() + spelling[1]] = unicode_letter.upper()
            to_unicode[spelling[0] + spelling[1].upper()] = unicode_letter
    to_unicode.update(capitals)
    return to_unicode, from_unicode


TCVN3_TO_UNICODE, UNICODE_TO_TCVN3 = _build_tcvn3()
VNI_TO_UNICODE, UNICODE_TO_VNI = _build_vni()
_VNI_SPELLING = re.compile("|".join(re.escape(s) for s in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
_TCVN3_CHARACTER = re.compile("[" + re.escape("".join(TCVN3_TO_UNICODE)) + "]")

# Letters only Unicode text has: a word holding one was not typed in a legacy font.
UNICODE_ONLY = frozenset(c for c in vietnamese_letters() if ord(c) > 0xFF)
# A word: letters, and the TCVN3 characters that Windows-1252 reads as symbols (® for đ, µ for à, …).
WORD = re.compile(r"(?:[^\W\d_]|[" + re.escape("".join(c for c in TCVN3_TO_UNICODE if not c.isalpha())) + r"])+")


# ---------------------------------------------------------------------------------------------
# Conversion

def to_tcvn3(text):
    """Unicode → TCVN3 bytes. Capitals with a tone become their lowercase code, as typed in a ".VnTimeH" font."""
    out = bytearray()
    for character in unicodedata.normalize("NFC", text):
        code = UNICODE_TO_TCVN3.get(character) or UNICODE_TO_TCVN3.get(character.lower())
        out += code.encode(WINDOWS_1252) if code else character.encode(WINDOWS_1252)
    return bytes(out)


def to_vni(text):
    """Unicode → VNI bytes."""
    spelled = "".join(UNICODE_TO_VNI.get(c, c) for c in unicodedata.normalize("NFC", text))
    return spelled.encode(WINDOWS_1252)


# Windows-1252 as Word shows it, with the five bytes it leaves undefined kept as their Latin-1 characters.
_LATIN_1_TO_WINDOWS_1252 = {b: bytes([b]).decode(WINDOWS_1252) for b in range(0x80, 0xA0)
                            if bytes([b]).decode(WINDOWS_1252, errors="ignore")}


def windows_1252(raw):
    """Bytes read as Windows shows them in a Western font."""
    return raw.decode("latin-1").translate(_LATIN_1_TO_WINDOWS_1252)


def surface_text(raw):
    """Bytes as Windows shows them in a Western font: the form legacy text takes once pasted.

    Valid UTF-8 runs stay what they are, so a page whose template is UTF-8 and whose
    body is raw TCVN3 bytes keeps both."""
    return raw.decode("utf-8", errors="legacy-surface")


def _legacy_surface(error):
    return windows_1252(error.object[error.start:error.end]), error.end


codecs.register_error("legacy-surface", _legacy_surface)


def _plain_letters(word):
    return [c for c in word if c.isalpha() and c not in TCVN3_TO_UNICODE]


def _capitals_line(line):
    """A line typed in the capitals font: its words of two plain letters or more are all in capitals."""
    words = [plain for plain in map(_plain_letters, WORD.findall(line)) if len(plain) >= 2]
    return bool(words) and all(c.isupper() for plain in words for c in plain)


def _tcvn3_word(word, capitals=False):
    """TCVN3 has no capitals with a tone: a word whose plain letters are capitals (two at least, or one
    on a line in capitals) was typed in the ".VnTimeH" capitals font."""
    converted = _TCVN3_CHARACTER.sub(lambda found: TCVN3_TO_UNICODE[found.group()], word)
    plain = _plain_letters(word)
    in_capitals = capitals or (len(plain) >= 2 and all(c.isupper() for c in plain))
    return converted.upper() if in_capitals else converted


def _vni_word(word, capitals=False):
    converted = _VNI_SPELLING.sub(lambda found: VNI_TO_UNICODE[found.group()], word)
    return converted.upper() if capitals else converted


_CONVERT_WORD = {TCVN3: _tcvn3_word, VNI: _vni_word}


@lru_cache(maxsize=131072)
def _converted_word(word, family, capitals):
    return _CONVERT_WORD[family](word, capitals) if marked(word, family) else word


def marked(word, family):
    """Whether `family` would change this word: it has a legacy character and no Unicode-only letter."""
    if any(c in UNICODE_ONLY for c in word):
        return False
    if family == TCVN3:
        return bool(_TCVN3_CHARACTER.search(word))
    return any(len(s) > 1 or not s.isascii() for s in _VNI_SPELLING.findall(word))


# A toned lowercase vowel opening a line or a sentence: the typist could not write its capital in
# ".VnTime" (VN3 has none), so it is written as the capital it stood for.
_TONED_LOWERCASE = "".join(sorted(c for c in vietnamese_letters() if c.islower() and c not in "aăâeêioôơuưyđ"))
_SENTENCE_START = re.compile(rf"(?:^|(?<=[.!?…]\s))\s*[{_TONED_LOWERCASE}]")


def convert(text, family, capitals=False, sentences=True):
    """Every word of `text` that `family` would change, converted; NFC. `sentences`: a toned
    lowercase vowel opening a TCVN3 line or sentence becomes the capital it stood for."""
    def convert_line(line):
        line_capitals = capitals or (family == TCVN3 and _capitals_line(line))
        converted = WORD.sub(lambda found: _converted_word(found.group(), family, line_capitals), line)
        if capitals:
            return converted.upper()    # the capitals font draws every letter as a capital
        if family == TCVN3 and sentences:
            converted = _SENTENCE_START.sub(lambda found: found.group().upper(), converted)
        return converted

    converted = "".join(convert_line(line) for line in text.splitlines(keepends=True))
    return unicodedata.normalize("NFC", converted)


def from_tcvn3(data, capitals=False):
    """TCVN3 bytes (or their Windows-1252 reading) → Unicode NFC, letter for letter by the table."""
    text = surface_text(data) if isinstance(data, bytes) else data
    return convert(text, TCVN3, capitals, sentences=False)


def from_vni(data):
    """VNI bytes (or their Windows-1252 reading) → Unicode NFC."""
    text = surface_text(data) if isinstance(data, bytes) else data
    return convert(text, VNI)


# ---------------------------------------------------------------------------------------------
# What a Vietnamese syllable is (lower case, NFC)

ONSETS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
oe oen oeo oet ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uêch uênh uy uya uych uynh uyt uyu uyên uyêt
uôc uôi uôm uôn uông uôt uơ uăc uăn uăng uăt ư ưa ưc ưi ưm ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
""".split())
STOP_CODAS = ("c", "ch", "p", "t")
FRONT_VOWELS = ("e", "ê", "i", "y")
TONE_MARKS = frozenset(TONES) - {""}


def _split_tone(syllable):
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return bare, tones


def _rhyme_allowed(onset, rhyme):
    if rhyme not in RHYMES:
        return False
    front = rhyme.startswith(FRONT_VOWELS)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "g", "ng"):
        return not front
    if onset == "qu":
        return not rhyme.startswith(("u", "ư", "o"))
    if onset == "gi":
        return not rhyme.startswith("i")
    return True


@lru_cache(maxsize=65536)
def is_syllable(word):
    """Whether `word` is written as one Vietnamese syllable can be (onset, rhyme, at most one tone)."""
    bare, tones = _split_tone(word.lower())
    if len(tones) > 1 or not bare or not bare.isalpha():
        return False
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset):]
        if onset == "gi" and not _rhyme_allowed(onset, rhyme):
            onset, rhyme = "g", bare[1:]          # gì, gìn: the i is the vowel
            if rhyme in RHYMES:
                return _tone_allowed(rhyme, tones)
            continue
        if _rhyme_allowed(onset, rhyme):
            return _tone_allowed(rhyme, tones)
    return False


def _tone_allowed(rhyme, tones):
    if rhyme.endswith(STOP_CODAS):
        return bool(tones) and tones[0] in (ACUTE, DOT)
    return True


# ---------------------------------------------------------------------------------------------
# Evidence and detection

MIN_WORDS_FOR = 2           # different words, never one odd word (nor one word twice)
MAX_SHARE_AGAINST = 0.34    # at most about one word in three against


@dataclass
class Evidence:
    family: str
    words_for: int = 0      # not a syllable as written, a syllable once converted
    words_against: int = 0  # no syllable either way, or accented and not Vietnamese ("café", "Größe")
    lines: list = field(default_factory=list)   # (line number, words for, words against)
    distinct_for: set = field(default_factory=set)

    @property
    def convincing(self):
        total = self.words_for + self.words_against
        return len(self.distinct_for) >= MIN_WORDS_FOR and self.words_against <= MAX_SHARE_AGAINST * total


@lru_cache(maxsize=131072)
def word_evidence(word, family):
    """+1 for the family, -1 against, 0 says nothing (ASCII, a syllable either way, only symbols).

    Against: a word the family would change into no syllable, and an accented word it would
    not change that is no Vietnamese syllable: text in a legacy font has none of those, French,
    German or Spanish text has many."""
    if is_syllable(word) or not any(c.isalpha() for c in word):
        return 0    # "·", "½", "©": symbols alone say nothing
    if not marked(word, family):
        return -1 if not word.isascii() and not any(c in UNICODE_ONLY for c in word) else 0
    return 1 if is_syllable(_CONVERT_WORD[family](word)) else -1


def line_evidence(line, family, hits=None):
    words_for = words_against = 0
    for word in WORD.findall(line):
        score = word_evidence(word, family)
        if score > 0:
            words_for += 1
            if hits is not None:
                hits.add(word)
        words_against += score < 0
    return words_for, words_against


# The quick test before counting words: a character of a legacy spelling that is no Vietnamese letter
# ("®", "µ", "Ö", "ø", "ï"), or a Vietnamese capital right after a small letter ("kÕt"). Correct Unicode
# text almost never has either, and legacy text of any length always has them.
_VIETNAMESE_LATIN_1 = frozenset(c for c in vietnamese_letters() if ord(c) <= 0xFF)
_SUSPECT = re.compile("[" + re.escape("".join(sorted(
    ({c for c in TCVN3_TO_UNICODE} | {c for s in VNI_TO_UNICODE for c in s if not c.isascii()}) - _VIETNAMESE_LATIN_1
))) + "]|[a-z][" + "".join(sorted(c for c in _VIETNAMESE_LATIN_1 if c.isupper() and not c.isascii())) + "]")


def evidence(text, family):
    found = Evidence(family)
    if not _SUSPECT.search(text):
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        words_for, words_against = line_evidence(line, family, found.distinct_for)
        if words_for or words_against:
            found.lines.append((number, words_for, words_against))
            found.words_for += words_for
            found.words_against += words_against
    return found


def detect(text):
    """The legacy family `text` is typed in, with its evidence, or None when the evidence is not convincing."""
    candidates = [evidence(text, family) for family in (TCVN3, VNI)]
    best = max(candidates, key=lambda e: (e.words_for - e.words_against, e.family == TCVN3))
    return best if best.convincing else None


@dataclass
class Repair:
    text: str                   # the text with every legacy line converted (the same text when none)
    family: str = ""            # TCVN3, VNI or "" when nothing was found
    lines: list = field(default_factory=list)   # (line number, line as found, line converted)

    @property
    def family_name(self):
        return FAMILY_NAMES.get(self.family, "")


def repair(text, capitals=False):
    """Find legacy lines in a Unicode text and convert them; untouched when the evidence is not convincing.

    A line is converted when it has a word for the family and no more words
    against than for, so Unicode lines of the same file stay as they are."""
    found = detect(text)
    if found is None:
        return Repair(text)
    by_number = {number: (words_for, against) for number, words_for, against in found.lines}
    lines = text.splitlines(keepends=True)
    changes = []
    for number, line in enumerate(lines, start=1):
        words_for, against = by_number.get(number, (0, 0))
        if words_for and against <= words_for:
            converted = convert(line, found.family, capitals)
            if converted != line:
                lines[number - 1] = converted
                changes.append((number, line.rstrip("\r\n"), converted.rstrip("\r\n")))
    return Repair("".join(lines), found.family if changes else "", changes)


def legacy_bytes(raw):
    """For bytes that are not all UTF-8: (their Windows-1252 surface, the legacy family or "", whether every
    byte is legacy). The legacy families and Windows-1258 (precomposed vowel + combining tone) compete on
    how many Vietnamese syllables they make."""
    surface = surface_text(raw)
    found = detect(surface)
    if found is None:
        return surface, "", False
    windows_1258 = unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    if syllable_count(windows_1258) > found.words_for:
        return surface, "", False
    return surface, found.family, surface == windows_1252(raw)


def read_bytes(raw):
    """Bytes of unknown encoding → (Unicode NFC text, Repair). UTF-8 first, with legacy lines inside it
    converted; otherwise the best of the legacy families and Windows-1258."""
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        surface, family, whole = legacy_bytes(raw)
        if not family:
            windows_1258 = unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
            return windows_1258, Repair(windows_1258)
        fixed = repair(surface)
        if whole:
            # Nothing but legacy bytes: every word is in the legacy font, even one line that
            # alone would not be evidence ("cã" for "có").
            fixed.text = convert(surface, family)
        return fixed.text, fixed
    fixed = repair(text)
    return fixed.text, fixed


def syllable_count(text):
    """Words with a Vietnamese mark or tone that are Vietnamese syllables."""
    return sum(1 for word in WORD.findall(text) if not word.isascii() and is_syllable(word))


# ---------------------------------------------------------------------------------------------
# The editors' check (`invoke check`, `--fix`)

SNIPPET_WORDS = 8


def _snippet(found, converted):
    """The first words of a line where it changed, as found and as converted."""
    found_words, converted_words = found.split(), converted.split()
    start = next((i for i, (a, b) in enumerate(zip(found_words, converted_words)) if a != b), 0)
    return (" ".join(found_words[start:start + SNIPPET_WORDS]),
            " ".join(converted_words[start:start + SNIPPET_WORDS]))


def read_file_text(raw):
    """(text, Repair, was_utf8) for a content file's bytes."""
    try:
        raw.decode("utf-8-sig")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    text, fixed = read_bytes(raw)
    return text, fixed, utf8


def file_problems(shown, raw):
    """Problems for text typed in a legacy font: one per line in a UTF-8 file, one for a file of legacy bytes."""
    if not _SUSPECT.search(raw.decode("utf-8", errors="legacy-surface")):
        return []
    _, fixed, utf8 = read_file_text(raw)
    if not fixed.family:
        return []
    fix = ("chạy `invoke check --fix` để máy chuyển chữ sang Unicode (chỉ đổi cách mã hoá chữ, không đổi nội dung), "
           "rồi đọc lại đoạn đó. Về sau chép chữ từ tệp Word gõ phông cũ thì chuyển mã trước "
           "(Unikey: Công cụ chuyển mã, bảng mã nguồn " + ("TCVN3 (ABC)" if fixed.family == TCVN3 else "VNI Windows")
           + ", bảng mã đích Unicode).")
    if not utf8:
        number = fixed.lines[0][0]
        return [ContentProblem(shown, number,
                               f"Tệp lưu bằng bảng mã cũ, chữ gõ bằng {fixed.family_name}: trang web sẽ hiện chữ lỗi.",
                               fix)]
    problems = []
    for number, found, converted in fixed.lines:
        was, meant = _snippet(found, converted)
        problems.append(ContentProblem(
            shown, number,
            f'Chữ gõ bằng {fixed.family_name}, người đọc sẽ thấy chữ lỗi: "{was}" (đúng ra là "{meant}").', fix))
    return problems


def repaired_file(raw):
    """The file's bytes converted to UTF-8 NFC, and a note of what changed; (None, "") when it is clean."""
    if not _SUSPECT.search(raw.decode("utf-8", errors="legacy-surface")):
        return None, ""
    text, fixed, _ = read_file_text(raw)
    if not fixed.family:
        return None, ""
    lines = ", ".join(str(number) for number, _, _ in fixed.lines)
    return text.encode("utf-8"), f"chữ gõ bằng {fixed.family_name} đã chuyển sang Unicode (dòng {lines})"

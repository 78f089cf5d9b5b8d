"""`invoke rename-category OLD NEW`: a category's new name, everywhere, in one step.

Every article whose `Category:` line names OLD gets NEW on that line (nothing
else in the file changes, byte for byte: line endings, BOM, other lines); the
registry entry gets NEW as its name. The slug stays, so no address changes.
Nothing is written unless every file can be.
"""

from dataclasses import dataclass
import difflib
import json
import os
import re
import tomllib
import unicodedata

from site_core.problems import relative_source

from site_core.categories import load_registry, registry_block_lines, registry_path


class RenameRefused(Exception):
    """Why nothing was changed; the text is for the editor."""


@dataclass
class Renamed:
    registry: str
    articles: list
    slug: str


def toml_string(text):
    # A TOML basic string escapes like JSON; json.dumps keeps Vietnamese letters as they are.
    return json.dumps(text, ensure_ascii=False)


def renamed_registry(text, block_line, new_name):
    """The registry text with the name line of the block starting at `block_line` changed."""
    lines = text.splitlines(keepends=True)
    index = block_line - 1
    while index < len(lines) and not re.match(r"\s*name\s*=", lines[index]):
        index += 1
    if index >= len(lines):
        raise RenameRefused("Không tìm thấy dòng name của chuyên mục trong tệp danh mục.")
    ending = lines[index][len(lines[index].rstrip("\r\n")):] or "\n"
    lines[index] = f"name = {toml_string(new_name)}{ending}"
    return "".join(lines)


def renamed_article(raw, old_name, new_name):
    """The article's bytes with its Category line renamed, or None when it names another category."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if not line.strip():
            return None  # end of the header
        match = re.match(r"^(\s{0,3}category\s*:\s*)(.*?)(\s*)$", line, re.IGNORECASE | re.DOTALL)
        if match:
            if unicodedata.normalize("NFC", match.group(2).strip()) != old_name:
                return None
            lines[number] = match.group(1) + new_name + match.group(3)
            return (b"\xef\xbb\xbf" if bom else b"") + "".join(lines).encode("utf-8")
    return None


def article_files(settings):
    for folder in settings["ARTICLE_PATHS"]:
        for parent, folders, names in os.walk(os.path.join(settings["PATH"], folder)):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            yield from (os.path.join(parent, name) for name in sorted(names) if name.endswith(".md"))


def rename_category(settings, old_name, new_name):
    old_name = unicodedata.normalize("NFC", old_name.strip())
    new_name = unicodedata.normalize("NFC", new_name.strip())
    path = registry_path(settings)
    entries = load_registry(path, settings)
    names = [entry.name for entry in entries]
    entry = next((entry for entry in entries if entry.name == old_name), None)
    if entry is None:
        nearest = difflib.get_close_matches(old_name, names, n=1, cutoff=0.6)
        hint = f' Có phải là "{nearest[0]}"?' if nearest else ""
        raise RenameRefused(f'Chuyên mục "{old_name}" không có trong danh mục chuyên mục.{hint}\n'
                            "Các chuyên mục: " + "; ".join(f'"{name}"' for name in names))
    if not new_name or "\n" in new_name:
        raise RenameRefused("Tên mới để trống.")
    if new_name == old_name:
        raise RenameRefused("Tên mới giống tên cũ: không có gì để đổi.")
    if new_name in names:
        raise RenameRefused(f'Đã có chuyên mục tên "{new_name}": hai chuyên mục không được trùng tên.')

    with open(path, encoding="utf-8", newline="") as registry_file:
        registry_text = registry_file.read()
    raw_names = [unicodedata.normalize("NFC", raw["name"]) for raw in tomllib.loads(registry_text)["chuyen_muc"]]
    block_line = registry_block_lines(path)[raw_names.index(old_name)]
    new_registry = renamed_registry(registry_text, block_line, new_name)
    before = [unicodedata.normalize("NFC", raw["name"]) for raw in tomllib.loads(registry_text)["chuyen_muc"]]
    after = [unicodedata.normalize("NFC", raw["name"]) for raw in tomllib.loads(new_registry)["chuyen_muc"]]
    if after != [new_name if name == old_name else name for name in before]:
        raise RenameRefused("Không sửa được tệp danh mục một cách an toàn; hãy sửa tay dòng name của chuyên mục.")

    changes = {}
    for article in article_files(settings):
        with open(article, "rb") as source:
            renamed = renamed_article(source.read(), old_name, new_name)
        if renamed is not None:
            changes[article] = renamed
    changes[path] = new_registry.encode("utf-8")
    for target, data in changes.items():
        temporary = f"{target}.doi-ten"
        with open(temporary, "wb") as written:
            written.write(data)
        os.replace(temporary, target)
    return Renamed(relative_source(path, settings),
                   sorted(relative_source(article, settings) for article in changes if article != path), entry.slug)

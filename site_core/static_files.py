"""Which files of the static folders (content/images/) are published: photos and declared attachments."""

import os

# STATIC_FILE_EXTENSIONS in the settings replaces this list. Photos in formats browsers do
# not show (HEIC, TIFF) are let through here: the photos plugin converts or refuses them with its own fix.
DEFAULT_STATIC_FILE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif", "tif", "tiff", "bmp",
                                  "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods")


def static_file_extensions(settings):
    return tuple(extension.lower().lstrip(".") for extension in
                 settings.get("STATIC_FILE_EXTENSIONS", DEFAULT_STATIC_FILE_EXTENSIONS))


def static_file_allowed(path, settings):
    return os.path.splitext(path)[1].lower().lstrip(".") in static_file_extensions(settings)

"""Addresses of written files, shared by the sitemap, the counter manifest and the templates."""


def canonical_path(output_file):
    """The URL path a written file is served at: folders end in "/", not "index.html"."""
    if output_file == "index.html":
        return ""
    return output_file[:-len("index.html")] if output_file.endswith("/index.html") else output_file

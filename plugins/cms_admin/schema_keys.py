"""The keys of each kind of file, as the project's one schema (site_core.schema) lists them.

The CMS shows one field per key; it keeps no list of its own.
"""

from site_core.schema import ARTICLE_KEYS, AGENCY_KEYS, PAGE_KEYS, Key

SchemaKey = Key  # name, required, description


def keys_by_kind():
    """{"article" | "page" | "agency": [Key, ...]} in the schema's order."""
    return {"article": list(ARTICLE_KEYS), "page": list(PAGE_KEYS), "agency": list(AGENCY_KEYS)}

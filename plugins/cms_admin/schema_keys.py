"""The keys of each kind of file, as the project's one schema lists them.

The CMS shows one field per key; it keeps no list of its own.
"""

from dataclasses import dataclass

from agencies.agencies import FIELDS as AGENCY_FIELDS
from content_check.front_matter import ARTICLE_KEYS, ARTICLE_REQUIRED, PAGE_KEYS, PAGE_REQUIRED

AGENCY_REQUIRED = ("Title", "Kind")


@dataclass(frozen=True)
class SchemaKey:
    name: str
    required: bool
    description: str = ""


def keys_by_kind():
    """{"article" | "page" | "agency": [SchemaKey, ...]} in the schema's order."""
    return {
        "article": [SchemaKey(name, name in ARTICLE_REQUIRED) for name in ARTICLE_KEYS],
        "page": [SchemaKey(name, name in PAGE_REQUIRED) for name in PAGE_KEYS],
        "agency": [SchemaKey(name, name in AGENCY_REQUIRED) for name in AGENCY_FIELDS],
    }

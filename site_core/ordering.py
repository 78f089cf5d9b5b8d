"""The one order of every listing: newest first, and among articles of the same
moment, by slug from a to z.

Editors write `Date: 2024-03-05` without a time every day, so the date alone
leaves same-day articles in whatever order the files were read; the slug (unique
per site, the content check rejects duplicates) makes the order total, and the
same on every build whatever the file order, hash seed or process count.
"""


def newest_first_key(content):
    """Sort key for `sorted(..., key=newest_first_key)`: date descending, then slug ascending."""
    return (-content.date.timestamp(), content.slug)


def newest_first(contents):
    return sorted(contents, key=newest_first_key)


def oldest_first(contents):
    """The reverse of the listing order (feeds' internal order, neighbours)."""
    return sorted(contents, key=newest_first_key, reverse=True)

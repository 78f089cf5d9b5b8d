"""Create article files in the right place and form: `invoke new`, also used by the legacy importer."""

from .new_article import (ArticleExists, ArticleRefused, article_path, create_article, person_name, photo_folder,
                          registry_entry, today, write_article)

__all__ = ["ArticleExists", "ArticleRefused", "article_path", "create_article", "person_name", "photo_folder",
           "registry_entry", "today", "write_article"]

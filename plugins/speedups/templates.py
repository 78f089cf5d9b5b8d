"""Templates read once per build, and URLs worked out once per article.

- Jinja checks a template file's modification time every time a template is
  asked for (`auto_reload`), about ten thousand `stat` calls at 1,000 articles.
  A build never edits its theme while it runs, and every build makes new
  environments, so `auto_reload` is switched off.
- Pelican formats an article's URL from its settings on every `article.url`
  (`Content.get_url_setting`, about fifteen thousand calls at 1,000 articles),
  unless the object has an `override_url`. When writing starts (Pelican's
  `get_writer` signal, after every plugin has set slugs, categories and dates)
  each article's and page's URL is set once as its `override_url`. `save_as` is
  left alone: Pelican takes an `override_save_as` to mean "may overwrite", which
  would silence its check for two articles with one address.
"""

from pelican import signals

GENERATED = []


def templates_read_once(pelican):
    if pelican.settings.get("TEMPLATES_READ_ONCE", False):
        pelican.settings["JINJA_ENVIRONMENT"] = {**pelican.settings["JINJA_ENVIRONMENT"], "auto_reload": False}


def remember_content(generators):
    GENERATED[:] = [generators[0].context["generated_content"]] if generators else []


def freeze_urls(pelican):
    if pelican.settings.get("FROZEN_URLS", False):
        for generated in GENERATED:
            for content in generated.values():
                if content is None or hasattr(content, "override_url"):
                    continue
                try:
                    content.override_url = content.url
                except (KeyError, AttributeError, ValueError):
                    continue  # Pelican reports it where the URL is used, if it ever is
    GENERATED.clear()


def register():
    signals.all_generators_finalized.connect(remember_content)
    signals.get_writer.connect(freeze_urls)

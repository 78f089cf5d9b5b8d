"""Reader-facing labels: one TOML file, available to every template as LABELS."""

import tomllib

from pelican import signals


def load_labels(path):
    with open(path, "rb") as label_file:
        return tomllib.load(label_file)


def add_labels_to_templates(pelican):
    settings = pelican.settings
    jinja_globals = dict(settings.get("JINJA_GLOBALS", {}))
    jinja_globals["LABELS"] = load_labels(settings["LABELS_FILE"])
    settings["JINJA_GLOBALS"] = jinja_globals


def register():
    signals.initialized.connect(add_labels_to_templates)

"""Only photos and declared attachments are copied from the static folders.

Pelican copies everything under STATIC_PATHS: an article saved by mistake in
content/images/ would be published as a raw .md file, a pasted .html or .svg
file could carry a script. The content check reports such files; this plugin
makes sure they are never copied, even in a build without the check.
"""

from pelican import signals

from site_core.static_files import static_file_allowed


def leave_out_undeclared_static_files(generator):
    kept = [static for static in generator.staticfiles if static_file_allowed(static.source_path, generator.settings)]
    for static in generator.staticfiles:
        if static not in kept:
            generator.context["static_content"].pop(static.get_relative_source_path(), None)
    generator.staticfiles[:] = kept  # the same list is the context's "staticfiles", which is copied


def register():
    signals.static_generator_finalized.connect(leave_out_undeclared_static_files)

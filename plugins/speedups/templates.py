"""Templates read once per build.

- Jinja checks a template file's modification time every time a template is
  asked for (`auto_reload`), about ten thousand `stat` calls at 1,000 articles.
  A build never edits its theme while it runs, and every build makes new
  environments, so `auto_reload` is switched off.
- Pelican makes one Jinja environment per generator, and each compiles the
  templates it uses again. Jinja's own bytecode cache, in CACHE_PATH/templates/,
  keeps the compiled code by template name and a checksum of its source, so a
  template is compiled once, not once per generator and build.
- A process that builds again and again (the editor preview, at every save)
  also keeps each template's compiled code in memory, keyed like Jinja's cache
  by the template and a checksum of its source, instead of loading it from
  that folder at every build (45 loads, a tenth of a second).
"""

import os

from jinja2 import BytecodeCache, FileSystemBytecodeCache


def templates_read_once(pelican):
    settings = pelican.settings
    if not settings.get("TEMPLATES_READ_ONCE", False):
        return
    environment = {"auto_reload": False, **settings["JINJA_ENVIRONMENT"]}
    if "bytecode_cache" not in environment:
        folder = os.path.join(settings["CACHE_PATH"], "templates")
        os.makedirs(folder, exist_ok=True)
        environment["bytecode_cache"] = KeptBytecodeCache(FileSystemBytecodeCache(folder))
    environment["auto_reload"] = False
    settings["JINJA_ENVIRONMENT"] = environment


class KeptBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache on disk, with what it gave kept in this process too."""

    kept = {}   # Jinja's cache key of a template -> (checksum of its source, compiled code)

    def __init__(self, on_disk):
        self.on_disk = on_disk

    def load_bytecode(self, bucket):
        kept = self.kept.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]
            return
        self.on_disk.load_bytecode(bucket)
        if bucket.code is not None:
            self.kept[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket):
        self.kept[bucket.key] = (bucket.checksum, bucket.code)
        self.on_disk.dump_bytecode(bucket)

"""Write <OUTPUT_PATH>/counter-manifest.json: the URL paths the visit counter may count.

The counter answers every path but counts only those listed, so requests
for invented paths cannot fill its database.
"""

import json
from pathlib import Path

from pelican import signals

from social_sharing import canonical_path

MANIFEST_NAME = "counter-manifest.json"


def page_paths(output_path: Path, editor_only=()) -> list[str]:
    """URL paths of every HTML file but the editors' (EDITOR_ONLY_PATHS); a folder's
    index.html answers under both names."""
    paths = set()
    for page in output_path.rglob("*.html"):
        relative = page.relative_to(output_path).as_posix()
        if relative.split("/")[0] in editor_only:
            continue
        paths.update(("/" + relative, "/" + canonical_path(relative)))
    return sorted(paths)


def write_manifest(pelican) -> None:
    if not pelican.settings.get("VISIT_COUNTER_MANIFEST", True):
        return
    output_path = Path(pelican.output_path)
    manifest = json.dumps(page_paths(output_path, pelican.settings.get("EDITOR_ONLY_PATHS", ())), ensure_ascii=False, indent=1) + "\n"
    (output_path / MANIFEST_NAME).write_text(manifest, encoding="utf-8")


def register():
    signals.finalized.connect(write_manifest)

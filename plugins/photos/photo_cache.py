"""Published versions of photos kept in cache/photos/, one file each, named by digest.

The digest covers the photo's bytes, every setting that changes the pictures,
Pillow's and its codecs' versions and this plugin's sources: a cached file is
only ever what a build without the cache would make, byte for byte.
"""

from importlib import metadata
from pathlib import Path
import hashlib
import os
import tempfile

from PIL import features

SETTINGS = ("PHOTOS_WIDTHS", "PHOTOS_WEBP_QUALITY", "PHOTOS_WEBP_METHOD", "PHOTOS_SHARE_SIZE",
            "PHOTOS_SHARE_MAX_BYTES", "PHOTOS_MAX_PIXELS")


def pipeline_fingerprint(settings):
    # Plain numbers and tuples: their repr() is the same in every process.
    digest = hashlib.sha256(repr([settings[name] for name in SETTINGS]).encode())
    digest.update(f"pillow={metadata.version('pillow')}".encode())
    for codec in ("webp", "jpg", "littlecms2", "zlib"):
        digest.update(f"{codec}={features.version(codec)}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()


def photo_digest(data, fingerprint):
    return hashlib.sha256(fingerprint.encode() + data).hexdigest()


class PhotoCache:
    def __init__(self, folder):
        self.folder = Path(folder) if folder else None

    def path(self, digest, name, extension):
        return self.folder / digest[:2] / f"{digest}-{name}.{extension}"

    def load(self, digest, renditions):
        """{name: bytes} when every rendition is cached, else None."""
        if self.folder is None:
            return None
        found = {}
        for rendition in renditions:
            path = self.path(digest, rendition.name, rendition.extension)
            if not path.is_file():
                return None
            found[rendition.name] = path.read_bytes()
        return found

    def store(self, digest, renditions, produced):
        if self.folder is None:
            return
        for rendition in renditions:
            path = self.path(digest, rendition.name, rendition.extension)
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: an interrupted build never leaves half a picture.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as part:
                part.write(produced[rendition.name])
            os.replace(temporary, path)

    def forget_all_but(self, digests):
        """Remove the versions of photos no content uses any more."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name[:64] not in digests:
                path.unlink()

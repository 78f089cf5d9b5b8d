import gzip

from tests.counter_server import REPO_ROOT


def test_counter_snippet_stays_under_one_kilobyte_gzipped():
    script = (REPO_ROOT / "theme" / "static" / "js" / "counter.js").read_bytes()

    assert len(gzip.compress(script, compresslevel=9, mtime=0)) <= 1024

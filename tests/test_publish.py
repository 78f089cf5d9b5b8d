"""`invoke publish` and `invoke rollback` against a target folder, as IT staff run them.

Targets are local folders, reached either directly or through a stand-in for
ssh (support/local_ssh) that runs the remote commands with the local shell, so
the production code path (rsync -e ssh, commands over ssh) is the one tested.
"""

import os
from pathlib import Path
import signal
import subprocess
import sys
import time

import pytest

from deploy.releases import Target, new_release_name
from support.site_build import SITE_ROOT, write_tree

LOCAL_SSH = str(Path(__file__).resolve().parent / "support" / "local_ssh")


def site_version(folder, text, **extra):
    write_tree(folder, {"index.html": f"<p>{text}</p>\n", "tin-tuc/chung.html": "<p>không đổi</p>\n", **extra})
    return folder


def invoke(*args, env=None, cwd=None, **popen):
    argv = [sys.executable, "-m", "invoke", "--search-root", str(SITE_ROOT), *args]
    environment = {**os.environ, **(env or {})}
    for name in ("DEPLOY_TARGET", "DEPLOY_KEEP_RELEASES", "DEPLOY_RSYNC_OPTIONS", "DEPLOY_SSH"):
        if env is None or name not in env:
            environment.pop(name, None)
    if popen:
        return subprocess.Popen(argv, env=environment, cwd=cwd, **popen)
    return subprocess.run(argv, capture_output=True, text=True, env=environment, cwd=cwd)


def publish(output, target, *args, env=None):
    result = invoke("publish", "--no-build", "--output", str(output), "--target", str(target), *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def live(target):
    return (Path(target) / "current" / "index.html").read_text(encoding="utf-8")


def releases(target):
    return sorted(p.name for p in (Path(target) / "releases").iterdir())


def live_release(target):
    return os.readlink(Path(target) / "current")


@pytest.fixture
def versions(tmp_path):
    return [site_version(tmp_path / f"v{n}", f"phiên bản {n}") for n in (1, 2, 3)]


@pytest.fixture(params=["local folder", "over ssh"])
def target(request, tmp_path):
    """(target for --target, env, folder on disk)."""
    folder = tmp_path / "may-chu" / "www"
    if request.param == "local folder":
        return str(folder), {}, folder
    return f"may-chu:{folder}", {"DEPLOY_SSH": LOCAL_SSH}, folder


def test_publish_makes_a_release_live_through_the_current_symlink(versions, target):
    spec, env, folder = target
    publish(versions[0], spec, env=env)
    assert live(folder) == "<p>phiên bản 1</p>\n"
    assert (folder / "current").is_symlink()
    [release] = releases(folder)
    assert live_release(folder) == f"releases/{release}"


def test_a_second_publish_switches_the_site_and_hard_links_unchanged_files(versions, target):
    spec, env, folder = target
    publish(versions[0], spec, env=env)
    write_tree(versions[0], {"cu.html": "<p>sẽ bị xóa</p>\n"})
    publish(versions[0], spec, env=env)
    first, second = releases(folder)
    publish(versions[1], spec, env=env)
    first, second, third = releases(folder)
    assert live_release(folder) == f"releases/{third}"
    assert live(folder) == "<p>phiên bản 2</p>\n"
    assert not (folder / "current" / "cu.html").exists()
    assert (folder / "releases" / second / "cu.html").exists()
    unchanged = [(folder / "releases" / name / "tin-tuc" / "chung.html").stat().st_ino for name in (first, third)]
    assert unchanged[0] == unchanged[1]
    changed = [(folder / "releases" / name / "index.html").stat().st_ino for name in (first, third)]
    assert changed[0] != changed[1]


def test_only_the_newest_releases_are_kept(versions, tmp_path):
    folder = tmp_path / "www"
    for version in [*versions, versions[0]]:
        publish(version, folder, "--keep", "2")
    kept = releases(folder)
    assert len(kept) == 2
    assert live_release(folder) == f"releases/{kept[-1]}"
    publish(versions[1], folder, env={"DEPLOY_KEEP_RELEASES": "3"})
    assert len(releases(folder)) == 3


def test_rollback_returns_to_the_previous_release_one_step_at_a_time(versions, target):
    spec, env, folder = target
    for version in versions:
        publish(version, spec, env=env)
    first, second, third = releases(folder)
    assert invoke("rollback", "--target", spec, env=env).returncode == 0
    assert (live_release(folder), live(folder)) == (f"releases/{second}", "<p>phiên bản 2</p>\n")
    assert invoke("rollback", "--target", spec, env=env).returncode == 0
    assert live(folder) == "<p>phiên bản 1</p>\n"
    refused = invoke("rollback", "--target", spec, env=env)
    assert refused.returncode != 0
    assert "oldest" in refused.stderr
    assert live_release(folder) == f"releases/{first}"
    assert invoke("rollback", "--target", spec, "--release", third, env=env).returncode == 0
    assert live(folder) == "<p>phiên bản 3</p>\n"


def test_a_publish_after_a_rollback_never_deletes_the_live_release(versions, tmp_path):
    folder = tmp_path / "www"
    for version in versions:
        publish(version, folder, "--keep", "1")
    assert invoke("rollback", "--target", str(folder)).returncode != 0
    assert live(folder) == "<p>phiên bản 3</p>\n"


def test_an_interrupted_upload_leaves_the_live_site_intact(versions, target):
    spec, env, folder = target
    publish(versions[0], spec, env=env)
    before = live_release(folder)
    write_tree(versions[1], {"video.bin": os.urandom(1_000_000)})
    slow = {**env, "DEPLOY_RSYNC_OPTIONS": "--bwlimit=100"}
    upload = invoke("publish", "--no-build", "--output", str(versions[1]), "--target", spec, env=slow,
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    partial = []
    while not partial and time.monotonic() < deadline and upload.poll() is None:
        partial = [p for p in (folder / "releases").glob("*.partial/*") if p.name != "index.html"]
        time.sleep(0.05)
    assert partial, "the upload never started"
    os.killpg(upload.pid, signal.SIGTERM)
    assert upload.wait(timeout=30) != 0
    assert live_release(folder) == before
    assert live(folder) == "<p>phiên bản 1</p>\n"
    assert not (folder / "current" / "video.bin").exists()

    publish(versions[1], spec, env=env)
    assert live(folder) == "<p>phiên bản 2</p>\n"
    assert not list((folder / "releases").glob("*.partial"))


@pytest.mark.parametrize("rsync_options, reported", [
    ("--no-such-option", "upload failed"),
    ("--exclude=index.html", "has no index.html"),
])
def test_a_failed_or_incomplete_upload_is_reported_and_never_goes_live(versions, tmp_path, rsync_options, reported):
    folder = tmp_path / "www"
    publish(versions[0], folder)
    before = live_release(folder)
    failed = invoke("publish", "--no-build", "--output", str(versions[1]), "--target", str(folder),
                    env={"DEPLOY_RSYNC_OPTIONS": rsync_options})
    assert failed.returncode != 0
    assert reported in failed.stderr
    assert (live_release(folder), live(folder)) == (before, "<p>phiên bản 1</p>\n")


def test_publishing_a_folder_that_was_never_built_is_refused(tmp_path):
    folder = tmp_path / "www"
    refused = invoke("publish", "--no-build", "--output", str(tmp_path / "chua-dung"), "--target", str(folder))
    assert refused.returncode != 0
    assert "build the site first" in refused.stderr
    assert not (folder / "current").exists()


def test_publish_without_a_target_says_what_to_set(versions):
    result = invoke("publish", "--no-build", "--output", str(versions[0]))
    assert result.returncode != 0
    assert "DEPLOY_TARGET" in result.stderr


def test_targets_are_rsync_style_remote_paths_or_local_folders():
    remote = Target("deploy@may-chu.example.net:/srv/www/mattran")
    assert (remote.host, remote.root) == ("deploy@may-chu.example.net", "/srv/www/mattran")
    assert Target("/srv/www/mattran").host is None
    assert Target("./thu-muc:la").host is None


def test_release_names_sort_by_time_and_never_collide():
    from datetime import datetime, timezone
    moment = datetime(2026, 11, 26, 7, 1, 0, tzinfo=timezone.utc)
    first = new_release_name([], "c6d11d8", moment)
    assert first == "20261126T070100Z-c6d11d8"
    second = new_release_name([first], "c6d11d8", moment)
    assert second == first + ".001"
    assert new_release_name([second], "c6d11d8", moment) == first + ".002"
    # After the oldest releases are pruned, a name in the same second still sorts last.
    assert new_release_name([first + ".001", first + ".002"], "c6d11d8", moment) == first + ".003"
    earlier = datetime(2026, 11, 26, 7, 0, 0, tzinfo=timezone.utc)
    assert new_release_name([first], "0000000", earlier) == first + ".001"


def test_gh_pages_commits_the_built_site_to_the_gh_pages_branch(versions, tmp_path):
    repository = tmp_path / "kho"
    repository.mkdir()
    git = ["git", "-C", str(repository)]
    subprocess.run([*git, "init", "-q"], check=True)
    # A fresh machine has no git identity; the repository's own lets both commits be made.
    subprocess.run([*git, "config", "user.name", "Biên tập viên"], check=True)
    subprocess.run([*git, "config", "user.email", "bientap@example.org"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "đầu"], check=True)
    result = invoke("gh-pages", "--no-build", "--no-push", "--output", str(versions[0]), cwd=repository)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = subprocess.run([*git, "show", "gh-pages:index.html"], capture_output=True, text=True, check=True)
    assert shown.stdout == "<p>phiên bản 1</p>\n"
    files = subprocess.run([*git, "ls-tree", "--name-only", "gh-pages"], capture_output=True, text=True).stdout
    assert ".nojekyll" in files.split()

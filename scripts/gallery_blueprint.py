"""Gallery pictures that are not matplotlib charts: the service blueprint and current vs future.

``make gallery`` runs this after ``python -m journeytools.charts.gallery docs/gallery``:

* ``blueprint-mia.png`` — the luggage store's "Service blueprint" section of Mia, exactly as
  the persona report shows it (``views.blueprint.page``: the report's section and stylesheet),
  screenshotted with headless Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright;
  nothing is downloaded) at 1,500 px, about the width of an A4 landscape page at 140 ppi;
* ``blueprint-mia-phone.png`` — the same at 390 px, the width of a phone;
* ``compare-states-holiday-booking-priya.png`` — Priya's emotion curve in the holiday booking's
  current state (dashed) and its designed future state (``workshops/holiday-booking-future``).

It then writes their section of ``docs/gallery/README.md`` (between markers, so reruns
replace it).

    python scripts/gallery_blueprint.py docs/gallery
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BEGIN, END = "<!-- gallery_blueprint: begin -->", "<!-- gallery_blueprint: end -->"
BLUEPRINTS = [("luggage-store", "mia", "blueprint-mia")]  # (workshop, persona, file stem)
COMPARISONS = [("holiday-booking", "holiday-booking-future", "priya")]


def screenshot(html: str, out: Path, width: int) -> None:
    """The blueprint section of a standalone page as a PNG, ``width`` CSS pixels wide."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "blueprint.html"
        page_file.write_text(html, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                       else r.abort())  # a report page fetches nothing
            page.goto(page_file.as_uri())
            page.locator(".jt-blueprint-section").screenshot(path=str(out))
        finally:
            browser.close()


def blueprints(outdir: Path) -> list[tuple[str, str]]:
    """Write the blueprint pictures; (file name, alt text) of each."""
    import journeytools as jt
    from journeytools.views import blueprint as bpv

    shown = []
    for folder, persona, stem in BLUEPRINTS:
        ws = jt.load(ROOT / "workshops" / folder)
        name = ws.persona_name(persona)
        for suffix, width, page_width, what in (("", 1500, "none", "at print width"),
                                                ("-phone", 390, "", "on a 390 px phone screen")):
            out = outdir / f"{stem}{suffix}.png"
            screenshot(bpv.page(ws, persona, width=page_width), out, width)
            print(out)
            shown.append((out.name, f"Service blueprint of {name} ({ws.title}) {what}: the "
                          "report's section, lanes under each touchpoint with the lines of "
                          "interaction, visibility and internal interaction, failure points, "
                          "root causes and pain by owning team"))
    return shown


def comparisons(outdir: Path) -> list[tuple[str, str]]:
    """Write the current-vs-future charts; (file name, alt text) of each."""
    import matplotlib

    matplotlib.use("Agg")
    import journeytools as jt
    from journeytools.charts import compare_states
    from journeytools.charts.export import alt_text, save_figure

    shown = []
    for current, future, persona in COMPARISONS:
        fig = compare_states(jt.load(ROOT / "workshops" / current),
                             jt.load(ROOT / "workshops" / future), persona)
        files = save_figure(fig, outdir / f"compare-states-{current}-{persona}", formats=("png",),
                            dpi=150)
        print(files[0])
        shown.append((files[0].name, alt_text(fig).replace("\n", " ")))
    return shown


def readme_section(shown: list[tuple[str, str]]) -> str:
    lines = [BEGIN, "## Service blueprint and future state", "",
             "Rendered by `scripts/gallery_blueprint.py` (run by `make gallery`): the blueprint is "
             "the persona report's own HTML section, screenshotted with headless Chromium; the "
             "comparison is a worked current state against its designed future state.", ""]
    for file, alt in shown:
        alt = alt.replace("]", ")").replace("[", "(")
        lines += [f"### {Path(file).stem}", "", f"![{alt}]({file})", ""]
    return "\n".join([*lines, END])


def update_readme(readme: Path, section: str) -> None:
    """Put ``section`` in place of the previous one (or at the end)."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else "# Chart gallery\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("outdir", nargs="?", default=str(ROOT / "docs" / "gallery"))
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("gallery_blueprint: needs Debian's chromium at /usr/bin/chromium "
              "(apt-get install -y chromium)", file=sys.stderr)
        return 1
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    shown = blueprints(outdir) + comparisons(outdir)
    update_readme(outdir / "README.md", readme_section(shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

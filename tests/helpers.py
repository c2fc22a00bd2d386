"""Builders for small, real-looking workshop folders used across tests."""

from __future__ import annotations

from pathlib import Path

WORKSHOP_YML = """\
title: Bike shop — repair booking journey
organisation: Spoke & Chain
date: 2026-11-02
reviewed: 2026-11-02
review_every_months: 6
stages:
  - {id: need, name: Need arises}
  - {id: booking, name: Booking}
  - {id: repair, name: Repair}
branding: {company: Spoke & Chain, primary_color: "#2E7D32"}
dots_per_voter: 5
"""

PERSONAS = """\
id,name,segment,channels,weight
commuter,Carla the commuter,Daily riders,web;phone,2
racer,Ravi the racer,Club cyclists,web,1
"""

TOUCHPOINTS = """\
id,stage,name,channel,kind,owner
flat-tyre,need,Flat tyre on the way to work,street,offline,
booking-form,booking,Online booking form,web,online,Digital
phone-line,booking,Phone booking,phone,offline,Front desk
workshop-visit,repair,Bike drop-off,store,offline,Workshop
"""

STEPS = """\
persona,touchpoint,order,action,thought,emotion,feeling,expectation
commuter,flat-tyre,1,Pushes the bike home,I'll be late again,2,annoyed,
commuter,booking-form,2,Looks for a same-day slot,Is there anything today?,3,hopeful,A slot today
commuter,workshop-visit,3,Drops the bike off,Will it be ready tonight?,4,relieved,
racer,booking-form,,Books a service,Easy enough,4,calm,
"""

PAIN_POINTS = """\
id,persona,touchpoint,description,severity,frequency,evidence,source
no-same-day,commuter,booking-form,No same-day slots shown,4,3,12 support calls in October,support
phone-wait,*,phone-line,Phone rings out at lunchtime,3,2,,assumption
"""

OPPORTUNITIES = """\
id,title,addresses,reach,impact,confidence,effort,ease,status
express-slots,Express repair slots,no-same-day,400,2,80%,2,6,planned
callback,Call-back button,phone-wait,150,1,0.5,1,8,idea
"""


def write_workshop(folder: Path, **overrides: str | None) -> Path:
    """A valid workshop; pass ``personas="..."`` etc. to replace a file, ``None`` to omit it."""
    files = {
        "workshop.yml": WORKSHOP_YML, "personas.csv": PERSONAS, "touchpoints.csv": TOUCHPOINTS,
        "steps.csv": STEPS, "pain_points.csv": PAIN_POINTS, "opportunities.csv": OPPORTUNITIES,
    }
    for key, value in overrides.items():
        name = key if key.endswith((".yml", ".csv")) else (
            "workshop.yml" if key == "workshop" else f"{key}.csv")
        files[name] = value  # type: ignore[assignment]
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


def package_copy(pkg: Path, tmp_path: Path) -> Path:
    """A copy of the package's Python sources to plant probe modules in: tests that read the
    real package run at the same time in other workers."""
    import shutil

    copy = tmp_path / pkg.name
    shutil.copytree(pkg, copy, ignore=shutil.ignore_patterns("resources", "__pycache__"))
    return copy


# Text that would run as script or markup if a renderer forgot to escape it.
XSS_PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Start tags and their attributes, as a browser would parse them."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    parser = Tags(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return found


def assert_escaped(html: str, payload: str, *, images: bool) -> None:
    """No tag or attribute came from ``payload``; its escaped text is there. ``images``: the page
    has images of its own (reports), so only the payload's ``<img src=x`` is looked for."""
    from markupsafe import escape

    assert payload not in html
    assert "<script" not in html and ("<img src=x" if images else "<img") not in html
    tags = start_tags(html)
    assert not [t for t, _ in tags if t == "script" or (t == "img" and not images)]
    assert not [a for _, a in tags if "onerror" in a or a.get("src") == "x"]
    assert str(escape(payload)) in html


LIBRARY = ("id,name,segment,weight\ncommuter,Carla the commuter,Daily riders,2\n"
           "racer,Ravi the racer,Club cyclists,1\n")
RETURNS_PAINS = ("id,persona,touchpoint,description,severity,frequency\n"
                 "no-same-day,commuter,booking-form,No same-day return slot,3,3\n")


def write_portfolio(root: Path, yml: str | None = None, library: str | None = LIBRARY) -> Path:
    """A portfolio of two small journeys (repairs, returns) sharing a persona library."""
    write_workshop(root / "repairs")
    write_workshop(root / "returns", pain_points=RETURNS_PAINS,
                   opportunities="id,title,addresses,reach,impact,confidence,effort\n"
                                 "express-slots,Express slots,no-same-day,400,2,0.8,2\n")
    if library is not None:
        (root / "personas.csv").write_text(library, encoding="utf-8")
    (root / "portfolio.yml").write_text(yml or (
        "title: Spoke & Chain — journeys\njourneys: [repairs, returns]\npersonas: personas.csv\n"
        "branding: {company: Spoke & Chain, primary_color: \"#2E7D32\"}\n"), encoding="utf-8")
    return root



def ctrl_c_works() -> None:
    """``preexec_fn`` for a command a test stops with a signal (Ctrl-C's SIGINT, SIGTERM,
    SIGHUP): the default dispositions, as a terminal gives them. The test run itself may have
    some ignored (an xdist worker or a library ignoring SIGINT in-process, the suite started
    under ``nohup``), and an ignored signal stays ignored across exec, so the command would
    rightly leave it alone."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])

"""Render every chart for every worked example and starter template into a folder.

    python -m journeytools.charts.gallery docs/gallery [WORKSHOP ...]

Writes ``<workshop>--<chart>.png`` files and a ``README.md`` that shows each picture with its
alt text. ``compare_states`` needs a future-state map; the examples have none, so the gallery
draws it against an *illustrative* future (emotion +2 where a planned, in-progress or done
opportunity addresses the step's pain point), clearly titled as such.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from .. import scoring
from ..model.workshop import Workshop
from ..store.folder import load
from ..store.resources import resource_dir
from . import (
    alt_text,
    assumed_vs_measured,
    channel_coverage,
    compare_states,
    emotion_curves,
    funnel,
    journey_map,
    kpi_progress,
    opportunity_ranking,
    pain_heatmap,
    priority_matrix,
    save_figure,
    score_distribution,
    theme_for,
)

ACTIVE = {"planned", "in-progress", "done"}


def default_sources() -> list[Path]:
    """The worked examples and starter templates shipped with the package."""
    out = []
    for parent in (resource_dir("workshops"), resource_dir("starters")):
        out += sorted(p for p in parent.iterdir()
                      if (p / "workshop.yml").is_file() and p.name != "my-first-map")
    return out


def gallery_name(folder: Path) -> str:
    """File prefix of a workshop: its folder name, ``starter-<name>`` for starter templates."""
    folder = Path(folder)
    return f"starter-{folder.name}" if folder.resolve().parent.name == "starters" else folder.name


def illustrative_future(ws: Workshop) -> Workshop:
    """A copy of ``ws`` as if its planned work had landed: for demonstrations only."""
    fut = ws.copy()
    fut.meta["state"] = "future"
    fut.meta["title"] = f"{ws.title} (illustrative future)"
    opps = scoring.opportunity_table(ws)
    status = opps["status"].astype(str).str.lower() if len(opps) else pd.Series(dtype=str)
    fixed = {a for adds in opps.loc[status.isin(ACTIVE), "addresses"] for a in adds} if len(opps) else set()
    pains = scoring.pain_table(ws)
    pains = pains[pains["id"].isin(fixed)]
    st = fut.steps
    if len(st) and "emotion" in st.columns and len(pains):
        hit = pd.Series(False, index=st.index)
        for r in pains.itertuples():
            who = (st["persona"] == r.persona) if r.persona != "*" else True
            hit |= (st["touchpoint"] == r.touchpoint) & who
        em = st["emotion"]
        st.loc[hit & em.notna(), "emotion"] = (em[hit & em.notna()] + 2).clip(upper=5).astype(em.dtype)
        fut.steps = st
    return fut


def charts_for(ws: Workshop, folder: Path) -> Iterable[tuple[str, Callable[[], Figure]]]:
    """(name, make figure) for every chart of one workshop."""
    personas = [str(p) for p in ws.personas["id"]] if len(ws.personas) else []
    first = personas[0] if personas else None
    for pid in personas:
        yield f"journey-map-{pid}", partial(journey_map, ws, pid)
    yield "emotion-curves", lambda: emotion_curves(ws)
    if first is not None:
        yield f"compare-states-{first}-illustrative", \
            lambda: compare_states(ws, illustrative_future(ws), first)
    yield "pain-heatmap", lambda: pain_heatmap(ws)
    yield "score-distribution", lambda: score_distribution(ws)
    yield "channel-coverage", lambda: channel_coverage(ws)
    yield "priority-matrix", lambda: priority_matrix(ws)
    if first is not None:
        yield f"priority-matrix-{first}", partial(priority_matrix, ws, first)
    yield "opportunity-ranking", lambda: opportunity_ranking(ws)
    evidence = folder / "evidence" / "funnel.csv"
    if evidence.is_file():
        yield "funnel", lambda: funnel(pd.read_csv(evidence, keep_default_na=False, na_values=[""]),
                                       theme=theme_for(ws), title=f"Funnel — {ws.title}")
    stages = folder / "evidence" / "stages.csv"
    if stages.is_file():
        yield "assumed-vs-measured", lambda: assumed_vs_measured(
            pd.read_csv(stages, keep_default_na=False, na_values=[""]), theme=theme_for(ws))
    if len(ws.kpis):
        from ..evidence.kpis import kpi_status

        yield "kpi-progress", lambda: kpi_progress(kpi_status(ws.kpis), theme=theme_for(ws), ws=ws)


def render(outdir: str | Path, sources: Iterable[str | Path] | None = None, *,
           formats: tuple[str, ...] = ("png",), dpi: float = 150,
           log: Callable[[str], None] = print) -> list[Path]:
    """Render the gallery; returns the files written (and ``README.md`` last)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    if sources is None:  # a full run replaces the previous pictures
        for old in [*out.glob("*--*.png"), *out.glob("*--*.svg")]:
            old.unlink()
    written: list[Path] = []
    lines = ["# Chart gallery", "",
             "Every chart for every worked example and starter template, rendered by "
             "`make gallery` (`python -m journeytools.charts.gallery docs/gallery`).", ""]
    for src in (Path(s) for s in (sources or default_sources())):
        ws = load(src)
        prefix = gallery_name(src)
        lines += [f"## {prefix} — {ws.title}", ""]
        for name, make in charts_for(ws, src):
            t = time.perf_counter()
            fig = make()
            files = save_figure(fig, out / f"{prefix}--{name}", formats=formats, dpi=dpi)
            written += files
            alt = alt_text(fig).replace("\n", " ").replace("]", ")").replace("[", "(")
            lines += [f"### {name}", "", f"![{alt}]({files[0].name})", ""]
            log(f"{files[0]}  ({time.perf_counter() - t:.2f} s)")
    readme = out / "README.md"
    readme.write_text("\n".join(lines), encoding="utf-8")
    written.append(readme)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journeytools.charts.gallery",
                                     description="Render every chart for the worked examples.")
    parser.add_argument("outdir", help="folder to write the pictures into (e.g. docs/gallery)")
    parser.add_argument("workshops", nargs="*", help="workshop folders (default: examples and starters)")
    parser.add_argument("--svg", action="store_true", help="also write SVG files")
    parser.add_argument("--dpi", type=float, default=150)
    args = parser.parse_args(argv)
    try:
        render(args.outdir, args.workshops or None, formats=("png", "svg") if args.svg else ("png",),
               dpi=args.dpi)
    except Exception as exc:  # noqa: BLE001 - a gallery run reports and fails, no traceback wall
        print(f"gallery: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

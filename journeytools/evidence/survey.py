"""Survey scores (CSAT/NPS exports) as measured satisfaction per stage, on the 1–5 scale.

The CSV has one row per answer: ``respondent``, ``touchpoint`` or ``stage`` (either is enough;
a touchpoint gives its stage), ``score``, optional ``comment`` and optional ``kind``
(``csat`` or ``nps``; otherwise the mapping's ``survey.scale``). Other column names can be set
in the mapping (``survey: {columns: {score: rating}}``).

Scales, mapped onto the map's 1–5 emotion scale (1 very negative, 3 neutral, 5 very positive):

* CSAT 1–5 is used as is;
* NPS 0–10 is mapped linearly: ``1 + score × 0.4`` (0 → 1, 5 → 3, 10 → 5).

Per stage it also reports ``csat_pct`` (share of CSAT answers 4 or 5, in %) and ``nps``
(% promoters 9–10 minus % detractors 0–6), the usual KPI forms. Stages with fewer than
``min_users`` (k) respondents are suppressed. The responses per stage add up to the total
in ``summary.yml``, so when a stage is suppressed the next-smallest stage's ``responses`` is
hidden as well (complementary suppression, :mod:`journeytools.evidence.privacy`) until at
least two are hidden and they hold at least k responses together; its scores stay. With
fewer than k respondents in all, the totals are not published either. Verbatim comments are
kept only when the mapping says ``privacy: {keep_comments: true}``, and never with the
respondent id.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problem, ValidationError, quote
from ..model.csvio import decode, parse
from .mapping import Privacy, SurveySpec
from .privacy import PRIMARY, Suppression
from .readers import check_local

RANGES = {"csat": (1.0, 5.0), "nps": (0.0, 10.0)}
STAGE_COLUMNS = ["stage", "name", "responses", "measured_satisfaction", "csat_pct", "nps",
                 "suppressed"]


def to_five(score: float, kind: str) -> float:
    """A CSAT (1–5) or NPS (0–10) score on the 1–5 scale.

    >>> to_five(10, "nps"), to_five(0, "nps"), to_five(4, "csat")
    (5.0, 1.0, 4.0)
    """
    return float(score) if kind == "csat" else 1.0 + float(score) * 0.4


@dataclass(frozen=True)
class SurveyResult:
    """Per-stage measured satisfaction and, when allowed, the comments."""

    file: str
    stages: pd.DataFrame    # STAGE_COLUMNS
    comments: pd.DataFrame  # stage, touchpoint, kind, score, comment (empty unless kept)
    responses: int
    respondents: int
    totals_hidden: bool = False  # the totals would reveal a suppressed stage's responses


def read_survey(path: str | Path, ws: Any, spec: SurveySpec | None = None,
                privacy: Privacy = Privacy()) -> SurveyResult:
    """Read and check a survey CSV; raises ``ValidationError`` naming file, line and column."""
    spec = spec or SurveySpec()
    path = Path(path)
    file = str(path)
    check_local(path, "survey file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError([Problem(file, None, None, None, "survey file not found")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(file, None, None, None,
                                       "is a folder; expected the survey CSV file")]) from None
    except OSError as exc:
        raise ValidationError([Problem(file, None, None, None,
                                       f"cannot read the survey file: {exc.strerror or exc}")]) from None
    text, problems = decode(data, file)
    raw = None
    if text is not None:
        raw, more = parse(text, file)
        problems += more
    if raw is None or problems:
        raise ValidationError(problems)
    col = {k: spec.columns.get(k, k) for k in
           ("respondent", "touchpoint", "stage", "score", "comment", "kind")}
    header = [h.strip() for h in raw.header]
    position: dict[str, int] = {}  # column names compared case-insensitively; first one wins
    for i, h in enumerate(header):
        position.setdefault(h.lower(), i)
    idx = {name: position[col[name].strip().lower()] for name in col
           if col[name].strip().lower() in position}
    missing = [col[n] for n in ("respondent", "score") if n not in idx]
    if "touchpoint" not in idx and "stage" not in idx:
        missing.append(f"{col['touchpoint']} or {col['stage']}")
    if missing:
        raise ValidationError([_missing_column(file, m, header) for m in missing])
    tp_stage = dict(zip(ws.touchpoints["id"], ws.touchpoints["stage"]))
    stage_ids = set(ws.stage_ids)
    rows = []
    for cells, line in zip(raw.rows, raw.lines):
        def get(n: str, cells: list[str] = cells) -> str:
            return cells[idx[n]].strip() if n in idx else ""
        kind = (get("kind") or spec.scale).lower()
        if kind not in RANGES:
            problems.append(Problem(file, line, col["kind"], quote(kind),
                                    f"expected csat or nps, got {quote(kind)}"))
            continue
        tp, stage = get("touchpoint").lower(), get("stage").lower()
        if tp and tp not in tp_stage:
            problems.append(Problem(file, line, col["touchpoint"], quote(tp),
                                    f"unknown touchpoint {quote(tp)}; use an id from touchpoints.csv"))
            continue
        if stage and stage not in stage_ids:
            problems.append(Problem(file, line, col["stage"], quote(stage),
                                    f"unknown stage {quote(stage)}; expected one of {', '.join(ws.stage_ids)}"))
            continue
        stage = stage or tp_stage.get(tp, "")
        if not stage:
            problems.append(Problem(file, line, col["touchpoint"], None,
                                    "each answer needs a touchpoint or a stage"))
            continue
        score_text = get("score").replace(",", ".")
        low, high = RANGES[kind]
        try:
            score = float(score_text)
        except ValueError:
            score = float("nan")
        if not low <= score <= high:
            problems.append(Problem(file, line, col["score"], quote(get("score")),
                                    f"expected a {kind.upper()} score from {low:g} to {high:g}, "
                                    f"got {quote(get('score'))}"))
            continue
        rows.append({"respondent": get("respondent"), "stage": stage, "touchpoint": tp,
                     "kind": kind, "score": score, "five": to_five(score, kind),
                     "comment": get("comment")})
    if problems:
        raise ValidationError(problems)
    answers = pd.DataFrame(rows, columns=["respondent", "stage", "touchpoint", "kind", "score",
                                          "five", "comment"])
    stages, totals_hidden = _per_stage(answers, ws, privacy.min_users)
    return SurveyResult(file, stages, _comments(answers, privacy), len(answers),
                        answers["respondent"].nunique(), totals_hidden)


def _missing_column(file: str, name: str, header: list[str]) -> Problem:
    close = difflib.get_close_matches(name.lower(), [h.lower() for h in header], n=1, cutoff=0.6)
    hint = f" (did you mean {header[[h.lower() for h in header].index(close[0])]!r}?)" if close else ""
    return Problem(file, 1, name, None, f"column {name!r} is missing{hint}; the file has "
                   f"{', '.join(header)}")


def _per_stage(answers: pd.DataFrame, ws: Any, k: int) -> tuple[pd.DataFrame, bool]:
    """Per-stage scores, and whether the survey totals must stay unpublished."""
    s = Suppression(k)
    s.cell("all", len(answers), primary=answers["respondent"].nunique() < k)
    for stage in ws.stages:
        a = answers[answers["stage"] == stage.id]
        if len(a):
            s.cell(stage.id, len(a), primary=a["respondent"].nunique() < k)
    s.relation("all", [stage.id for stage in ws.stages])
    why = s.solve()
    out = []
    for stage in ws.stages:
        a = answers[answers["stage"] == stage.id]
        if not len(a):
            continue
        csat = a[a["kind"] == "csat"]["score"]
        nps = a[a["kind"] == "nps"]["score"]
        hidden = why.get(stage.id) == PRIMARY
        out.append({
            "stage": stage.id, "name": stage.name,
            "responses": None if stage.id in why else len(a),
            "measured_satisfaction": None if hidden else round(float(a["five"].mean()), 2),
            "csat_pct": None if hidden or not len(csat) else round(100 * float((csat >= 4).mean()), 1),
            "nps": None if hidden or not len(nps) else
            round(100 * (float((nps >= 9).mean()) - float((nps <= 6).mean())), 1),
            "suppressed": hidden})
    return pd.DataFrame(out, columns=STAGE_COLUMNS), "all" in why


def _comments(answers: pd.DataFrame, privacy: Privacy) -> pd.DataFrame:
    cols = ["stage", "touchpoint", "kind", "score", "comment"]
    if not privacy.keep_comments:
        return pd.DataFrame(columns=cols)
    kept = answers[answers["comment"] != ""]
    counts = answers.groupby("stage")["respondent"].nunique()
    kept = kept[kept["stage"].map(counts) >= privacy.min_users]
    return kept[cols].reset_index(drop=True)


def assumed_vs_measured(ws: Any, survey: SurveyResult | None) -> pd.DataFrame:
    """Per stage: the workshop's assumed emotion (mean of its steps) next to the survey's.

    ``assumed_emotion`` is the mean ``emotion`` of steps at the stage's touchpoints (all
    personas, blanks skipped); ``difference`` = measured − assumed (negative: worse than the
    room thought).
    """
    steps = ws.steps
    stage_of = dict(zip(ws.touchpoints["id"], ws.touchpoints["stage"]))
    emotion = pd.to_numeric(steps.get("emotion", pd.Series(dtype=float)), errors="coerce")
    assumed = emotion.groupby(steps["touchpoint"].map(stage_of)).mean() if len(steps) else pd.Series(dtype=float)
    measured = survey.stages.set_index("stage") if survey is not None else pd.DataFrame()
    rows = []
    for s in ws.stages:
        a = assumed.get(s.id)
        m = measured["measured_satisfaction"].get(s.id) if len(measured) else None
        a = None if a is None or pd.isna(a) else round(float(a), 2)
        m = None if m is None or pd.isna(m) else float(m)
        rows.append({"stage": s.id, "name": s.name, "assumed_emotion": a,
                     "measured_satisfaction": m,
                     "responses": measured["responses"].get(s.id) if len(measured) else None,
                     "difference": None if a is None or m is None else round(m - a, 2)})
    return pd.DataFrame(rows)

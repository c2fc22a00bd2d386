"""The map diff: rows, metadata, stages, emotions and score moves, in words, markdown and JSON."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.cli.diff import register, resolve_sides
from journeytools.diff import Diff, diff, summary, to_dict, to_json, to_markdown, to_text
from journeytools.diff.render import md_escape, show_pair

WORKSHOPS = Path(__file__).resolve().parent.parent / "workshops"

register(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def base() -> jt.Workshop:
    return jt.load(WORKSHOPS / "luggage-store")


def edited(ws: jt.Workshop) -> jt.Workshop:
    return ws.copy()


def set_cell(ws: jt.Workshop, table: str, where: dict, column: str, value) -> None:
    frame = ws.tables[table]
    mask = pd.Series(True, index=frame.index)
    for k, v in where.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, (table, where)
    frame.loc[mask, column] = value


def only_changes(d: Diff) -> set[tuple[str, str, str]]:
    """(table, row id, status) of every row change."""
    return {(t.table, r.id, r.status) for t in d.tables for r in t.rows()}


# -- nothing changed -----------------------------------------------------------------------
def test_diff_with_itself_is_empty(example: Path) -> None:
    ws = jt.load(example)
    d = diff(ws, jt.load(example))
    assert d.is_empty
    assert d.tables == () and d.pain_moves == () and d.opportunity_moves == ()
    assert "No changes." in to_text(d)
    assert "No changes." in to_markdown(d)
    doc = to_dict(d)
    assert doc["empty"] is True and doc["summary"] == "No changes."


def test_row_order_in_a_file_is_not_a_change(base: jt.Workshop) -> None:
    new = edited(base)
    new.pain_points = new.pain_points.iloc[::-1].reset_index(drop=True)
    new.touchpoints = new.touchpoints.sample(frac=1, random_state=3).reset_index(drop=True)
    assert diff(base, new).is_empty


def test_diff_is_immutable(base: jt.Workshop) -> None:
    d = diff(base, edited(base))
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.meta = ()  # type: ignore[misc]


# -- known edits ---------------------------------------------------------------------------
def test_severity_change_reports_field_and_rank_move(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "pain_points", {"id": "no-pink"}, "severity", 5)
    d = diff(base, new)
    assert only_changes(d) == {("pain_points", "no-pink", "changed")}
    row = d.table("pain_points").find("no-pink")
    assert row is not None and [(c.field, c.before, c.after) for c in row.changes] == [("severity", 3, 5)]
    move = d.pain_move("no-pink")
    assert move is not None
    assert (move.rank_before, move.rank_after) == (4, 2)
    assert (move.weighted_pain_before, move.weighted_pain_after) == (19.0, 31.0)
    # the two pain points it overtook moved down one rank, nothing else moved
    assert {m.id: (m.rank_before, m.rank_after) for m in d.pain_moves} == {
        "no-pink": (4, 2), "no-video-review": (2, 3), "chat-queue-wait": (3, 4)}
    assert d.meta == () and d.stages == () and d.emotions == () and d.kpi_moves == ()
    text = to_text(d)
    assert "- Pain point 'no-pink': severity 3 → 5; rank 4 → 2; weighted pain 19 → 31" in text
    assert "- Pain point 'no-video-review': rank 2 → 3" in text
    assert "1 pain point changed" in summary(d)


def test_added_pain_point(luggage: Path) -> None:
    old = jt.load(luggage)
    jt.add_pain_point(luggage, persona="greta", touchpoint="checkout",
                      description="Apple Pay button | hidden below the fold", severity=5, frequency=5)
    new = jt.load(luggage)
    d = diff(old, new)
    added = d.table("pain_points").added
    assert len(added) == 1 and only_changes(d) == {("pain_points", added[0].id, "added")}
    values = dict(added[0].values)
    assert values["severity"] == 5 and values["touchpoint"] == "checkout"
    move = d.pain_move(added[0].id)
    assert move is not None and move.rank_before is None and move.rank_after is not None
    text = to_text(d)
    assert f"- Pain point '{added[0].id}' added: persona greta, touchpoint checkout, severity 5" in text
    md = to_markdown(d)
    assert "Apple Pay button \\| hidden" in md
    assert "Apple Pay button | hidden" not in md


def test_removed_touchpoint_and_its_steps(base: jt.Workshop) -> None:
    new = edited(base)
    new.touchpoints = new.touchpoints[new.touchpoints["id"] != "unboxing"].reset_index(drop=True)
    new.steps = new.steps[new.steps["touchpoint"] != "unboxing"].reset_index(drop=True)
    d = diff(base, new)
    assert only_changes(d) == {("touchpoints", "unboxing", "removed"),
                               ("steps", "mia/unboxing/1", "removed")}
    step = d.table("steps").removed[0]
    assert step.key_dict == {"persona": "mia", "touchpoint": "unboxing", "occurrence": 1}
    assert d.pain_moves == () and d.opportunity_moves == ()
    text = to_text(d)
    assert "- Touchpoint 'unboxing' removed: Unboxing, stage delivery, channel packaging" in text
    assert "- Mia's step at 'unboxing' removed: order 8, emotion" in text
    assert "1 touchpoint removed, 1 step removed" in summary(d)


def test_rename_and_reorder_stages(base: jt.Workshop) -> None:
    new = edited(base)
    stages = new.meta["stages"]
    stages[2]["name"] = "Checkout"
    stages[3], stages[4] = stages[4], stages[3]
    d = diff(base, new)
    assert d.tables == ()
    changes = {(s.id, s.change, s.before, s.after) for s in d.stages}
    assert changes == {("purchase", "renamed", "Purchase", "Checkout"),
                       ("advocacy", "moved", 5, 4)}
    text = to_text(d)
    assert "- Stage 'purchase' renamed: Purchase → Checkout" in text
    assert "- Stage 'advocacy' moved: position 5 → 4" in text
    assert "Stage order now: Awareness → Consideration → Checkout → Sharing & loyalty → Delivery" in text
    assert "1 stage renamed, 1 stage moved" in summary(d)


def test_added_and_removed_stage_do_not_count_as_moves(base: jt.Workshop) -> None:
    new = edited(base)
    new.meta["stages"] = [{"id": "dreaming", "name": "Dreaming"}] + new.meta["stages"]
    d = diff(base, new)
    assert [(s.id, s.change, s.after) for s in d.stages] == [("dreaming", "added", 1)]
    assert "- Stage 'dreaming' added at position 1 ('Dreaming')" in to_text(d)


def test_emotion_change(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "steps", {"persona": "mia", "touchpoint": "cart"}, "emotion", 4)
    d = diff(base, new)
    assert only_changes(d) == {("steps", "mia/cart/1", "changed")}
    assert [(e.persona, e.touchpoint, e.before, e.after) for e in d.emotions] == [("mia", "cart", 1, 4)]
    text = to_text(d)
    assert "Emotions\n- Mia at 'cart' (Add to cart and cart page): emotion 1 → 4 (better)" in text
    assert "Steps\n" not in text  # the emotion is the step's only change: said once
    assert summary(d) == "1 emotion changed."
    md = to_markdown(d)
    assert "### Emotions" in md and "| Mia | cart | 1 | 4 | better |" in md


def test_effort_change_moves_quadrant(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "opportunities", {"id": "fix-cart-error"}, "effort", 6.0)
    d = diff(base, new)
    assert only_changes(d) == {("opportunities", "fix-cart-error", "changed")}
    move = d.opportunity_move("fix-cart-error")
    assert move is not None and move.quadrant_changed
    assert (move.quadrant_before, move.quadrant_after) == ("quick win", "big bet")
    assert (move.rank_before, move.rank_after) == (1, 3)
    text = to_text(d)
    assert ("- Opportunity 'fix-cart-error': effort 0.75 → 6; quadrant quick win → big bet; "
            "rank 1 → 3") in text
    assert "changed quadrant" in summary(d)
    doc = to_dict(d)
    opp = next(o for o in doc["opportunities"] if o["id"] == "fix-cart-error")
    assert opp["quadrant_before"] == "quick win" and opp["quadrant_after"] == "big bet"
    assert opp["quadrant_changed"] is True


def test_metadata_changes(base: jt.Workshop) -> None:
    new = edited(base)
    new.meta["reviewed"] = "2027-05-20"
    new.meta["title"] = "Luggage | purchase journey"
    new.meta["branding"] = {**new.meta["branding"], "primary_color": "#00796B"}
    d = diff(base, new)
    assert {(m.key, m.before, m.after) for m in d.meta} == {
        ("reviewed", "2026-11-22", "2027-05-20"),
        ("title", "Online luggage store — purchase journey", "Luggage | purchase journey"),
        ("branding.primary_color", "#C2185B", "#00796B"),
    }
    text = to_text(d)
    assert "- reviewed: 2026-11-22 → 2027-05-20" in text
    assert "- branding.primary_color: #C2185B → #00796B" in text
    md = to_markdown(d)
    assert "| reviewed | 2026-11-22 | 2027-05-20 |" in md
    assert "Luggage \\| purchase journey" in md


def test_kpi_current_move(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "kpis", {"id": "cart-conversion"}, "current", 66.0)
    d = diff(base, new)
    assert only_changes(d) == {("kpis", "cart-conversion", "changed")}
    (m,) = d.kpi_moves
    assert (m.baseline_after, m.target_after, m.current_before, m.current_after) == (58.0, 72.0, 61.5, 66.0)
    assert m.progress_before == pytest.approx(0.25) and m.progress_after == pytest.approx(8 / 14, abs=1e-6)
    assert ("- KPI 'cart-conversion': current 61.5 → 66; progress 25% → 57% of the way from "
            "baseline 58 to target 72") in to_text(d)
    assert "| cart-conversion | conversion | 58 | 72 | 61.5 % | 66 % | 25% → 57% |" in to_markdown(d)


def test_added_vote_moves_pain(luggage: Path) -> None:
    old = jt.load(luggage)
    jt.add_vote(luggage, voter="nina", item="missed-delivery", votes=3)
    d = diff(old, jt.load(luggage))
    (vote,) = d.table("votes").added
    assert vote.key_dict["voter"] == "nina" and vote.key_dict["item"] == "missed-delivery"
    move = d.pain_move("missed-delivery")
    assert move is not None and move.weighted_pain_after == pytest.approx(move.weighted_pain_before + 3)
    assert "Dot vote by nina for 'missed-delivery'" in to_text(d)


def test_repeated_visits_are_matched_in_order(base: jt.Workshop) -> None:
    new = edited(base)
    again = new.steps[(new.steps["persona"] == "mia") & (new.steps["touchpoint"] == "cart")].copy()
    again["emotion"] = pd.array([3], dtype="Int64")
    new.steps = pd.concat([new.steps, again], ignore_index=True)
    d = diff(base, new)
    (row,) = d.table("steps").added
    assert row.key_dict == {"persona": "mia", "touchpoint": "cart", "occurrence": 2}
    assert "Mia's step at 'cart' (visit 2) added" in to_text(d)


def test_extra_columns_and_blanks(base: jt.Workshop) -> None:
    new = edited(base)
    new.personas["team_note"] = ["", "", ""]
    set_cell(new, "personas", {"id": "andy"}, "team_note", "check with sales")
    set_cell(new, "personas", {"id": "mia"}, "segment", "")
    d = diff(base, new)
    t = d.table("personas")
    assert t.columns_added == ("team_note",)
    got = {(r.id, c.field, c.before, c.after) for r in t.changed for c in r.changes}
    assert got == {("andy", "team_note", None, "check with sales"),
                   ("mia", "segment", "Style-led first-time buyer", None)}
    text = to_text(d)
    assert "segment 'Style-led first-time buyer' → (blank)" in text
    assert "columns added to personas.csv: team_note" in text


# -- renderings ----------------------------------------------------------------------------
def test_long_text_is_clipped_around_the_difference() -> None:
    a = "x" * 100 + " the cart fails"
    b = "x" * 100 + " the cart works"
    sa, sb = show_pair(a, b)
    assert sa != sb and "fails" in sa and "works" in sb and sa.startswith("'…")


def test_markdown_escaping() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("line1\nline2") == "line1<br>line2"
    assert md_escape("<script>*x*</script>") == "\\<script\\>\\*x\\*\\</script\\>"


def test_markdown_tables_are_well_formed(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "pain_points", {"id": "no-pink"}, "description", "Pink | rose\nnot stocked")
    set_cell(new, "pain_points", {"id": "no-pink"}, "severity", 5)
    md = to_markdown(diff(base, new, old_label="main", new_label="feature"))
    assert md.startswith("## Journey map changes: Online luggage store — purchase journey\n")
    assert "From main to feature." in md
    assert "### Pain points" in md and "### Pain point ranking" in md
    assert "| no-pink | changed | severity | 3 | 5 |" in md
    assert "Pink \\| rose<br>not stocked" in md
    for block in re.split(r"\n\n", md):
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            widths = {len(re.findall(r"(?<!\\)\|", ln)) for ln in lines}
            assert len(widths) == 1, block


def test_json_schema(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "pain_points", {"id": "no-pink"}, "severity", 5)
    set_cell(new, "steps", {"persona": "mia", "touchpoint": "cart"}, "emotion", None)
    doc = json.loads(json.dumps(to_dict(diff(base, new, old_label="a", new_label="b"))))
    assert set(doc) == {"schema_version", "old", "new", "empty", "summary", "meta", "stages",
                        "tables", "emotions", "pain_points", "opportunities", "kpis"}
    assert doc["schema_version"] == 1 and doc["old"] == "a" and doc["empty"] is False
    assert set(doc["tables"]) == {"personas", "touchpoints", "steps", "pain_points",
                                  "opportunities", "votes", "kpis", "blueprint"}
    changed = doc["tables"]["pain_points"]["changed"]
    assert changed == [{"key": {"id": "no-pink"}, "label": "Pain point 'no-pink'",
                        "fields": [{"field": "severity", "before": 3, "after": 5}]}]
    assert doc["emotions"] == [{"persona": "mia", "touchpoint": "cart", "occurrence": 1,
                                "before": 1, "after": None}]
    assert doc["pain_points"][0] == {"id": "no-pink", "rank_before": 4, "rank_after": 2,
                                     "weighted_pain_before": 19.0, "weighted_pain_after": 31.0}


# -- property: self-diff is empty, a random edit is reported exactly -------------------------
EDITABLE = [
    ("pain_points", "severity", st.integers(1, 5)),
    ("pain_points", "frequency", st.integers(1, 5)),
    ("pain_points", "description", st.text(min_size=1, max_size=40)),
    ("steps", "emotion", st.one_of(st.none(), st.integers(1, 5))),
    ("steps", "thought", st.text(max_size=40)),
    ("opportunities", "effort", st.floats(0.1, 20, allow_nan=False)),
    ("opportunities", "reach", st.floats(0, 10000, allow_nan=False)),
    ("personas", "weight", st.floats(0.1, 5, allow_nan=False)),
    ("touchpoints", "owner", st.text(max_size=20)),
    ("kpis", "current", st.one_of(st.none(), st.floats(0, 100, allow_nan=False))),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=st.sampled_from(EDITABLE).flatmap(
    lambda e: st.tuples(st.just(e[0]), st.just(e[1]), e[2], st.integers(0, 100))))
def test_random_edit_is_reported_exactly(base: jt.Workshop, edit) -> None:
    table, column, value, pick = edit
    new = edited(base)
    frame = new.tables[table]
    i = pick % len(frame)
    before = frame[column].iloc[i]
    frame.loc[frame.index[i], column] = value
    assert diff(new, new.copy()).is_empty
    d = diff(base, new)
    blank = lambda v: None if v is None or v == "" or pd.isna(v) else v  # noqa: E731
    if blank(before) == blank(value):
        assert d.tables == ()
        return
    assert [(t.table, len(t.rows())) for t in d.tables] == [(table, 1)]
    (row,) = d.table(table).rows()
    assert row.status == "changed"
    assert [c.field for c in row.changes] == [column]
    assert not d.is_empty and to_text(d) and to_markdown(d)
    json.dumps(to_dict(d))
    if column == "emotion":
        assert len(d.emotions) == 1


# -- command line --------------------------------------------------------------------------
def test_register_is_idempotent() -> None:
    register(app)
    assert sum(1 for c in app.registered_commands if c.name == "diff") == 1


def test_resolve_sides() -> None:
    p = Path
    assert resolve_sides(p("a"), p("b"), None) == (p("a"), None, p("b"))
    assert resolve_sides(p("a"), None, None) == (p("a"), None, p("."))
    assert resolve_sides(p("w"), None, "HEAD~1") == (p("w"), "HEAD~1", p("w"))
    assert resolve_sides(None, None, "HEAD") == (p("."), "HEAD", p("."))
    assert resolve_sides(p("a"), p("b"), "v1") == (p("a"), "v1", p("b"))


def _edit_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def two_versions(luggage: Path, tmp_path: Path) -> tuple[Path, Path]:
    import shutil

    old = tmp_path / "old"
    shutil.copytree(luggage, old)
    ws = jt.load(luggage)
    set_cell(ws, "pain_points", {"id": "no-pink"}, "severity", 5)
    jt.save(ws)
    return old, luggage


def test_cli_text(two_versions: tuple[Path, Path]) -> None:
    old, new = two_versions
    res = runner.invoke(app, ["diff", str(old), str(new)])
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[0] == f"comparing {old} → {new}"
    assert res.stdout.startswith(f"Changes from {old} to {new}\n")
    assert "Pain point 'no-pink': severity 3 → 5; rank 4 → 2" in res.output


def test_cli_markdown_and_json(two_versions: tuple[Path, Path]) -> None:
    old, new = two_versions
    res = runner.invoke(app, ["diff", str(old), str(new), "--format", "markdown"])
    assert res.exit_code == 0, res.output
    assert "| no-pink | changed | severity | 3 | 5 |" in res.output
    res = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["tables"]["pain_points"]["changed"][0]["key"] == {"id": "no-pink"}


def test_cli_no_changes_exits_zero(luggage: Path) -> None:
    res = runner.invoke(app, ["diff", str(luggage), str(luggage)])
    assert res.exit_code == 0 and "No changes." in res.output


def test_cli_new_defaults_to_current_folder(two_versions: tuple[Path, Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = two_versions
    monkeypatch.chdir(new)
    res = runner.invoke(app, ["diff", str(old)])
    assert res.exit_code == 0, res.output
    assert "severity 3 → 5" in res.output


def test_cli_says_what_it_compares(two_versions: tuple[Path, Path],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With NEW left out, the first line (stderr) names the current folder in full."""
    old, new = two_versions
    monkeypatch.chdir(new)
    for fmt in ("text", "markdown", "json"):
        res = runner.invoke(app, ["diff", str(old), "-f", fmt])
        assert res.exit_code == 0, res.output
        assert res.stderr.splitlines()[0] == f"comparing {old} → the current folder ({Path.cwd()})"
        assert "comparing" not in res.stdout
    assert json.loads(res.stdout)["new"] == "."


def test_cli_invalid_input_exits_one(luggage: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(luggage, broken)
    _edit_csv(broken / "pain_points.csv", "no-pink,mia,colour-selector,", "no-pink,mia,nowhere,")
    res = runner.invoke(app, ["diff", str(luggage), str(broken)])
    assert res.exit_code == 1
    assert str(broken / "pain_points.csv") in res.output
    res = runner.invoke(app, ["diff", str(tmp_path / "absent"), str(luggage)])
    assert res.exit_code == 1 and "folder not found" in res.output


def test_cli_usage_errors() -> None:
    res = runner.invoke(app, ["diff"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["diff", "a", "b", "--format", "xml"])
    assert res.exit_code == 2


def test_removed_pain_point_says_where_it_ranked(base: jt.Workshop) -> None:
    new = edited(base)
    new.pain_points = new.pain_points[new.pain_points["id"] != "no-pink"].reset_index(drop=True)
    d = diff(base, new)
    assert only_changes(d) == {("pain_points", "no-pink", "removed")}
    line = next(ln for ln in to_text(d).splitlines() if "'no-pink' removed" in ln)
    assert line.startswith("- Pain point 'no-pink' removed: persona mia, touchpoint colour-selector, "
                           "severity 3, frequency 4")
    assert line.endswith("; was rank 4, weighted pain 19")
    assert "| no-pink | removed |" in to_markdown(d)


def test_blueprint_rows_in_markdown_are_named_by_lane_and_touchpoint() -> None:
    """The future-state example against its current map: blueprint rows changed, added and
    removed, one of them for a single persona (markdown once crashed on blueprint keys)."""
    current = jt.load(WORKSHOPS / "holiday-booking")
    future = jt.load(WORKSHOPS / "holiday-booking-future")
    future.blueprint.loc[future.blueprint.index[0], "persona"] = "priya"
    md = to_markdown(diff(current, future))
    assert "| frontstage at hotel-search | removed |" in md
    assert "| frontstage at hotel-search for priya | added |" in md
    assert "| frontstage at price-hold | added |" in md
    assert "| support at phone-booking | removed |" in md


def test_to_json_is_to_dict(base: jt.Workshop) -> None:
    new = edited(base)
    set_cell(new, "pain_points", {"id": "no-pink"}, "severity", 5)
    d = diff(base, new)
    assert json.loads(to_json(d)) == json.loads(json.dumps(to_dict(d)))
    assert to_dict(d)["summary"] == summary(d)


# -- package layout ------------------------------------------------------------------------
DIFF_PACKAGE = Path(jt.__file__).parent / "diff"


def diff_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module of journeytools.diff, names taken) for every import of one in ``path``, those
    inside functions included; ``__init__`` stands for the package itself."""
    modules = {p.stem for p in DIFF_PACKAGE.glob("*.py")}
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [((a.name.split(".") + ["__init__"])[2], []) for a in node.names
                      if a.name.split(".")[:2] == ["journeytools", "diff"]]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        parts = (node.module or "").split(".") if node.module else []
        if node.level == 0 and parts[:2] == ["journeytools", "diff"]:
            parts = parts[2:]
        elif node.level == 2 and parts[:1] == ["diff"]:
            parts = parts[1:]
        elif node.level != 1:
            continue
        names = [a.name for a in node.names]
        if parts:
            found.append((parts[0], names))
        else:  # from . import x: a sibling module, or a name from the package's __init__
            found += [(n, []) if n in modules else ("__init__", [n]) for n in names]
    return found


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle in ``graph`` (module -> modules it imports) as a path, or [] when none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = "open"
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == "open":
                return path[path.index(n):] + [n]
            if n not in state and (cycle := visit(n)):
                return cycle
        state[m] = "done"
        path.pop()
        return []

    return next((c for m in sorted(graph) if m not in state and (c := visit(m))), [])


def test_diff_package_imports_one_way() -> None:
    assert import_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    graph = {p.stem: {m for m, _ in diff_imports(p)} for p in DIFF_PACKAGE.glob("*.py")}
    assert {"changes", "compute", "render"} <= set(graph)
    assert import_cycle(graph) == [], graph
    assert graph["changes"] == set(), "changes.py is the bottom layer: it imports no sibling"
    assert "__init__" not in set().union(*(v for k, v in graph.items() if k != "__init__"))


def test_diff_modules_share_only_public_names() -> None:
    for p in DIFF_PACKAGE.glob("*.py"):
        private = [(m, n) for m, names in diff_imports(p) for n in names if n.startswith("_")]
        assert not private, (p.name, private)

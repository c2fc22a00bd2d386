"""views.portfolio: what the portfolio notebook shows, with the numbers of journeys.py and user
text escaped."""

from __future__ import annotations

import datetime as dt

from journeytools import journeys as across
from journeytools.store.portfolio import load_portfolio
from journeytools.views import portfolio as view
from journeytools.vocab import number

from helpers import LIBRARY, PERSONAS, STEPS, WORKSHOP_YML, assert_escaped, write_portfolio, write_workshop

TODAY = dt.date(2026, 12, 1)


def cells(styler) -> list[list[str]]:
    return styler.data.astype(str).values.tolist()


def test_check_lists_every_problem_with_journey_file_and_line(tmp_path) -> None:
    root = write_portfolio(tmp_path / "pf", library=LIBRARY.replace("racer,Ravi the racer,Club cyclists,1\n", ""))
    report, shown = view.check(root)
    assert not report.ok
    assert "Not valid" in repr(shown[0])
    rows = cells(shown[1])
    assert ["error", "repairs/personas.csv:3", "id"] == rows[0][:3] and "not in the persona library" in rows[0][3]
    assert {r[1] for r in rows if r[0] == "error"} == {"repairs/personas.csv:3", "returns/personas.csv:3"}


def test_valid_portfolio_verdict_and_drift_warning(tmp_path) -> None:
    root = write_portfolio(tmp_path / "pf", library=LIBRARY.replace("Club cyclists,1", "Club cyclists,3"))
    report, shown = view.check(root)
    assert report.ok and "Valid: 2 journeys, 2 personas, a persona library of 2" in repr(shown[0])
    warnings = [r for r in cells(shown[1]) if r[0] == "warning"]
    assert any(r[1] == "repairs/personas.csv:3" and r[2] == "weight" for r in warnings)


def test_tables_show_the_numbers_of_journeys_py(tmp_path) -> None:
    root = write_portfolio(tmp_path / "pf")
    # a third journey with one of the two personas, reviewed long ago
    write_workshop(root / "tune-ups", workshop=WORKSHOP_YML.replace("2026-11-02", "2025-01-10")
                   .replace("repair booking journey", "tune-up journey"),
                   personas=PERSONAS.replace("racer,Ravi the racer,Club cyclists,web,1\n", ""),
                   steps="".join(ln + "\n" for ln in STEPS.splitlines() if not ln.startswith("racer")),
                   pain_points="id,persona,touchpoint,description,severity,frequency,evidence,source\n"
                               "slow-quote,commuter,booking-form,Quote takes two days,3,3,Tickets,support\n",
                   opportunities="id,title,addresses,reach,impact,confidence,effort\n"
                                 "express-slots,Express repair slots,slow-quote,100,2,0.8,2\n")
    yml = (root / "portfolio.yml").read_text(encoding="utf-8")
    (root / "portfolio.yml").write_text(yml.replace("[repairs, returns]", "[repairs, returns, tune-ups]"),
                                        encoding="utf-8")
    pf = load_portfolio(root)
    matrix = across.persona_matrix(pf.journeys)
    rows = {r[0]: r[1:] for r in cells(view.persona_matrix(pf))}
    assert rows["Carla the commuter"] == [number(matrix.loc["commuter", j]) for j in ("repairs", "returns", "tune-ups")]
    assert rows["Ravi the racer"][2] == "–"  # not in the tune-up journey
    opps = {r[1]: r for r in cells(view.opportunities(pf))}
    shared = across.opportunities(pf.journeys).set_index("id").loc["express-slots"]
    assert opps["Express repair slots"][2] == number(shared["pain_relieved"])
    assert len(shared["journeys"]) == 3 and opps["Express repair slots"][4].count(";") == 2
    review = cells(view.to_review(pf, TODAY))
    assert review[0][0] == "Bike shop — tune-up journey" and review[0][3].startswith("overdue")
    assert all(r[3] == "on schedule" for r in review[1:])
    journeys = {r[1]: r for r in cells(view.journeys(pf, TODAY))}
    assert journeys["tune-ups"][7] == "stale" and journeys["repairs"][7] == ""
    assert journeys["repairs"][3] == "2"
    # two journeys with the same title stay two columns, told apart by folder
    assert list(view.persona_matrix(pf).data.columns)[1:3] == [
        "Bike shop — repair booking journey (repairs)", "Bike shop — repair booking journey (returns)"]


def test_user_text_is_escaped(tmp_path) -> None:
    payload = "<img src=x onerror=alert(1)>"
    root = write_portfolio(tmp_path / "pf")
    write_workshop(root / "returns", workshop=WORKSHOP_YML.replace("Bike shop — repair booking journey",
                                                                   f"Returns {payload}"))
    pf = load_portfolio(root)
    for styler in (view.journeys(pf, TODAY), view.persona_matrix(pf), view.opportunities(pf),
                   view.to_review(pf, TODAY)):
        assert_escaped(styler.to_html(), payload, images=False)

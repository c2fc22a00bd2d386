"""Service blueprint (SPEC §8): blueprint.csv loads, validates with file:line messages, saves,
round-trips through xlsx and shows in diff; a workshop without one loses nothing."""

from __future__ import annotations

import journeytools as jt
from journeytools.diff import diff
from journeytools.store.folder import validate

from helpers import write_workshop

BLUEPRINT = """\
touchpoint,lane,text,persona,order,owner,system,minutes,fails,status,causes
booking-form,evidence,Booking confirmation e-mail,*,1,Digital,Mailer,,,observed,
booking-form,frontstage,Slot picker shows the next 14 days,*,2,Digital,Web shop,,,observed,
booking-form,backstage,Workshop calendar synced nightly,*,3,Workshop,Calendar,20,true,observed,no-same-day
phone-line,support,Front desk rota,*,,Front desk,Rota sheet,,yes,assumed,phone-wait
"""


def test_blueprint_loads_and_round_trips(tmp_path):
    ws = jt.load(write_workshop(tmp_path / "ws", blueprint=BLUEPRINT))
    bp = ws.blueprint
    assert list(bp["lane"]) == ["evidence", "frontstage", "backstage", "support"]
    assert bp["minutes"].iloc[2] == 20 and bp["causes"].iloc[2] == "no-same-day"
    ws.blueprint.loc[0, "text"] = "Booking confirmation e-mail with a map"
    jt.save(ws)
    again = jt.load(tmp_path / "ws")
    assert again.blueprint["text"].iloc[0] == "Booking confirmation e-mail with a map"
    changes = diff(jt.load(write_workshop(tmp_path / "old", blueprint=BLUEPRINT)), again)
    rows = [t for t in changes.tables if t.table == "blueprint"]
    assert rows and rows[0].changed[0].label == "Blueprint evidence row at 'booking-form'"


def test_every_bad_blueprint_row_is_named_with_file_line_and_column(tmp_path):
    bad = ("touchpoint,lane,text,persona,minutes,fails,causes\n"
           "booking-form,basement,Slot sync,*,5,true,\n"          # line 2: unknown lane
           "nowhere,backstage,Stock job,*,5,true,\n"              # line 3: unknown touchpoint
           "phone-line,support,Rota,ghost,5,maybe,\n"             # line 4: persona, fails
           "phone-line,support,Rota,*,-3,no,lost-pain\n"          # line 5: minutes, causes
           "phone-line,support,,*,,,\n")                          # line 6: blank text
    report = validate(write_workshop(tmp_path / "ws", blueprint=bad))
    found = {(p.file, p.line, p.column) for p in report.errors}
    assert found >= {("blueprint.csv", 2, "lane"), ("blueprint.csv", 3, "touchpoint"),
                     ("blueprint.csv", 4, "persona"), ("blueprint.csv", 4, "fails"),
                     ("blueprint.csv", 5, "minutes"), ("blueprint.csv", 5, "causes"),
                     ("blueprint.csv", 6, "text")}, report.errors
    lane = next(p for p in report.errors if p.column == "lane")
    assert "evidence, frontstage, backstage, support" in lane.message and "basement" in lane.message


def test_a_workshop_without_blueprint_has_none_and_writes_none(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    ws = jt.load(folder)
    assert len(ws.blueprint) == 0
    jt.save(ws)
    assert not (folder / "blueprint.csv").exists()


def test_blueprint_round_trips_through_xlsx(tmp_path):
    from journeytools.export.xlsx import export_xlsx, read_workbook

    ws = jt.load(write_workshop(tmp_path / "ws", blueprint=BLUEPRINT))
    export_xlsx(ws, tmp_path / "ws.xlsx")
    back = read_workbook(tmp_path / "ws.xlsx")
    assert back.blueprint.astype(str).equals(ws.blueprint.astype(str))


def test_root_causes_gaps_and_json(tmp_path):
    from journeytools import blueprint, scoring

    extra = BLUEPRINT + "booking-form,frontstage,Chat widget,*,,,,,,proposed,\n"
    ws = jt.load(write_workshop(tmp_path / "ws", blueprint=extra,
                                pain_points=("id,persona,touchpoint,description,severity,frequency\n"
                                             "no-same-day,commuter,booking-form,No same-day slots,4,3\n"
                                             "phone-wait,*,phone-line,Phone rings out,3,2\n"
                                             "lost-bike,racer,workshop-visit,Bike lost in the workshop,5,3\n")))
    doc = scoring.score(ws).to_dict()
    assert [(r["pain_point"], r["owner"], r["lane"], r["fails"]) for r in doc["root_causes"]] == [
        ("no-same-day", "Workshop", "backstage", True), ("phone-wait", "Front desk", "support", True)]
    gaps = {(g["kind"], g["id"]) for g in doc["gaps"]}
    assert ("pain_without_process", "lost-bike") in gaps       # 15, nothing causes it
    assert ("pain_without_process", "no-same-day") not in gaps
    assert ("process_without_owner", "booking-form") in gaps   # the chat widget
    assert not any(k == "frontstage_without_backstage" for k, _ in gaps)  # booking-form has both
    # pain by owning team adds up to the caused pain
    causes = scoring.score(ws).root_causes
    teams = blueprint.pain_by_team(causes)
    assert teams.sum() == causes.drop_duplicates("pain_point")["weighted_pain"].sum()
    # a map without a blueprint gets none of these gaps
    plain = scoring.score(jt.load(write_workshop(tmp_path / "plain"))).to_dict()
    assert plain["root_causes"] == [] and not any("process" in g["kind"] for g in plain["gaps"])
